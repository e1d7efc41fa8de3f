"""The kiosk's one kind of push button: Enter on it, when it has the focus, presses it.

The kiosk is run from the keyboard, and a QPushButton with the focus takes only Space: Enter
presses it only when its autoDefault is on, which Qt turns on by itself inside dialogs alone,
and no screen here is a dialog. Every screen makes its buttons with `Button`, so no screen
swallows an Enter."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget


class Button(QPushButton):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setAutoDefault(True)
