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


def test_a_dusk_webcam_gives_coloured_noise_spread_over_neighbours_and_crushes_the_shadows():
    grey = np.full((200, 200), 0.5, np.float32)
    frame = cam.dusk_sensor(grey, random.Random(2), 8, 0.6, 3.0, 0.0, 2.2, 60)
    b, g, _ = (frame[..., i].astype(np.float32) for i in range(3))
    assert np.abs(b - g).mean() > 5  # colour noise: the channels disagree pixel by pixel
    # demosaicing spreads each pixel's noise: neighbours are correlated, unlike pure shot noise
    centred = g - g.mean()
    neighbour = float((centred[:, 1:] * centred[:, :-1]).mean() / centred.var())
    assert neighbour > 0.3
    # a black level crushes what is dark but not black to black
    shadow = np.full((200, 200), 0.02, np.float32)
    lifted = cam.dusk_sensor(shadow, random.Random(3), 2000, 0.6, 3.0, 0.0, 2.2, 60)
    crushed = cam.dusk_sensor(shadow, random.Random(3), 2000, 0.6, 3.0, 0.03, 2.2, 60)
    assert np.median(lifted) > 20 and np.median(crushed) < 5


def test_an_aberrated_lens_spreads_a_point_over_a_disc_with_a_brighter_rim():
    k = cam.aberrated_disc_kernel(5.0, 0.8)
    c = k.shape[0] // 2
    assert abs(k.sum() - 1) < 1e-5
    assert k[c, c + 4] > 1.3 * k[c, c]  # the rim outshines the middle
    assert k[0, 0] == 0


def test_the_dark_and_defocus_kinds_are_dusk_frames_and_small_codes():
    dark = next(iter(frames(1, part="held_out", kinds=("low_light",))))
    b, g, _ = (dark.image[..., i].astype(np.float32) for i in range(3))
    assert np.abs(b - g).mean() > 3  # the colour webcam, not grey noise
    for f in frames(2, part="tuned", kinds=("defocus",)):
        assert f.payloads  # small codes whose modules are 3-5.5 px: made, each with its code
