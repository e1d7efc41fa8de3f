"""The verdict at a glance: a colour, one big word, one line of reason, what it is about."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk import messages
from kiosk.checker import Person
from kiosk.clock import local
from kiosk.privacy import mask_id, mask_name, remask_id, sees_personal_data
from ui.theme import BIG_WORD_PT, DETAIL_PT, REASON_PT, VERDICT_COLOURS

# (result, role, lang) -> the line under the reason: who or what the verdict is about
Describe = Callable[[Any, str, str], str]


def person_line(person: Person | None, role: str, lang: str) -> str:
    if person is None:
        return ""
    show = sees_personal_data(role)
    number = person.id_number or person.masked_id or ""
    if number and not show:
        number = mask_id(number) if person.id_number else remask_id(number)
    name = person.name or ""
    if name and not show:
        name = mask_name(name)
    dob = person.birth_date.strftime("%d/%m/%Y") if person.birth_date else "?"
    if not name and not number:
        return ""
    return messages.ui_text("person_line", lang, name=name or "?", id=number or "?", dob=dob)


def describe_person(result: Any, role: str, lang: str) -> str:
    details = getattr(result, "details", None)  # an HC1 certificate: holder and essentials
    if callable(details):
        return str(details(role, lang))
    return person_line(getattr(result, "person", None), role, lang)


class VerdictPanel(QWidget):
    def __init__(
        self,
        role: str,
        lang: str,
        describe: Describe = describe_person,
        idle_key: str = "waiting_reason",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.idle_key = idle_key
        self.role = role
        self.lang = lang
        self.describe = describe
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
        return value.verdict.value if state == "result" else state  # type: ignore[attr-defined]

    @property
    def shown_result(self) -> Any:
        state, value = self._state
        return value if state == "result" else None

    def show_result(self, result: Any) -> None:
        """Any check result with verdict, message(lang) and checked_at."""
        self._state = ("result", result)
        self._render()

    def show_error(self, code: str, params: dict[str, object] | None = None) -> None:
        self._state = ("error", (code, params or {}))
        self._render()

    def clear(self) -> None:
        self._state = ("idle", None)
        self._render()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self._render()

    def _render(self) -> None:
        state, value = self._state
        lang = self.lang
        word, reason, detail, when = "", "", "", ""
        if state == "result":
            colour = value.verdict.value  # type: ignore[union-attr]
            word = messages.verdict_word(colour, lang)
            reason = value.message(lang)  # type: ignore[union-attr]
            detail = self.describe(value, self.role, lang)
            source = getattr(value, "source", "")
            if source in ("camera", "wedge", "typed", "serial"):
                source = messages.ui_text(f"source_{source}", lang)
            when = f"{local(value.checked_at):%H:%M:%S}"  # type: ignore[union-attr]
            when += f" · {source}" if source else ""
        elif state == "error":
            colour = "error"
            code, params = value  # type: ignore[misc]
            word = "!"
            reason = messages.error_text(code, lang, **params)
        else:
            colour = "idle"
            word = messages.ui_text("waiting_word", lang)
            reason = messages.ui_text(self.idle_key, lang)
        for label, text in (
            (self.word, word),
            (self.reason, reason),
            (self.person, detail),
            (self.when, when),
        ):
            label.setText(text)
        background, text_colour = VERDICT_COLOURS[colour]
        self.setStyleSheet(
            f"#VerdictPanel {{ background: {background}; border-radius: 12px; }}"
            f"#VerdictPanel QLabel {{ color: {text_colour}; }}"
        )
