"""The receipt of an assisted declaration, with the QR the person shows at the next checkpoint.

One layout, two papers: an A5 sheet, and an 80 mm receipt-printer roll (72 mm printable,
continuous: the page is as tall as the receipt). `layout_receipt` places every line and the QR
once, in points from the page's top-left; reportlab draws it as the PDF here, and the window's
printing (ui/receipt_printing.py) draws the very same items with QPainter onto Qt's printer, so
the paper and the PDF cannot drift apart. DejaVu Sans is embedded (the PDF base fonts have no
ệ, ữ or Đ), and the QR is drawn as filled squares (vector), sharp at any printer's resolution.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from kiosk.assets import assets_dir
from kiosk.clock import local
from kiosk.declaration_form import AssistedDeclaration
from kiosk.storage.repository import fold_name

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAPERS = ("a5", "roll80")  # settings.json `receipt_paper`
QR_BORDER = 4  # the quiet zone, in modules, that a reader needs around the code


def receipt_spool(data_dir: Path) -> Path:
    """Where receipts go to be printed: a 0700 folder in RAM ($XDG_RUNTIME_DIR, else /dev/shm,
    both tmpfs on Linux), so a powered-off laptop holds none; the declaration itself stays in
    the encrypted database. The window empties it at each sign-out. Without a RAM folder (not
    Linux): DATA_DIR/receipts, emptied at sign-out too (docs/security.md)."""
    tag = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:12]
    for base in (os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm"):
        if base and Path(base).is_dir() and os.access(base, os.W_OK):
            folder = Path(base) / f"checkpoint-kiosk-{tag}" / "receipts"
            break
    else:
        folder = data_dir / "receipts"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder.parent if folder.parent != data_dir else folder, 0o700)
    os.chmod(folder, 0o700)
    return folder


def purge_receipts(folder: Path) -> int:
    """Deletes the printed receipts (at sign-out); returns how many."""
    gone = 0
    for pdf in folder.glob("bien-nhan-*.pdf*"):
        pdf.unlink(missing_ok=True)
        gone += 1
    return gone


def register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        fonts = assets_dir() / "fonts"
        pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "DejaVuSans-Bold.ttf")))


def receipt_qr_text(decl: AssistedDeclaration, receipt_no: str) -> str:
    """The national personal-QR layout (ID|NAME|YYYY-MM-DD|1|number|EXT), '1' = declared by
    someone else: every checkpoint kiosk already reads it and looks the person up by ID."""
    phone = decl.phone[:2] + "******" + decl.phone[-2:] if decl.phone else ""
    return (
        f"{decl.id_number}|{fold_name(decl.full_name)}|{decl.birth_date.isoformat()}|1|"
        f"{receipt_no}|<1<00<<{phone}"
    )


# --- what the receipt says ----------------------------------------------------------------
TITLE_VI_LINES = ("BIÊN NHẬN KHAI BÁO Y TẾ", "(KHAI HỘ)")
TITLE_VI = " ".join(TITLE_VI_LINES)
TITLE_EN = "Health declaration receipt (assisted)"
FOOTER_VI = "Xuất trình mã QR này tại chốt kiểm soát tiếp theo."
FOOTER_EN = "Show this QR at the next checkpoint."


@dataclass(frozen=True)
class ReceiptContent:
    """Everything printed on a receipt, whatever the paper."""

    receipt_no: str
    rows: tuple[tuple[str, str], ...]  # (bilingual label, value)
    qr_text: str


def receipt_content(
    decl: AssistedDeclaration,
    receipt_no: str,
    created_at: datetime,
    checkpoint: str,
    status_vi: str,
    status_en: str,
) -> ReceiptContent:
    sex = "Nam" if decl.sex == "M" else "Nữ"
    return ReceiptContent(
        receipt_no,
        (
            ("Số biên nhận / Receipt no.", receipt_no),
            ("Họ và tên / Name", decl.full_name),
            ("Số CMND/CCCD / ID", decl.id_number),
            ("Ngày sinh, giới tính / Born, sex", f"{decl.birth_date:%d/%m/%Y}, {sex}"),
            ("Nơi ở / Address", f"{decl.commune}, {decl.district}, {decl.province}"),
            ("Đến từ / Coming from", decl.came_from),
            ("Thời gian / Time", f"{local(created_at):%H:%M %d/%m/%Y}"),
            ("Chốt / Checkpoint", checkpoint),
            ("Trạng thái / Status", f"{status_vi} / {status_en}"),
        ),
        receipt_qr_text(decl, receipt_no),
    )


# --- where it goes on the paper -----------------------------------------------------------
@dataclass(frozen=True)
class TextLine:
    """One line of text; y is its baseline, x its left end (or its centre when centred)."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    centred: bool = False


