"""Camera-like test frames (1280x720) with known payloads, for the scanner benchmark and tests.

Each category imitates what a checkpoint camera sees: a phone or a printed card held at an angle,
blurred by a moving hand, under glare or at night, through JPEG compression, on a screen with
moiré, small in the frame, partly covered by a thumb, several codes at once, or no code at all.
Frames are generated from a seed, so a run is repeatable and nothing large is committed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import segno

W, H = 1280, 720

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Thành", "Minh", "Xuân"]
GIVEN = ["Ệ", "Ữ", "Đạt", "Phượng", "Hương", "Tuấn", "Lộc", "Nhật", "Quế", "Ánh", "Yến", "Hùng"]


@dataclass(frozen=True)
class TestFrame:
    category: str
    image: np.ndarray
    payloads: tuple[str, ...]  # what a perfect reader returns; empty for a frame without code


def _payload(rng: random.Random) -> str:
    kind = rng.choice(("token", "cccd", "personal"))
    if kind == "token":
        alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
        return "CK1:" + "".join(rng.choice(alphabet) for _ in range(137))
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    number = (
        f"0{rng.choice(['46', '48', '79', '92', '75'])}{rng.randint(0, 3)}"
        f"{rng.randint(10, 99)}{rng.randint(0, 999999):06d}"
    )
    if kind == "cccd":
        return (
            f"{number}||{name}|{rng.randint(1, 28):02d}0{rng.randint(1, 9)}19"
            f"{rng.randint(50, 99)}|{rng.choice(['Nam', 'Nữ'])}|Số {rng.randint(1, 200)} "
            f"Lê Lợi, Phường Vĩnh Ninh, Thành phố Huế, Thừa Thiên Huế|01052021"
        )
    return (
        f"{number}|{name.upper()}|1990-01-01|0|{rng.randint(10**17, 10**18 - 1)}|<0<00<<09******33"
    )


def qr_image(text: str, module_px: int) -> np.ndarray:
    qr = segno.make_qr(text, encoding=None if text.isascii() else "utf-8", error="m")
    rows = np.array([list(r) for r in qr.matrix], dtype=np.uint8)
    img = np.pad(np.where(rows == 1, 0, 255).astype(np.uint8), 4, constant_values=255)
    return cv2.resize(img, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


def _background(rng: random.Random) -> np.ndarray:
    base = np.full((H, W), rng.randint(60, 170), np.uint8)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 12, (H // 8, W // 8))
    texture = cv2.resize(noise, (W, H), interpolation=cv2.INTER_CUBIC)
    return np.clip(base + texture, 0, 255).astype(np.uint8)


def _place(
    frame: np.ndarray,
    code: np.ndarray,
    rng: random.Random,
    side: int,
    angle: float = 0.0,
    tilt: float = 0.0,
    centre: tuple[int, int] | None = None,
) -> None:
    """Pastes a code of `side` pixels with rotation and perspective tilt, white quiet zone kept."""
    code = cv2.resize(code, (side, side), interpolation=cv2.INTER_AREA)
    src = np.float32([[0, 0], [side, 0], [side, side], [0, side]])
    cx, cy = centre or (
        rng.randint(side // 2 + 40, W - side // 2 - 40),
        rng.randint(side // 2 + 20, H - side // 2 - 20),
    )
    rad = np.deg2rad(angle)
    rot = np.array([[np.cos(rad), -np.sin(rad)], [np.sin(rad), np.cos(rad)]])
    half = side / 2
    corners = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    # tilt shrinks one edge, as a card held at an angle to the lens does
    corners[0:2, 0] *= 1 - tilt
    corners = corners @ rot.T + [cx, cy]
    matrix = cv2.getPerspectiveTransform(src, np.float32(corners))
    warped = cv2.warpPerspective(code, matrix, (W, H), borderValue=0)
    mask = cv2.warpPerspective(np.full_like(code, 255), matrix, (W, H), borderValue=0)
    frame[mask > 0] = warped[mask > 0]


def _motion_blur(img: np.ndarray, length: int, angle: float) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return cv2.filter2D(img, -1, kernel / kernel.sum())


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def _noise(img: np.ndarray, rng: random.Random, sigma: float) -> np.ndarray:
    n = np.random.default_rng(rng.randint(0, 2**31)).normal(0, sigma, img.shape)
    return np.clip(img.astype(np.float32) + n, 0, 255).astype(np.uint8)


def _single(
    rng: random.Random, side: tuple[int, int] = (260, 420), angle: float = 12, tilt: float = 0.0
) -> tuple[np.ndarray, tuple[str, ...]]:
    frame = _background(rng)
    text = _payload(rng)
    _place(frame, qr_image(text, 4), rng, rng.randint(*side), rng.uniform(-angle, angle), tilt)
    return frame, (text,)


def _perspective(rng):
    return _single(rng, side=(200, 380), tilt=rng.uniform(0.3, 0.6))


def _rotation(rng):
    return _single(rng, angle=180)


def _blur(rng):
    f, p = _single(rng)
    return cv2.GaussianBlur(f, (0, 0), rng.uniform(2.2, 4.2)), p


def _motion(rng):
    f, p = _single(rng)
    return _motion_blur(f, rng.randint(8, 16), rng.uniform(0, 180)), p


def _low_contrast(rng):
    f, p = _single(rng)
    lo = rng.randint(90, 140)
    return (lo + f.astype(np.float32) * rng.uniform(0.05, 0.12)).astype(np.uint8), p


def _glare(rng):
    f, p = _single(rng)
    yy, xx = np.mgrid[0:H, 0:W]
    cx, cy = rng.randint(300, 980), rng.randint(200, 520)
    blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * rng.uniform(90, 160) ** 2))
    return np.clip(f + blob * rng.uniform(200, 255), 0, 255).astype(np.uint8), p


def _low_light(rng):
    f, p = _single(rng)
    dark = (f.astype(np.float32) * rng.uniform(0.07, 0.14)).astype(np.uint8)
    return _noise(dark, rng, rng.uniform(6, 10)), p


def _jpeg_artefacts(rng):
    f, p = _single(rng, side=(170, 260))
    return _jpeg(f, rng.randint(4, 10)), p


def _moire(rng):
    f, p = _single(rng)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    period = rng.uniform(3.0, 5.0)
    wave = np.sin((xx * np.cos(0.3) + yy * np.sin(0.3)) * 2 * np.pi / period)
    grid = 0.5 + 0.5 * np.sin(xx * 2 * np.pi / (period * 1.07))
    out = f.astype(np.float32) * (0.7 + 0.3 * grid) + wave * rng.uniform(35, 60)
    return np.clip(out, 0, 255).astype(np.uint8), p


def _small(rng):
    return _single(rng, side=(80, 125))


def _occlusion(rng):
    frame = _background(rng)
    text = _payload(rng)
    side = rng.randint(280, 400)
    cx, cy = W // 2 + rng.randint(-200, 200), H // 2 + rng.randint(-100, 100)
    _place(frame, qr_image(text, 4), rng, side, rng.uniform(-8, 8), centre=(cx, cy))
    # a thumb over one edge, away from the three finder patterns
    tx, ty = cx + rng.randint(-side // 6, side // 6), cy + side // 2
    cv2.ellipse(
        frame,
        (tx, ty),
        (side // 6, side // 4),
        rng.uniform(-20, 20),
        0,
        360,
        rng.randint(120, 190),
        -1,
    )
    return frame, (text,)


def _several(rng):
    frame = _background(rng)
    texts = tuple(_payload(rng) for _ in range(3))
    for i, t in enumerate(texts):
        _place(
            frame,
            qr_image(t, 4),
            rng,
            rng.randint(200, 260),
            rng.uniform(-15, 15),
            centre=(220 + i * 420, H // 2 + rng.randint(-120, 120)),
        )
    return frame, texts


def _dark_mode(rng):
    f, p = _single(rng)
    return 255 - f, p


def _no_code(rng):
    frame = _background(rng)
    for _ in range(rng.randint(2, 6)):  # papers, a face, a hand: shapes but no code
        x, y = rng.randint(0, W - 200), rng.randint(0, H - 200)
        cv2.rectangle(
            frame,
            (x, y),
            (x + rng.randint(40, 200), y + rng.randint(40, 200)),
            rng.randint(0, 255),
            -1,
        )
    cv2.putText(frame, "KHU VUC KIEM SOAT", (80, 120), cv2.FONT_HERSHEY_SIMPLEX, 2, 240, 4)
    return _noise(frame, rng, 6), ()


CATEGORIES: dict[str, Callable[[random.Random], tuple[np.ndarray, tuple[str, ...]]]] = {
    "perspective": _perspective,
    "rotation": _rotation,
    "blur": _blur,
    "motion_blur": _motion,
    "low_contrast": _low_contrast,
    "glare": _glare,
    "low_light_noise": _low_light,
    "jpeg": _jpeg_artefacts,
    "screen_moire": _moire,
    "small": _small,
    "occlusion": _occlusion,
    "several": _several,
    "dark_mode": _dark_mode,
    "no_code": _no_code,
}


def frames(per_category: int = 20, seed: int = 2021) -> Iterator[TestFrame]:
    for name, make in CATEGORIES.items():
        rng = random.Random(f"{seed}-{name}")
        for _ in range(per_category):
            image, payloads = make(rng)
            yield TestFrame(name, cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), payloads)
