"""Demo data: declarations, a zone, a signing key, sample QR images, a manifest and a camera feed.

Dates are relative to today, so the manifest's expected verdicts hold on any day. Re-running the
demo replaces the demo rows and files; it touches nothing else in the cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import base45, tokens
from kiosk.app.demo_roles import (
    HOME_MARKET,
    seed_cards,
    seed_operators,
    seed_rule_settings,
    seed_vehicle_entries,
    seed_vehicles,
)
from kiosk.clock import local_day
from kiosk.storage import Store

DEMO_KEY_ID = 1
MANIFEST_FORMAT = "kiosk-demo-manifest/1"


@dataclass(frozen=True)
class DemoPerson:
    decl_id: int
    subject_id: str
    name: str
    birth: date
    sex: str
    status: str
    valid_days: int  # from today; negative means the declaration has expired
    origin: str = "46.474"
    symptoms: str = ""
    exposure: str = ""  # declared: epidemic_zone, contact (an assisted declaration's answers)
    expect: tuple[str, str] = ("allow", "approved")


PEOPLE = (
    DemoPerson(1001, "046085001234", "Trần Văn Đức", date(1985, 3, 12), "M", "approved", 7),
    DemoPerson(
        1002,
        "046192004567",
        "Lê Thị Hương",
        date(1992, 7, 1),
        "F",
        "pending",
        7,
        expect=("attention", "pending"),
    ),
    DemoPerson(
        1003,
        "048078007890",
        "Phạm Hữu Lộc",
        date(1978, 11, 23),
        "M",
        "rejected",
        7,
        origin="48.490",
        expect=("deny", "rejected"),
    ),
    DemoPerson(
        1004,
        "046301002345",
        "Võ Thị Ữ",
        date(2001, 2, 14),
        "F",
        "approved",
        -1,
        expect=("deny", "expired"),
    ),
    DemoPerson(
        1005,
        "079088003456",
        "Đặng Văn Ệ",
        date(1988, 9, 9),
        "M",
        "approved",
        7,
        origin="79.760",
        expect=("attention", "epidemic_zone"),
    ),
    DemoPerson(
        1006,
        "092195005678",
        "Hoàng Thị Yến",
        date(1995, 5, 30),
        "F",
        "approved",
        7,
        origin="92.916",
        symptoms="fever,cough",
        expect=("attention", "symptoms"),
    ),
    DemoPerson(1007, "191234567", "Bùi Quốc Anh", date(1970, 1, 15), "M", "approved", 7),
    DemoPerson(
        1008,
        "075086009012",
        "Ngô Văn Giỏi",
        date(1986, 10, 11),
        "M",
        "approved",
        7,
        origin="75.731",
    ),
    # assisted declarations whose answers mean 21 days of quarantine (seed 000 III.4.b)
    DemoPerson(
        1009,
        "046090006789",
        "Nguyễn Thị Thu Hà",
        date(1990, 6, 18),
        "F",
        "approved",
        7,
        exposure="epidemic_zone",
        expect=("attention", "exposure_quarantine"),
    ),
    DemoPerson(
        1010,
        "046087001357",
        "Lê Văn Cường",
        date(1987, 12, 2),
        "M",
        "pending",
        7,
        exposure="contact",
        expect=("attention", "exposure_quarantine"),
    ),
)
NOT_FOUND_ID = "001203004567"  # a valid Hà Nội CCCD with no declaration
NOT_CACHED = (9999, "046099000111")  # a declaration the server signed but this kiosk lacks


def _ddmmyyyy(d: date) -> str:
    return d.strftime("%d%m%Y")


def cccd_qr(p: DemoPerson, sex_word: str | None = None) -> str:
    sex = sex_word or ("Nam" if p.sex == "M" else "Nữ")
    address = "Số 12 Lê Lợi, Phường Vĩnh Ninh, Thành phố Huế, Thừa Thiên Huế"
    issued = _ddmmyyyy(date(2021, 5, 1))
    return f"{p.subject_id}||{p.name}|{_ddmmyyyy(p.birth)}|{sex}|{address}|{issued}"


def personal_qr(subject: str, ascii_name: str, birth: date) -> str:
    return f"{subject}|{ascii_name}|{birth.isoformat()}|0|163298720202401368|<1<00<<09******33"


def demo_key() -> Ed25519PrivateKey:
    """The demo issuer's key: the same on every machine, so a kiosk that ran `kiosk demo` and
    then synced with a server that ran `kiosk-server demo` still verifies its own samples. It is
    public (derived from the phrase below), so it must never sign anything real; pairing a kiosk
    with a server forgets it unless that server publishes it (see Replica.paired)."""
    seed = hashlib.sha256(b"checkpoint-kiosk demo issuer key: public, for demos only").digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def _write_key(path: Path) -> Ed25519PrivateKey:
    key = demo_key()
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    return key


def _forge(token: str, new_decl_id: int) -> str:
    """The same signature over a changed declaration id: what a forger would try."""
    raw = bytearray(base45.decode(token[len(tokens.PREFIX) :]))
    raw[13:21] = new_decl_id.to_bytes(8, "big")
    return tokens.PREFIX + base45.encode(bytes(raw))


def make_qr(text: str) -> segno.QRCode:
    """A QR as the kiosk prints one: UTF-8 with an ECI header when the text is not ASCII, which
    tells every decoder the charset (without it ZBar guesses, and garbles Vietnamese)."""
    vietnamese = not text.isascii()
    return segno.make_qr(text, encoding="utf-8" if vietnamese else None, eci=vietnamese, error="m")


def qr_matrix(text: str) -> np.ndarray:
    """The QR of `text` as a greyscale image with a quiet zone, one pixel a module."""
    return _matrix(make_qr(text))


def _matrix(qr: segno.QRCode) -> np.ndarray:
    rows = np.array([list(r) for r in qr.matrix], dtype=np.uint8)
    return np.pad(np.where(rows == 1, 0, 255).astype(np.uint8), 4, constant_values=255)


@dataclass(frozen=True)
class Sample:
    """A sample code: its file name's stem, its text, and the verdict the manifest promises."""

    stem: str
    payload: str
    expect: tuple[str, str]


