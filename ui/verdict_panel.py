"""The verdict at a glance: a colour, one big word, one line of reason, what it is about."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk import messages
from kiosk.catalogue import Message
from kiosk.checker import Person, PersonResult
from kiosk.clock import local, utc_now
from kiosk.hcert.checker import HcertResult
from kiosk.privacy import mask_id, mask_name, remask_id, sees_personal_data
from kiosk.result import RoleResult
from ui import texts
from ui.texts import tr
from ui.theme import BIG_WORD_PT, DETAIL_PT, REASON_PT, VERDICT_COLOURS, widest_line

# (result, role, lang) -> the line under the reason: who or what the verdict is about; each
# role's screen says it for its own results, masked for the role
Describe = Callable[[RoleResult, str, str], str]


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
    if not name and not number:
        return ""
    # a typed number with no declaration has no name or birth date: a "?" read as an error
    parts = [part for part in (name, number) if part]
    if person.birth_date:
        parts.append(tr(texts.BORN, lang, dob=person.birth_date.strftime("%d/%m/%Y")))
    return " · ".join(parts)


def hcert_lines(result: HcertResult, role: str, lang: str) -> str:
    """An HC1 certificate: its holder and essentials (masked for the role), a stale trust list."""
    shown = result.shown(role)
    lines = []
    if shown.holder_name:
        lines.append(tr(texts.HC1_HOLDER, lang, name=shown.holder_name, dob=shown.holder_born))
    if shown.kind:
        lines.append(tr(texts.HC1_LINES[shown.kind], lang, **shown.values))
    if shown.stale_since is not None:
        lines.append(tr(texts.HC1_TRUST_STALE, lang, since=shown.stale_since))
    return "\n".join(lines)


def describe_person(result: RoleResult, role: str, lang: str) -> str:
    """Who the verdict is about; when an unsigned code names someone else than the declaration,
    both, masked as the role requires."""
    if isinstance(result, HcertResult):
        return hcert_lines(result, role, lang)
    if not isinstance(result, PersonResult):
        return ""
    line = person_line(result.person, role, lang)
    if result.on_code is not None:
        code = tr(texts.ON_CODE_LINE, lang, line=person_line(result.on_code, role, lang))
        line = f"{line}\n{code}"
    return line


@dataclass(frozen=True)
class Notice:
    """A screen's own outcome that is no check (an exit recorded): shown like a verdict,
    a colour, a big word and a reason, so it is read from as far away."""

    colour: str  # a key of VERDICT_COLOURS
    word: Message
    reason: Message
    at: datetime
    params: dict[str, object]  # the reason's {placeholders}
    detail: Callable[[str], str] | None = None  # lang -> what it is about (the person line)


@dataclass(frozen=True)
class ShownError:
    """A refusal in the panel: an error code of kiosk.messages and its {placeholders}."""

    code: str
    params: dict[str, object]
    at: datetime  # when it was tried: two identical refusals differ by their time


# Errors that are the machine's, not the operator's (EnvironmentProblem's codes and a bug in a
# job): "check the input" would send the operator after a fault they did not make.
FAULTS = frozenset(
    {
        "job_failed",
        "disk_full",
        "db_locked",
        "db_unavailable",
        "db_newer",
        "db_damaged",
        "db_lost",
        "db_key_missing",
        "backup_damaged",
        "backup_disk_full",
        "backup_not_writable",
        "no_backup",
        "no_display",
    }
)


def error_word(code: str, lang: str) -> str:
    return tr(texts.FAULT_WORD if code in FAULTS else texts.INPUT_ERROR_WORD, lang)


FLASH_MS = 350  # a new verdict's bright frame: the eye sees that something changed


REFERENCE_SIZE = (620.0, 480.0)  # the panel's size in a 1280x800 window: fonts at their points
# the border is the flash frame (10 px): the text keeps clear of it, and no more, so a reason
# has the panel's width
MARGINS = (16, 24, 16, 24)
# a word or reason a little wider than the panel is set a little smaller to stay on one line;
# one much wider keeps its size and wraps: two big lines read better than one tiny
FIT_FLOOR = 0.8
STACKED_MARKS = "ỖẪỂ"  # the tallest capitals Vietnamese writes


def font_scale(width: int, height: int) -> float:
    """How much bigger than their reference points the panel's fonts are at this size."""
    ref_w, ref_h = REFERENCE_SIZE
    return max(0.7, min(2.2, width / ref_w, height / ref_h))


