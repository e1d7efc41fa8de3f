"""bench/frames_hold.py: what a generated frame still holds of its code, read with the truth
the generator kept (the grid through any warp, the blur's kernel)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from bench.camera_frames import frames
from bench.frames_hold import holding


def _first(kind: str, seed: int = 5):
    return next(iter(frames(1, seed=seed, kinds={kind})))


def test_a_clean_frame_read_on_its_true_grid_has_every_codeword_right():
    held = holding(_first("clean"))
    assert held is not None
    assert held.verdict == "mendable" and held.worst == 0.0 and held.bit_errors < 0.01


def test_the_grid_follows_the_rolling_shutter_warp():
    frame = _first("rolling_shutter")
    assert any(kind == "warp" for kind, _ in frame.truth["steps"])
    assert holding(frame).verdict == "mendable"
    # the same frame with the warp forgotten: the grid misses the modules it sheared
    steps = [s for s in frame.truth["steps"] if s[0] != "warp"]
    unwarped = replace(frame, truth={**frame.truth, "steps": steps})
    assert holding(unwarped).bit_errors > 0.2


def test_a_code_under_noise_is_beyond_what_error_correction_mends():
    frame = _first("clean")
    corners = frame.truth["corners"]
    x0, y0 = corners.min(0).astype(int)
    x1, y1 = corners.max(0).astype(int)
    noisy = frame.image.copy()
    rng = np.random.default_rng(0)
    noisy[y0:y1, x0:x1] = rng.integers(0, 256, noisy[y0:y1, x0:x1].shape, dtype=np.uint8)
    held = holding(replace(frame, image=noisy))
    assert held.verdict == "beyond" and held.bit_errors > 0.3


def test_a_frame_without_one_code_holds_nothing_to_measure():
    assert holding(_first("no_code")) is None
    assert holding(_first("several")) is None


def test_modules_fitted_with_the_blur_read_a_smear_no_deconvolved_picture_mends():
    # 22 px of motion over modules of 5 px: sampled on any picture, beyond error correction
    frame = _first("motion_blur", seed=13)
    assert holding(frame, fitted=False).verdict == "beyond"
    fitted = holding(frame)
    assert fitted.verdict == "mendable" and fitted.picture.startswith("modules fitted")
    # the fit owes it to the kernel: drawn without the blur, the modules explain nothing
    steps = [s for s in frame.truth["steps"] if s[0] != "blur"]
    unblurred = replace(frame, truth={**frame.truth, "steps": steps})
    assert holding(unblurred).verdict == "beyond"