def _seed_cache(store: Store, key: Ed25519PrivateKey, now: datetime) -> None:
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    store.put_trusted_key(DEMO_KEY_ID, public, now - timedelta(days=365))
    store.put_zone("79", "TP. Hồ Chí Minh", local_day(now) - timedelta(days=20))
    store.put_declarations(
        {
            "id": p.decl_id,
            "subject_id": p.subject_id,
            "full_name": p.name,
            "birth_date": p.birth,
            "sex": p.sex,
            "phone": "0905123456",
            "status": p.status,
            "valid_until": now + timedelta(days=p.valid_days),
            "origin_area": p.origin,
            "travel_areas": "",
            "symptoms": p.symptoms,
            "exposure": p.exposure,
            "declared_by_proxy": bool(p.exposure),
            "updated_at": now - timedelta(hours=2),
        }
        for p in PEOPLE
    )


def _samples(key: Ed25519PrivateKey, now: datetime) -> tuple[Sample, ...]:
    month = now + timedelta(days=30)

    def token(
        decl_id: int,
        subject: str,
        expires: datetime = month,
        signer: Ed25519PrivateKey = key,
        kid: int = DEMO_KEY_ID,
    ) -> str:
        t = tokens.DeclarationToken(kid, now - timedelta(hours=1), expires, decl_id, subject)
        return tokens.sign(t, signer)

    by_id = {p.decl_id: p for p in PEOPLE}
    first = by_id[1001]
    approved = token(first.decl_id, first.subject_id)
    return (
        # a code for each of the first six people, named after its verdict's reason
        *(
            Sample(
                "token-" + p.expect[1].replace("_", "-"), token(p.decl_id, p.subject_id), p.expect
            )
            for p in PEOPLE[:6]
        ),
        Sample("token-signed-not-cached", token(*NOT_CACHED), ("attention", "signed_not_cached")),
        Sample("token-forged", _forge(approved, 1002), ("deny", "forged")),
        Sample(
            "token-expired-code",
            token(first.decl_id, first.subject_id, expires=now - timedelta(hours=1)),
            ("deny", "expired"),
        ),
        Sample(
            "token-unknown-key",
            token(first.decl_id, first.subject_id, signer=Ed25519PrivateKey.generate(), kid=77),
            ("deny", "unknown_key"),
        ),
        Sample("token-truncated", approved[:60], ("deny", "unreadable")),
        Sample("cccd-approved", cccd_qr(first), ("allow", "approved")),
        Sample("cccd-pending", cccd_qr(by_id[1002]), ("attention", "pending")),
        Sample("cccd-epidemic-zone", cccd_qr(by_id[1005]), ("attention", "epidemic_zone")),
        Sample("cccd-inconsistent", cccd_qr(first, sex_word="Nữ"), ("deny", "id_inconsistent")),
        Sample(
            "personal-qr-masked",
            personal_qr("******009012", "NGO VAN GIOI", by_id[1008].birth),
            ("allow", "approved"),
        ),
        # unsigned codes whose name or birth date is not the declaration's (anyone can print one)
        Sample(
            "cccd-name-differs",
            cccd_qr(replace(first, name="Trần Văn Đạt")),
            ("attention", "code_name_differs"),
        ),
        Sample(
            "personal-qr-birth-differs",
            personal_qr(first.subject_id, "TRAN VAN DUC", date(1985, 3, 21)),
            ("attention", "code_name_differs"),
        ),
        # the receipt QR of an assisted declaration that said "came from an epidemic zone"
        Sample(
            "receipt-quarantine",
            f"{by_id[1009].subject_id}|NGUYEN THI THU HA|{by_id[1009].birth.isoformat()}|1|"
            "123456789012345678|<1<00<<09******56",
            ("attention", "exposure_quarantine"),
        ),
        Sample(
            "personal-qr-not-found",
            personal_qr(NOT_FOUND_ID, "DO THI LAN", date(2003, 4, 5)),
            ("attention", "not_found"),
        ),
    )


