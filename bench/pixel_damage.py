"""Damage done to the 8-bit picture, as many generators (and some cameras' processing) do it,
instead of to light before the sensor as the project's camera model does (bench/camera_model.py):
a disc kernel or a Gaussian (sigma 1-4 px) for defocus and a straight line for motion on the
gamma-encoded pixels, and darkness as the picture scaled down with Gaussian noise added (and,
since the fifth round, scaled further down, then JPEG'd). The
independent set the kiosk is judged on was made by other code, which may do either; this
measures the pipeline on the other way. Made from the project's own frames of the `clean`,
`perspective` and `rotation` kinds, in the same two parts: the pipeline was tuned on the tuned
part only (the disc deconvolution on the 8-bit picture, third round of issue 13; the sharper
discs and the Gaussian, fourth round); the held-out part was measured once after each round
(the Gaussian kind was added in the fourth). The sixth round added three blurs other generators
make (OpenCV's box, discs of radius 6-9, OpenCV's Gaussian given a kernel size); the pipeline
was tuned for them on other draws of the tuned part's frames, not on these.

    .venv/bin/python bench/pixel_damage.py [--parts tuned,held_out] [--per-kind 40]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np

from bench import baseline_pipeline
from bench.camera_frames import PARTS, frames
from scanner.decoders import read_zxing
from scanner.pipeline import ScanPipeline

SOURCE_KINDS = {"clean", "perspective", "rotation"}
CPU = time.thread_time


def _disc(
    picture: np.ndarray, rng: random.Random, radii: tuple[float, float] = (2, 6)
) -> np.ndarray:
    radius = round(rng.uniform(*radii))
    kernel = np.zeros((2 * radius + 1, 2 * radius + 1), np.float32)
    cv2.circle(kernel, (radius, radius), radius, 1.0, -1)
    return cv2.filter2D(picture, -1, kernel / kernel.sum())


def line_on_grid(length: int, angle: float) -> np.ndarray:
    """A straight motion blur as generators make it: a line turned on a square grid."""
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1)
    kernel = cv2.warpAffine(kernel, turn, (length, length))
    return kernel / kernel.sum()


def _line(picture: np.ndarray, rng: random.Random) -> np.ndarray:
    length = rng.randint(5, 25)
    return cv2.filter2D(picture, -1, line_on_grid(length, rng.uniform(0, 180)))


def _gauss(picture: np.ndarray, rng: random.Random) -> np.ndarray:
    return cv2.GaussianBlur(picture, (0, 0), rng.uniform(1.0, 4.0))


def _dark(picture: np.ndarray, rng: random.Random) -> np.ndarray:
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(
        0, rng.uniform(2, 8), picture.shape
    )
    return picture * rng.uniform(0.06, 0.25) + noise


def _dim_jpeg(picture: np.ndarray, rng: random.Random) -> np.ndarray:
    """Darker still, then a JPEG: a dozen grey levels carry the code and the JPEG's blocks."""
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(
        0, rng.uniform(2, 6), picture.shape
    )
    dark = np.clip(picture * rng.uniform(0.03, 0.12) + noise, 0, 255).astype(np.uint8)
    quality = [cv2.IMWRITE_JPEG_QUALITY, rng.randint(30, 70)]
    return cv2.imdecode(cv2.imencode(".jpg", dark, quality)[1], cv2.IMREAD_UNCHANGED)


def _box(picture: np.ndarray, rng: random.Random) -> np.ndarray:
    """OpenCV's `blur`, a square of 5-15 px: how many generators defocus a picture."""
    side = rng.randint(5, 15)
    return cv2.blur(picture, (side, side))


def _disc_wide(picture: np.ndarray, rng: random.Random) -> np.ndarray:
    return _disc(picture, rng, radii=(6, 9))


def _gauss_ksize(picture: np.ndarray, rng: random.Random) -> np.ndarray:
    """OpenCV's Gaussian given only an odd kernel size (9-31 px), its sigma taken from it
    (1.7-5.0): how many generators call it."""
    size = rng.randrange(9, 32, 2)
    return cv2.GaussianBlur(picture, (size, size), 0)


DAMAGE: dict[str, Callable[[np.ndarray, random.Random], np.ndarray]] = {
    "defocus_8bit": _disc,
    "gauss_8bit": _gauss,
    "motion_8bit": _line,
    "dark_8bit": _dark,
    "dim_jpeg_8bit": _dim_jpeg,
    # sixth round: blurs as other generators make them, past this module's first three
    "box_8bit": _box,
    "defocus_wide_8bit": _disc_wide,
    "gauss_ksize_8bit": _gauss_ksize,
}


def damaged(part: str, per_kind: int) -> Iterator[tuple[str, np.ndarray, str]]:
    """(kind, frame, the text it holds)."""
    for kind, damage in DAMAGE.items():
        rng = random.Random(f"pixel-damage-{part}-{kind}")
        source = frames(per_kind // len(SOURCE_KINDS) + 1, part=part, kinds=SOURCE_KINDS)
        for _, test_frame in zip(range(per_kind), source, strict=False):
            picture = damage(test_frame.image.astype(np.float32), rng)
            yield kind, np.clip(picture, 0, 255).astype(np.uint8), test_frame.payloads[0]


DECODERS: dict[str, Callable[[np.ndarray], list]] = {
    "pipeline": lambda f: ScanPipeline(timer=CPU).decode(f),
    "before": lambda f: baseline_pipeline.ScanPipeline(timer=CPU).decode(f),
    "zxing-cpp": read_zxing,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--per-kind", type=int, default=40)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    for part in args.parts.split(","):
        read: dict[str, dict[str, int]] = {n: {k: 0 for k in DAMAGE} for n in DECODERS}
        wrong = {n: 0 for n in DECODERS}
        for kind, frame, text in damaged(part, args.per_kind):
            for name, decode in DECODERS.items():
                texts = {c.text for c in decode(frame)}
                read[name][kind] += text in texts
                wrong[name] += len(texts - {text})
        print(f"\n== {part} part, {args.per_kind} frames a kind ==")
        print(f"{'decoder':10s}" + "".join(f"{k:>18s}" for k in DAMAGE) + f"{'wrong':>7s}")
        for name in DECODERS:
            cells = "".join(f"{read[name][k]:>15d}/{args.per_kind:<2d}" for k in DAMAGE)
            print(f"{name:10s}{cells}{wrong[name]:>7d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
