"""The receipt as Qt's printing puts it on paper: the layout the PDF is drawn from, drawn by
QPainter, at a thermal receipt printer's 203 dpi and onto a paper narrower than the layout."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from kiosk.declaration_form import validate
from kiosk.receipts import layout_receipt, receipt_content
from scanner.pipeline import decode_frame
from tests.ui.test_roles import FORM
from ui.receipt_printing import draw


def _page(paper: str):
    decl, errors = validate(FORM, date(2026, 12, 2))
    assert not errors
    content = receipt_content(
        decl,
        "261202000000000042",
        datetime(2026, 12, 2, 1, 0, tzinfo=UTC),
        "chot-demo-01",
        "Đang chờ duyệt",
        "Pending",
    )
    return layout_receipt(content, paper), content


def _print_on(page, dpi: int, paper_width_mm: float) -> np.ndarray:
    """A printer's raster: black or white dots, no grey (a thermal head has none)."""
    width = round(paper_width_mm / 25.4 * dpi)
    height = round(page.height / 72 * dpi) + 8
    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    image.fill(255)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    painter = QPainter(image)
    draw(painter, page, dpi, QRectF(0, 0, width, height))
    painter.end()
    gray = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return np.where(gray[:, :width] < 128, 0, 255).astype(np.uint8)


def _printed_modules(dots: np.ndarray, corner: tuple[int, int], size: int) -> tuple[int, list]:
    """(dots per module, the modules as printed) from the symbol's top-left corner: the finder
    pattern's top edge is 7 modules of black; each module must be one colour throughout."""
    x, y = corner
    window = dots[max(0, y - 6) : y + 6, max(0, x - 6) : x + 6]
    ys, xs = np.where(window == 0)
    first = min(zip(ys, xs, strict=True), key=lambda p: p[0] + p[1])
    y0, x0 = max(0, y - 6) + int(first[0]), max(0, x - 6) + int(first[1])
    run = int(np.argmax(dots[y0, x0:] != 0))
    assert run % 7 == 0, f"the finder's edge is {run} dots: modules of uneven width"
    unit = run // 7
    rows = []
    for r in range(size):
        row = []
        for c in range(size):
            cell = dots[y0 + r * unit : y0 + (r + 1) * unit, x0 + c * unit : x0 + (c + 1) * unit]
            assert cell.min() == cell.max(), f"module ({r}, {c}) is part black, part white"
            row.append(bool(cell[0, 0] == 0))
        rows.append(tuple(row))
    return unit, rows


@pytest.mark.parametrize(("paper", "paper_mm"), [("roll80", 80), ("roll80", 72), ("a5", 148)])
def test_a_203_dpi_thermal_print_of_the_receipt_reads_back_with_even_modules(qapp, paper, paper_mm):
    page, content = _page(paper)
    dots = _print_on(page, 203, paper_mm)
    codes = decode_frame(np.dstack([dots] * 3))
    assert [c.text for c in codes] == [content.qr_text]
    unit, modules = _printed_modules(dots, codes[0].corners[0], len(page.qr.modules))
    assert modules == [tuple(row) for row in page.qr.modules]  # exactly the code, dot for dot
    assert unit >= 4  # a module is 4 dots (0.5 mm) or more: a worn head still prints it
