"""The market manager's screen: scan a household's card at the gate; count who is inside."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from kiosk.market_gate import CardDesk, CardExit, CardResult
from kiosk.privacy import mask_name, sees_personal_data
from kiosk.result import RoleResult
from kiosk.scan_count import numbered
from kiosk.storage import Store
from kiosk.storage.markets import CardRow, GateCount
from ui import texts
from ui.buttons import Button
from ui.preview import PreviewWidget
from ui.screen import Screen, ScreenContext, beside_preview, entry_row
from ui.texts import tr
from ui.theme import big_font
from ui.verdict_panel import VerdictPanel

T = TypeVar("T")


def describe_card(result: RoleResult, role: str, lang: str) -> str:
    if not isinstance(result, CardResult):
        return ""
    holder = result.holder
    card_id = result.card.card_id if result.card else holder.card_id if holder else None
    return card_line(card_id, holder, role, lang)


def card_line(card_id: int | None, holder: CardRow | None, role: str, lang: str) -> str:
    """The household and card number, on one line, masked for the role: entry and exit alike."""
    if card_id is None:
        return ""
    card_no = tr(texts.CARD_LINE, lang, card=card_id)
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
        self.verdict = VerdictPanel(
            ctx.session.role,
            lang,
            describe_card,
            idle_text=texts.MARKET_WAITING,
            number_text=texts.MARKET_SCAN_NUMBER,
        )
        self.counter = QLabel()
        self.counter.setFont(big_font(16))
        self.mode_button = Button()
        self.mode_button.setCheckable(True)
        self.mode_button.setFont(big_font(16))
        # exit mode must not pass for entry mode at a glance: a coloured banner says which
        self.banner = QLabel()
        self.banner.setFont(big_font(18))
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # at 1366x768 the English banner and a busy day's count are wider than the panel:
        # on two lines, rather than cut at both ends
        self.banner.setWordWrap(True)
        self.counter.setWordWrap(True)
        self.card_label = QLabel()
        self.card_entry = self.entry = QLineEdit()
        self.card_entry.setMaxLength(14)
        self.card_entry.setFont(big_font())
        self.card_button = Button()
        self.card_button.setFont(big_font())
        right = QVBoxLayout()
        right.addWidget(self.banner)
        right.addWidget(self.verdict, 1)
        right.addLayout(self.held_row())
        right.addWidget(self.card_label)
        right.addLayout(entry_row(self.card_entry, self.card_button, self.submit_typed))
        right.addWidget(self.counter)
        right.addWidget(self.mode_button)
        beside_preview(self, preview, right)
        self.mode_button.toggled.connect(self._set_exit_mode)
        # the switch had no key: a keyboard-only manager reached it by Tab, then Tab back
        QShortcut(QKeySequence(texts.GATE_KEY), self, self.mode_button.toggle)
        self.retranslate(lang)
        self.refresh_count()

    def _job(self, act: Callable[[CardDesk], T]) -> Callable[[Store], tuple[T, GateCount]]:
        """act on a gate of this screen's market, then the count, as a lane job; the market and
        the operator are copied here, on the GUI thread."""
        market_id, who = self.ctx.settings.market_id, self.ctx.who

        def job(store: Store) -> tuple[T, GateCount]:
            gate = CardDesk(store, market_id=market_id, **who)
            return act(gate), gate.today()

        return job

    def _run(
        self, act: Callable[[CardDesk], T], on_result: Callable[[tuple[T, GateCount]], None]
    ) -> None:
        self.ctx.lane.run(self._job(act), on_result, self._refused)

    def handle_scan(self, text: str, source: str) -> None:
        on_result = self._on_exit if self.exit_mode else self._on_result
        self.ctx.lane.run(self.scan_job(text, source), on_result, self._refused)  # type: ignore[arg-type]

    def scan_job(self, text: str, source: str) -> Callable[[Store], tuple[object, GateCount]]:
        """An exit in exit mode, else a card's check at the gate: the mode of the moment."""
        if self.exit_mode:
            return self._job(lambda gate: gate.record_exit(text))
        return self._job(lambda gate: numbered(gate.check_card(text, source), gate.store))

    def submit_typed(self) -> None:
        """A card number typed by hand: checked as far as the cache can (see check_card_number)."""
        text = self.card_entry.text().strip()
        if not text:
            return
        if self.exit_mode:
            self._run(lambda gate: gate.record_exit(text), self._on_typed_exit)
        else:
            self._run(
                lambda gate: numbered(gate.check_card_number(text, "typed"), gate.store),
                self._on_result,
            )

    def handle_refusal(self, code: str) -> None:
        self._refused(code, {})

    def recorded_unseen(self, outcome: object) -> None:
        _entry_or_exit, count = cast(tuple[object, GateCount], outcome)  # scan_job's
        self._on_count(count)

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
        if result.source == "typed":
            # typed by hand: the manager reads it, as the medic reads a typed look-up
            self.hold_for_reading()
            self.ready_for_next()
        self._on_count(count)
        self.log_verdict(result)

    def _on_exit(self, outcome: tuple[CardExit, GateCount]) -> None:
        out, count = outcome
        role = self.ctx.session.role

        def which(lang: str) -> str:  # the card that went out, as its entry named it
            return card_line(out.card_id, out.holder, role, lang)

        # the panel, not a line under the buttons: an exit is read from as far as an entry
        if out.done:
            self.verdict.show_notice("allow", texts.EXIT_WORD, texts.EXIT_RECORDED, detail=which)
        else:  # nothing recorded: the card's entry was not scanned, or it left already
            self.verdict.show_notice(
                "attention", texts.EXIT_NONE_WORD, texts.EXIT_NONE, detail=which
            )
        if self.card_entry.text():
            self.ready_for_next()
        self._on_count(count)

    def _on_typed_exit(self, outcome: tuple[CardExit, GateCount]) -> None:
        self._on_exit(outcome)
        # typed by hand: read before the camera's next card, as a typed entry is
        self.hold_for_reading()

    def _refused(self, code: str, params: dict[str, object]) -> None:
        typed = bool(self.card_entry.text())
        self.show_error(code, params, typed=typed)
        if typed:
            self.keep_for_correction()
        # as the medic's screen logs it, and as a refusal recorded unseen is logged
        self.ctx.event_log.write("refused", screen="market", code=code)

    def _set_exit_mode(self, on: bool) -> None:
        self.check_changing.emit()  # a card read at the entry is an entry, whenever shown
        self.exit_mode = on
        # the verdict on screen was about a card checked in the other mode: gone, so a red DENY
        # from entry mode is not read as the answer to the next person going out
        self.verdict.clear()
        self.retranslate(self.lang)
        self.card_entry.setFocus()  # a click on the mode button must not keep the typing

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        mode = texts.MODE_EXIT if self.exit_mode else texts.MODE_ENTRY
        self.mode_button.setText(f"{texts.GATE_KEY} · {tr(mode, lang)}")
        self.banner.setText(tr(texts.EXIT_BANNER if self.exit_mode else texts.ENTRY_BANNER, lang))
        colours = "#0d47a1; color: #ffffff" if self.exit_mode else "#e8f5e9; color: #1b5e20"
        self.banner.setStyleSheet(f"background: {colours}; padding: 10px; border-radius: 8px;")
        self.setStyleSheet("MarketScreen { background: #bbdefb; }" if self.exit_mode else "")
        self.card_label.setText(tr(texts.CARD_NUMBER_LABEL, lang))
        self.card_entry.setPlaceholderText(tr(texts.CARD_NUMBER_PLACEHOLDER, lang))
        self.card_button.setText(tr(texts.CHECK_BUTTON, lang))
        self.counter.setText(
            tr(texts.MARKET_COUNT, lang, entered=self.count.entered, inside=self.count.inside)
        )
        self.verdict.retranslate(lang)