@dataclass(frozen=True)
class QrSquare:
    """The QR, quiet zone included, as a square of side `side` whose top-left is (x, y)."""

    x: float
    y: float
    side: float
    modules: tuple[tuple[bool, ...], ...]  # dark modules, without the quiet zone

    @property
    def count(self) -> int:
        """Modules across, the quiet zone included."""
        return len(self.modules) + 2 * QR_BORDER

    def dark_runs(self) -> Iterator[tuple[int, int, int]]:
        """(row, first column, length) of each horizontal run of dark modules, in the
        coordinates of the square with its quiet zone: one filled rectangle per run."""
        for r, row in enumerate(self.modules):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    yield r + QR_BORDER, start + QR_BORDER, c - start
                else:
                    c += 1


@dataclass(frozen=True)
class ReceiptPage:
    """A laid-out receipt: page size in points and what is drawn where (points, y downwards)."""

    paper: str
    width: float
    height: float
    title: str
    items: tuple[TextLine | QrSquare, ...]

    @property
    def qr(self) -> QrSquare:
        return next(i for i in self.items if isinstance(i, QrSquare))


def _qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    qr = segno.make_qr(text, error="m")
    return tuple(tuple(bool(m) for m in row) for row in qr.matrix)


def layout_receipt(content: ReceiptContent, paper: str = "a5") -> ReceiptPage:
    """Places the receipt on `paper` ('a5' or 'roll80'); widths are measured with the embedded
    font, so a long address wraps and is never cut."""
    register_fonts()
    modules = _qr_modules(content.qr_text)
    title = f"Biên nhận khai báo y tế {content.receipt_no}"
    items: list[TextLine | QrSquare] = []
    if paper == "a5":
        width, height = 148 * mm, 210 * mm
        items += [
            TextLine(width / 2, 18 * mm, TITLE_VI, 14, bold=True, centred=True),
            TextLine(width / 2, 24 * mm, TITLE_EN, 9, centred=True),
        ]
        y = 36 * mm
        value_x = 62 * mm
        value_width = width - value_x - 10 * mm
        for label, value in content.rows:
            items.append(TextLine(14 * mm, y, label, 8))
            for line in simpleSplit(value, BOLD, 10, value_width):
                items.append(TextLine(value_x, y, line, 10, bold=True))
                y += 4.6 * mm
            y += 2.4 * mm
        # the QR between the rows and the footer, 62 mm at most (a long address shrinks it)
        side = min(62 * mm, height - y - 24 * mm)
        items.append(QrSquare((width - side) / 2, y + 2 * mm, side, modules))
        items += [
            TextLine(width / 2, height - 14 * mm, FOOTER_VI, 9, centred=True),
            TextLine(width / 2, height - 9 * mm, FOOTER_EN, 9, centred=True),
        ]
        return ReceiptPage(paper, width, height, title, tuple(items))
    if paper != "roll80":
        raise ValueError(f"paper: {paper!r} is not one of {PAPERS}")
    # 80 mm roll: receipt printers print 72 mm of it; one column, as tall as it needs
    width, left, inner = 80 * mm, 4 * mm, 72 * mm
    y = 6 * mm

    def centred(text: str, size: float, bold: bool = False) -> None:
        nonlocal y
        for line in simpleSplit(text, BOLD if bold else FONT, size, inner):
            y += size * 1.25
            items.append(TextLine(width / 2, y, line, size, bold=bold, centred=True))

    for part in TITLE_VI_LINES:  # "(KHAI HỘ)" on a line of its own, not cut in two
        centred(part, 11, bold=True)
    centred(TITLE_EN, 8)
    y += 3 * mm
    for label, value in content.rows:
        y += 8 * 1.2
        items.append(TextLine(left, y, label, 8))
        for line in simpleSplit(value, BOLD, 10, inner):
            y += 10 * 1.25
            items.append(TextLine(left, y, line, 10, bold=True))
        y += 1.6 * mm
    side = 56 * mm
    items.append(QrSquare((width - side) / 2, y + 1 * mm, side, modules))
    y += side + 2 * mm
    centred(FOOTER_VI, 8)
    centred(FOOTER_EN, 8)
    height = y + 10 * mm  # room to tear it off below the last line
    return ReceiptPage(paper, width, height, title, tuple(items))


def draw_pdf(page: ReceiptPage, path: Path) -> Path:
    """Draws a laid-out receipt as a one-page PDF (reportlab counts y upwards)."""
    register_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=(page.width, page.height), pageCompression=1)
    c.setTitle(page.title)
    for item in page.items:
        if isinstance(item, TextLine):
            c.setFont(BOLD if item.bold else FONT, item.size)
            draw = c.drawCentredString if item.centred else c.drawString
            draw(item.x, page.height - item.y, item.text)
        else:
            unit = item.side / item.count
            path_ = c.beginPath()
            for row, col, run in item.dark_runs():
                top = page.height - item.y - row * unit
                path_.rect(item.x + col * unit, top - unit, run * unit, unit)
            c.drawPath(path_, stroke=0, fill=1)  # one fill: no seams between rows
    c.showPage()
    c.save()
    return path


def write_receipt(path: Path, content: ReceiptContent, paper: str = "a5") -> Path:
    return draw_pdf(layout_receipt(content, paper), path)
