from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.storage import ScanRecord, Store

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam, a Sunday


class Clock:
    """A clock a test sets: `clock.now = ...`."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


# A complete assisted declaration form, as the assistant's screen hands it over.
ASSISTED_FORM = {
    "full_name": "Võ Thị Ữ",
    "id_number": "046301002345",
    "birth_date": "14/02/2001",
    "sex": "F",
    "phone": "0905 123 456",
    "province": "Thừa Thiên Huế",
    "district": "Thành phố Huế",
    "commune": "Phường Vĩnh Ninh",
    "address": "12 Lê Lợi",
    "came_from": "Đà Nẵng",
    "travel_14d": "",
    "transport": "motorbike",
    "plate": "75-B1 456.78",
    "symptoms": ["fever"],
    "contact_with_case": False,
}


def declaration_row(
    i: int,
    subject: str,
    name: str = "Trần Văn Đức",
    birth: date = date(1985, 3, 12),
    sex: str = "M",
    status: str = "approved",
    **extra: object,
) -> dict[str, object]:
    """A declaration as the server sends it (Store.put_declarations); `extra` overrides fields."""
    row = {
        "id": i,
        "subject_id": subject,
        "full_name": name,
        "birth_date": birth,
        "sex": sex,
        "phone": "0905123456",
        "status": status,
        "valid_until": NOW + timedelta(days=7),
        "origin_area": "46.474",
        "travel_areas": "",
        "symptoms": "",
        "declared_by_proxy": False,
        "updated_at": NOW - timedelta(hours=2),
    }
    row.update(extra)
    return row


def vehicle_row(
    i: int,
    typed: str,
    kind: str = "freight",
    status: str = "approved",
    start: datetime = NOW - timedelta(hours=1),
    end: datetime = NOW + timedelta(hours=1),
    **extra: object,
) -> dict[str, object]:
    """A vehicle approval as the server sends it (Store.vehicles.put), its plate as the back
    office's clerk `typed` it; `extra` overrides fields."""
    from kiosk.plates import parse_plate

    row = {
        "id": i,
        "plate_key": parse_plate(typed).key,
        "plate_display": typed,
        "kind": kind,
        "status": status,
        "business": "Công ty Huế Xanh",
        "driver_name": "Lê Văn Tám",
        "driver_phone": "0905123488",
        "valid_from": start,
        "valid_to": end,
        "updated_at": NOW,
    }
    row.update(extra)
    return row


def scan_record(**changes: object) -> ScanRecord:
    """An allowed typed lookup at NOW; `changes` overrides fields."""
    fields: dict[str, object] = {
        "checkpoint_id": "c1",
        "operator_id": "o1",
        "source": "typed",
        "payload_kind": "typed_id",
        "subject_ref": "0460******34",
        "declaration_id": 1,
        "verdict": "allow",
        "reason": "approved",
        "scanned_at": NOW,
    }
    fields.update(changes)
    return ScanRecord(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "kiosk.db")
    yield s
    s.close()


@pytest.fixture
def issuer() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()
