"""The receipt of an assisted declaration: a one-page PDF with the QR the person shows at the
next checkpoint. DejaVu Sans is embedded, so every Vietnamese letter prints (the PDF base fonts
have no ệ, ữ or Đ)."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from kiosk.assets import assets_dir
from kiosk.clock import local
from kiosk.declaration_form import AssistedDeclaration
from kiosk.storage.repository import fold_name

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"


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
    phone = decl.phone[:2] + "******" + decl.phone[-2:]
    return (
        f"{decl.id_number}|{fold_name(decl.full_name)}|{decl.birth_date.isoformat()}|1|"
        f"{receipt_no}|<1<00<<{phone}"
    )


def write_receipt(
    path: Path,
    decl: AssistedDeclaration,
    receipt_no: str,
    created_at: datetime,
    checkpoint: str,
    status_vi: str,
    status_en: str,
) -> Path:
    register_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = A5
    c = canvas.Canvas(str(path), pagesize=A5, pageCompression=1)
    c.setTitle(f"Biên nhận khai báo y tế {receipt_no}")
    c.setFont(BOLD, 14)
    c.drawCentredString(width / 2, height - 18 * mm, "BIÊN NHẬN KHAI BÁO Y TẾ (KHAI HỘ)")
    c.setFont(FONT, 9)
    c.drawCentredString(width / 2, height - 24 * mm, "Health declaration receipt (assisted)")
    y = height - 36 * mm
    sex = "Nam" if decl.sex == "M" else "Nữ"
    rows = [
        ("Số biên nhận / Receipt no.", receipt_no),
        ("Họ và tên / Name", decl.full_name),
        ("Số CMND/CCCD / ID", decl.id_number),
        ("Ngày sinh, giới tính / Born, sex", f"{decl.birth_date:%d/%m/%Y}, {sex}"),
        ("Nơi ở / Address", f"{decl.commune}, {decl.district}, {decl.province}"),
        ("Đến từ / Coming from", decl.came_from),
        ("Thời gian / Time", f"{local(created_at):%H:%M %d/%m/%Y}"),
        ("Chốt / Checkpoint", checkpoint),
        ("Trạng thái / Status", f"{status_vi} / {status_en}"),
    ]
    value_width = width - 62 * mm - 10 * mm
    for label, value in rows:
        c.setFont(FONT, 8)
        c.drawString(14 * mm, y, label)
        c.setFont(BOLD, 10)
        for line in simpleSplit(value, BOLD, 10, value_width):  # wrap, never cut an address
            c.drawString(62 * mm, y, line)
            y -= 4.6 * mm
        y -= 2.4 * mm
    png = io.BytesIO()
    segno.make_qr(receipt_qr_text(decl, receipt_no), error="m").save(
        png, kind="png", scale=8, border=4
    )
    png.seek(0)
    side = min(62 * mm, y - 22 * mm)
    c.drawImage(ImageReader(png), (width - side) / 2, y - side - 2 * mm, side, side)
    c.setFont(FONT, 9)
    c.drawCentredString(width / 2, 14 * mm, "Xuất trình mã QR này tại chốt kiểm soát tiếp theo.")
    c.drawCentredString(width / 2, 9 * mm, "Show this QR at the next checkpoint.")
    c.showPage()
    c.save()
    return path
