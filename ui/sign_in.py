"""Sign-in: choose who you are, type your PIN. The role decides the screens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk import messages
from kiosk.auth import Authenticator, Session
from kiosk.catalogue import gettext_noop
from kiosk.first_run import Notice
from kiosk.storage.accounts import OperatorRow
from ui import texts
from ui.buttons import Button
from ui.lanes import DatabaseLane
from ui.operator_box import OperatorBox
from ui.pin_field import PinField
from ui.said import SaidLabel
from ui.texts import tr
from ui.theme import big_font

OPERATOR_PLACEHOLDER = gettext_noop("Your name: type a few letters, then Enter")
NO_OPERATOR_MATCHES = gettext_noop(
    "No name contains “{typed}”: check the spelling, or ask the supervisor."
)
SEVERAL_OPERATORS = gettext_noop(
    "Several names contain “{typed}”: choose yours in the list (arrow keys, then Enter)."
)
PIN_DIGITS_NOT_NAME = gettext_noop("A PIN is digits only. Type your name in the box above.")
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def demo_hint(data_dir: Path) -> str:
    """The demo operators and PINs, shown only when `kiosk demo` seeded this data directory."""
    try:
        manifest = json.loads((data_dir / "demo" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return " · ".join(f"{o['id']}: {o['pin']}" for o in manifest.get("operators", []))


class SignInScreen(QWidget):
    signed_in = Signal(object)  # Session

    def __init__(self, lane: DatabaseLane, lang: str, hint: str = "") -> None:
        super().__init__()
        self.lane = lane
        self.lang = lang
        self.hint = hint
        self.title = QLabel()
        self.title.setFont(big_font(24))
        self.operator = OperatorBox()
        self.operator.setFont(big_font())
        self.message = SaidLabel(lang)
        self.message.setStyleSheet("color: #c62828;")
        # letters here are most likely a name typed one field too low
        self.pin = PinField(self.message, PIN_DIGITS_NOT_NAME)
        self.button = Button()
        self.button.setFont(big_font())
        # pairing and sync (never paired, last sync old): a line, not a modal
        self.notice = SaidLabel(lang)
        self.notice.setStyleSheet("color: #8a4b00;")
        self.notice.setFont(big_font(13))
        self.demo = QLabel()
        self.demo.setWordWrap(True)
        self.demo.setMinimumHeight(60)
        box = QVBoxLayout()
        for widget in (
            self.title,
            self.operator,
            self.pin,
            self.button,
            self.message,
            self.notice,
            self.demo,
        ):
            box.addWidget(widget)
        panel = QWidget()
        panel.setLayout(box)
        panel.setFixedWidth(640)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        # keys typed while the PIN is checked (a second or more: Argon2id) are for the screen
        # that comes next, not for the PIN field: kept here, replayed by the window (issue 15)
        self.checking = False
        self.typed_ahead: list[tuple[int, Qt.KeyboardModifier, str]] = []
        for widget in (self.pin, self.operator, self.button):
            widget.installEventFilter(self)
        self.pin.returnPressed.connect(self.submit)
        # Enter in the list of names (the completer hands it to the field once it has chosen)
        self.operator.lineEdit().returnPressed.connect(self._operator_entered)
        self.button.clicked.connect(self.submit)
        self.retranslate(lang)
        self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if self.checking and event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            if event.type() == QEvent.Type.KeyPress:
                key = cast(QKeyEvent, event)
                self.typed_ahead.append((key.key(), key.modifiers(), key.text()))
            return True
        if watched is self.pin and event.type() == QEvent.Type.FocusIn:
            # however the PIN was reached (Tab through the open list of names hands the key to
            # the field past this filter, or a click): the one name matching is shown chosen
            self.operator.choose_typed()
            # and the list is closed: left open (Tab in the same pass of the event loop as the
            # letters that opened it, as when the wedge filter gives a fast name back), it keeps
            # the keyboard and hands the PIN's first digit to the name
            self.operator.completer().popup().hide()
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = cast(QKeyEvent, event)
        if watched is self.operator and key.key() in _ENTER:
            self._operator_entered()
            return True
        if watched is self.operator and key.key() == Qt.Key.Key_Tab:
            self.operator.choose_typed()  # and Qt moves on to the PIN
        return super().eventFilter(watched, event)

    def _operator_entered(self) -> None:
        """Enter after the name: on to the PIN once the name is one person's, else say why not.
        Only Enter and Tab move on: each letter typed narrows the search, none ends it."""
        if self.operator.choose_typed():
            self.operator.completer().popup().hide()
            self.message.say(None)
            self.pin.setFocus()
            return
        typed = self.operator.currentText().strip()
        if not typed:
            self.message.say(lambda lang: tr(texts.NO_OPERATOR_CHOSEN, lang))
        elif not self.operator.matches():
            self.message.say(lambda lang: tr(NO_OPERATOR_MATCHES, lang, typed=typed))
        else:
            self.message.say(lambda lang: tr(SEVERAL_OPERATORS, lang, typed=typed))
            self.operator.completer().complete()

    def take_typed_ahead(self) -> list[tuple[int, Qt.KeyboardModifier, str]]:
        keys, self.typed_ahead = self.typed_ahead, []
        return keys

    def reload(self) -> None:
        self.lane.run(lambda store: store.accounts.all_active(), self._fill, self._refused)

    def reload_if_idle(self) -> None:
        """The list again, unless someone is choosing their name or typing their PIN."""
        if self.isVisible() and not self.operator.searching() and not self.pin.text():
            self.lane.run(lambda store: store.accounts.all_active(), self._refill, self._refused)

    def _refill(self, operators: list[OperatorRow]) -> None:
        # a sync that changed no one leaves the list alone
        if _items(operators) != self.operator.items():
            self._fill(operators)

    def show_notice(self, notice: Notice | None) -> None:
        if notice is None:
            self.notice.say(None)
            return
        message, params = notice
        self.notice.say(lambda lang: "⚠ " + messages.text(message, lang, **params))

    def _fill(self, operators: list[OperatorRow]) -> None:
        """No one is preselected: a PIN typed under someone else's name would count as their
        failed try (five lock them out), so the operator names themself first."""
        self.operator.fill(_items(operators))
        if self.isVisible():  # not from behind the setup wizard, whose field has the keys
            self.operator.setFocus()

    def submit(self) -> None:
        self.operator.choose_typed()
        operator_id, pin = self.operator.chosen(), self.pin.text()
        self.pin.clear()
        if not operator_id:
            self.message.say(lambda lang: tr(texts.NO_OPERATOR_CHOSEN, lang))
            self.operator.setFocus()
            return
        if not pin:
            self.pin.ask()
            return
        if self.checking:  # Enter twice: one check is enough
            return
        self.checking = True
        self.typed_ahead.clear()
        self.message.say(lambda lang: tr(texts.CHECKING_PIN, lang))
        self.lane.run(
            lambda store: Authenticator(store).sign_in(operator_id, pin),
            self._done,
            self._pin_refused,
        )

    def _done(self, session: Session) -> None:
        self.checking = False
        self.message.say(None)
        self.signed_in.emit(session)

    def _pin_refused(self, code: str, params: dict[str, object]) -> None:
        """A refused PIN: what was typed meanwhile was for a screen that will not open; the
        refusal, said here, is its word (typed into the PIN field it would spoil the next try)."""
        self.checking = False
        self.typed_ahead.clear()
        self._refused(code, params)

    def _refused(self, code: str, params: dict[str, object]) -> None:
        self.message.say(lambda lang: messages.error_text(code, lang, **params))

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.message.retranslate(lang)
        self.notice.retranslate(lang)
        self.title.setText(tr(texts.SIGN_IN_TITLE, lang))
        self.pin.setPlaceholderText(tr(texts.PIN_PLACEHOLDER, lang))
        self.button.setText(tr(texts.SIGN_IN, lang))
        self.operator.lineEdit().setPlaceholderText(tr(OPERATOR_PLACEHOLDER, lang))
        self.demo.setText(tr(texts.DEMO_PINS, lang, pins=self.hint) if self.hint else "")


def _items(operators: list[OperatorRow]) -> list[tuple[str, str]]:
    return [(f"{op.display_name} ({op.id})", op.id) for op in operators if op.pin_hash]
