"""What every role's screen shares: who is signed in, the database lane, the language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLayout, QLineEdit, QPushButton, QWidget

from kiosk.auth import Session
from kiosk.eventlog import EventLog
from kiosk.result import RoleResult
from kiosk.settings import Settings
from ui.lanes import DatabaseLane
from ui.verdict_panel import VerdictPanel


@dataclass(frozen=True)
class ScreenContext:
    session: Session
    settings: Settings
    lane: DatabaseLane
    event_log: EventLog
    data_dir: Path

    @property
    def who(self) -> dict[str, str]:
        return {
            "checkpoint_id": self.settings.checkpoint_id,
            "operator_id": self.session.operator_id,
        }


class Screen(QWidget):
    """A role's screen. Scans reach the screen in front through handle_scan."""

    name = ""
    # the field typing goes to, focused when the screen opens and after each verdict
    entry: QLineEdit | None = None
    verdict: VerdictPanel | None = None  # the screen's verdict, when it shows one

    def __init__(self, ctx: ScreenContext, lang: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.lang = lang

    def ready_for_next(self) -> None:
        """After a verdict: the field emptied and focused, for the next person."""
        if self.entry is not None:
            self.entry.clear()
            self.entry.setFocus()

    def keep_for_correction(self) -> None:
        """After a refusal of what was typed: the text stays, selected, so the operator fixes it
        or types over it; never appended to."""
        if self.entry is not None:
            self.entry.setFocus()
            self.entry.selectAll()

    @property
    def takes_scans(self) -> bool:
        """Whether a scan is work done at this screen (and so keeps the session open)."""
        return type(self).handle_scan is not Screen.handle_scan

    def handle_scan(self, text: str, source: str) -> None:
        """A code from the camera or a reader; screens that take none ignore it."""

    def handle_refusal(self, code: str) -> None:
        """A code that is no text at all."""

    def scans_waiting(self, count: int) -> None:
        """How many camera reads wait for the verdict on screen to be let go (the window holds
        them); a screen that says so shows it."""

    def retranslate(self, lang: str) -> None:
        self.lang = lang

    def log_verdict(self, result: RoleResult, **extra: object) -> None:
        """The event log's line for a verdict this screen shows."""
        self.ctx.event_log.write(
            "verdict",
            screen=self.name,
            verdict=result.verdict.value,
            reason=result.reason,
            **extra,
            event_id=result.event_id,
        )


def beside_preview(screen: QWidget, preview: QWidget | None, side: QLayout) -> None:
    """The camera picture on the left (when there is a camera), the screen's panel on the
    right: the medic's and the market manager's screens look alike on purpose."""
    body = QHBoxLayout(screen)
    if preview is not None:
        body.addWidget(preview, 3)
    panel = QWidget()
    panel.setLayout(side)
    panel.setMinimumWidth(460)
    body.addWidget(panel, 2)


def entry_row(entry: QLineEdit, button: QPushButton, submit: Callable[[], None]) -> QHBoxLayout:
    """A field and its button that both submit: Enter or a click does the same."""
    row = QHBoxLayout()
    row.addWidget(entry, 1)
    row.addWidget(button)
    entry.returnPressed.connect(submit)
    button.clicked.connect(submit)
    return row
