"""Application-wide key filter: a keyboard-wedge reader's burst is a scan wherever the focus is.

The timing decision is scanner.wedge.WedgeDetector's; this class only moves Qt key events in and
out. Timing alone cannot tell a fast typist (or keys queued while the window was busy) from a
reader, so a burst becomes a scan only when the screen in front takes scans and the text is a
code; anything else goes back to the focused field with its Enter, as typing: never dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kiosk.errors import InputError
from kiosk.payloads import classify
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


def is_code(text: str) -> bool:
    """A code a reader reads (a signed token, an HC1, a CCCD or personal QR), not words a person
    types: an ID number or a plate typed fast is typing, and the field it was typed in checks it."""
    try:
        return classify(text).kind != "typed_id"
    except InputError:
        return False


class WedgeFilter(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        detector: WedgeDetector | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
        wants_scans: Callable[[], bool] = lambda: True,
        typing_field: Callable[[], QWidget | None] = lambda: None,
        accepts: Callable[[str], bool] = is_code,
    ) -> None:
        super().__init__(parent)
        self.detector = detector or WedgeDetector()
        self.clock = clock
        self.wants_scans = wants_scans
        self.typing_field = typing_field
        self.accepts = accepts  # a burst that is a scan here (the setup wizard takes any text)
        self._target: QWidget | None = None
        self._replaying = False
        self._held_releases = 0  # releases of held presses still to come: swallowed
        self._timer = QTimer(self)
        self._timer.setInterval(int(self.detector.max_gap * 1000) + 5)
        self._timer.timeout.connect(self._tick)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
        if (
            not self._replaying
            and event.type() == QEvent.Type.KeyRelease
            and self._held_releases
            and isinstance(event, QKeyEvent)
            and len(event.text()) == 1
        ):
            # the release of a held key: given back with its press, in order (a checkbox
            # toggles on the release of Space, which used to arrive before its press)
            self._held_releases -= 1
            return True
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and not self._replaying
            and self.detector.holding
            and isinstance(event, QKeyEvent)
            and event.key() not in _MODIFIER_KEYS
            and event.key() not in _ENTER_KEYS  # a burst's end: its key press decides
            and not _is_text(event)
        ):
            # a shortcut (F2, Ctrl+L) fires before its key press reaches this filter: the keys
            # typed just before it reach their field first, as typed ("75C-123.45" then F2
            # recorded the exit of an empty field)
            self._apply(self.detector.tick(self.clock() + self.detector.max_gap * 2))
            return False
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        focus = QApplication.focusWidget()
        if self.detector.holding and _in_open_list(obj):
            assert isinstance(event, QKeyEvent)
            return self._at_open_list(event)
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
            if action.scan is not None and not (self.wants_scans() and self.accepts(action.scan)):
                # when in doubt it is typing: the field gets its keys and its Enter
                action = WedgeAction(replay=list(action.scan), pass_enter=True)
                field = self.typing_field()
                if not _takes_text(obj) and field is not None:
                    # keys typed at a button would be lost: the screen's own field takes them
                    field.setFocus()
                    self._target = field
                    self._apply(action)
                    QCoreApplication.sendEvent(field, _key(Qt.Key.Key_Return, "\r"))
                    return True
            self._apply(action)
            if action.pass_enter:
                focus = QApplication.focusWidget()
                if focus is not None and focus is not obj:
                    # a key given back moved the focus: the Enter follows it, as typed
                    QCoreApplication.sendEvent(focus, _key(Qt.Key.Key_Return, "\r"))
                    return True
            return not action.pass_enter
        if not _is_text(event):
            self._apply(self.detector.tick(now + self.detector.max_gap * 2))
            return False
        self._target = obj
        self._hold(event)
        return True

    def _at_open_list(self, event: QKeyEvent) -> bool:
        """A key that reached a completer's list while keys typed at its field are held. The
        list opens at a letter given back and takes the keyboard; it hands the next letters to
        the field at once, ahead of the held ones ('market' came out 'makret' at sign-in), and
        its Enter before them. A letter is held with them, in order; any other key lets them go
        first, as typing."""
        if _is_text(event):
            self._hold(event)
            return True
        if event.key() not in _MODIFIER_KEYS:
            self._apply(self.detector.tick(float("inf")))
        return False

    def _hold(self, event: QKeyEvent) -> None:
        """A typed key held with the others (a reader's burst, or typing: the gap will say);
        its release is swallowed, to be given back with it."""
        self._apply(self.detector.key(event.text(), self.clock()))
        if not event.isAutoRepeat():
            self._held_releases += 1
        self._timer.start()

    def _tick(self) -> None:
        self._apply(self.detector.tick(self.clock()))
        if not self.detector.holding:
            self._timer.stop()

    def _apply(self, action: WedgeAction) -> None:
        if action.replay and self._target is not None:
            self._replaying = True
            try:
                before = QApplication.focusWidget()
                for ch in action.replay:
                    # each key to the widget the burst was typed at, until a key given back
                    # moves the focus (and hides that widget): then to the focus, as a
                    # keyboard's keys go
                    focus = QApplication.focusWidget()
                    target = focus if focus is not None and focus is not before else self._target
                    key = ord(ch.upper()) if ch.isascii() else int(Qt.Key.Key_unknown)
                    QCoreApplication.sendEvent(target, _key(key, ch))
                    release = QKeyEvent(
                        QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, ch
                    )
                    QCoreApplication.sendEvent(target, release)
            finally:
                self._replaying = False
        if action.scan is not None:
            self.scanned.emit(action.scan)

    def stop(self) -> None:
        """Gives back what is held (as typing) and disarms the timer: the window is closing."""
        self._apply(self.detector.tick(float("inf")))
        self._timer.stop()


def _key(key: int, text: str) -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)


def _is_text(event: QKeyEvent) -> bool:
    """A key that types one character (not Enter, Tab, F2, Ctrl+L or Alt+letter)."""
    text = event.text()
    return (
        len(text) == 1
        and text.isprintable()
        and not event.modifiers()
        & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    )


def _in_open_list(obj: QObject) -> bool:
    """Whether the key went to the open popup (a completer's list) or a widget inside it."""
    popup = QApplication.activePopupWidget()
    return (
        popup is not None and isinstance(obj, QWidget) and (obj is popup or popup.isAncestorOf(obj))
    )


def _takes_text(widget: QObject) -> bool:
    return isinstance(widget, QLineEdit | QAbstractSpinBox | QTextEdit | QPlainTextEdit)
