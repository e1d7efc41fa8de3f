"""The assistant's screen: an assisted declaration ("khai hộ") for a person without a
smartphone. What is typed is saved as a draft as it is typed; saving queues the declaration and
writes the receipt PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk import messages
from kiosk.assisted import DeclarationDesk, DeclarationResult
from kiosk.declaration_form import FIELDS, PROVINCES, TRANSPORT
from kiosk.receipts import receipt_spool
from kiosk.rules import SYMPTOMS
from kiosk.storage import Store
from ui import texts
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


class AssistantScreen(Screen):
    name = "assistant"

    def __init__(self, ctx: ScreenContext, lang: str) -> None:
        super().__init__(ctx, lang)
        self.texts = {name: QLineEdit() for name in TEXT_FIELDS}
        self.sex = QComboBox()
        self.province = QComboBox()
        self.province.addItem("")
        self.province.addItems(list(PROVINCES))
        self.transport = QComboBox()
        self.symptoms = {s: QCheckBox() for s in SYMPTOMS}
        self.contact = QCheckBox()
        self.zone = QCheckBox()  # came from an epidemic zone: quarantine at once (82 III.4.b)
        self.errors_shown: dict[str, str] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.field_labels: dict[str, QLabel] = {}
        self.save_button = QPushButton()
        self.save_button.setFont(big_font(16))
        self.result_label = SaidLabel(lang)
        self.open_button = QPushButton()
        self.open_button.setEnabled(False)
        self.last: DeclarationResult | None = None
        self._loading = False
        self._touched = False  # typed into before the draft arrived: the draft must not win
        self._build()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        for widget in self.texts.values():
            widget.textEdited.connect(self._changed)
        for combo in (self.sex, self.province, self.transport):
            combo.currentIndexChanged.connect(self._changed)
        for box in (*self.symptoms.values(), self.contact, self.zone):
            box.toggled.connect(self._changed)
        self.save_button.clicked.connect(self.submit)
        self.open_button.clicked.connect(self._open_receipt)
        self.retranslate(lang)
        desk = self._desk()
        self.ctx.lane.run(lambda store: desk(store).draft(), self._fill, self._refused)

    def _build(self) -> None:
        form = QFormLayout()
        order = [
            f for f in FIELDS if f not in ("symptoms", "contact_with_case", "from_epidemic_zone")
        ]
        widgets = {
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
        side.addWidget(self.result_label)
        side.addWidget(self.open_button)
        side.addStretch(1)
        body = QHBoxLayout(self)
        body.addWidget(scroll, 3)
        body.addLayout(side, 1)

    def _desk(self) -> Callable[[Store], DeclarationDesk]:
        """The desk for a job, from values copied here on the GUI thread."""
        receipts_dir, who = receipt_spool(self.ctx.data_dir), self.ctx.who
        return lambda store: DeclarationDesk(store, receipts_dir=receipts_dir, **who)

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

    def submit(self) -> None:
        self._draft_timer.stop()
        form, desk = self.form(), self._desk()
        self.ctx.lane.run(lambda store: desk(store).submit(form), self._on_submitted, self._refused)

    def _on_submitted(self, outcome: tuple[DeclarationResult | None, dict[str, str]]) -> None:
        submitted, errors = outcome
        self.errors_shown = errors
        self._render_errors()
        if submitted is None:
            return
        self.last = submitted
        self.open_button.setEnabled(True)
        self._loading = True
        for widget in self.texts.values():
            widget.clear()
        for combo in (self.sex, self.province, self.transport):
            combo.setCurrentIndex(0)
        for box in (*self.symptoms.values(), self.contact, self.zone):
            box.setChecked(False)
        self._loading = False
        self._render_result()
        self.ctx.event_log.write("assisted_declaration", receipt=submitted.queued.receipt_no)

    def _refused(self, code: str, params: dict[str, object]) -> None:
        self.result_label.say(lambda lang: messages.error_text(code, lang, **params))

    def _render_errors(self) -> None:
        for name, label in self.error_labels.items():
            code = self.errors_shown.get(name)
            label.setText(messages.error_text(code, self.lang) if code else "")

    def _render_result(self) -> None:
        if self.last is None:
            self.result_label.say(None)
            return
        self.result_label.say(self.last.message)

    def _open_receipt(self) -> None:
        if self.last is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.last.receipt))))

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
        for s, box in self.symptoms.items():
            box.setText(messages.symptom_word(s, lang))
        self.contact.setText(tr(texts.FIELD_CONTACT, lang))
        self.zone.setText(tr(texts.FIELD_FROM_ZONE, lang))
        self.save_button.setText(tr(texts.SAVE_DECLARATION, lang))
        self.open_button.setText(tr(texts.OPEN_RECEIPT, lang))
        self._render_errors()
        self.result_label.retranslate(lang)


def _ignore(_result: object) -> None:
    """A saved draft needs no answer; a draft that could not be saved is said (on_error)."""
