"""The assistant's review page: the declaration as it will be saved, in large text with
Vietnamese labels, to read back to the person before anything is recorded. "Sửa" goes back to
the form as it was; "Xác nhận và lưu" (or Enter) saves."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk import messages
from kiosk.catalogue import Message
from kiosk.declaration_form import NEEDS_PLATE, AssistedDeclaration
from ui import texts
from ui.buttons import Button
from ui.texts import tr
from ui.theme import big_font

LABEL_PT, VALUE_PT = 14, 20
REFERENCE_SIZE = (1250.0, 600.0)  # the page in a 1366x768 window: fonts at their points


def review_rows(decl: AssistedDeclaration, lang: str) -> list[tuple[str, str, str, bool]]:
    """(Vietnamese label, the operator's label when not Vietnamese, value, alarming) per line,
    in the form's order; words chosen from a list are Vietnamese, as they are read to the
    person. Alarming: an answer that sends the person to testing or quarantine."""

    def words(message: Message) -> str:
        vi = tr(message, "vi")
        return vi if lang == "vi" else f"{vi} / {tr(message, lang)}"

    def labelled(message: Message, value: str, alarm: bool = False) -> tuple[str, str, str, bool]:
        return tr(message, "vi"), "" if lang == "vi" else tr(message, lang), value, alarm

    none = words(texts.REVIEW_NONE)
    yes_no = {True: words(texts.REVIEW_YES), False: words(texts.REVIEW_NO)}
    symptoms = ", ".join(messages.symptom_word(s, "vi") for s in decl.symptoms)
    f = texts.FIELDS
    rows = [
        labelled(f["full_name"], decl.full_name),
        labelled(f["id_number"], decl.id_number),
        labelled(f["birth_date"], f"{decl.birth_date:%d/%m/%Y}"),
        labelled(f["sex"], words(texts.SEXES[decl.sex])),
        labelled(f["phone"], decl.phone or none),
        labelled(f["province"], decl.province),
        labelled(f["district"], decl.district),
        labelled(f["commune"], decl.commune),
        labelled(f["address"], decl.address or none),
        labelled(f["came_from"], decl.came_from),
        labelled(f["travel_14d"], decl.travel_14d or none),
        labelled(f["transport"], words(texts.TRANSPORTS[decl.transport])),
    ]
    if decl.transport in NEEDS_PLATE:
        rows.append(labelled(f["plate"], decl.plate))
    rows += [
        labelled(f["symptoms"], symptoms or none, bool(symptoms)),
        labelled(texts.FIELD_FROM_ZONE, yes_no[decl.from_epidemic_zone], decl.from_epidemic_zone),
        labelled(texts.FIELD_CONTACT, yes_no[decl.contact_with_case], decl.contact_with_case),
    ]
    return rows


class ReviewPage(QWidget):
    confirmed = Signal()
    edit = Signal()

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.declaration: AssistedDeclaration | None = None
        self.scale = 1.0  # the text grows with a bigger screen, never shrinks below its points
        self.title = QLabel()
        self.title.setFont(big_font(18))
        self.title.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.grid.setHorizontalSpacing(20)
        self.grid.setVerticalSpacing(4)
        inner = QWidget()
        inner.setLayout(self.grid)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.edit_button = Button()
        self.confirm_button = Button()
        for button in (self.edit_button, self.confirm_button):
            button.setFont(big_font(18))
            button.setMinimumHeight(56)
        self.confirm_button.setStyleSheet(
            "QPushButton { background: #1b873f; color: white; font-weight: bold; padding: 0 24px; }"
        )
        self.edit_button.clicked.connect(self.edit)
        self.confirm_button.clicked.connect(self.confirmed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.retranslate(lang)

    def show_declaration(self, decl: AssistedDeclaration) -> None:
        self.declaration = decl
        self._render()
        self.confirm_button.setEnabled(True)
        self.confirm_button.setFocus()

    def labels(self) -> list[tuple[str, str]]:
        """(label, value) as shown, in reading order, for whoever reads the page (the tests)."""
        out = []
        for half in (0, 2):
            for row in range(self.grid.rowCount()):
                label = self.grid.itemAtPosition(row, half)
                value = self.grid.itemAtPosition(row, half + 1)
                if label is not None and value is not None:
                    out.append((label.widget().text(), value.widget().text()))
        return out

    def _render(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if self.declaration is None:
            return
        rows = review_rows(self.declaration, self.lang)
        # two halves side by side (who and where; travel and health), so all of it shows at
        # once on a 1366x768 screen: the epidemic-zone answer must not hide below a scroll
        split = (len(rows) + 1) // 2
        for index, (vi, other, value, alarm) in enumerate(rows):
            row, half = (index, 0) if index < split else (index - split, 2)
            label = QLabel(
                html.escape(vi)
                + (f"<br><span style='color:#555'>{html.escape(other)}</span>" if other else "")
            )
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setFont(big_font(round(LABEL_PT * self.scale)))
            label.setWordWrap(True)
            label.setMinimumWidth(round(190 * self.scale))
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            shown = QLabel(value)
            shown.setTextFormat(Qt.TextFormat.PlainText)  # typed text is never markup
            font = big_font(round(VALUE_PT * self.scale))
            font.setBold(True)
            shown.setFont(font)
            shown.setWordWrap(True)
            if alarm:
                shown.setStyleSheet("color: #c62828;")  # what sends the person to quarantine
            self.grid.addWidget(label, row, half)
            self.grid.addWidget(shown, row, half + 1)

    def resizeEvent(self, event: object) -> None:  # Qt override
        super().resizeEvent(event)  # type: ignore[arg-type]
        ref_w, ref_h = REFERENCE_SIZE
        scale = max(1.0, min(1.6, self.width() / ref_w, self.height() / ref_h))
        if abs(scale - self.scale) > 0.05:
            self.scale = scale
            self._render()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(tr(texts.REVIEW_TITLE, lang))
        self.edit_button.setText(tr(texts.REVIEW_EDIT, lang))
        self.confirm_button.setText(tr(texts.REVIEW_CONFIRM, lang))
        self._render()
