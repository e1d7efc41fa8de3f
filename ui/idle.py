"""Signs a forgotten session out: the laptop is shared, and a medic's screen shows full names."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = (
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
)


class IdleWatcher(QObject):
    """Emits `idle` after `minutes` with no key, click or scan; any of them starts it again."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.idle)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def touch(self) -> None:
        if self.timer.isActive():
            self.timer.start()

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() in _ACTIVITY:
            self.touch()
        return False
