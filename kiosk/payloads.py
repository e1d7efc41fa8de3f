"""What a scanned or typed text is: a signed token, a chip-CCCD QR, a national personal QR or an ID.

Layouts are in docs/vietnam-formats.md and docs/formats.md. Fields are split, never
sliced by position; text is NFC-normalised because readers and decoders differ in composition.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from kiosk import tokens
from kiosk.errors import InputError
from kiosk.hcert.decode import looks_like_hcert
from kiosk.ids import PersonalId, parse_id

MAX_PAYLOAD = 2000  # chars; a CCCD QR with a long address is under 300
_MASKED_ID = re.compile(r"^[0-9*]{9,12}$")


@dataclass(frozen=True)
class Payload:
    """kind: 'token', 'cccd_qr', 'personal_qr', 'typed_id' or 'hcert' (EU DCC, kiosk/hcert/)."""

    kind: str
    text: str
    person_id: PersonalId | None = None
    masked_id: str | None = None  # personal QR with a masked number: digits and '*'
    name: str | None = None
    birth_date: date | None = None
    sex: str | None = None  # 'M' or 'F'
    declared_by_proxy: bool = False


def text_from_bytes(raw: bytes) -> str:
    """Reader and decoder bytes to text: UTF-8 or refusal (a guess at Shift-JIS garbles names)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not_utf8") from None


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\ufeff", "")).strip()


def classify(text: str, today: date | None = None) -> Payload:
    """Raises InputError when the text is neither an ID number nor a checkpoint code."""
    text = normalise(text)
    if not text:
        raise InputError("not_checkpoint_code")  # an empty QR or reader line
    if looks_like_hcert(text):  # before the length cap: an oversized HC1 gets its own reason
        return Payload("hcert", text)
    if len(text) > MAX_PAYLOAD:
        raise InputError("not_checkpoint_code")
    if tokens.looks_like_token(text):
        return Payload("token", text)
    if "|" in text:
        fields = text.split("|")
        if len(fields) == 6 and _looks_like_iso_date(fields[2]):
            return _personal_qr(text, fields, today)
        if len(fields) >= 7:
            return _cccd_qr(text, fields, today)
        raise InputError("not_checkpoint_code")
    compact = re.sub(r"[\s.\-]", "", text)
    if compact.isascii() and compact.isdigit() and len(compact) in (9, 12):
        return Payload("typed_id", text, person_id=parse_id(compact, today))
    # Other digit strings read by a scanner are product barcodes (EAN-8/13) or phone numbers,
    # not a mistyped ID: typed numbers go through parse_id, which says "9 or 12 digits".
    raise InputError("not_checkpoint_code")


def _looks_like_iso_date(value: str) -> bool:
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


def _cccd_qr(text: str, fields: list[str], today: date | None) -> Payload:
    # CCCD|old CMND|name|DOB ddmmyyyy|sex|address|issue date, then possibly empty extras
    if any(f.strip() for f in fields[7:]):
        raise InputError("cccd_malformed")
    number, old, name, dob, sex, _address, issued = (f.strip() for f in fields[:7])
    if len(number) != 12 or (old and not (len(old) == 9 and old.isdigit())):
        raise InputError("cccd_malformed")
    birth = _parse_date(dob, "%d%m%Y")
    _parse_date(issued, "%d%m%Y")
    sex_code = {"nam": "M", "nữ": "F"}.get(sex.lower())
    if not name or sex_code is None:
        raise InputError("cccd_malformed")
    try:
        pid = parse_id(number, today)
    except InputError:
        raise InputError("cccd_malformed") from None
    return Payload("cccd_qr", text, person_id=pid, name=name, birth_date=birth, sex=sex_code)


def _personal_qr(text: str, fields: list[str], today: date | None) -> Payload:
    # ID|NAME|YYYY-MM-DD|0 or 1|QID (18 digits)|EXT
    number, name, dob, proxy, qid, _ext = (f.strip() for f in fields)
    if proxy not in ("0", "1") or not (qid.isdigit() and len(qid) == 18) or not name:
        raise InputError("personal_qr_malformed")
    birth = _parse_date(dob, "%Y-%m-%d", "personal_qr_malformed")
    common = {"name": name, "birth_date": birth, "declared_by_proxy": proxy == "1"}
    if "*" in number:
        if not _MASKED_ID.match(number) or number.count("*") == len(number):
            raise InputError("personal_qr_malformed")
        return Payload("personal_qr", text, masked_id=number, **common)
    try:
        pid = parse_id(number, today)
    except InputError:
        raise InputError("personal_qr_malformed") from None
    return Payload("personal_qr", text, person_id=pid, **common)


def _parse_date(value: str, fmt: str, code: str = "cccd_malformed") -> date:
    try:
        return datetime.strptime(value, fmt).date()
    except ValueError:
        raise InputError(code) from None
