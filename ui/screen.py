"""What every role's screen shares: who is signed in, the database lane, the language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QLineEdit, QPushButton, QWidget

from kiosk.auth import Session
from kiosk.eventlog import EventLog
from kiosk.result import RoleResult
from kiosk.settings import Settings
from kiosk.storage import Store
from ui import texts
from ui.buttons import Button
from ui.lanes import DatabaseLane
from ui.texts import tr
from ui.theme import big_font
from ui.verdict_panel import FAULTS, VerdictPanel

# a scan's whole work on the database lane: recorded through the core, its outcome returned
ScanJob = Callable[[Store], object]


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
    # what the screen checks is about to change (the market's entry/exit mode): camera reads
    # waiting for it were read for the old check, and are recorded as such now (ui.kiosk_window)
    check_changing = Signal()

    def __init__(self, ctx: ScreenContext, lang: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.lang = lang
        # a camera read waiting behind a held verdict: said, and shown at a click (held_row)
        self.waiting_label: QLabel | None = None
        self.show_waiting_button: QPushButton | None = None
        self.waiting = 0

    def held_row(self) -> QHBoxLayout:
        """The line under a verdict that says a camera read waits for it, with its Show now
        button: the same on every screen whose verdicts are held."""
        self.waiting_label = QLabel()
        self.waiting_label.setWordWrap(True)
        self.waiting_label.setStyleSheet("color: #0d47a1; font-weight: bold;")
        self.show_waiting_button = Button()
        # as big as the screen's other buttons: pressed by a finger on a touch screen
        self.show_waiting_button.setFont(big_font())
        self.show_waiting_button.clicked.connect(self.show_waiting)
        row = QHBoxLayout()
        for widget in (self.waiting_label, self.show_waiting_button):
            # the line comes and goes without moving the verdict or the buttons under it
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
            widget.setVisible(False)
        row.addWidget(self.waiting_label, 1)
        row.addWidget(self.show_waiting_button)
        return row

    def show_waiting(self) -> None:
        """The operator is done with the verdict on screen: the camera's read is shown now."""
        if self.verdict is not None:
            self.verdict.let_go()
        self.focus_back()

    def focus_back(self) -> None:
        if self.entry is not None:
            self.entry.setFocus()

    def hold_for_reading(self) -> None:
        """What the operator typed, and its verdict or input error, is read before anything
        else: the camera's next read waits (ui.kiosk_window) until the operator acts or
        `typed_verdict_hold_seconds` pass."""
        if self.verdict is not None:
            self.verdict.keep(self.ctx.settings.typed_verdict_hold_seconds)

    def show_error(self, code: str, params: dict[str, object], typed: bool = False) -> None:
        """A refusal in the verdict panel. An error in what the operator typed is held as a
        typed verdict is (they read it and fix the input); a code the camera read wrongly (a
        bank's QR, a torn one) and a fault of the machine as any verdict: the person at the
        camera shows the right code, and it must not wait behind the wrong one's error."""
        if self.verdict is None:
            return
        self.verdict.show_error(code, params)
        if typed and code not in FAULTS:
            self.hold_for_reading()

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

    def scan_job(self, text: str, source: str) -> ScanJob | None:
        """The lane job handle_scan runs for this code, with what it needs copied now: the
        window runs it alone for a read that is recorded but never shown (None: no scans)."""
        return None

    def recorded_unseen(self, outcome: object) -> None:
        """What scan_job returned for a read recorded but never shown (ui.kiosk_window): the
        screen's counts follow it now, as they follow a scan shown."""

    def handle_refusal(self, code: str) -> None:
        """A code that is no text at all."""

    def scans_waiting(self, count: int) -> None:
        """How many camera reads wait for the verdict on screen to be let go (the window holds
        them); a screen with a held_row says so."""
        self.waiting = count
        for widget in (self.waiting_label, self.show_waiting_button):
            if widget is not None:
                widget.setVisible(count > 0)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        if self.waiting_label is not None and self.show_waiting_button is not None:
            self.waiting_label.setText(tr(texts.CAMERA_CODE_WAITING, lang))
            self.show_waiting_button.setText(tr(texts.SHOW_WAITING_NOW, lang))

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
