"""A code's modules fitted to a frame's pixels with the truth the generator kept: the grid,
the blur's kernel and any rolling-shutter warp (issue 13, ninth round).

bench/frames_hold.py reads each module at its centre, on pictures where the blur was undone.
Undoing a blur of several modules leaves little at any one pixel. Fitting goes the other way
round: it asks which dark and light modules, drawn where the code is, blurred and warped as the
frame was, and lit by shades that vary smoothly across the code, best explain every pixel around
it. A 25 px smear over 5 px modules spreads each module over a hundred pixels, and each of them
still counts. The function patterns and the quiet zone are known (a reader that knows the
version knows them); the data modules and a ring of the scene around the code are free.

The modules are found by least squares (conjugate gradients on the normal equations, a pull
towards grey for stability), the shades (a light and a contrast, each a quadratic over the crop)
by least squares between rounds. Saturated pixels are left out: a reflection that fills the
sensor says nothing of the modules under it. Seconds a frame, in Python: a measurement of what
the frame holds, not a reader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import cv2
import numpy as np

from bench.camera_frames import QUIET
from scanner import second_look, symbol_repair

SUPERSAMPLE = 6  # pixels a module's side is drawn with before the perspective
PULL = 0.05  # towards grey, against the contrast squared
ROUNDS = 3  # modules, then shades, and again
ITERATIONS = 150  # of conjugate gradients, at most
SATURATED = 251  # 8-bit level from which a pixel is left out


def kernel(truth: dict) -> np.ndarray | None:
    """The blurs done after the code was placed, as one kernel (every warp comes before)."""
    total = None
    for kind, step in truth["steps"]:
        if kind != "blur":
            continue
        if total is None:
            total = step.astype(np.float32)
        else:
            pad = step.shape[0] // 2, step.shape[1] // 2
            grown = np.pad(total, ((pad[0], pad[0]), (pad[1], pad[1])))
            total = cv2.filter2D(grown, -1, step.astype(np.float32), borderType=cv2.BORDER_CONSTANT)
    return total


def _placement(truth: dict, n: int, ring: int, origin: tuple[int, int]) -> np.ndarray:
    """3x3: a pixel of the supersampled module grid (the code, its quiet zone and `ring`
    modules of scene around them) to a pixel of the crop at `origin`, before any warp. The
    generator's corners are edges, its warps count from pixels' centres: half a pixel apart."""
    square = np.float32([[0, 0], [n, 0], [n, n], [0, n]])
    to_frame = cv2.getPerspectiveTransform(square, np.float32(truth["corners"])).astype(float)
    s = SUPERSAMPLE
    grid = np.array([[1 / s, 0, 0.5 / s - ring], [0, 1 / s, 0.5 / s - ring], [0, 0, 1]])
    crop = np.array([[1, 0, -0.5 - origin[0]], [0, 1, -0.5 - origin[1]], [0, 0, 1]])
    return crop @ to_frame @ grid


def _steps(truth: dict, origin: tuple[int, int]) -> list[tuple[str, np.ndarray]]:
    """The generator's blurs and warps, the warps moved to the crop's pixels."""
    out = []
    o = np.asarray(origin, float)
    for kind, step in truth["steps"]:
        if kind == "warp":
            m = step.astype(np.float64).copy()
            m[:, 2] = m[:, :2] @ o + m[:, 2] - o
            out.append(("warp", m))
        else:
            out.append(("blur", step.astype(np.float32)))
    return out


def _render(modules, placement, steps, shape, blur: bool = True) -> np.ndarray:
    """Modules (1 dark) drawn on the crop as the frame was made."""
    big = np.kron(modules.astype(np.float32), np.ones((SUPERSAMPLE,) * 2, np.float32))
    size = (shape[1], shape[0])
    img = cv2.warpPerspective(big, placement, size, flags=cv2.INTER_LINEAR)
    for kind, step in steps:
        if kind == "warp":
            img = cv2.warpAffine(img, step, size, flags=cv2.INTER_LINEAR)
        elif blur:
            img = cv2.filter2D(img, -1, step, borderType=cv2.BORDER_CONSTANT)
    return img


def _operator(grid: int, placement, steps, shape, pixels, spacing: int):
    """The linear map from modules to the observed pixels, column by column: modules
    `spacing` apart are drawn together (their blurred footprints do not meet), and each pixel
    they touch is given to the module nearest it."""
    ys, xs = np.divmod(pixels, shape[1])
    points = np.stack([xs, ys], -1).astype(np.float64)
    for kind, step in reversed(steps):
        if kind == "warp":
            back = np.linalg.inv(np.vstack([step, [0, 0, 1]]))
            points = points @ back[:2, :2].T + back[:2, 2]
    home = np.hstack([points, np.ones((len(points), 1))]) @ np.linalg.inv(placement).T
    uv = (home[:, :2] / home[:, 2:3] + 0.5) / SUPERSAMPLE
    rows, cols, vals = [], [], []
    for r in range(spacing):
        for c in range(spacing):
            pattern = np.zeros((grid, grid), np.float32)
            pattern[r::spacing, c::spacing] = 1
            seen = _render(pattern, placement, steps, shape).ravel()[pixels]
            hit = np.flatnonzero(np.abs(seen) > 1e-5)
            iu = c + spacing * np.round((uv[hit, 0] - 0.5 - c) / spacing)
            iv = r + spacing * np.round((uv[hit, 1] - 0.5 - r) / spacing)
            ok = (iu >= 0) & (iu < grid) & (iv >= 0) & (iv < grid)
            rows.append(hit[ok])
            cols.append((iv[ok] * grid + iu[ok]).astype(np.int64))
            vals.append(seen[hit[ok]].astype(np.float64))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def _conjugate_gradients(normal: Callable, rhs: np.ndarray, x: np.ndarray) -> np.ndarray:
    r = rhs - normal(x)
    p = r.copy()
    rs = r @ r
    for _ in range(ITERATIONS):
        ap = normal(p)
        alpha = rs / (p @ ap)
        x = x + alpha * p
        r = r - alpha * ap
        new = r @ r
        if new < 1e-10 * (rhs @ rhs):
            break
        p = r + new / rs * p
        rs = new
    return x


class Fitted(NamedTuple):
    darkness: np.ndarray  # each module's, about 0 light and 1 dark, size x size
    residual: float  # what the fit leaves unexplained, RMS, in units of the code's contrast


def fit(gray: np.ndarray, truth: dict, symbol: np.ndarray, mask: int, light: str) -> Fitted:
    """The modules fitted to the pixels around the code, in linear light ("linear", as the
    lens blurred it) or on the 8-bit picture ("8-bit"). `symbol` is the code's modules (True
    dark), of which only the function patterns are used."""
    size = symbol.shape[0]
    version = (size - 17) // 4
    n = size + 2 * QUIET
    corners = np.float32(truth["corners"])
    module = float(np.linalg.norm(corners[1] - corners[0])) / n
    blur = kernel(truth)
    reach = 1 if blur is None else max(blur.shape)
    ring = int(np.ceil(reach / 2 / module)) + 1
    grid = n + 2 * ring
    centre = corners.mean(0)
    half = np.abs(corners - centre).max() + (ring + 1) * module * 1.5 + reach
    origin = (int(centre[0] - half), int(centre[1] - half))
    shape = (int(2 * half), int(2 * half))
    placement = _placement(truth, n, ring, origin)
    steps = _steps(truth, origin)
    # the pixels fitted: on the code or its quiet zone, inside the frame, not saturated
    code = np.zeros((grid, grid), np.float32)
    code[ring : ring + n, ring : ring + n] = 1
    inside = _render(code, placement, steps, shape, blur=False) > 0.99
    h, w = gray.shape
    crop = np.full(shape, 255, np.uint8)
    x0, y0 = max(origin[0], 0), max(origin[1], 0)
    x1, y1 = min(origin[0] + shape[1], w), min(origin[1] + shape[0], h)
    crop[y0 - origin[1] : y1 - origin[1], x0 - origin[0] : x1 - origin[0]] = gray[y0:y1, x0:x1]
    inside[crop >= SATURATED] = False
    pixels = np.flatnonzero(inside.ravel())
    picture = second_look.LINEAR[crop] if light == "linear" else crop.astype(np.float32)
    y = picture.ravel()[pixels].astype(np.float64) / 255.0
    spacing = int(np.ceil((reach + 3 * module) / module)) + 2
    rows, cols, vals = _operator(grid, placement, steps, shape, pixels, spacing)
    count, unknowns = len(pixels), grid * grid

    def forward(x: np.ndarray) -> np.ndarray:
        return np.bincount(rows, weights=vals * x[cols], minlength=count)

    def back(r: np.ndarray) -> np.ndarray:
        return np.bincount(cols, weights=vals * r[rows], minlength=unknowns)

    truth_modules = np.pad(symbol.astype(float), QUIET)
    _, positions, _ = symbol_repair._layout(version, "M", mask)
    data = np.zeros((grid, grid), bool)
    data[positions[:, 0] + QUIET + ring, positions[:, 1] + QUIET + ring] = True
    scene = np.ones((grid, grid), bool)
    scene[ring : ring + n, ring : ring + n] = False
    # only the function patterns and the quiet zone are taken from the truth
    known = np.zeros((grid, grid))
    known[ring : ring + n, ring : ring + n] = truth_modules
    known[data] = 0.0
    free = (data | scene).ravel()
    x = known.ravel().copy()
    x[data.ravel()] = 0.5
    prior = np.where(data.ravel()[free], 0.5, 0.0)
    ys, xs = np.divmod(pixels, shape[1])
    px, py = xs / shape[1] - 0.5, ys / shape[0] - 0.5
    shades = np.stack([np.ones_like(px), px, py, px * px, px * py, py * py], -1)
    for _ in range(ROUNDS):
        # light and contrast: y = shades @ a - (shades @ b) * darkness
        z = forward(x)
        coef, *_ = np.linalg.lstsq(np.hstack([shades, -shades * z[:, None]]), y, rcond=None)
        lit, contrast = shades @ coef[:6], shades @ coef[6:]
        fixed = np.where(free, 0.0, x)
        residual = lit - y - contrast * forward(fixed)
        pull = PULL * float(np.median(contrast)) ** 2

        def normal(v: np.ndarray, contrast=contrast, pull=pull) -> np.ndarray:
            full = np.zeros(unknowns)
            full[free] = v
            return back(contrast * contrast * forward(full))[free] + pull * v

        rhs = back(contrast * residual)[free] + pull * prior
        x = x.copy()
        x[free] = _conjugate_gradients(normal, rhs, x[free])
    inner = ring + QUIET
    darkness = x.reshape(grid, grid)[inner : inner + size, inner : inner + size]
    left = y - (lit - contrast * forward(x))
    return Fitted(darkness, float(np.sqrt(np.mean(left * left))) / float(np.median(contrast)))
