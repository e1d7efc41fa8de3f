"""Kiosk mode's gate: a PIN page in the window's stack that the lock screen and every way out of
full screen go through (Esc, F11, Ctrl+Q, closing while signed in)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk import messages
from kiosk.auth import Authenticator, Session
from kiosk.catalogue import Message
from kiosk.errors import InputError
from kiosk.storage import Store
from ui import texts
from ui.buttons import Button
from ui.lanes import DatabaseLane
from ui.pin_field import PinField
from ui.said import SaidLabel
from ui.texts import tr
from ui.theme import big_font


class NotAllowed(InputError):
    pass


class PinGate(QWidget):
    """Asks one of `operators` (id, name) for their PIN; `passed` carries who, `cancelled` a
    change of mind. A wrong PIN counts against the operator chosen, as at sign-in."""

    passed = Signal(object)  # Session
    cancelled = Signal()

    def __init__(self, lane: DatabaseLane, lang: str) -> None:
        super().__init__()
        self.lane = lane
        self.lang = lang
        self.title_message: Message = texts.LOCKED_TITLE
        self.roles: tuple[str, ...] = ()
        self.title = QLabel()
        self.title.setFont(big_font(18))
        self.title.setWordWrap(True)
        self.title.setMinimumHeight(80)  # two lines: a wrapped label is not given its height
        self.operator = QComboBox()
        self.operator.setFont(big_font())
        self.message = SaidLabel(lang)
        self.message.setStyleSheet("color: #c62828;")
        self.pin = PinField(self.message)
        self.ok = Button()
        self.ok.setFont(big_font())
        self.cancel = Button()
        self.cancel.setFont(big_font())
        buttons = QHBoxLayout()
        buttons.addWidget(self.ok, 1)
        buttons.addWidget(self.cancel)
        box = QVBoxLayout()
        for widget in (self.title, self.operator, self.pin):
            box.addWidget(widget)
        box.addLayout(buttons)
        box.addWidget(self.message)
        panel = QWidget()
        panel.setLayout(box)
        panel.setFixedWidth(640)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.pin.returnPressed.connect(self.submit)
        self.ok.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.cancelled)
        self.retranslate(lang)

    def ask(
        self,
        title: Message,
        roles: tuple[str, ...],
        only: str | None = None,
        can_cancel: bool = True,
    ) -> None:
        """Fills the list with the operators of `roles` (or just `only`) and waits for a PIN."""
        self.title_message, self.roles = title, roles
        self.cancel.setVisible(can_cancel)
        self.pin.clear()
        self.message.say(None)
        self.retranslate(self.lang)

        def fill(operators: list) -> None:
            self.operator.clear()
            for op in operators:
                if op.pin_hash and (op.id == only or (only is None and op.role in roles)):
                    self.operator.addItem(f"{op.display_name} ({op.id})", op.id)
            self.pin.setFocus()

        self.lane.run(lambda store: store.accounts.all_active(), fill, self._refused)

    def submit(self) -> None:
        operator_id, pin, roles = self.operator.currentData(), self.pin.text(), self.roles
        self.pin.clear()
        if not operator_id:
            return
        if not pin:
            self.pin.ask()
            return
        self.lane.run(
            lambda store: _check(store, operator_id, pin, roles), self._done, self._refused
        )

    def _done(self, session: Session) -> None:
        self.message.say(None)
        self.passed.emit(session)

    def _refused(self, code: str, params: dict[str, object]) -> None:
        if code == "not_allowed":
            self.message.say(lambda lang: tr(texts.SUPERVISOR_ONLY, lang))
        else:
            self.message.say(lambda lang: messages.error_text(code, lang, **params))
        self.pin.setFocus()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.message.retranslate(lang)
        self.title.setText(tr(self.title_message, lang))
        self.pin.setPlaceholderText(tr(texts.PIN_PLACEHOLDER, lang))
        self.ok.setText(tr(texts.UNLOCK, lang))
        self.cancel.setText(tr(texts.CANCEL, lang))


def _check(store: Store, operator_id: str, pin: str, roles: tuple[str, ...]) -> Session:
    session = Authenticator(store).sign_in(operator_id, pin)
    if session.role not in roles and roles:
        raise NotAllowed("not_allowed")
    return session


GateAction = Callable[[Session], None]
