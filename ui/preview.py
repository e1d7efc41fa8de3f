"""The live camera picture with the codes found outlined, and a line telling the person to tilt
the phone while a reflection keeps its code from being read. Painted by a timer from the newest
frame, so the preview never waits on decoding and decoding never waits on painting."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import cv2
import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from scanner.decoders import Code
from scanner.frames import LatestFrame
from ui import texts
from ui.theme import widest_line

# A code held in a moving hand is missed on a frame now and then: the outline survives a few
# empty frames so it does not flicker, and no more, or it is left drawn on an empty card. The
# time limit covers a decoder that stops reporting altogether.
MISSES_BEFORE_CLEAR = 3
OUTLINE_SECONDS = 0.6
# A reflection crosses a moving phone for a frame now and then and goes: only one that stays
# this long gets the tilt hint; the hint stays until the glare has been gone a while (or a code
# is read), and glare back within that while is the same reflection, so the line never flickers.
GLARE_SHOW_SECONDS = 0.5
GLARE_CLEAR_SECONDS = 1.0
# The hint is read by the person holding the phone, a metre or two away: on the previews the
# kiosk lays out at 1366 x 768 and larger (640 px wide and more) it fits on one line at 22 px or
# larger; a narrower one would take it below this size, and there it wraps instead of shrinking
# out of reach.
HINT_MIN_PX = 18
# the trouble a lost camera reports (ui.devices): the picture is frozen, the hint goes at once
NO_PICTURE = "no_picture"
HINT_MARGIN = 10
_HINT_FLAGS = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)


class PreviewWidget(QWidget):
    def __init__(
        self,
        frames: LatestFrame,
        parent: QWidget | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.frames = frames
        self.clock = clock
        self.message = ""
        self.glare_text = texts.tr(texts.GLARE_HINT, "vi")
        self._glare_since: float | None = None  # when the current reflection began
        self._glare_gone: float | None = None  # when it last went (None: still there)
        self._hinting = False
        self._codes: list[Code] = []
        self._codes_at = 0.0
        self._misses = 0
        self._painted_seq = -1
        self._painted_hint = False
        # (hint, font, width, height) -> (font, text, room): _hint_layout's last fitting
        self._hint_fitted: tuple[tuple[str, str, int, int], tuple[QFont, str, QRect]] | None = None
        self._image: QImage | None = None
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._refresh)
        self._timer.start(33)

    def set_codes(self, codes: list[Code]) -> None:
        """Takes the codes of each decoded frame, an empty list included."""
        if codes:
            self._codes, self._codes_at, self._misses = codes, self.clock(), 0
            self._end_glare()
            return
        self._misses += 1
        if self._codes and self._misses >= MISSES_BEFORE_CLEAR:
            self._codes = []
            self.update()

    @property
    def outlined(self) -> list[Code]:
        """The codes the next paint outlines."""
        if self.clock() - self._codes_at > OUTLINE_SECONDS:
            return []
        return self._codes

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    def set_glare_text(self, text: str) -> None:
        """The tilt hint in the operator's language."""
        self.glare_text = text
        self.update()

    def set_trouble(self, trouble: str, age: float = 0.0) -> None:
        """Takes why frames are not read (ScanPipeline.trouble) each time that changes; `age`
        is how long ago it changed, for a preview made while the trouble was already there."""
        changed = self.clock() - age
        if trouble == NO_PICTURE:
            self._end_glare()
            return
        if trouble != "glare":
            if self._glare_since is not None and self._glare_gone is None:
                self._glare_gone = changed
            return
        if self._glare_since is None or (
            self._glare_gone is not None and changed - self._glare_gone >= GLARE_CLEAR_SECONDS
        ):
            self._glare_since = changed
        self._glare_gone = None

    @property
    def glare_hint(self) -> str:
        """The hint the next paint shows, "" for none."""
        now = self.clock()
        since, gone = self._glare_since, self._glare_gone
        if since is None:
            return ""
        if gone is not None and now - gone >= GLARE_CLEAR_SECONDS:
            self._end_glare()
            return ""
        if gone is None and now - since >= GLARE_SHOW_SECONDS:
            self._hinting = True
        return self.glare_text if self._hinting else ""

    def _end_glare(self) -> None:
        self._glare_since = self._glare_gone = None
        if self._hinting:
            self._hinting = False
            self.update()

    def stop(self) -> None:
        self._timer.stop()

    def _refresh(self) -> None:
        if not self.isVisible():
            return  # a screen behind another tab converts no frames
        seq, frame = self.frames.peek()
        if frame is not None and seq != self._painted_seq:
            self._painted_seq = seq
            self._image = _to_qimage(frame)
            self.update()
        elif self._codes and self.clock() - self._codes_at > OUTLINE_SECONDS:
            self._codes = []
            self.update()
        if bool(self.glare_hint) != self._painted_hint:
            self.update()  # a frozen picture still gets its hint, and loses it

    def paintEvent(self, _event: object) -> None:  # Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101417"))
        if self._image is not None:
            target = self._fit(self._image.width(), self._image.height())
            painter.drawImage(target, self._image)
            if outlined := self.outlined:
                scale = target.width() / self._image.width()
                painter.setPen(QPen(QColor("#00e676"), 4))
                for code in outlined:
                    points = [
                        QPointF(target.x() + x * scale, target.y() + y * scale)
                        for x, y in code.corners
                    ]
                    painter.drawPolygon(QPolygonF(points))
        hint = self.glare_hint
        self._painted_hint = bool(hint)
        band = self._paint_hint(painter, hint) if hint else 0.0
        if self.message:
            painter.setPen(QColor("#ffffff"))
            painter.drawText(  # above the hint's band while there is one
                self.rect().adjusted(12, 12, -12, -12 - int(band)),
                Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft,
                self.message,
            )
        painter.end()

    def _paint_hint(self, painter: QPainter, hint: str) -> float:
        """A see-through band along the bottom edge, where it hides the least of a code held
        up to the camera (in a letterboxed picture, none), with the hint in words sized to
        the preview's width, on one line on every preview but the narrowest; returns the band's
        height."""
        painter.save()
        font, hint, words = self._hint_layout(painter.font(), hint)
        painter.setFont(font)
        pad = font.pixelSize() // 3
        height = words.height() + 2 * pad
        band = QRectF(0, self.height() - height, self.width(), height)
        painter.fillRect(band, QColor(0, 0, 0, 170))
        painter.setPen(QColor("#ffd54f"))
        painter.drawText(band.adjusted(HINT_MARGIN, 0, -HINT_MARGIN, 0), _HINT_FLAGS, hint)
        painter.restore()
        return height

    def _hint_layout(self, base: QFont, hint: str) -> tuple[QFont, str, QRect]:
        """The hint's font, its text with any line break, and the room its lines take; fitted
        once per text, font and size, not on every frame painted while it shows."""
        key = (hint, base.key(), self.width(), self.height())
        if self._hint_fitted is None or self._hint_fitted[0] != key:
            room = self.width() - 2 * HINT_MARGIN
            font = _hint_font(base, hint, room, self.height())
            if _widest(font, hint) > room and ": " in hint:
                # too narrow for one line: two, broken where the sentence breaks, not one word
                # left alone on the second
                hint = hint.replace(": ", ":\n", 1)
                font = _hint_font(base, hint, room, self.height())
            words = QFontMetrics(font).boundingRect(
                QRect(0, 0, room, self.height()), _HINT_FLAGS, hint
            )
            self._hint_fitted = (key, (font, hint, words))
        return self._hint_fitted[1]

    def _fit(self, w: int, h: int) -> QRectF:
        scale = min(self.width() / w, self.height() / h)
        tw, th = w * scale, h * scale
        return QRectF((self.width() - tw) / 2, (self.height() - th) / 2, tw, th)


def _hint_font(base: QFont, hint: str, room: int, height: int) -> QFont:
    """Bold, a twelfth of the preview's height, made smaller until each line of the hint fits
    in `room`, but not below HINT_MIN_PX (there it wraps)."""
    font = QFont(base)
    font.setBold(True)
    size = max(HINT_MIN_PX, height // 12)
    font.setPixelSize(size)
    width = _widest(font, hint)
    while width > room and size > HINT_MIN_PX:
        # scaled in one step, then a pixel at a time: advances do not scale exactly
        size = max(HINT_MIN_PX, min(size - 1, size * room // width))
        font.setPixelSize(size)
        width = _widest(font, hint)
    return font


def _widest(font: QFont, text: str) -> int:
    return math.ceil(widest_line(font, text))


def _to_qimage(frame: np.ndarray) -> QImage:
    rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) if frame.ndim == 3 else frame
    h, w = rgb.shape[:2]
    fmt = QImage.Format.Format_RGB888 if rgb.ndim == 3 else QImage.Format.Format_Grayscale8
    # copy(): the QImage must own its pixels once the numpy frame is replaced
    return QImage(rgb.data, w, h, rgb.strides[0], fmt).copy()
