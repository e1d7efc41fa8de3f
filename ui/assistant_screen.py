"""The assistant's screen: an assisted declaration ("khai hộ") for a person without a
smartphone. What is typed is saved as a draft as it is typed. Enter (or the save button) shows
the review page, to read back to the person; Enter there (or "Xác nhận và lưu") queues the
declaration, then the receipt is printed through Qt's print dialog (ui/receipt_printing.py) and
the form is ready for the next person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import messages, settings
from kiosk.assisted import DeclarationDesk, DeclarationResult
from kiosk.collation import vi_sort_key
from kiosk.declaration_form import FIELDS, PROVINCES, TRANSPORT, AssistedDeclaration
from kiosk.receipts import PAPERS, layout_receipt, receipt_spool
from kiosk.rules import SYMPTOMS
from kiosk.storage import Store
from ui import texts
from ui.buttons import Button
from ui.declaration_review import ReviewPage
from ui.folding_search import fold_searching
from ui.receipt_printing import Printed, print_receipt
from ui.said import SaidLabel
from ui.screen import Screen, ScreenContext
from ui.texts import tr
from ui.theme import big_font

TEXT_FIELDS = (
    "full_name",
    "id_number",
    "birth_date",
    "phone",
    "district",
    "commune",
    "address",
    "came_from",
    "travel_14d",
    "plate",
)
DRAFT_DELAY_MS = 600
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class AssistantScreen(Screen):
    name = "assistant"

    def __init__(self, ctx: ScreenContext, lang: str) -> None:
        super().__init__(ctx, lang)
        self.texts = {name: QLineEdit() for name in TEXT_FIELDS}
        self.sex = QComboBox()
        self.province = fold_searching(QComboBox())
        self.province.addItem("")
        self.province.addItems(sorted(PROVINCES, key=vi_sort_key))  # Vietnamese order
        self.transport = QComboBox()
        self.symptoms = {s: QCheckBox() for s in SYMPTOMS}
        self.contact = QCheckBox()
        self.zone = QCheckBox()  # came from an epidemic zone: quarantine at once (82 III.4.b)
        self.errors_shown: dict[str, str] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.field_labels: dict[str, QLabel] = {}
        self.field_widgets: dict[str, QWidget] = {}
        self.save_button = Button()
        self.save_button.setFont(big_font(16))
        self.paper_label = QLabel()
        self.paper = QComboBox()  # the receipt's paper, remembered in settings.json
        self.result_label = SaidLabel(lang)
        self.print_button = Button()
        self.print_button.setEnabled(False)
        self.open_button = Button()
        self.open_button.setEnabled(False)
        self.review_page = ReviewPage(lang)
        self.pages = QStackedWidget()
        self.last: DeclarationResult | None = None
        self.printed: Printed | None = None  # how the last receipt's printing went
        self.reviewed_form: dict[str, object] | None = None  # what the review page shows
        self._saving = False
        self._back_to: QWidget | None = None  # the field to return to from the review
        self._loading = False
        self._touched = False  # typed into before the draft arrived: the draft must not win
        self._build()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        for widget in self.texts.values():
            widget.textEdited.connect(self._changed)
            # Enter reaches keyPressEvent from every field (a line edit passes it on)
        for combo in (self.sex, self.province, self.transport):
            combo.currentIndexChanged.connect(self._changed)
        for box in (*self.symptoms.values(), self.contact, self.zone):
            box.toggled.connect(self._changed)
        self.save_button.clicked.connect(self.submit)
        self.print_button.clicked.connect(self.print_last)
        self.open_button.clicked.connect(self._open_receipt)
        self.review_page.edit.connect(self.back_to_form)
        self.review_page.confirmed.connect(self.confirm)
        self.retranslate(lang)
        self.paper.setCurrentIndex(max(0, self.paper.findData(ctx.settings.receipt_paper)))
        self.paper.currentIndexChanged.connect(self._paper_chosen)
        desk = self._desk()
        self.ctx.lane.run(lambda store: desk(store).draft(), self._fill, self._refused)

    @property
    def entry(self) -> QLineEdit | None:  # type: ignore[override]
        """The first field: focused after sign-in and after each saved declaration; none while
        the review page is shown (typing there is not for the form)."""
        return self.texts["full_name"] if self.pages.currentIndex() == 0 else None

    def _build(self) -> None:
        form = QFormLayout()
        order = [
            f for f in FIELDS if f not in ("symptoms", "contact_with_case", "from_epidemic_zone")
        ]
        widgets = self.field_widgets = {
            **self.texts,
            "sex": self.sex,
            "province": self.province,
            "transport": self.transport,
        }
        for name in order:
            label, error = QLabel(), QLabel()
            error.setStyleSheet("color: #c62828;")
            error.setObjectName(f"error_{name}")
            self.field_labels[name], self.error_labels[name] = label, error
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addWidget(widgets[name])
            cell.addWidget(error)
            form.addRow(label, cell)
        boxes = QHBoxLayout()
        for box in self.symptoms.values():
            boxes.addWidget(box)
        self.field_labels["symptoms"] = QLabel()
        form.addRow(self.field_labels["symptoms"], boxes)
        form.addRow(QLabel(), self.zone)
        form.addRow(QLabel(), self.contact)
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        side = QVBoxLayout()
        side.addWidget(self.save_button)
        side.addWidget(self.paper_label)
        side.addWidget(self.paper)
        side.addWidget(self.result_label)
        side.addWidget(self.print_button)
        side.addWidget(self.open_button)
        side.addStretch(1)
        form_page = QWidget()
        body = QHBoxLayout(form_page)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(scroll, 3)
        body.addLayout(side, 1)
        self.pages.addWidget(form_page)
        self.pages.addWidget(self.review_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

    def _desk(self) -> Callable[[Store], DeclarationDesk]:
        """The desk for a job, from values copied here on the GUI thread."""
        receipts_dir, who = receipt_spool(self.ctx.data_dir), self.ctx.who
        paper = self.paper.currentData() or "a5"
        return lambda store: DeclarationDesk(store, receipts_dir=receipts_dir, paper=paper, **who)

    def form(self) -> dict[str, object]:
        data: dict[str, object] = {name: w.text() for name, w in self.texts.items()}
        data["sex"] = self.sex.currentData() or ""
        data["province"] = self.province.currentText()
        data["transport"] = self.transport.currentData() or ""
        data["symptoms"] = [s for s, box in self.symptoms.items() if box.isChecked()]
        data["contact_with_case"] = self.contact.isChecked()
        data["from_epidemic_zone"] = self.zone.isChecked()
        return data

    def _fill(self, data: dict[str, object]) -> None:
        if self._touched:
            return
        self._loading = True
        try:
            for name, widget in self.texts.items():
                widget.setText(str(data.get(name, "")))
            self.sex.setCurrentIndex(max(0, self.sex.findData(data.get("sex", ""))))
            self.province.setCurrentText(str(data.get("province", "")))
            self.transport.setCurrentIndex(
                max(0, self.transport.findData(data.get("transport", "")))
            )
            for s, box in self.symptoms.items():
                box.setChecked(s in (data.get("symptoms") or ()))
            self.contact.setChecked(bool(data.get("contact_with_case")))
            self.zone.setChecked(bool(data.get("from_epidemic_zone")))
        finally:
            self._loading = False

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self._touched = True
            self._draft_timer.start()

    def save_draft(self) -> None:
        self._draft_timer.stop()
        form, desk = self.form(), self._desk()
        self.ctx.lane.run(lambda store: desk(store).save_draft(form), _ignore, self._refused)

    def flush(self) -> None:
        """Called when the window closes: a pending draft is queued before the lane stops."""
        if self._draft_timer.isActive():
            self.save_draft()

    # --- Enter: the form, then its review, then saved -------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() not in _ENTER:
            super().keyPressEvent(event)
            return
        event.accept()
        if self.pages.currentWidget() is self.review_page:
            self.confirm()
        else:
            self.submit()

    def submit(self) -> None:
        """Enter on the form, or the save button: the review page, or the form's problems.
        Nothing is recorded but the draft."""
        if self._saving:
            return
        self._draft_timer.stop()
        focus = QApplication.focusWidget()
        on_form = focus is not None and self.pages.widget(0).isAncestorOf(focus)
        self._back_to = focus if on_form else None
        form, desk = self.form(), self._desk()
        self.ctx.lane.run(
            lambda store: desk(store).review(form),
            lambda outcome: self._on_reviewed(form, outcome),
            self._refused,
        )

    def _on_reviewed(
        self, form: dict[str, object], outcome: tuple[AssistedDeclaration | None, dict[str, str]]
    ) -> None:
        decl, errors = outcome
        self.errors_shown = errors
        self._render_errors()
        if decl is None:
            first = next((n for n in FIELDS if n in errors and n in self.field_widgets), None)
            if first is not None:
                self.field_widgets[first].setFocus()  # the first problem, to fix it at once
            return
        if self._saving:
            return
        if form != self.form():
            self.submit()  # typed into since Enter: review what the form holds now
            return
        self.reviewed_form = form
        self.pages.setCurrentWidget(self.review_page)
        self.review_page.show_declaration(decl)

    def back_to_form(self) -> None:
        """ "Sửa": the form again, every field as it was, the cursor where it was."""
        if self._saving:
            return
        self.reviewed_form = None
        self.pages.setCurrentIndex(0)
        (self._back_to or self.texts["full_name"]).setFocus()

    def confirm(self) -> None:
        """Enter on the review, or "Xác nhận và lưu": the reviewed form is saved, once."""
        form = self.reviewed_form
        if form is None or self._saving:
            return
        self._saving = True
        self.review_page.confirm_button.setEnabled(False)
        desk = self._desk()
        self.ctx.lane.run(
            lambda store: desk(store).submit(form), self._on_submitted, self._save_refused
        )

    def _save_refused(self, code: str, params: dict[str, object]) -> None:
        self._saving = False
        self.review_page.confirm_button.setEnabled(True)
        self._refused(code, params)
        self.back_to_form()  # nothing saved: the form is kept, and says why beside it

    def _on_submitted(self, outcome: tuple[DeclarationResult | None, dict[str, str]]) -> None:
        submitted, errors = outcome
        self._saving = False
        self.reviewed_form = None
        self.errors_shown = errors
        self._render_errors()
        self.pages.setCurrentIndex(0)
        if submitted is None:
            self.texts["full_name"].setFocus()
            return
        self.last = submitted
        self.printed = None
        self.print_button.setEnabled(True)
        self.open_button.setEnabled(submitted.receipt is not None)
        self._loading = True
        for widget in self.texts.values():
            widget.clear()
        for combo in (self.sex, self.province, self.transport):
            combo.setCurrentIndex(0)
        for box in (*self.symptoms.values(), self.contact, self.zone):
            box.setChecked(False)
        self._loading = False
        self._back_to = None
        self.texts["full_name"].setFocus()  # ready for the next person
        self._render_result()
        self.ctx.event_log.write("assisted_declaration", receipt=submitted.queued.receipt_no)
        self.print_last()

    def print_last(self) -> None:
        """Prints the last saved receipt on the chosen paper; whatever the printer does, the
        declaration stays saved (it was committed first) and the screen says what happened."""
        if self.last is None:
            return
        last = self.last
        page = layout_receipt(last.content, self.paper.currentData() or "a5")
        self.printed = print_receipt(page, self, f"bien-nhan-{last.queued.receipt_no}")
        self.ctx.event_log.write(
            "receipt_printed",
            receipt=last.queued.receipt_no,
            paper=page.paper,
            outcome=self.printed.value,
        )
        self._render_result()
        self.texts["full_name"].setFocus()

    def _paper_chosen(self, _index: int) -> None:
        """The paper is kept in settings.json for the next receipt, the next day."""
        paper = self.paper.currentData()
        if paper not in PAPERS:
            return
        data_dir = self.ctx.data_dir
        try:
            settings.save(data_dir, replace(settings.load(data_dir), receipt_paper=paper))
        except (OSError, settings.SettingsError) as exc:
            error = str(exc)
            self.result_label.say(lambda lang: tr(texts.PAPER_NOT_KEPT, lang, error=error))

    def _refused(self, code: str, params: dict[str, object]) -> None:
        self.result_label.say(lambda lang: messages.error_text(code, lang, **params))

    def _render_errors(self) -> None:
        for name, label in self.error_labels.items():
            code = self.errors_shown.get(name)
            label.setText(messages.error_text(code, self.lang) if code else "")

    def _render_result(self) -> None:
        last, printed = self.last, self.printed
        if last is None:
            self.result_label.say(None)
            return

        def saying(lang: str) -> str:
            lines = [last.message(lang)]
            if last.receipt is None:
                lines.append(messages.error_text("receipt_failed", lang))
            if printed is Printed.PRINTED:
                lines.append(tr(texts.PRINTED, lang, receipt=last.queued.receipt_no))
            elif printed is Printed.CANCELLED:
                lines.append(tr(texts.PRINT_CANCELLED, lang))
            elif printed is Printed.FAILED:
                lines.append(tr(texts.PRINT_FAILED, lang))
            return "\n".join(lines)

        self.result_label.say(saying)

    def _open_receipt(self) -> None:
        """Opens the receipt with the desktop's PDF viewer, or says why it cannot."""
        if self.last is None or self.last.receipt is None:
            return
        path = Path(self.last.receipt)
        if not path.is_file():
            self.result_label.say(lambda lang: tr(texts.RECEIPT_MISSING, lang, path=path))
        elif not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.result_label.say(lambda lang: tr(texts.RECEIPT_NO_VIEWER, lang, path=path))

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        for name, label in self.field_labels.items():
            label.setText(tr(texts.FIELDS[name], lang))
        for name in ("full_name", "birth_date", "id_number", "phone", "plate"):
            self.texts[name].setPlaceholderText(tr(texts.HINTS[name], lang))
        self._loading = True
        for combo, values, words in (
            (self.sex, ("M", "F"), texts.SEXES),
            (self.transport, TRANSPORT, texts.TRANSPORTS),
        ):
            current = combo.currentData()
            combo.clear()
            combo.addItem("", "")
            for value in values:
                combo.addItem(tr(words[value], lang), value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        self._loading = False
        paper, blocked = self.paper.currentData(), self.paper.blockSignals(True)
        self.paper.clear()
        for value in PAPERS:
            self.paper.addItem(tr(texts.PAPERS[value], lang), value)
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self.paper.blockSignals(blocked)
        for s, box in self.symptoms.items():
            box.setText(messages.symptom_word(s, lang))
        self.contact.setText(tr(texts.FIELD_CONTACT, lang))
        self.zone.setText(tr(texts.FIELD_FROM_ZONE, lang))
        self.save_button.setText(tr(texts.SAVE_DECLARATION, lang))
        self.paper_label.setText(tr(texts.RECEIPT_PAPER, lang))
        self.print_button.setText(tr(texts.PRINT_AGAIN, lang))
        self.open_button.setText(tr(texts.OPEN_RECEIPT, lang))
        self._render_errors()
        self.result_label.retranslate(lang)
        self.review_page.retranslate(lang)


def _ignore(_result: object) -> None:
    """A saved draft needs no answer; a draft that could not be saved is said (on_error)."""
