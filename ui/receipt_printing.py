"""Prints a receipt through Qt's print dialog, on an A5 sheet or an 80 mm receipt roll.

What is drawn is kiosk.receipts.layout_receipt's page, the one the receipt PDF is drawn from:
here QPainter draws the same lines (text, so a PDF printer keeps it searchable) and the QR as
filled squares snapped to whole printer dots, so a 203 dpi thermal head prints every module the
same width. The page is drawn on the paper as laid out; a paper narrower than the layout (a
driver that calls its roll 72 mm) gets it scaled down to fit, never cut.
"""

from __future__ import annotations

import enum
import math
import os
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from kiosk.assets import assets_dir
from kiosk.receipts import QrSquare, ReceiptPage, TextLine

# A folder: print there as PDF files, without the dialog (the tests; a kiosk with no printer
# that keeps its receipts as files). Unset: Qt's print dialog, whose printer is remembered by CUPS.
PRINT_TO_PDF_ENV = "KIOSK_PRINT_TO_PDF"
_families: dict[str, str] = {}


class Printed(enum.Enum):
    PRINTED = "printed"
    CANCELLED = "cancelled"
    FAILED = "failed"


def receipt_font_family() -> str:
    """DejaVu Sans from the bundled assets, as the PDF embeds it (the printer may have no font
    with every Vietnamese letter)."""
    if "family" not in _families:
        family = "DejaVu Sans"
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
            found = QFontDatabase.addApplicationFont(str(assets_dir() / "fonts" / name))
            if found >= 0:
                family = QFontDatabase.applicationFontFamilies(found)[0]
        _families["family"] = family
    return _families["family"]


def page_size(page: ReceiptPage) -> QPageSize:
    if page.paper == "a5":
        return QPageSize(QPageSize.PageSizeId.A5)
    return QPageSize(
        QSizeF(page.width, page.height),
        QPageSize.Unit.Point,
        "80 mm",
        QPageSize.SizeMatchPolicy.ExactMatch,  # a fuzzy match would turn a long roll into A-sizes
    )


def new_printer(page: ReceiptPage) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(page_size(page))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the layout has its own margins, from the paper's edge
    printer.setDocName(page.title)
    printer.setCreator("checkpoint-kiosk")
    return printer


def print_receipt(page: ReceiptPage, parent: QWidget | None, file_stem: str) -> Printed:
    """Asks where to print (Qt's dialog), then prints; with KIOSK_PRINT_TO_PDF set, prints to
    FOLDER/file_stem-PAPER.pdf with no dialog."""
    printer = new_printer(page)
    folder = os.environ.get(PRINT_TO_PDF_ENV)
    if folder:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(Path(folder) / f"{file_stem}-{page.paper}.pdf"))
    else:
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return Printed.CANCELLED
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            # "Print to File" puts back the locale's Letter/A4: a file gets the layout's paper
            printer.setPageSize(page_size(page))
    return Printed.PRINTED if paint(printer, page) else Printed.FAILED


def paint(printer: QPrinter, page: ReceiptPage) -> bool:
    """Draws the page; False when the printer (or the PDF file) refused it."""
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        draw(painter, page, printer.resolution(), printer.paperRect(QPrinter.Unit.DevicePixel))
    finally:
        ended = painter.end()
    return ended and printer.printerState() != QPrinter.PrinterState.Error


def draw(painter: QPainter, page: ReceiptPage, dpi: int, paper: QRectF) -> None:
    """Draws the page's items onto a device of `dpi` whose paper is `paper` (device pixels)."""
    k = dpi / 72.0  # device pixels per point
    scale = min(1.0, paper.width() / (page.width * k))
    k *= scale
    left = (paper.width() - page.width * k) / 2
    family = receipt_font_family()
    painter.setPen(QColor("black"))
    for item in page.items:
        if isinstance(item, TextLine):
            font = QFont(family)
            font.setPointSizeF(item.size * scale)
            font.setBold(item.bold)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            painter.setFont(font)
            x = left + item.x * k
            if item.centred:
                x -= QFontMetricsF(font, painter.device()).horizontalAdvance(item.text) / 2
            painter.drawText(QPointF(x, item.y * k), item.text)
        else:
            _draw_qr(painter, item, left, k)


def _draw_qr(painter: QPainter, qr: QrSquare, left: float, k: float) -> None:
    # whole device pixels per module: every module prints the same size on any printer
    unit = max(1, math.floor(qr.side * k / qr.count))
    actual = unit * qr.count
    x0 = round(left + qr.x * k + (qr.side * k - actual) / 2)
    y0 = round(qr.y * k + (qr.side * k - actual) / 2)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for row, col, run in qr.dark_runs():
        path.addRect(x0 + col * unit, y0 + row * unit, run * unit, unit)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillPath(path, QColor("black"))
