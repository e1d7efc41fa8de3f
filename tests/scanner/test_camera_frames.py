"""The benchmark's frame generator: repeatable, two parts kept apart, damage as a camera does it."""

from __future__ import annotations

import random

import numpy as np

from bench import camera_model as cam
from bench.camera_frames import CARRIERS, CATEGORIES, frames


def test_the_same_seed_gives_the_same_frames_and_parts_differ():
    a = list(frames(1, part="tuned", kinds=("motion_blur", "low_light")))
    b = list(frames(1, part="tuned", kinds=("motion_blur", "low_light")))
    assert [f.payloads for f in a] == [f.payloads for f in b]
    assert all(np.array_equal(x.image, y.image) for x, y in zip(a, b, strict=True))
    tuned = {p for f in frames(3, part="tuned", kinds=("clean", "several")) for p in f.payloads}
    held = {p for f in frames(3, part="held_out", kinds=("clean", "several")) for p in f.payloads}
    assert tuned and held and not tuned & held
    names = {c.name for c in CARRIERS["tuned"]} & {c.name for c in CARRIERS["held_out"]}
    assert not names  # the held-out part is shown on other phones and cards


def test_every_kind_gives_camera_sized_frames_with_their_codes():
    for f in frames(1, part="held_out"):
        assert f.image.shape == (720, 1280, 3) and f.image.dtype == np.uint8
        assert (f.payloads == ()) == (f.category == "no_code")
    assert len({f.category for f in frames(1)}) == len(CATEGORIES)


def test_a_hand_blur_is_a_long_thin_path_in_its_direction():
    k = cam.motion_kernel(21, 0, 0.0, random.Random(0))
    assert abs(k.sum() - 1) < 1e-5
    ys, xs = np.nonzero(k > 1e-4)
    assert xs.max() - xs.min() >= 19 and ys.max() - ys.min() <= 2
    bent = cam.motion_kernel(21, 0, 0.15, random.Random(0))
    ys, _ = np.nonzero(bent > 1e-4)
    assert ys.max() - ys.min() >= 2  # the hand's curve: 1.6 px of bow


def test_defocus_is_a_flat_disc():
    k = cam.disc_kernel(4.0)
    centre = k[k.shape[0] // 2, k.shape[1] // 2]
    assert abs(k[k.shape[0] // 2, k.shape[1] // 2 + 2] - centre) < 1e-6  # flat inside
    assert k[0, 0] == 0  # nothing outside


def test_few_photons_give_shot_noise_that_grows_with_the_signal():
    rng = random.Random(1)
    bright = cam.sensor(np.full((200, 200), 1.0, np.float32), rng, 5, exposure=1.0)[..., 0]
    dim = cam.sensor(np.full((200, 200), 0.2, np.float32), rng, 5, exposure=1.0)[..., 0]
    many = cam.sensor(np.full((200, 200), 0.6, np.float32), rng, 5000, exposure=1.0)[..., 0]
    assert bright.std() > 20 and dim.std() > 20  # a dark tent: noise over the whole range
    assert many.std() < 5  # daylight: hardly any


def test_shaken_frames_say_how_long_their_blur_is_in_modules_of_their_code():
    from bench.bench_scanner import blur_bin

    shaken = list(frames(3, part="held_out", kinds=("motion_blur", "mix_shake_dark", "clean")))
    for f in shaken:
        if f.category == "clean":
            assert "blur_px" not in f.notes and blur_bin(f) is None
            continue
        low, high = (5, 25) if f.category == "motion_blur" else (5, 15)
        assert low <= f.notes["blur_px"] <= high
        assert 2.5 < f.notes["module_px"] < 12  # a code of 240-420 px, quiet zone included
        assert blur_bin(f) is not None
