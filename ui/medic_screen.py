"""The medic's screen: camera preview, verdict, ID entry."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from kiosk.checker import PersonDesk, PersonResult
from kiosk.clock import start_of_local_day, utc_now
from kiosk.storage import Store
from kiosk.storage.history import DISPOSITIONS, record_disposition
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
        # what was done with the person: recorded with the check, synced as an audit row
        self.disposition_row = QHBoxLayout()
        self.disposition_buttons = {d: QPushButton() for d in DISPOSITIONS}
        for name, button in self.disposition_buttons.items():
            button.setEnabled(False)
            button.clicked.connect(partial(self.record_disposition, name))
            self.disposition_row.addWidget(button)
        self.disposition_label = QLabel()
        self.disposition: str | None = None
        self.last_event_id: str | None = None
        right.addLayout(self.disposition_row)
        right.addWidget(self.disposition_label)
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

    def record_disposition(self, name: str) -> None:
        event_id, operator = self.last_event_id, self.ctx.session.operator_id
        if event_id is None:
            return
        self.ctx.lane.run(
            lambda store: record_disposition(
                store.engine, event_id, name, operator, "medic", utc_now()
            ),
            lambda _r: self._disposed(name),
            self._refused,
        )

    def _disposed(self, name: str) -> None:
        self.disposition = name
        self._render_disposition()
        self.focus_back()

    def focus_back(self) -> None:
        self.id_entry.setFocus()

    def _render_disposition(self) -> None:
        what = tr(texts.DISPOSITIONS[self.disposition], self.lang) if self.disposition else ""
        self.disposition_label.setText(
            tr(texts.DISPOSITION_RECORDED, self.lang, what=what) if what else ""
        )

    def _run(self, job: Callable[[Store], tuple[PersonResult, int]]) -> None:
        self.ctx.lane.run(job, self._on_result, self._refused)

    def _on_result(self, outcome: tuple[PersonResult, int]) -> None:
        result, self.scans_today = outcome
        self.verdict.show_result(result)
        self.last_event_id, self.disposition = result.event_id or None, None
        for button in self.disposition_buttons.values():
            button.setEnabled(self.last_event_id is not None)
        self._render_disposition()
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
        for name, button in self.disposition_buttons.items():
            button.setText(tr(texts.DISPOSITIONS[name], lang))
        self._render_disposition()
        self.verdict.retranslate(lang)


def _checked(result: PersonResult, store: Store) -> tuple[PersonResult, int]:
    """The result and today's scan count, both read in the lane."""
    return result, store.scans_since(start_of_local_day(result.checked_at))
