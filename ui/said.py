"""A label for a message that must follow the language toggle: it keeps how to say the message,
not the words once said, so switching language re-says it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

Saying = Callable[[str], str]  # language -> text


class SaidLabel(QLabel):
    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._saying: Saying | None = None
        self.setWordWrap(True)

    def say(self, saying: Saying | None) -> None:
        """Shows saying(lang), now and after every language switch; None clears the label."""
        self._saying = saying
        self.setText(saying(self.lang) if saying else "")

    def unsay(self, saying: Saying) -> None:
        """Clears the label if it still shows `saying`, and leaves anything said since."""
        if self._saying is saying:
            self.say(None)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.setText(self._saying(lang) if self._saying else "")
