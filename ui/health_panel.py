"""The supervisor's view of the data directory's health (kiosk/health.py decides and words it):
one line per finding, red where there is something to do, and the two things a supervisor can
do from here: check again, back up now. Both run on the database lane."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk import messages
from kiosk.catalogue import gettext_noop
from kiosk.health import Health, check_health
from kiosk.storage import Store
from ui.buttons import Button
from ui.screen import ScreenContext
from ui.texts import tr

HEALTH_TITLE = gettext_noop("Data directory")
HEALTH_CHECKING = gettext_noop("Checking the data directory…")
HEALTH_CHECK = gettext_noop("Check again")
BACKUP_NOW = gettext_noop("Back up now")

TOPICS = ("disk", "database", "backup", "encryption", "sync")
STYLES = {
    "ok": "color: #1b5e20; padding: 2px 6px;",
    "act": "background: #c62828; color: #ffffff; font-weight: bold; padding: 2px 6px;",
}
MARKS = {"ok": "✓", "act": "⚠"}


class HealthPanel(QWidget):
    def __init__(self, ctx: ScreenContext, lang: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.lang = lang
        self.health: Health | None = None
        self.problem = ""  # the lane's refusal, worded
        self.title = QLabel()
        self.lines = {topic: QLabel() for topic in TOPICS}
        self.message = QLabel()  # a check or a backup the lane refused
        self.message.setWordWrap(True)
        self.check_button = Button()
        self.backup_button = Button()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        for label in self.lines.values():
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.check_button.clicked.connect(self.refresh)
        self.backup_button.clicked.connect(self.back_up)
        self.retranslate(lang)

    def refresh(self) -> None:
        """quick_check reads every page: on the lane, never on the window's thread."""
        self.check_button.setEnabled(False)
        self.ctx.lane.run(check_health, self._show, self._refused)

    def back_up(self) -> None:
        def job(store: Store) -> tuple[str, Health]:
            return store.backup().name, check_health(store)

        def done(result: tuple[str, Health]) -> None:
            self.ctx.event_log.write("backup", file=result[0], operator=operator)
            self._show(result[1])

        def failed(code: str, params: dict[str, object]) -> None:
            # the same event as the hourly backup's failure (KioskWindow.backup), with who asked
            self.ctx.event_log.write("backup_failed", error=code, operator=operator)
            self._refused(code, params)

        operator = self.ctx.session.operator_id
        self.backup_button.setEnabled(False)
        self.ctx.lane.run(job, done, failed)

    def _show(self, health: Health) -> None:
        self.health, self.problem = health, ""
        self._render()

    def _refused(self, code: str, params: dict[str, object]) -> None:
        self.problem = messages.error_text(code, self.lang, **params)
        self._render()

    def state(self, topic: str) -> str:
        return self.lines[topic].property("state") or ""

    def _render(self) -> None:
        self.check_button.setEnabled(True)
        self.backup_button.setEnabled(True)
        self.message.setText(self.problem)
        self.message.setStyleSheet(STYLES["act"] if self.problem else "")
        if self.health is None:
            self.lines[TOPICS[0]].setText("" if self.problem else tr(HEALTH_CHECKING, self.lang))
            return
        for line in self.health.lines(self.lang):
            label = self.lines[line.topic]
            label.setText(f"{MARKS[line.state]} {line.text}")
            label.setStyleSheet(STYLES[line.state])
            label.setProperty("state", line.state)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(tr(HEALTH_TITLE, lang))
        self.check_button.setText(tr(HEALTH_CHECK, lang))
        self.backup_button.setText(tr(BACKUP_NOW, lang))
        self._render()
