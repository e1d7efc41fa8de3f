"""Decoders on Vietnamese text: which of them gives back exactly the UTF-8 that was encoded.

300 QR codes (segno, UTF-8 byte mode, error level M, no ECI header, as the CCCD card and most
generators write them): half short payloads holding only a name ('Nguyễn Thị Ngữ'), half full
chip-CCCD QR payloads (12-digit number, old CMND, name, birth date, Nam/Nữ, address, issue
date). Each clean image is decoded by ZBar (pyzbar, bytes read as UTF-8), zxing-cpp alone, the
kiosk's pipeline (zxing-cpp plus fallbacks, scanner.pipeline.decode_frame) and OpenCV's
QRCodeDetector (detectAndDecodeBytes). Per decoder: exact matches, garbled (read, but not the
text encoded), not read, and the median time. Then the same payloads with an ECI header
(designator 26, UTF-8), to show whether declaring the character set helps ZBar.

Seeded: the same 300 payloads on every run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np
import segno

from scanner.decoders import Code, read_opencv, read_zbar, read_zxing
from scanner.pipeline import decode_frame

SEED = 84  # fixed: the same names and cards on every run
SCALE = 4  # pixels a module, with the 4-module quiet zone


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý")
MIDDLE = _words("Văn Thị Hữu Đức Ngọc")
GIVEN = _words(
    "Ệ Ữ Đạt Đỗ Ơn Ưng Hưng Lộc Ngữ Thường Nguyệt Tuyết Phượng Đức Hiếu Dũng Hương Thủy Trường "
    "Quỳnh Yến Việt Khuê Sơn Mỹ Nhơn Lực Vượng Hằng Thắm Lệ Bửu Ửng Ỷ Oanh Tú Huệ Quý Hạnh"
)
# (province code of the CCCD, the address's last parts)
PLACES = (
    ("046", "Phường Vĩnh Ninh, Thành phố Huế, Thừa Thiên Huế"),
    ("046", "Xã Hương Vinh, Thị xã Hương Trà, Thừa Thiên Huế"),
    ("048", "Phường Hòa Khánh Bắc, Quận Liên Chiểu, Đà Nẵng"),
    ("092", "Phường Xuân Khánh, Quận Ninh Kiều, Cần Thơ"),
    ("075", "Phường Tân Phong, Thành phố Biên Hòa, Đồng Nai"),
    ("001", "Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội"),
    ("079", "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh"),
)
STREETS = _words("Lê_Lợi Trần_Hưng_Đạo Nguyễn_Huệ Hùng_Vương Điện_Biên_Phủ Lý_Thường_Kiệt")


def random_name(rng: random.Random) -> str:
    """Family, middle and one or two given names; upper case now and then, as cards print."""
    given = " ".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 1, 2))))
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {given}"
    return name.upper() if rng.random() < 0.2 else name


def cccd_payload(rng: random.Random) -> str:
    """A chip-CCCD QR: number|old CMND or empty|name|ddmmyyyy|Nam or Nữ|address|ddmmyyyy."""
    province, place = rng.choice(PLACES)
    male = rng.random() < 0.5
    born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 65))
    century = 2 * ((born.year - 1900) // 100) + (0 if male else 1)
    number = f"{province}{century}{born.year % 100:02d}{rng.randint(0, 999_999):06d}"
    old = f"{rng.randint(100_000_000, 399_999_999)}" if rng.random() < 0.6 else ""
    street = rng.choice(STREETS).replace("_", " ")
    address = f"Số {rng.randint(1, 250)} {street}, {place}"
    issued = date(2021, 1, 1) + timedelta(days=rng.randint(0, 900))
    sex = "Nam" if male else "Nữ"
    return f"{number}|{old}|{random_name(rng)}|{born:%d%m%Y}|{sex}|{address}|{issued:%d%m%Y}"


def payloads(count: int) -> list[tuple[str, str]]:
    """(kind, text): the first half names only, the second half full CCCD QRs."""
    rng = random.Random(SEED)
    half = count // 2
    return [("name", random_name(rng)) for _ in range(half)] + [
        ("cccd", cccd_payload(rng)) for _ in range(count - half)
    ]


def image(text: str, eci: bool) -> np.ndarray:
    qr = segno.make_qr(text, encoding="utf-8", eci=eci, error="m")
    modules = np.array([list(r) for r in qr.matrix], dtype=np.uint8)
    pixels = np.where(modules == 1, 0, 255).astype(np.uint8)
    pixels = np.pad(pixels, 4, constant_values=255)
    return np.kron(pixels, np.ones((SCALE, SCALE), dtype=np.uint8))


DECODERS: dict[str, Callable[[np.ndarray], list[Code]]] = {
    "ZBar (pyzbar)": read_zbar,
    "zxing-cpp": read_zxing,
    "zxing pipeline": decode_frame,
    "OpenCV": read_opencv,
}


def measure(cases: list[tuple[str, str, np.ndarray]]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for name, decode in DECODERS.items():
        tally = {kind: {"exact": 0, "garbled": 0, "not read": 0} for kind in ("name", "cccd")}
        times: list[float] = []
        example = None
        for kind, text, img in cases:
            start = time.perf_counter()
            codes = decode(img)
            times.append((time.perf_counter() - start) * 1000)
            got = [c.text for c in codes]
            if text in got:
                tally[kind]["exact"] += 1
            elif got:
                tally[kind]["garbled"] += 1
                if example is None:
                    example = (text, got[0])
            else:
                tally[kind]["not read"] += 1
        out[name] = {"tally": tally, "median": statistics.median(times), "example": example}
    return out


def report(title: str, results: dict[str, dict[str, object]], n_name: int, n_cccd: int) -> None:
    print(f"\n{title}")
    print(
        f"{'decoder':16s} {'exact':>7s} {'garbled':>8s} {'not read':>9s}"
        f" {'names garbled':>14s} {'CCCD garbled':>13s} {'median ms':>10s}"
    )
    for name, r in results.items():
        t = r["tally"]
        total = {k: t["name"][k] + t["cccd"][k] for k in ("exact", "garbled", "not read")}
        print(
            f"{name:16s} {total['exact']:>7d} {total['garbled']:>8d} {total['not read']:>9d}"
            f" {t['name']['garbled']:>8d}/{n_name:<5d} {t['cccd']['garbled']:>7d}/{n_cccd:<5d}"
            f" {r['median']:10.2f}"
        )
    for name, r in results.items():
        if r["example"]:
            wrote, read = r["example"]
            print(f"  {name}: wrote {wrote[:40]!r}, read {read[:40]!r}")


def main() -> int:
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)  # "ECI is not supported"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    texts = payloads(args.count)
    n_name = sum(1 for kind, _ in texts if kind == "name")
    n_cccd = len(texts) - n_name
    versions = [segno.make_qr(t, encoding="utf-8", error="m").version for _, t in texts]
    print(
        f"{len(texts)} QR codes: {n_name} names only, {n_cccd} full CCCD payloads; "
        f"QR versions {min(versions)} to {max(versions)}, {SCALE} px a module, seed {SEED}"
    )
    plain = [(kind, t, image(t, eci=False)) for kind, t in texts]
    report("UTF-8 bytes, no ECI header", measure(plain), n_name, n_cccd)
    with_eci = [(kind, t, image(t, eci=True)) for kind, t in texts]
    report("UTF-8 bytes with ECI 26 (UTF-8) declared", measure(with_eci), n_name, n_cccd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