class VerdictPanel(QWidget):
    """Each verdict shown has its time and, when a scan was recorded, its number of the day
    (two ALLOWs in a row differ by both; kiosk.scan_count), flashes a bright frame, and is
    announced (the window plays its sound)."""

    announced = Signal(str)  # the verdict colour just shown: allow, attention, deny, error
    hold_changed = Signal()  # the verdict on screen is kept longer, or let go sooner

    def __init__(
        self,
        role: str,
        lang: str,
        describe: Describe = describe_person,
        idle_text: Message = texts.WAITING_REASON,
        parent: QWidget | None = None,
        number_text: Message | None = None,
    ) -> None:
        super().__init__(parent)
        self.idle_text = idle_text
        # how the scan's number of the day is put ("№ {number}" unless the screen says what the
        # number counts, beside a counter of something else)
        self.number_text = number_text
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
        layout.setContentsMargins(*MARGINS)
        for widget in (self.word, self.reason, self.person, self.when):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._shown: RoleResult | Notice | ShownError | None = None  # None: idle
        self.clock: Callable[[], float] = time.monotonic
        self.shown_at: float | None = None  # when the verdict on screen appeared (clock)
        self.kept_until: float | None = None  # a hold the screen asked for (clock): keep()
        self.shown_count = 0  # verdicts, notices and errors shown by this panel
        self.scale = 1.0
        self.flashing = False
        self._flash = QTimer(self)
        self._flash.setSingleShot(True)
        self._flash.setInterval(FLASH_MS)
        self._flash.timeout.connect(self._end_flash)
        self.retranslate(lang)

    def resizeEvent(self, event: object) -> None:  # Qt override
        """The word and its reason grow with the panel: a 1920x1080 screen read from two metres
        gets bigger letters, a 1366x768 laptop keeps all four lines in view."""
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.scale = font_scale(self.width(), self.height())
        for label, points in ((self.person, DETAIL_PT), (self.when, DETAIL_PT - 3)):
            font = label.font()
            font.setPointSize(max(8, round(points * self.scale)))
            label.setFont(font)
        self._fit()

    def _fit(self) -> None:
        """The big word and the reason at their scaled size, or a little smaller when that keeps
        them on one line across the panel (a 1366x768 laptop's medic reason with its date)."""
        left, _, right, _ = MARGINS
        room = self.width() - left - right - 2  # a pixel of rounding either side
        for label, points in ((self.word, BIG_WORD_PT), (self.reason, REASON_PT)):
            font = label.font()
            size = max(8.0, float(round(points * self.scale)))
            font.setPointSizeF(size)
            text = label.text()
            needed = widest_line(font, text)
            if needed > room and room / needed >= FIT_FLOOR:
                # glyphs are hinted to whole pixels: a font in proportion can still be a little
                # too wide, so smaller by steps until the line fits
                fitted = size * room / needed
                font.setPointSizeF(fitted)
                while widest_line(font, text) > room and fitted - 0.25 >= size * FIT_FLOOR:
                    fitted -= 0.25
                    font.setPointSizeF(fitted)
                if widest_line(font, text) > room:
                    font.setPointSizeF(size)  # two lines at full size, not one cut
            label.setFont(font)
            # a capital's stacked marks (Ỗ, Ể) rise above the font's ascent: room above them,
            # or the label's top edge cuts the tilde off and LỖI reads as LÔI; the same room
            # whatever the word, so the word does not jump from one verdict to the next
            metrics = QFontMetricsF(font)
            rise = -metrics.tightBoundingRect(STACKED_MARKS).top() - metrics.ascent()
            label.setContentsMargins(0, max(0, math.ceil(rise)), 0, 0)

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
        """'idle', 'error' or the verdict on screen: its colour (a key of VERDICT_COLOURS)."""
        shown = self._shown
        if isinstance(shown, RoleResult):
            return shown.verdict.value
        if isinstance(shown, Notice):
            return shown.colour
        return "error" if shown is not None else "idle"

    @property
    def shown_result(self) -> RoleResult | None:
        return self._shown if isinstance(self._shown, RoleResult) else None

    def show_result(self, result: RoleResult) -> None:
        """Every role's result, through the one shape they share (kiosk/result.py)."""
        self._shown = result
        self._announce()

    def show_notice(
        self,
        colour: str,
        word: Message,
        reason: Message,
        params: dict[str, object] | None = None,
        detail: Callable[[str], str] | None = None,
    ) -> None:
        self._shown = Notice(colour, word, reason, utc_now(), params or {}, detail)
        self._announce()

    def show_error(self, code: str, params: dict[str, object] | None = None) -> None:
        self._shown = ShownError(code, params or {}, utc_now())
        self._announce()

    def clear(self) -> None:
        self._shown = None
        self.shown_at = self.kept_until = None
        self._render()
        self.hold_changed.emit()

    def _announce(self) -> None:
        self.shown_count += 1
        self.shown_at = self.clock()
        self.kept_until = None
        self.flashing = True
        self._flash.start()
        self._render()
        self.announced.emit(self.shown_verdict)

    def _end_flash(self) -> None:
        self.flashing = False
        self._restyle()  # the frame only: the words and their fitted fonts stay as they are

    def held(self, hold_seconds: float) -> float:
        """Seconds the verdict on screen must still stay (0: it may be replaced)."""
        if self.shown_at is None:
            return 0.0
        until = self.shown_at + hold_seconds
        if self.kept_until is not None:
            until = self.kept_until  # asked for by the screen: longer, or shorter once acted on
        return max(0.0, until - self.clock())

    def keep(self, seconds: float) -> None:
        """The verdict on screen stays `seconds` from now (a camera read waits meanwhile)."""
        if self.shown_at is not None:
            self.kept_until = self.clock() + seconds
            self.hold_changed.emit()

    def let_go(self) -> None:
        """The operator is done with the verdict on screen: what waits may replace it now."""
        if self.shown_at is not None:
            self.kept_until = self.clock()
            self.hold_changed.emit()

    def stop(self) -> None:
        self._flash.stop()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self._render()

    def _render(self) -> None:
        shown, lang = self._shown, self.lang
        word, reason, detail, when = "", "", "", ""
        if isinstance(shown, RoleResult):
            word = messages.verdict_word(shown.verdict.value, lang)
            reason = shown.message(lang)
            detail = self.describe(shown, self.role, lang)
            source = shown.source
            if source in texts.SOURCES:
                source = tr(texts.SOURCES[source], lang)
            when = f"{local(shown.checked_at):%H:%M:%S}"
            when += f" · {source}" if source else ""
            # the scan's number of the day, as the counter counts it; a result recorded as no
            # scan (an assisted declaration) has none
            if shown.number:
                number = f"№ {shown.number}"
                if self.number_text is not None:
                    number = tr(self.number_text, lang, number=shown.number)
                when += f" · {number}"
        elif isinstance(shown, Notice):
            word, reason = tr(shown.word, lang), tr(shown.reason, lang, **shown.params)
            detail = shown.detail(lang) if shown.detail else ""
            when = f"{local(shown.at):%H:%M:%S}"  # an exit is recorded, but as no scan
        elif isinstance(shown, ShownError):
            word = error_word(shown.code, lang)
            reason = messages.error_text(shown.code, lang, **shown.params)
            when = f"{local(shown.at):%H:%M:%S}"  # nothing recorded: no number
        else:
            word = tr(texts.WAITING_WORD, lang)
            reason = tr(self.idle_text, lang)
        for label, text in (
            (self.word, word),
            (self.reason, reason),
            (self.person, detail),
            (self.when, when),
        ):
            label.setText(text)
        self._fit()
        self._restyle()

    def _restyle(self) -> None:
        background, text_colour = VERDICT_COLOURS[self.shown_verdict]  # a verdict is its colour
        frame = (
            "border: 10px solid #ffffff;" if self.flashing else "border: 10px solid transparent;"
        )
        self.setStyleSheet(
            f"#VerdictPanel {{ background: {background}; border-radius: 12px; {frame} }}"
            f"#VerdictPanel QLabel {{ color: {text_colour}; border: none; }}"
        )
