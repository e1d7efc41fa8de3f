"""A check of the deblurring against a camera model other than the project's own: motion blur
made the way many generators (and some phones' processing) make it, on the gamma-encoded 8-bit
picture with a straight kernel, then Gaussian noise and JPEG 80. The project's generator blurs
radiance before the sensor, as optics do; the independent set the kiosk is judged on was made
by other code, which may do either. Not a tuning set: 40 frames, read once by each pipeline.

    .venv/bin/python bench/blur_after_gamma.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np

from bench.camera_frames import (
    CARRIERS,
    Draw,
    _payload,
    background,
    carrier_image,
    draw_carrier,
    pose,
)
from bench.round1.pipeline import ScanPipeline as Round1Pipeline
from scanner import restore
from scanner.decoders import read_zxing
from scanner.pipeline import ScanPipeline


def frames(n: int = 40, seed: int = 99):
    rng = random.Random(seed)
    for i in range(n):
        draw = Draw("tuned", rng)
        scene = background(rng, draw)
        text = _payload(rng, "tuned")
        img, _ = carrier_image(text, rng.choice(CARRIERS["tuned"]), rng.randint(240, 420))
        centre = (rng.uniform(450, 830), rng.uniform(280, 440))
        draw_carrier(scene, img, pose(img.shape, centre, rng.uniform(-15, 15)))
        encoded = (np.clip(scene, 0, 1) ** (1 / 2.2) * 255).astype(np.uint8)
        kernel = restore.line_kernel(rng.uniform(5, 25), rng.uniform(0, 180))
        blurred = cv2.filter2D(encoded.astype(np.float32), -1, kernel)
        noisy = blurred + np.random.default_rng(i).normal(0, 2, blurred.shape)
        ok, data = cv2.imencode(
            ".jpg", np.clip(noisy, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 80]
        )
        assert ok
        yield cv2.imdecode(data, cv2.IMREAD_COLOR), text


def main() -> None:
    cv2.setNumThreads(1)
    cpu = time.thread_time
    test = list(frames())
    readers = {
        "zxing-cpp": read_zxing,
        "round1 (52726a7)": lambda f: Round1Pipeline(timer=cpu).decode(f),
        "pipeline": lambda f: ScanPipeline(timer=cpu).decode(f),
    }
    for name, read in readers.items():
        hits = sum(text in {c.text for c in read(image)} for image, text in test)
        print(f"{name:18s} {hits} / {len(test)}")


if __name__ == "__main__":
    main()
