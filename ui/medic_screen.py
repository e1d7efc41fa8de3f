"""The medic's screen: camera preview, verdict, ID entry."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout

from kiosk.checker import PersonDesk, PersonResult
from kiosk.clock import start_of_local_day
from kiosk.storage import Store
from ui import texts
from ui.preview import PreviewWidget
from ui.screen import Screen, ScreenContext, beside_preview, entry_row
from ui.texts import tr
from ui.theme import big_font
from ui.verdict_panel import VerdictPanel


class MedicScreen(Screen):
    name = "medic"

    def __init__(self, ctx: ScreenContext, lang: str, preview: PreviewWidget | None) -> None:
        super().__init__(ctx, lang)
        self.preview = preview
        self.verdict = VerdictPanel(ctx.session.role, lang)
        self.id_label = QLabel()
        self.id_entry = self.entry = QLineEdit()
        self.id_entry.setMaxLength(20)
        self.id_entry.setFont(big_font())
        self.check_button = QPushButton()
        self.check_button.setFont(big_font())
        self.counter = QLabel()
        self.scans_today = 0
        right = QVBoxLayout()
        right.addWidget(self.verdict, 1)
        right.addWidget(self.id_label)
        right.addLayout(entry_row(self.id_entry, self.check_button, self.submit_typed))
        right.addWidget(self.counter)
        beside_preview(self, preview, right)
        self.retranslate(lang)

    def handle_scan(self, text: str, source: str) -> None:
        who = self.ctx.who
        self._run(
            lambda store: _checked(PersonDesk(store, **who).check_payload(text, source), store)
        )

    def handle_refusal(self, code: str) -> None:
        self._refused(code, {})

    def submit_typed(self) -> None:
        text = self.id_entry.text().strip()
        if text:
            who = self.ctx.who
            self._run(
                lambda store: _checked(PersonDesk(store, **who).check_id(text, "typed"), store)
            )

    def _run(self, job: Callable[[Store], tuple[PersonResult, int]]) -> None:
        self.ctx.lane.run(job, self._on_result, self._refused)

    def _on_result(self, outcome: tuple[PersonResult, int]) -> None:
        result, self.scans_today = outcome
        self.verdict.show_result(result)
        if result.payload_kind == "typed_id":
            self.ready_for_next()
        self.counter.setText(tr(texts.SCANS_TODAY, self.lang, count=self.scans_today))
        self.ctx.event_log.write(
            "verdict",
            screen="medic",
            verdict=result.verdict.value,
            reason=result.reason,
            kind=result.payload_kind,
            event_id=result.event_id,
        )

    def _refused(self, code: str, params: dict[str, object]) -> None:
        self.verdict.show_error(code, params)
        if self.id_entry.text():
            self.keep_for_correction()
        self.ctx.event_log.write("refused", screen="medic", code=code)

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.id_label.setText(tr(texts.ID_LABEL, lang))
        self.id_entry.setPlaceholderText(tr(texts.ID_PLACEHOLDER, lang))
        self.check_button.setText(tr(texts.CHECK_BUTTON, lang))
        self.counter.setText(tr(texts.SCANS_TODAY, lang, count=self.scans_today))
        self.verdict.retranslate(lang)


def _checked(result: PersonResult, store: Store) -> tuple[PersonResult, int]:
    """The result and today's scan count, both read in the lane."""
    return result, store.scans_since(start_of_local_day(result.checked_at))
