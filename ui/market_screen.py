"""The market manager's screen: scan a household's card at the gate; count who is inside."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

from kiosk.catalogue import Message
from kiosk.market_gate import CardDesk, CardResult
from kiosk.privacy import mask_name, sees_personal_data
from kiosk.result import RoleResult
from kiosk.storage import Store
from kiosk.storage.markets import GateCount
from ui import texts
from ui.preview import PreviewWidget
from ui.screen import Screen, ScreenContext, beside_preview
from ui.texts import tr
from ui.theme import big_font
from ui.verdict_panel import VerdictPanel

T = TypeVar("T")


def describe_card(result: RoleResult, role: str, lang: str) -> str:
    if not isinstance(result, CardResult) or result.card is None:
        return ""
    holder = result.holder
    card_no = tr(texts.CARD_LINE, lang, card=result.card.card_id)
    if holder is None:
        return card_no
    name = holder.household_head if sees_personal_data(role) else mask_name(holder.household_head)
    return f"{name} · {card_no}"


class MarketScreen(Screen):
    name = "market"

    def __init__(self, ctx: ScreenContext, lang: str, preview: PreviewWidget | None) -> None:
        super().__init__(ctx, lang)
        self.preview = preview
        self.exit_mode = False
        self.count = GateCount(0, 0)
        self.exit_message: Message | None = None
        self.verdict = VerdictPanel(
            ctx.session.role, lang, describe_card, idle_text=texts.MARKET_WAITING
        )
        self.counter = QLabel()
        self.counter.setFont(big_font(16))
        self.mode_button = QPushButton()
        self.mode_button.setCheckable(True)
        self.mode_button.setFont(big_font(16))
        self.exit_label = QLabel()
        right = QVBoxLayout()
        right.addWidget(self.verdict, 1)
        right.addWidget(self.counter)
        right.addWidget(self.mode_button)
        right.addWidget(self.exit_label)
        beside_preview(self, preview, right)
        self.mode_button.toggled.connect(self._set_exit_mode)
        self.retranslate(lang)
        self.refresh_count()

    def _run(
        self, act: Callable[[CardDesk], T], on_result: Callable[[tuple[T, GateCount]], None]
    ) -> None:
        """Runs act on a gate of this screen's market, then reads the count, in the lane; the
        market and the operator are copied here, on the GUI thread."""
        market_id, who = self.ctx.settings.market_id, self.ctx.who

        def job(store: Store) -> tuple[T, GateCount]:
            gate = CardDesk(store, market_id=market_id, **who)
            return act(gate), gate.today()

        self.ctx.lane.run(job, on_result, self._refused)

    def handle_scan(self, text: str, source: str) -> None:
        if self.exit_mode:
            self._run(lambda gate: gate.record_exit(text), self._on_exit)
        else:
            self._run(lambda gate: gate.check_card(text, source), self._on_result)

    def handle_refusal(self, code: str) -> None:
        self._refused(code, {})

    def refresh_count(self) -> None:
        self._run(lambda _gate: None, self._on_refreshed)

    def _on_refreshed(self, outcome: tuple[None, GateCount]) -> None:
        self._on_count(outcome[1])

    def _on_count(self, count: GateCount) -> None:
        self.count = count
        self.counter.setText(
            tr(texts.MARKET_COUNT, self.lang, entered=count.entered, inside=count.inside)
        )

    def _on_result(self, outcome: tuple[CardResult, GateCount]) -> None:
        result, count = outcome
        self.verdict.show_result(result)
        self._on_count(count)
        self.log_verdict(result)

    def _on_exit(self, outcome: tuple[bool, GateCount]) -> None:
        done, count = outcome
        self.exit_message = texts.EXIT_RECORDED if done else texts.EXIT_NONE
        self.exit_label.setText(tr(self.exit_message, self.lang))
        self._on_count(count)

    def _refused(self, code: str, params: dict[str, object]) -> None:
        self.verdict.show_error(code, params)

    def _set_exit_mode(self, on: bool) -> None:
        self.exit_mode = on
        self.exit_message = None
        self.retranslate(self.lang)

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        mode = texts.MODE_EXIT if self.exit_mode else texts.MODE_ENTRY
        self.mode_button.setText(tr(mode, lang))
        self.exit_label.setText(tr(self.exit_message, lang) if self.exit_message else "")
        self.counter.setText(
            tr(texts.MARKET_COUNT, lang, entered=self.count.entered, inside=self.count.inside)
        )
        self.verdict.retranslate(lang)

