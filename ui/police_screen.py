"""The police officer's screen: type a plate, see whether the vehicle may enter."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from kiosk.clock import local
from kiosk.privacy import mask_name, mask_phone, sees_personal_data
from kiosk.result import RoleResult
from kiosk.vehicles import VehicleDesk, VehicleResult
from ui import texts
from ui.screen import Screen, ScreenContext, entry_row
from ui.texts import tr
from ui.theme import big_font
from ui.verdict_panel import VerdictPanel


def describe_vehicle(result: RoleResult, role: str, lang: str) -> str:
    if not isinstance(result, VehicleResult):
        return ""
    reg = result.registration
    if reg is None:
        return result.plate
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
        self.check_button = QPushButton()
        self.check_button.setFont(big_font())
        self.suggestion_label = QLabel()
        self.suggestion_row = QHBoxLayout()
        self.suggestions: list[str] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict, 1)
        layout.addWidget(self.plate_label)
        layout.addLayout(entry_row(self.plate_entry, self.check_button, self.submit))
        layout.addWidget(self.suggestion_label)
        layout.addLayout(self.suggestion_row)
        self.retranslate(lang)

    def submit(self) -> None:
        text = self.plate_entry.text().strip()
        if not text:
            return
        who = self.ctx.who
        self.ctx.lane.run(
            lambda store: VehicleDesk(store, **who).check_plate(text, "typed"),
            self._on_result,
            self._refused,
        )

    def _on_result(self, result: VehicleResult) -> None:
        self.verdict.show_result(result)
        self.ready_for_next()
        self._show_suggestions(list(result.suggestions))
        self.ctx.event_log.write(
            "verdict",
            screen="police",
            verdict=result.verdict.value,
            reason=result.reason,
            event_id=result.event_id,
        )

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
        for plate in plates:
            button = QPushButton(plate)
            button.setFont(big_font(16))
            button.clicked.connect(partial(self.take_suggestion, plate))
            self.suggestion_row.addWidget(button)
        self.suggestion_row.addStretch(1)
        self.suggestion_label.setText(tr(texts.SUGGESTIONS_LABEL, self.lang) if plates else "")

    def take_suggestion(self, plate: str) -> None:
        """The officer picked a registered plate: the old verdict goes (it was about another
        plate) and Enter checks this one; nothing is accepted until checked."""
        self.verdict.clear()
        self._show_suggestions([])
        self.plate_entry.setText(plate)
        self.plate_entry.setFocus()

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.plate_label.setText(tr(texts.PLATE_LABEL, lang))
        self.plate_entry.setPlaceholderText(tr(texts.PLATE_PLACEHOLDER, lang))
        self.check_button.setText(tr(texts.CHECK_BUTTON, lang))
        self.suggestion_label.setText(tr(texts.SUGGESTIONS_LABEL, lang) if self.suggestions else "")
        self.verdict.retranslate(lang)
