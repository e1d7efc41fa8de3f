"""Markets and their household cards ("thẻ đi chợ"), issued by the back office.

A market's rules (days, time slot, quota) are kept with it on the server; a card copies them
into its signed QR (CK1 type 2, signed with the server's active key), so any kiosk judges it
offline. One card per household: a second is refused until the first is revoked; a reissue
revokes the old card (kiosks deny it after their next sync) and signs a new one with a new id.
Printing: A4 sheets of eight cards with cut marks, DejaVu Sans embedded, QRs large enough to
read from a 150 dpi print.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas
from sqlalchemy import Engine, func, select

from kiosk.clock import VIETNAM, local_day
from kiosk.market_cards import (
    EVEN_DATES,
    EVERY_N_DAYS,
    ODD_DATES,
    WEEKDAYS,
    CardRules,
    MarketCardToken,
    describe_days,
    sign_card,
)
from kiosk.receipts import BOLD, FONT, register_fonts
from kiosk_server import admin
from kiosk_server.days import parse_day
from kiosk_server.db import now
from kiosk_server.office import OfficeError, get, put
from kiosk_server.office_db import issued_cards
from kiosk_server.staff import audit

CARD_ID_BASE = 100_000  # ids the office gives: above the demo's and small CSV imports'
DAY_KINDS = {"odd": ODD_DATES, "even": EVEN_DATES, "weekdays": WEEKDAYS, "every": EVERY_N_DAYS}
CARD_W, CARD_H = 90 * mm, 60 * mm
COLS, ROWS = 2, 4  # eight cards to an A4 page


# --- markets --------------------------------------------------------------------------------
def save_market(engine: Engine, actor: str, form: dict[str, str]) -> dict[str, Any]:
    def read(field: str, convert: Callable[[], Any]) -> Any:
        try:
            return convert()
        except (KeyError, ValueError):
            raise OfficeError("bad_market", field=field) from None

    number = read("id", lambda: int(form.get("id", "")))
    days = form.get("days", "odd")
    kind = read("days", lambda: DAY_KINDS[days])
    param = read("param", lambda: int(form.get("param") or 0))
    slot = read("slot_from", lambda: _slot(form.get("slot_from", ""), form.get("slot_to", "")))
    max_entries = read("max_entries", lambda: int(form.get("max_entries") or 0))
    period = read("period_days", lambda: int(form.get("period_days") or 0))
    name = " ".join(form.get("name", "").split())
    for field, wrong in (
        ("id", number < 1),
        ("name", not name),
        ("param", not 0 <= param < 2**31),
        ("param", kind == WEEKDAYS and not 0 < param < 128),
        ("param", kind == EVERY_N_DAYS and param < 1),
        ("max_entries", max_entries < 0),
        ("period_days", period < 0),
    ):
        if wrong:
            raise OfficeError("bad_market", field=field)
    doc = {
        "id": number,
        "name": name,
        "days": days,
        "param": param,
        "slot": [s.strftime("%H:%M") for s in slot] if slot else None,
        "max_entries": max_entries,
        "period_days": period,
    }
    with engine.begin() as conn:
        put(conn, "market", str(number), doc)
        audit(conn, actor, "market_save", f"market:{number}", doc)
    return doc


def _slot(start: str, end: str) -> tuple[time, time] | None:
    if not start and not end:
        return None
    a, b = time.fromisoformat(start), time.fromisoformat(end)
    if b <= a:
        raise ValueError("slot")
    return a, b


def market_rules(market: dict[str, Any]) -> CardRules:
    slot = market.get("slot")
    return CardRules(
        DAY_KINDS.get(str(market.get("days", "odd")), ODD_DATES),
        int(market.get("param") or 0),
        (time.fromisoformat(slot[0]), time.fromisoformat(slot[1])) if slot else None,
        int(market.get("max_entries") or 0),
        int(market.get("period_days") or 0),
    )


# --- cards ----------------------------------------------------------------------------------
def household_key(form: dict[str, str]) -> str:
    """The household as the ward's list names it; folded so that spacing and case do not make
    a second household of the same one."""
    raw = form.get("household", "") or form.get("household_head", "") + "|" + form.get("phone", "")
    return " ".join(raw.lower().split())[:80]


def issue_card(engine: Engine, actor: str, form: dict[str, str], replaces: int | None = None):
    head = " ".join(form.get("household_head", "").split())
    phone = "".join(form.get("phone", "").split())
    household = household_key(form)
    try:
        market_id = int(form.get("market_id", ""))
    except ValueError:
        raise OfficeError("bad_card", field="market_id") from None
    start = _typed_day(form, "valid_from") or local_day(now())
    end = _typed_day(form, "valid_to") or start + timedelta(days=30)
    if len(head.split()) < 2:
        raise OfficeError("bad_card", field="household_head")
    if end < start:
        raise OfficeError("bad_dates", field="valid_to")
    if not household:
        raise OfficeError("bad_card", field="household")
    if admin.demo_key_in_use(engine):  # anyone can sign with it: rotate-key withdraws it
        raise OfficeError("demo_key")
    key_id, key = admin.active_key(engine)
    with engine.begin() as conn:
        market = get(conn, "market", str(market_id))
        if market is None:
            raise OfficeError("bad_card", field="market_id")
        for row in conn.execute(
            select(issued_cards.c.card_id).where(issued_cards.c.household_key == household)
        ):
            held = get(conn, "market_card", str(row.card_id))
            if held and not held.get("revoked") and row.card_id != replaces:
                raise OfficeError("household_has_card", card=row.card_id)
        card_id = (
            max(
                CARD_ID_BASE, (conn.execute(select(func.max(issued_cards.c.card_id))).scalar() or 0)
            )
            + 1
        )
        while get(conn, "market_card", str(card_id)) is not None:  # an imported card's id
            card_id += 1
        at = now().replace(microsecond=0)
        token = MarketCardToken(
            key_id,
            at,
            datetime.combine(end + timedelta(days=1), time(), VIETNAM),
            card_id,
            market_id,
            start,
            end,
            market_rules(market),
        )
        qr = sign_card(token, key)
        conn.execute(
            issued_cards.insert().values(
                card_id=card_id,
                household_key=household,
                qr_text=qr,
                issued_at=at,
                issued_by=actor,
            )
        )
        doc = {
            "card_id": card_id,
            "household_head": head,
            "phone": phone,
            "market_id": market_id,
            "revoked": False,
            "updated_at": at.isoformat(),
            "household": household,
            "valid_from": start.isoformat(),
            "valid_to": end.isoformat(),
        }
        put(conn, "market_card", str(card_id), doc)
        audit(
            conn,
            actor,
            "card_issue",
            f"card:{card_id}",
            {"market": market_id, "replaces": replaces},
        )
    return doc


def revoke_card(engine: Engine, actor: str, card_id: int) -> dict[str, Any]:
    with engine.begin() as conn:
        doc = get(conn, "market_card", str(card_id))
        if doc is None:
            raise OfficeError("no_card")
        doc["revoked"] = True
        doc["updated_at"] = now().isoformat()
        put(conn, "market_card", str(card_id), doc)
        audit(conn, actor, "card_revoke", f"card:{card_id}", {})
    return doc


def _typed_day(form: dict[str, str], field: str) -> date | None:
    """The day typed in `field`, None when it was left empty, OfficeError naming it when it is
    no day."""
    typed = form.get(field, "").strip()
    try:
        return parse_day(typed) if typed else None
    except ValueError:
        raise OfficeError("bad_date", field=field) from None


def reissue_card(engine: Engine, actor: str, card_id: int) -> dict[str, Any]:
    """A lost or damaged card: the old one is revoked, a new one signed for the household."""
    old = revoke_card(engine, actor, card_id)
    form = {k: str(old.get(k, "")) for k in ("household_head", "phone", "market_id", "valid_to")}
    form["household"] = str(old.get("household", ""))
    return issue_card(engine, actor, form, replaces=card_id)


def printable(engine: Engine, card_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Cards to print, with their QR text and market name; revoked ones are left out."""
    out = []
    with engine.connect() as conn:
        for card_id in card_ids:
            doc = get(conn, "market_card", str(card_id))
            qr = conn.execute(
                select(issued_cards.c.qr_text).where(issued_cards.c.card_id == card_id)
            ).scalar()
            if doc is None or qr is None or doc.get("revoked"):
                continue
            market = get(conn, "market", str(doc["market_id"])) or {}
            out.append(
                {
                    **doc,
                    "qr": qr,
                    "market_name": market.get("name", ""),
                    "rules": market_rules(market) if market else None,
                }
            )
    return out


