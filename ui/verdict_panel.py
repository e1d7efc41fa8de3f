"""The verdict at a glance: a colour, one big word, one line of reason, who it is about."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk import messages
from kiosk.checker import CheckResult, Person
from kiosk.privacy import mask_id, mask_name, sees_personal_data
from ui.theme import BIG_WORD_PT, DETAIL_PT, REASON_PT, VERDICT_COLOURS


def person_line(person: Person | None, role: str, lang: str) -> str:
    if person is None:
        return ""
    show = sees_personal_data(role)
    number = person.id_number or person.masked_id or ""
    if number and person.id_number and not show:
        number = mask_id(number)
    name = person.name or ""
    if name and not show:
        name = mask_name(name)
    dob = person.birth_date.strftime("%d/%m/%Y") if person.birth_date else "?"
    if not name and not number:
        return ""
    return messages.ui_text("person_line", lang, name=name or "?", id=number or "?", dob=dob)


class VerdictPanel(QWidget):
    def __init__(self, role: str, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.lang = lang
        self.setObjectName("VerdictPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.word = self._label(BIG_WORD_PT, bold=True)
        self.reason = self._label(REASON_PT)
        self.person = self._label(DETAIL_PT)
        self.when = self._label(DETAIL_PT - 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        for widget in (self.word, self.reason, self.person, self.when):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._state: tuple[str, object] = ("idle", None)
        self.retranslate(lang)

    def _label(self, points: int, bold: bool = False) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
        font = QFont()
        font.setPointSize(points)
        font.setBold(bold)
        label.setFont(font)
        return label

    @property
    def shown_verdict(self) -> str:
        """'idle', 'error' or the verdict on screen: what an operator sees, for tests."""
        state, value = self._state
        return value.verdict.value if state == "result" else state  # type: ignore[union-attr]

    def show_result(self, result: CheckResult) -> None:
        self._state = ("result", result)
        self._render()

    def show_error(self, code: str) -> None:
        self._state = ("error", code)
        self._render()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self._render()

    def _render(self) -> None:
        state, value = self._state
        lang = self.lang
        if state == "result":
            assert isinstance(value, CheckResult)
            colour = value.verdict.value
            self.word.setText(messages.verdict_word(value.verdict.value, lang))
            self.reason.setText(value.message(lang))
            self.person.setText(person_line(value.person, self.role, lang))
            source = (
                messages.ui_text(f"source_{value.source}", lang)
                if value.source in ("camera", "wedge", "typed", "serial")
                else value.source
            )
            self.when.setText(f"{value.checked_at.astimezone():%H:%M:%S} · {source}")
        elif state == "error":
            colour = "error"
            self.word.setText("!")
            self.reason.setText(messages.error_text(str(value), lang))
            self.person.setText("")
            self.when.setText("")
        else:
            colour = "idle"
            self.word.setText(messages.ui_text("waiting_word", lang))
            self.reason.setText(messages.ui_text("waiting_reason", lang))
            self.person.setText("")
            self.when.setText("")
        background, text = VERDICT_COLOURS[colour]
        self.setStyleSheet(
            f"#VerdictPanel {{ background: {background}; border-radius: 12px; }}"
            f"#VerdictPanel QLabel {{ color: {text}; }}"
        )
