"""The quarantine handover list, printed at the kiosk for the quarantine team: who was referred
to concentrated quarantine here (directive 82/CV-BCĐ III.4.b, III.5.b), with what the team needs
to take each person over (name, ID, phone, origin, time) and a status column to tick. DejaVu Sans
is embedded, as on the receipt, so every Vietnamese letter prints."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from kiosk import messages
from kiosk.clock import local
from kiosk.receipts import BOLD, FONT, register_fonts
from kiosk.storage.handovers import HandoverRow

# column title (Vietnamese / English), its width in mm
COLUMNS = (
    ("STT / No.", 18),
    ("Họ và tên / Name", 54),
    ("Số CMND/CCCD / ID", 36),
    ("Điện thoại / Phone", 34),
    ("Đến từ / Origin", 60),
    ("Thời gian / Time", 30),
    ("Tình trạng / Status", 45),
)


def write_handover_pdf(
    path: Path, rows: list[HandoverRow], checkpoint: str, printed_at: datetime
) -> Path:
    register_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = landscape(A4)
    c = canvas.Canvas(str(path), pagesize=(width, height), pageCompression=1)
    c.setTitle(f"Danh sách bàn giao cách ly tập trung {checkpoint}")

    def header() -> float:
        c.setFont(BOLD, 14)
        c.drawCentredString(
            width / 2, height - 15 * mm, "DANH SÁCH BÀN GIAO CÁCH LY TẬP TRUNG 21 NGÀY + PCR"
        )
        c.setFont(FONT, 9)
        c.drawCentredString(
            width / 2,
            height - 21 * mm,
            f"Quarantine handover list · Chốt / Checkpoint: {checkpoint} · "
            f"In lúc / Printed: {local(printed_at):%H:%M %d/%m/%Y}",
        )
        x, y = 10 * mm, height - 32 * mm
        c.setFont(BOLD, 8.5)
        for title, w in COLUMNS:
            c.drawString(x + 1 * mm, y, title)
            x += w * mm
        c.line(10 * mm, y - 2 * mm, width - 10 * mm, y - 2 * mm)
        return y - 7 * mm

    y = header()
    if not rows:
        c.setFont(FONT, 10)
        c.drawString(11 * mm, y, "Không có ai / Nobody referred.")
    for n, r in enumerate(rows, 1):
        status = " / ".join(
            messages.text(messages.HANDOVER_STATUS[r.status], lang) for lang in ("vi", "en")
        )
        cells = (
            str(n),
            r.full_name,
            r.id_number,
            r.phone,
            r.origin,
            f"{local(r.referred_at):%H:%M %d/%m}",
            status,
        )
        wrapped = [
            simpleSplit(text, FONT, 9, (w - 2) * mm)
            for text, (_t, w) in zip(cells, COLUMNS, strict=True)
        ]
        lines = max(len(w) for w in wrapped) or 1
        if y - lines * 4.4 * mm < 15 * mm:
            c.showPage()
            y = header()
        x = 10 * mm
        c.setFont(FONT, 9)
        for cell_lines, (_t, w) in zip(wrapped, COLUMNS, strict=True):
            for i, line in enumerate(cell_lines):
                c.drawString(x + 1 * mm, y - i * 4.4 * mm, line)
            x += w * mm
        c.setLineWidth(0.3)
        rule = y - (lines - 1) * 4.4 * mm - 2.2 * mm  # under the row's last line, clear of it
        c.line(10 * mm, rule, width - 10 * mm, rule)
        y -= lines * 4.4 * mm + 3 * mm
    c.setFont(FONT, 8)
    c.drawString(10 * mm, 8 * mm, "Người bàn giao / Handed over by: ....................")
    c.drawString(width / 2, 8 * mm, "Người nhận (đội cách ly) / Received by: ....................")
    c.showPage()
    c.save()
    return path