def cards_pdf(cards: list[dict[str, Any]], out: io.BytesIO | Path) -> None:
    register_fonts()
    c = canvas.Canvas(
        out if isinstance(out, io.BytesIO) else str(out), pagesize=A4, pageCompression=1
    )
    c.setTitle("Thẻ đi chợ / Market cards")
    page_w, page_h = A4
    left = (page_w - COLS * CARD_W) / 2
    top = page_h - (page_h - ROWS * CARD_H) / 2
    today = local_day(now())
    for i, card in enumerate(cards):
        slot = i % (COLS * ROWS)
        if i and slot == 0:
            c.showPage()
        x = left + (slot % COLS) * CARD_W
        y = top - (slot // COLS + 1) * CARD_H
        _card(c, card, x, y, today)
        _cut_marks(c, x, y)
    c.showPage()
    c.save()


def _card(c: canvas.Canvas, card: dict[str, Any], x: float, y: float, today: date) -> None:
    pad = 4 * mm
    qr_side = 44 * mm
    png = io.BytesIO()
    segno.make_qr(card["qr"], error="m").save(png, kind="png", scale=6, border=4)
    png.seek(0)
    c.drawImage(
        ImageReader(png),
        x + CARD_W - qr_side - 2 * mm,
        y + (CARD_H - qr_side) / 2,
        qr_side,
        qr_side,
    )
    text_w = CARD_W - qr_side - pad - 2 * mm
    ty = y + CARD_H - pad - 3 * mm
    c.setFont(BOLD, 10)
    c.drawString(x + pad, ty, "THẺ ĐI CHỢ")
    c.setFont(FONT, 6.5)
    c.drawString(x + pad, ty - 3 * mm, "Market card")
    ty -= 8 * mm
    for line in simpleSplit(card["household_head"], BOLD, 9, text_w)[:2]:
        c.setFont(BOLD, 9)
        c.drawString(x + pad, ty, line)
        ty -= 4 * mm
    c.setFont(FONT, 7.5)
    lines = [card["market_name"], f"Số thẻ / No. {card['card_id']}"]
    if card.get("rules") is not None:
        token = MarketCardToken(
            0,
            now(),
            now(),
            card["card_id"],
            card["market_id"],
            date.fromisoformat(card["valid_from"]),
            date.fromisoformat(card["valid_to"]),
            card["rules"],
        )
        lines.append("Ngày: " + describe_days(token, today, "vi"))
        if card["rules"].slot:
            a, b = card["rules"].slot
            lines.append(f"Giờ: {a:%H:%M}–{b:%H:%M}")
    lines.append(f"{_vn(card['valid_from'])} – {_vn(card['valid_to'])}")
    for value in lines:
        for line in simpleSplit(value, FONT, 7.5, text_w)[:2]:
            c.drawString(x + pad, ty, line)
            ty -= 3.5 * mm


def _vn(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _cut_marks(c: canvas.Canvas, x: float, y: float) -> None:
    """Short strokes outside each corner: a guillotine follows them, the card keeps no line."""
    c.setLineWidth(0.3)
    mark, gap = 3 * mm, 1 * mm
    for cx, dx in ((x, -1), (x + CARD_W, 1)):
        for cy, dy in ((y, -1), (y + CARD_H, 1)):
            c.line(cx + dx * gap, cy, cx + dx * (gap + mark), cy)
            c.line(cx, cy + dy * gap, cx, cy + dy * (gap + mark))


def checkpoint_poster(checkpoint: str, name: str, text: str, out: io.BytesIO) -> None:
    """An A4 poster for a checkpoint: its name and a QR of `text` (the declaration address
    people scan with their phones before they reach the barrier)."""
    register_fonts()
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(f"Chốt {checkpoint}")
    w, h = A4
    c.setFont(BOLD, 26)
    c.drawCentredString(w / 2, h - 35 * mm, "CHỐT KIỂM SOÁT DỊCH")
    c.setFont(BOLD, 18)
    for i, line in enumerate(simpleSplit(name or checkpoint, BOLD, 18, w - 40 * mm)[:2]):
        c.drawCentredString(w / 2, h - 50 * mm - i * 8 * mm, line)
    png = io.BytesIO()
    segno.make_qr(text, error="q").save(png, kind="png", scale=10, border=4)
    png.seek(0)
    side = 130 * mm
    c.drawImage(ImageReader(png), (w - side) / 2, h - 75 * mm - side, side, side)
    c.setFont(FONT, 14)
    c.drawCentredString(w / 2, 50 * mm, "Quét mã để khai báo y tế trước khi qua chốt.")
    c.setFont(FONT, 11)
    c.drawCentredString(w / 2, 42 * mm, "Scan to declare your health before the checkpoint.")
    c.setFont(FONT, 9)
    c.drawCentredString(w / 2, 20 * mm, f"{checkpoint} · {text}")
    c.showPage()
    c.save()
