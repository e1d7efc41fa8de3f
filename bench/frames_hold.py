"""What a frame still holds of its code: the modules read on the true grid, after the true blur
is undone, against what the code's error correction can mend (issue 13, eighth round).

The pipeline has to find the code, guess the blur and read the modules. Here the generator
says where the code is (its corners, through any rolling-shutter warp), which blur it made,
and what the code is (its version and mask, its modules). Each frame is read with that
knowledge: its pixels as they are, smoothed over a quarter to a half of a module, and (for a
blurred frame) deconvolved with the very kernel, in linear light and on the 8-bit picture, at
three noise ratios and with the pipeline's two-shade deconvolution. Every
module is sampled at its centre on the true grid and decided dark or light against its
neighbours (scanner/symbol_repair.py). When no picture makes the frame mendable, the modules
are also fitted to the pixels with the same truth (bench/module_fit.py, ninth round): on a long
smear that reads what no deconvolved picture does. The codewords each reading gives are
compared with the true ones, block by block. What that says of a frame, at its best reading:

- "mendable": no block has more wrong codewords than half its error-correction codewords.
  Reed-Solomon corrects that by itself: a reader that finds the code this well reads it.
- "only with erasures": some block has more, but none more than all of them. Corrected only
  if the reader knows which codewords are the wrong ones.
- "beyond": some block has more wrong codewords than it has error-correction codewords. No
  Reed-Solomon decoder corrects that, even told exactly which ones are wrong: the block's data
  is not in the codewords read. Not a proof for every reader (a better guess at each module
  than these readings give would lower the count; the fit lowered the eighth round's), but
  the readings here know what no reader knows: the grid and the kernel.

    .venv/bin/python bench/frames_hold.py [--parts held_out,tuned] [--per-kind 30]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np

from bench import module_fit
from bench.camera_frames import HARD, PARTS, QUIET, TestFrame, frames, qr_symbol
from scanner import restore, second_look, symbol_repair
from scanner.decoders import to_gray
from scanner.pipeline import ScanPipeline

SMOOTHING = (0.25, 0.35, 0.5)  # of a module: the Gaussians a frame is also read through
NSR = (1e-3, 1e-2, 5e-2)  # noise ratios the true kernel is undone with
MARGIN = 40  # px around the code kept for the deconvolution


@dataclass(frozen=True)
class Holding:
    """What one frame holds: the largest share, over its blocks, of wrong codewords against
    the block's error-correction codewords (at the best picture), and the bit error rate."""

    worst: float
    bit_errors: float
    picture: str

    @property
    def verdict(self) -> str:
        if self.worst <= 0.5:
            return "mendable"
        return "erasures" if self.worst <= 1.0 else "beyond"


def _grid(truth: dict, size: int) -> np.ndarray:
    """The symbol's corners (quiet zone left out) in the frame, through any warp."""
    n = size + 2 * QUIET
    square = np.float32([[0, 0], [n, 0], [n, n], [0, n]])
    to_frame = cv2.getPerspectiveTransform(square, np.float32(truth["corners"]))
    inner = np.float32(
        [[QUIET, QUIET], [n - QUIET, QUIET], [n - QUIET, n - QUIET], [QUIET, n - QUIET]]
    )
    corners = cv2.perspectiveTransform(inner.reshape(-1, 1, 2), to_frame).reshape(4, 2)
    for kind, step in truth["steps"]:
        if kind == "warp":
            corners = cv2.transform(corners.reshape(-1, 1, 2), step).reshape(4, 2)
    return corners.astype(np.float32)