# What each screen's demo feed plays, in order: the medic's identity codes (a CCCD and a personal
# QR that pass, pending, from an epidemic zone, unknown) and the market gate's cards (valid today,
# another day's, another market's, already used today). Each is in view 3 s, then 1 s of desk.
MEDIC_FEED = (
    "cccd-approved",
    "token-pending",
    "cccd-epidemic-zone",
    "personal-qr-not-found",
    "personal-qr-masked",
    "cccd-pending",
)
MARKET_FEED = ("card-5001", "card-5002", "card-5003", "card-5006")


def _write_feeds(
    demo_dir: Path, images: dict[str, np.ndarray], cards: list[dict[str, str]]
) -> dict[str, str]:
    from scanner.demo_feed import IDLE_FEED, SCREEN_FEEDS, write_demo_feed, write_idle_feed

    by_name = {c["name"]: c["payload"] for c in cards}
    plays = {
        "medic": [(images[stem], stem) for stem in MEDIC_FEED],
        "market": [(qr_matrix(by_name[name]), name) for name in MARKET_FEED],
    }
    for screen, codes in plays.items():
        write_demo_feed(codes, demo_dir / SCREEN_FEEDS[screen], lead_seconds=1.0)
    write_idle_feed(demo_dir / IDLE_FEED)
    return {**SCREEN_FEEDS, "idle": IDLE_FEED}


def seed(
    store: Store, data_dir: Path, now: datetime | None = None, write_feed: bool = True
) -> Path:
    """Seeds the cache and writes <data_dir>/demo/: QR images, manifest.json and the camera
    feeds (demo-feed.mp4 for the medic's screen, demo-feed-market.mp4, demo-feed-idle.mp4)."""
    now = now or datetime.now(UTC)
    demo_dir = data_dir / "demo"
    demo_dir.mkdir(parents=True, exist_ok=True)
    key = _write_key(demo_dir / "issuer-key.pem")
    _seed_cache(store, key, now)
    entries = []
    images: dict[str, np.ndarray] = {}
    for sample in _samples(key, now):
        qr = make_qr(sample.payload)  # encoded once: the PNG and the video frame come from it
        file = f"{sample.stem}.png"
        qr.save(str(demo_dir / file), scale=8, border=4)
        verdict, reason = sample.expect
        entries.append(
            {"file": file, "payload": sample.payload, "verdict": verdict, "reason": reason}
        )
        images[sample.stem] = _matrix(qr)
    ids = [{"id": p.subject_id, "verdict": p.expect[0], "reason": p.expect[1]} for p in PEOPLE]
    ids.append({"id": NOT_FOUND_ID, "verdict": "attention", "reason": "not_found"})
    cards = seed_cards(store, key, DEMO_KEY_ID, now)
    manifest = {
        "format": MANIFEST_FORMAT,
        "operators": seed_operators(store),
        "plates": seed_vehicles(store, now),
        "overdue_freight": seed_vehicle_entries(store, now),
        "settings": seed_rule_settings(store),
        "cards": cards,
        "market_id": HOME_MARKET,
        "generated_at": now.isoformat(timespec="seconds"),
        "samples": entries,
        "ids": ids,
        "demo_feed": "demo-feed.mp4" if write_feed else None,
        "demo_feeds": _write_feeds(demo_dir, images, cards) if write_feed else None,
    }
    path = demo_dir / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return path
