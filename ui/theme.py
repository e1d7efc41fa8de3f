"""Colours and sizes readable from two metres; one place, so every screen looks the same."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF

VERDICT_COLOURS: dict[str, tuple[str, str]] = {  # background, text
    "allow": ("#1b873f", "#ffffff"),
    "attention": ("#f2a900", "#1a1a1a"),
    "deny": ("#c62828", "#ffffff"),
    "idle": ("#37474f", "#ffffff"),
    "error": ("#4a148c", "#ffffff"),
}
BIG_WORD_PT = 48
REASON_PT = 20
DETAIL_PT = 15


def big_font(points: int = 18) -> QFont:
    font = QFont()
    font.setPointSize(points)
    return font


def widest_line(font: QFont, text: str) -> float:
    """The width of the text's longest line in `font`, in fractional pixels: fitting a font to a
    width needs them (a line a fraction of a pixel too wide is wrapped or cut when drawn)."""
    metrics = QFontMetricsF(font)
    return max(metrics.horizontalAdvance(line) for line in text.split("\n"))