def _pictures(gray: np.ndarray, corners: np.ndarray, module: float, kernel) -> Iterator:
    """(name, picture, its corner in the frame): the frame around the code, read every way."""
    h, w = gray.shape
    x0, y0 = np.maximum(corners.min(0).astype(int) - MARGIN, 0)
    x1, y1 = np.minimum(corners.max(0).astype(int) + MARGIN, (w, h))
    crop = gray[y0:y1, x0:x1].astype(np.float32)
    yield "as is", crop, (x0, y0)
    for share in SMOOTHING:
        yield f"smoothed {share}", cv2.GaussianBlur(crop, (0, 0), share * module), (x0, y0)
    if kernel is None:
        return
    pixels = gray[y0:y1, x0:x1]
    # undone in linear light, as the lens blurred it, and on the 8-bit picture, as the
    # pipeline does; and with the two-shade deconvolution (restore.deconvolve_two_shades)
    for light, picture in (
        ("linear", second_look.LINEAR[pixels]),
        ("8-bit", pixels.astype(np.float32)),
    ):
        for nsr in NSR:
            undone = restore.wiener(picture, kernel, nsr).astype(np.float32)
            if light == "linear":
                undone = 255.0 * (undone / 255.0) ** (1 / 2.2)
            yield f"true kernel {light} {nsr:g}", undone, (x0, y0)
            smoothed = cv2.GaussianBlur(undone, (0, 0), 0.25 * module)
            yield f"true kernel {light} {nsr:g}, smoothed", smoothed, (x0, y0)
        rounds = restore.deconvolve_two_shades(picture, kernel, max(1, round(module)))
        for i, undone in enumerate(rounds):
            yield f"true kernel {light} two shades {i}", undone.astype(np.float32), (x0, y0)


def holding(frame: TestFrame, fitted: bool = True) -> Holding | None:
    """What the frame holds of its one code, or None for a frame without the truth it needs
    (no code, several codes). `fitted`: when no picture makes it mendable, the modules are
    also fitted to the pixels (bench/module_fit.py), which takes seconds."""
    truth = frame.truth
    if not truth or "corners" not in truth:
        return None
    qr = qr_symbol(truth["text"])
    version, mask = int(qr.version), int(qr.mask)
    size = 17 + 4 * version
    corners = _grid(truth, size)
    module = float(np.linalg.norm(corners[1] - corners[0])) / size
    modules = np.array([list(row) for row in qr.matrix], dtype=bool)
    _, positions, masked = symbol_repair._layout(version, "M", mask)
    blocks = symbol_repair._blocks(version, "M")
    total = sum(t for _, t in blocks)
    bits = modules[positions[:, 0], positions[:, 1]]
    true_words = np.packbits((bits ^ masked)[: total * 8].reshape(total, 8), axis=1).ravel()
    where = symbol_repair._deinterleave(true_words, blocks)

    def judged(score: np.ndarray, name: str) -> Holding:
        words, _ = symbol_repair._codewords(score, version, "M", mask)
        worst = max(
            float(np.sum(words[i] != true_words[i])) / (t - d)
            for i, (d, t) in zip(where, blocks, strict=True)
        )
        read = score[positions[:, 0], positions[:, 1]] > 0
        return Holding(worst, float(np.mean(read != bits)), name)

    gray = to_gray(frame.image)
    best: Holding | None = None
    for name, picture, (x0, y0) in _pictures(gray, corners, module, module_fit.kernel(truth)):
        grid = corners - np.float32([x0, y0])
        # the true grid is upright: symbol_repair.scores would turn it to fit the finder
        # patterns, which a reflection can hide
        score = symbol_repair._soft_modules(symbol_repair._sample(picture, grid, size))
        held = judged(score, name)
        if best is None or held.worst < best.worst:
            best = held
    if fitted and best.worst > 0.5:
        for light in ("linear", "8-bit"):
            darkness = module_fit.fit(gray, truth, modules, mask, light).darkness
            held = judged(darkness - 0.5, f"modules fitted, {light}")
            if held.worst < best.worst:
                best = held
            if best.worst <= 0.5:
                break
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default="held_out,tuned")
    parser.add_argument("--per-kind", type=int, default=30)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    print(
        "| part | kind | frames | pipeline read | mendable | only with erasures | beyond "
        "| mendable, read | read though beyond |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for part in args.parts.split(","):
        if part not in PARTS:
            raise SystemExit(f"part is one of {PARTS}")
        for kind in HARD:
            tally = dict.fromkeys(
                ("frames", "read", "mendable", "erasures", "beyond", "both", "odd"), 0
            )
            for frame in frames(args.per_kind, part=part, kinds={kind}):
                held = holding(frame)
                if held is None:
                    continue
                pipeline = ScanPipeline(timer=time.thread_time)
                read = set(frame.payloads) <= {c.text for c in pipeline.decode(frame.image)}
                tally["frames"] += 1
                tally["read"] += read
                tally[held.verdict] += 1
                tally["both"] += read and held.verdict == "mendable"
                tally["odd"] += read and held.verdict == "beyond"
            print(
                f"| {part} | {kind} | {tally['frames']} | {tally['read']} | {tally['mendable']} "
                f"| {tally['erasures']} | {tally['beyond']} | {tally['both']} | {tally['odd']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
