"""The kiosk's one PIN field, for every screen that asks for a PIN (sign-in, the lock screen, a
supervisor's confirmation): digits only, and a letter typed is refused out loud, not dropped
silently, since an operator whose keys seem dead types the PIN again under the wrong name or
thinks the kiosk froze. The refusal goes with the next change to the PIN: left up while digits
are typed after it, it reads as if those were refused too."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit

from kiosk.catalogue import Message, gettext_noop
from ui import texts
from ui.said import SaidLabel, Saying
from ui.texts import tr
from ui.theme import big_font

PIN_DIGITS_ONLY = gettext_noop("A PIN is digits only.")
PIN_LENGTH = 8
_DIGITS = frozenset("0123456789")


class PinField(QLineEdit):
    """Says `why` on `said` when a key would put anything but a digit in the PIN."""

    def __init__(self, said: SaidLabel, why: Message = PIN_DIGITS_ONLY) -> None:
        super().__init__()
        self.said = said
        self.why = why
        # a pasted or composed letter too: keyPressEvent only sees keys
        self.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]*"), self))
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(PIN_LENGTH)
        self.setFont(big_font(24))
        self._refusal: Saying | None = None
        self.textChanged.connect(self._take_back)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        text = event.text()
        # Shift, arrows and the like carry no text, Backspace and Enter no printable one
        if text and text.isprintable() and not set(text) <= _DIGITS:
            self._refusal = lambda lang: tr(self.why, lang)
            self.said.say(self._refusal)
            return
        super().keyPressEvent(event)

    def ask(self) -> None:
        """Enter on an empty PIN: a slip, not a wrong try against the five, so it is asked for
        and no try is spent."""
        self.said.say(lambda lang: tr(texts.PIN_NEEDED, lang))
        self.setFocus()

    def _take_back(self) -> None:
        # only the field's own refusal: a wrong PIN or a missing name said meanwhile stays
        if self._refusal is not None:
            self.said.unsay(self._refusal)
            self._refusal = None
