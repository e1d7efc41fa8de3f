"""Application-wide key filter: a keyboard-wedge reader's burst is a scan wherever the focus is.

The decision is scanner.wedge.WedgeDetector's; this class only moves Qt key events in and out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from scanner.wedge import WedgeAction, WedgeDetector

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# A reader presses Shift before every capital, as a keyboard does: a key press with no text
# that must neither end a burst nor reach the widget in the middle of one.
_MODIFIER_KEYS = (
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
)


class WedgeFilter(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        detector: WedgeDetector | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.detector = detector or WedgeDetector()
        self.clock = clock
        self._target: QWidget | None = None
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setInterval(int(self.detector.max_gap * 1000) + 5)
        self._timer.timeout.connect(self._tick)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        focus = QApplication.focusWidget()
        if not isinstance(obj, QWidget) or (focus is not None and obj is not focus):
            return False  # the window-level copy of the event, or one propagating to a parent
        assert isinstance(event, QKeyEvent)
        if event.key() in _MODIFIER_KEYS:
            return False
        now = self.clock()
        if event.key() in _ENTER_KEYS:
            if not self.detector.holding:
                return False
            action = self.detector.enter(now)
            self._apply(action)
            return not action.pass_enter
        text = event.text()
        if (
            len(text) != 1
            or not text.isprintable()
            or event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self._apply(self.detector.tick(now + self.detector.max_gap * 2))
            return False
        self._target = obj
        self._apply(self.detector.key(text, now))
        self._timer.start()
        return True

    def _tick(self) -> None:
        self._apply(self.detector.tick(self.clock()))
        if not self.detector.holding:
            self._timer.stop()

    def _apply(self, action: WedgeAction) -> None:
        if action.replay and self._target is not None:
            self._replaying = True
            try:
                for ch in action.replay:
                    key = ord(ch.upper()) if ch.isascii() else int(Qt.Key.Key_unknown)
                    ev = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch)
                    QCoreApplication.sendEvent(self._target, ev)
            finally:
                self._replaying = False
        if action.scan is not None:
            self.scanned.emit(action.scan)
