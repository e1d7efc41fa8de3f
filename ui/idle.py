"""Signs a forgotten session out: the laptop is shared, and a medic's screen shows full names."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = (
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
)


class IdleWatcher(QObject):
    """Emits `idle` after `minutes` with no key, click or scan; any of them starts it again.

    Activity only notes the time (a key press costs no timer restart); the timer wakes when the
    quiet could be over and `check` decides by the clock, which tests replace.
    """

    idle = Signal()

    def __init__(
        self,
        minutes: float,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.seconds = minutes * 60
        self.clock = clock
        self._last = 0.0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)

    @property
    def watching(self) -> bool:
        return self.timer.isActive()

    def start(self) -> None:
        self._last = self.clock()
        self._arm(self.seconds)

    def stop(self) -> None:
        self.timer.stop()

    def touch(self) -> None:
        if self.timer.isActive():
            self._last = self.clock()

    def check(self) -> None:
        """Signs out if the quiet has lasted long enough, else sleeps for what is left."""
        left = self._last + self.seconds - self.clock()
        if left <= 0:
            self.timer.stop()
            self.idle.emit()
        else:
            self._arm(left)

    def _arm(self, seconds: float) -> None:
        self.timer.start(max(1, int(seconds * 1000)))

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() in _ACTIVITY:
            self.touch()
        return False
