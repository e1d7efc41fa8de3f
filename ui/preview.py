"""The live camera picture with the codes found outlined. Painted by a timer from the newest
frame, so the preview never waits on decoding and decoding never waits on painting."""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from scanner.decoders import Code
from scanner.frames import LatestFrame

# A code held in a moving hand is missed on a frame now and then: the outline survives a few
# empty frames so it does not flicker, and no more, or it is left drawn on an empty card. The
# time limit covers a decoder that stops reporting altogether.
MISSES_BEFORE_CLEAR = 3
OUTLINE_SECONDS = 0.6


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
        self._codes: list[Code] = []
        self._codes_at = 0.0
        self._misses = 0
        self._painted_seq = -1
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
        if self.message:
            painter.setPen(QColor("#ffffff"))
            painter.drawText(
                self.rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft,
                self.message,
            )
        painter.end()

    def _fit(self, w: int, h: int) -> QRectF:
        scale = min(self.width() / w, self.height() / h)
        tw, th = w * scale, h * scale
        return QRectF((self.width() - tw) / 2, (self.height() - th) / 2, tw, th)


def _to_qimage(frame: np.ndarray) -> QImage:
    rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) if frame.ndim == 3 else frame
    h, w = rgb.shape[:2]
    fmt = QImage.Format.Format_RGB888 if rgb.ndim == 3 else QImage.Format.Format_Grayscale8
    # copy(): the QImage must own its pixels once the numpy frame is replaced
    return QImage(rgb.data, w, h, rgb.strides[0], fmt).copy()
