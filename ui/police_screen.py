"""The police officer's screen: type a plate, see whether the vehicle may enter."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import local
from kiosk.privacy import mask_name, mask_phone, sees_personal_data
from kiosk.result import RoleResult
from kiosk.scan_count import numbered
from kiosk.storage import Store
from kiosk.storage.vehicle_entries import VehicleEntryRow
from kiosk.vehicles import KINDS, VehicleDesk, VehicleResult
from ui import texts
from ui.buttons import Button
from ui.screen import Screen, ScreenContext, entry_row
from ui.texts import tr
from ui.theme import big_font
from ui.verdict_panel import VerdictPanel

OVERDUE_LINES = 6  # the overdue list in lines: its title and five vehicles, then it scrolls


def describe_vehicle(result: RoleResult, role: str, lang: str) -> str:
    if not isinstance(result, VehicleResult):
        return ""
    reg = result.registration
    if reg is None:
        kind = tr(texts.VEHICLE_KINDS[result.kind], lang) if result.kind else ""
        return f"{result.plate} · {kind}" if kind else result.plate
    kind = tr(texts.VEHICLE_KINDS[reg.kind], lang)
    driver, phone = reg.driver_name, reg.driver_phone
    if not sees_personal_data(role):
        driver, phone = mask_name(driver), mask_phone(phone)
    lines = [f"{reg.plate_display} · {kind}"]
    if reg.business:
        lines.append(reg.business)
    if driver:
        lines.append(tr(texts.DRIVER_LINE, lang, name=driver, phone=phone))
    lines.append(f"{local(reg.valid_from):%H:%M %d/%m} – {local(reg.valid_to):%H:%M %d/%m}")
    return "\n".join(lines)


# a person types a plate at 50-200 ms a key; a single answer key is followed by nothing
KIND_KEY_ALONE_MS = 400


class PoliceScreen(Screen):
    name = "police"

    def __init__(self, ctx: ScreenContext, lang: str) -> None:
        super().__init__(ctx, lang)
        self.verdict = VerdictPanel(
            ctx.session.role, lang, describe_vehicle, idle_text=texts.POLICE_WAITING
        )
        self.plate_label = QLabel()
        self.plate_entry = self.entry = QLineEdit()
        self.plate_entry.setMaxLength(20)
        self.plate_entry.setFont(big_font(24))
        self.plate_entry.installEventFilter(self)  # the kind's keys, while it is asked
        self.check_button = Button()
        self.check_button.setFont(big_font())
        self.suggestion_label = QLabel()
        self.suggestion_row = QHBoxLayout()
        self.suggestions: list[str] = []
        # an unregistered plate: the officer names its kind, one key or button each
        self.kind_label = QLabel()
        self.kind_buttons = [Button() for _ in KINDS]
        # a kind key waits this long for a next key that would make it the start of a plate
        self.kind_key = ""
        self.kind_key_timer = QTimer(self)
        self.kind_key_timer.setSingleShot(True)
        self.kind_key_timer.setInterval(KIND_KEY_ALONE_MS)
        self.kind_key_timer.timeout.connect(self._answer_kind_key)
        kind_row = QHBoxLayout()
        for key, kind, button in zip(texts.KIND_KEYS, KINDS, self.kind_buttons, strict=True):
            button.setFont(big_font(16))
            button.setObjectName(f"kind_{key}")
            button.clicked.connect(partial(self.choose_kind, kind))
            button.setVisible(False)
            kind_row.addWidget(button)
        self.asking_plate: str | None = None
        self.exit_button = Button()
        self.exit_button.clicked.connect(self.record_exit)
        # without a mouse the button was 2 to 7 Tabs away, as many as buttons showed; a
        # shortcut of a hidden screen (another tab, the lock) is not active, so no clash
        QShortcut(QKeySequence(texts.GATE_KEY), self, self.record_exit)
        self.overdue_label = QLabel()
        self.overdue_label.setWordWrap(True)
        self.overdue_label.setStyleSheet("color: #b71c1c;")
        self.overdue_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.overdue: tuple[list[object], int] = ([], 0)
        # a line a vehicle, as many as stay too long: past a few lines it scrolls, or a long
        # list makes the window taller than a laptop's screen and its status line goes under
        self.overdue_box = QScrollArea()
        self.overdue_box.setWidget(self.overdue_label)
        self.overdue_box.setWidgetResizable(True)
        self.overdue_box.setFrameShape(QFrame.Shape.NoFrame)
        self.overdue_box.viewport().setAutoFillBackground(False)  # on the tab's own background
        self.overdue_label.setAutoFillBackground(False)
        self.overdue_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overdue_box.setMaximumHeight(OVERDUE_LINES * self.fontMetrics().lineSpacing() + 4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict, 1)
        layout.addWidget(self.plate_label)
        layout.addLayout(entry_row(self.plate_entry, self.check_button, self.submit))
        layout.addWidget(self.suggestion_label)
        layout.addLayout(self.suggestion_row)
        layout.addWidget(self.kind_label)
        layout.addLayout(kind_row)
        layout.addWidget(self.exit_button)
        layout.addWidget(self.overdue_box)
        self.retranslate(lang)
        self._refresh_overdue()

    def submit(self) -> None:
        text = self.plate_entry.text().strip()
        if not text:
            return
        self._check(text, None)

    def _check(self, text: str, kind: str | None) -> None:
        who = self.ctx.who

        def check(store: Store) -> VehicleResult:
            return numbered(VehicleDesk(store, **who).check_plate(text, "typed", kind), store)

        self.ctx.lane.run(
            check,
            self._on_result,
            self._refused,
        )

    def choose_kind(self, kind: str) -> None:
        plate = self.asking_plate
        if plate is not None:
            self._ask_kind(None)  # answered once: a second key is the next plate, not an answer
            self._check(plate, kind)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
        if obj is self.plate_entry and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._kind_key_taken(event, in_field=True)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys typed at a button of this screen: the same as in the plate field."""
        if not self._kind_key_taken(event, in_field=False):
            super().keyPressEvent(event)  # Shift before a capital, Tab, shortcuts

    def _kind_key_taken(self, event: QKeyEvent, in_field: bool) -> bool:
        """While the kind is asked and the plate field is empty, a digit 1-5 pressed alone
        answers it; the same digit followed at once by more keys is the next plate being typed
        (plates start with digits: '38C…' must not answer 'coach'), so it and what follows go
        to the plate field, and the question closes. The focus stays in the plate field all
        along: a reader's burst is given back to the widget that had the focus, and keys given
        to a kind button that was then hidden were lost ('29C1' kept '29')."""
        text = event.text()
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.kind_key:
            self._answer_kind_key()  # '4' then Enter: a deliberate answer, at once
            return True
        if self.asking_plate is None or not text or not text.isprintable():
            return False
        if not self.kind_key and text in texts.KIND_KEYS and not self.plate_entry.text():
            self.kind_key = text
            self.kind_key_timer.start()
            return True
        held, self.kind_key = self.kind_key, ""
        self.kind_key_timer.stop()
        self._ask_kind(None)  # left unanswered: its attention verdict stands as recorded
        self.plate_entry.setFocus()
        self.plate_entry.insert(held)
        if in_field:
            return False  # the key itself goes on to the field, as typed
        self.plate_entry.insert(text)
        return True

    def _answer_kind_key(self) -> None:
        key, self.kind_key = self.kind_key, ""
        self.kind_key_timer.stop()
        if key:
            self.choose_kind(KINDS[texts.KIND_KEYS.index(key)])

    def _ask_kind(self, plate: str | None) -> None:
        self.asking_plate = plate
        for button in self.kind_buttons:
            button.setVisible(plate is not None)
        self.kind_label.setText(tr(texts.KIND_QUESTION, self.lang) if plate else "")
        if plate is not None:
            self.plate_entry.setFocus()  # a digit alone names the kind; a plate is a plate

    def record_exit(self) -> None:
        text = self.plate_entry.text().strip()
        if not text:
            # a click that did nothing left the officer wondering whether it was recorded; and
            # "nothing was entered" did not say what to enter
            self.verdict.show_notice(
                "error", texts.INPUT_ERROR_WORD, texts.EXIT_PLATE_MISSING, {"key": texts.GATE_KEY}
            )
            self.plate_entry.setFocus()
            return
        who = self.ctx.who

        def done(row: VehicleEntryRow | None) -> None:
            if row is None:
                self.verdict.show_error("no_open_entry", {})
                self.keep_for_correction()
            else:
                # in the panel, as the entry was: a line under the button is not read from afar;
                # the plate as its entry shows it, not as typed this time
                shown = {"plate": row.plate_display}
                self.verdict.show_notice("allow", texts.EXIT_WORD, texts.EXIT_DONE, shown)
                self.ready_for_next()  # the focus was on the button: the next plate is typed
            self._refresh_overdue()

        self.ctx.lane.run(
            lambda store: VehicleDesk(store, **who).record_exit(text), done, self._refused
        )

    def _refresh_overdue(self) -> None:
        who = self.ctx.who

        def show(found: object) -> None:
            self.overdue = found  # type: ignore[assignment]
            self._render_overdue()

        self.ctx.lane.run(
            lambda store: VehicleDesk(store, **who).overdue_freight(), show, self._refused
        )

    def _render_overdue(self) -> None:
        rows, hours = self.overdue
        lines = [
            tr(
                texts.OVERDUE_LINE,
                self.lang,
                plate=r.plate_display,  # type: ignore[attr-defined]
                since=f"{local(r.entered_at):%H:%M %d/%m}",  # type: ignore[attr-defined]
            )
            for r in rows
        ]
        title = tr(texts.OVERDUE_TITLE, self.lang, hours=hours) if rows else ""
        self.overdue_label.setText("\n".join([title, *lines]).strip())

    def _on_result(self, result: VehicleResult) -> None:
        self.verdict.show_result(result)
        self.ready_for_next()
        self._show_suggestions(list(result.suggestions))
        self._ask_kind(result.plate if result.reason == "vehicle_kind_needed" else None)
        if result.entry_id:
            self._refresh_overdue()
        self.log_verdict(result)

    def _refused(self, code: str, params: dict[str, object]) -> None:
        self.verdict.show_error(code, params)
        self._show_suggestions(list(params.get("suggestions", ())))  # type: ignore[call-overload]
        self.keep_for_correction()

    def _show_suggestions(self, plates: list[str]) -> None:
        """Registered plates one typo away: a button fills the field; the officer checks again."""
        self.suggestions = plates
        while self.suggestion_row.count():
            item = self.suggestion_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        before: QWidget = self.check_button
        for plate in plates:
            button = Button(plate)
            button.setFont(big_font(16))
            button.clicked.connect(partial(self.take_suggestion, plate))
            self.suggestion_row.addWidget(button)
            # made last, a button would come last to Tab: after the kind's buttons, where
            # Tab, Tab, Enter to reach it recorded the mistyped plate as unregistered freight
            QWidget.setTabOrder(before, button)
            before = button
        self.suggestion_row.addStretch(1)
        self.suggestion_label.setText(tr(texts.SUGGESTIONS_LABEL, self.lang) if plates else "")

    def take_suggestion(self, plate: str) -> None:
        """The officer picked a registered plate: the old verdict goes (it was about another
        plate) and Enter checks this one; nothing is accepted until checked."""
        self.verdict.clear()
        self._show_suggestions([])
        self._ask_kind(None)  # asked about the mistyped plate: 1-5 must not answer for it
        self.plate_entry.setText(plate)
        self.plate_entry.setFocus()

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.plate_label.setText(tr(texts.PLATE_LABEL, lang))
        self.plate_entry.setPlaceholderText(tr(texts.PLATE_PLACEHOLDER, lang))
        self.check_button.setText(tr(texts.CHECK_BUTTON, lang))
        self.suggestion_label.setText(tr(texts.SUGGESTIONS_LABEL, lang) if self.suggestions else "")
        for key, kind, button in zip(texts.KIND_KEYS, KINDS, self.kind_buttons, strict=True):
            button.setText(f"{key} · {tr(texts.VEHICLE_KINDS[kind], lang)}")
        self.kind_label.setText(tr(texts.KIND_QUESTION, lang) if self.asking_plate else "")
        self.exit_button.setText(f"{texts.GATE_KEY} · {tr(texts.VEHICLE_EXIT, lang)}")
        self._render_overdue()
        self.verdict.retranslate(lang)
