"""The pipeline on what a moving hand, an unfocused lens and a dark tent do to a frame, made by
the benchmark's camera model (photons, blur in radiance, gain, JPEG). Each frame is one that
zxing-cpp alone cannot read. Budgets are generous here: these tests are about what is read,
the time it takes is the benchmark's business."""

from __future__ import annotations

import random
from collections.abc import Callable

import cv2
import numpy as np
import pytest

from bench import camera_model as cam
from bench.camera_frames import (
    CARRIERS,
    carrier_image,
    corners_of,
    draw_carrier,
    frames,
    pose,
    qr_image,
    qr_modules,
)
from bench.pixel_damage import line_on_grid
from scanner import restore, second_look
from scanner.decoders import read_zxing
from scanner.locate import busy_patches
from scanner.pipeline import ScanPipeline

TEXT = "CK1:" + "MOTION-BLUR-TEST-" * 6
CCCD = (
    "046301002345|191234567|Võ Thị Ữ Nghệ|14022001|Nữ|"
    "Thôn 3, Xã Hương Thọ - Thị xã Hương Trà, Tỉnh Thừa Thiên Huế|01052021||||"
)


class FrameClock:
    """The camera's clock: 1/15 s per frame, however long decoding took on this machine."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float = 1 / 15) -> None:
        self.now += seconds


def _pipeline(clock: FrameClock | None = None) -> ScanPipeline:
    return ScanPipeline(budget_ms=5000, second_look_ms=5000, clock=clock or FrameClock())


def _scene(text: str, side: int = 330, angle: float = 8) -> tuple[np.ndarray, np.ndarray]:
    """A phone showing `text` on a grey desk, in radiance; and the code's corners."""
    scene = np.full((720, 1280), 0.35, np.float32)
    img, corners = carrier_image(text, CARRIERS["tuned"][0], side)
    matrix = pose(img.shape, (640, 360), angle)
    draw_carrier(scene, img, matrix)
    return scene, corners_of(corners, matrix)


def _texts(codes) -> list[str]:
    return [c.text for c in codes]


@pytest.mark.parametrize(
    ("length", "angle", "stage"),
    [
        (16, 20, "deblur_motion"),
        (20, 115, "deblur_motion"),
        (18, 250, "deblur_motion"),
        # 22-26 px: undone hard on the linear picture with the spot's surroundings (fifth
        # round); the fourth round's pipeline read neither
        (22, 60, "deblur_motion_sharp_light"),
        (26, 60, "deblur_motion_sharp_light"),
    ],
)
def test_a_code_blurred_by_a_moving_hand_is_read_where_zxing_alone_reads_nothing(
    length, angle, stage
):
    """A hand moving while the sensor gathers light: the camera model's own motion."""
    scene, _ = _scene(TEXT)
    kernel = cam.motion_kernel(length, angle, 0.05, random.Random(1))
    frame = cam.sensor(cam.blur(scene, kernel), random.Random(2), 600, 0.9, jpeg_quality=85)
    assert read_zxing(frame) == []
    pipeline = _pipeline()
    assert _texts(pipeline.decode(frame)) == [TEXT]
    assert pipeline.last_stage.startswith(stage)


def _code_on_pixels(module_px: int, blur: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The CCCD's code on a grey frame, blurred as an 8-bit picture (as a camera's processing or
    another generator does, bench/pixel_damage.py), with noise of 2 levels."""
    code = qr_image(CCCD, module_px)
    frame = np.full((720, 1280), 80.0, np.float32)
    frame[100 : 100 + code.shape[0], 300 : 300 + code.shape[1]] = code
    noise = np.random.default_rng(module_px).normal(0, 2, frame.shape)
    return np.clip(blur(frame) + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("module_px", [4, 5, 6])
def test_a_code_blurred_by_a_disc_on_its_pixels_is_read(module_px):
    """Defocus as a camera's processing, or another generator, makes it: a disc about a module
    wide on the 8-bit picture, not on the light before the sensor."""
    disc = cam.disc_kernel(module_px)
    blurred = _code_on_pixels(module_px, lambda frame: cv2.filter2D(frame, -1, disc))
    assert read_zxing(blurred) == []
    assert [c.text for c in _pipeline().decode(blurred)] == [CCCD]


@pytest.mark.parametrize(
    ("module_px", "length", "angle"),
    [
        (4, 17, 25),
        (4, 20, 70),
        (5, 23, 25),
        # five to six modules, whose direction the estimate gets a few degrees wrong (pulled
        # towards the code's own axes) and whose smear runs past the spot: the fourth round
        # read none of these; looking around the estimate, with the spot's surroundings, does
        (4, 19, 10),
        (4, 22, 150),
        (4, 25, 35),
        (5, 25, 10),
    ],
)
def test_a_code_smeared_by_a_line_on_its_pixels_is_read(module_px, length, angle):
    """A shake of four to six modules made on the 8-bit picture (bench/pixel_damage.py): the
    pipeline before the fourth round of issue 13 read none of these."""
    line = line_on_grid(length, angle)
    smeared = _code_on_pixels(module_px, lambda frame: cv2.filter2D(frame, -1, line))
    assert read_zxing(smeared) == []
    pipeline = _pipeline()
    codes = pipeline.decode(smeared)
    assert _texts(codes) == [CCCD]
    assert pipeline.last_stage.startswith("deblur_motion")
    # read on a picture cut from the spot's surroundings, scaled: still boxed where it is
    (sharp,) = ScanPipeline().decode(_code_on_pixels(module_px, lambda frame: frame))
    off = np.array(codes[0].corners, int) - np.array(sharp.corners, int)
    assert np.abs(off).max() <= 2


@pytest.mark.parametrize("radius", [4.5, 5.0])
def test_a_lens_blur_of_several_modules_is_read(radius):
    """A webcam focused far behind the phone: a disc in light about three modules wide, which
    the gentle discs leave grey and a sharper deconvolution, thresholded, reads."""
    scene, _ = _scene(CCCD, side=260)
    blurred = cam.sensor(cam.blur(scene, cam.disc_kernel(radius)), random.Random(1), 600, 0.9)
    assert read_zxing(blurred) == []
    pipeline = _pipeline()
    assert _texts(pipeline.decode(blurred)) == [CCCD]
    assert pipeline.last_stage.startswith("deblur_")


@pytest.mark.parametrize(("module_px", "sigma"), [(4, 2.5), (4, 3.0), (5, 3.5), (6, 4.0)])
def test_a_code_softened_by_a_gaussian_on_its_pixels_is_read(module_px, sigma):
    """A Gaussian blur of the 8-bit picture, as some cameras' processing and many generators
    make defocus: the pipeline before the fourth round of issue 13 read none of these."""
    soft = _code_on_pixels(module_px, lambda frame: cv2.GaussianBlur(frame, (0, 0), sigma))
    assert read_zxing(soft) == []
    assert _texts(_pipeline().decode(soft)) == [CCCD]


@pytest.mark.parametrize(("module_px", "sigma"), [(4, 3.3), (5, 4.0), (6, 4.3)])
def test_a_gaussian_blur_near_a_module_wide_is_read(module_px, sigma):
    """Softer still: a Gaussian whose sigma is most of a module. Its transfer function has no
    zeros, so it is undone harder than a disc's; the fourth round's pipeline read none of
    these."""
    soft = _code_on_pixels(module_px, lambda frame: cv2.GaussianBlur(frame, (0, 0), sigma))
    assert read_zxing(soft) == []
    assert _texts(_pipeline().decode(soft)) == [CCCD]


def _disc_on_grid(radius: int) -> np.ndarray:
    """A disc as generators draw it: a filled circle on a square grid."""
    kernel = np.zeros((2 * radius + 1, 2 * radius + 1), np.float32)
    cv2.circle(kernel, (radius, radius), radius, 1.0, -1)
    return kernel / kernel.sum()


@pytest.mark.parametrize(("module_px", "side"), [(4, 9), (5, 11), (5, 13), (6, 11)])
def test_a_code_blurred_by_a_box_as_many_generators_defocus_is_read(module_px, side):
    """OpenCV's `blur`, a square of 9-13 px: the fifth round's pipeline read none of these."""
    boxed = _code_on_pixels(module_px, lambda frame: cv2.blur(frame, (side, side)))
    assert read_zxing(boxed) == []
    pipeline = _pipeline()
    assert _texts(pipeline.decode(boxed)) == [CCCD]
    assert pipeline.last_stage.startswith("deblur_gamma_sharp_box")


@pytest.mark.parametrize(
    ("module_px", "blur"),
    [
        # OpenCV's Gaussian with the sigma it takes from the kernel's size (4.7 and 5.0)
        (5, lambda frame: cv2.GaussianBlur(frame, (29, 29), 0)),
        (6, lambda frame: cv2.GaussianBlur(frame, (31, 31), 0)),
        # discs of radius 6-8 on modules of 4-6 px
        (4, lambda frame: cv2.filter2D(frame, -1, _disc_on_grid(6))),
        (5, lambda frame: cv2.filter2D(frame, -1, _disc_on_grid(7))),
        (6, lambda frame: cv2.filter2D(frame, -1, _disc_on_grid(8))),
    ],
)
def test_a_blur_wider_than_the_list_goes_is_undone_at_its_measured_width(module_px, blur):
    """Blurs past the list's largest Gaussian and disc: their width, measured on the spot,
    makes the kernel; the fifth round's pipeline read none of these."""
    soft = _code_on_pixels(module_px, blur)
    assert read_zxing(soft) == []
    assert _texts(_pipeline().decode(soft)) == [CCCD]


@pytest.mark.parametrize(("seed", "radius"), [(2, 9), (4, 8), (10, 9), (11, 8)])
def test_a_wide_disc_on_a_camera_frame_is_undone_at_its_own_radius(seed, radius):
    """A disc of radius 8-9 drawn on the grid over a frame from the camera model (its noise and
    JPEG): the edges it leaves measure about 2r - 2 wide, not 2r - 1 as a smaller disc's do, so
    the disc made to the measured width was half a pixel short; the sixth round read none."""
    frame = next(frames(1, seed=seed, kinds={"clean"}))
    soft = cv2.filter2D(frame.image.astype(np.float32), -1, _disc_on_grid(radius))
    soft = np.clip(soft, 0, 255).astype(np.uint8)
    assert read_zxing(soft) == []
    pipeline = _pipeline()
    assert _texts(pipeline.decode(soft)) == list(frame.payloads)
    # the disc of that radius, on the spot or on the whole frame at half size
    assert pipeline.last_stage in (
        f"deblur_gamma_sharp_disc{radius}.0_hard",
        f"half_frame_deblur_gamma_sharp_disc{radius / 2}_hard",
    )


def test_a_wide_disc_that_spreads_the_code_past_its_spot_is_undone_on_the_whole_frame():
    """A disc of radius 8 over a code of 6.3 px modules: the densest edges make a spot smaller
    than the code, and no deconvolution of that spot reads it, given any time; the whole frame
    at half size, deblurred by the disc its measured edges give, does."""
    frame = next(frames(1, seed=1, kinds={"clean"}))
    soft = cv2.filter2D(frame.image.astype(np.float32), -1, _disc_on_grid(8))
    soft = np.clip(soft, 0, 255).astype(np.uint8)
    assert read_zxing(soft) == []
    pipeline = _pipeline()
    assert _texts(pipeline.decode(soft)) == list(frame.payloads)
    assert pipeline.last_stage.startswith("half_frame_")


@pytest.mark.parametrize(
    ("blur", "width"),
    [
        (lambda frame: cv2.blur(frame, (7, 7)), 7),
        (lambda frame: cv2.blur(frame, (11, 11)), 11),
        (lambda frame: cv2.filter2D(frame, -1, _disc_on_grid(5)), 9),
        (lambda frame: cv2.GaussianBlur(frame, (0, 0), 4.0), 10),
    ],
)
def test_the_width_a_blur_leaves_on_a_codes_edges_is_measured(blur, width):
    crop = _code_on_pixels(5, blur)[80:400, 280:600]
    assert abs(restore.edge_width(crop) - width) <= 1
    # the blurs that leave edges that wide are tried first
    first = second_look.in_order(restore.edge_width(crop))[0]
    assert abs(first.edge - width) <= 2


@pytest.mark.parametrize(("tilt", "length", "angle"), [(30, 15, 70), (30, 15, 110), (8, 25, 110)])
def test_a_shaken_code_whose_smear_runs_into_the_phone_is_found_and_read(tilt, length, angle):
    """The smeared code's patch of edges joins the phone's own edges into one shape too long or
    too sparse to be a code; the fourth round found no spot there and read nothing."""
    scene, corners = _scene(CCCD, side=240, angle=tilt)
    frame = cam.sensor(scene, random.Random(1), 600, 0.9).astype(np.float32)
    smeared = np.clip(cv2.filter2D(frame, -1, line_on_grid(length, angle)), 0, 255)
    smeared = smeared.astype(np.uint8)
    assert read_zxing(smeared) == []
    centre = corners.mean(axis=0)
    gray = smeared if smeared.ndim == 2 else cv2.cvtColor(smeared, cv2.COLOR_BGR2GRAY)
    assert any(x0 < centre[0] < x1 and y0 < centre[1] < y1 for x0, y0, x1, y1 in busy_patches(gray))
    assert _texts(_pipeline().decode(smeared)) == [CCCD]


@pytest.mark.parametrize(("text", "side", "tilt"), [(CCCD, 120, 8), (TEXT, 90, 8), (TEXT, 90, 25)])
def test_a_small_code_on_a_phone_full_of_text_is_read_enlarged(text, side, tilt):
    """A code 90-120 px wide whose spot takes in the phone's own text, so the spot is not small:
    its modules of 2-3 px are what say the code is, and it is read enlarged. The fourth
    round's pipeline enlarged only small spots and read none of these."""
    scene, _ = _scene(text, side=side, angle=tilt)
    blurred = cam.blur(scene, cam.disc_kernel(1.2))
    frame = cam.sensor(blurred, random.Random(2), 300, 0.9, jpeg_quality=70)
    assert read_zxing(frame) == []
    pipeline = _pipeline()
    assert _texts(pipeline.decode(frame)) == [text]
    assert pipeline.last_stage == "upscale"


@pytest.mark.parametrize(
    ("module_px", "light", "noise", "quality"),
    [(4, 0.06, 5, 30), (4, 0.06, 5, 50), (5, 0.04, 3, 30)],
)
def test_a_dim_frame_made_darker_then_jpegd_is_read(module_px, light, noise, quality):
    """Darkness as another generator makes it: the 8-bit picture scaled to a few percent, noise
    added, then a JPEG. A dozen grey levels carry the code and the JPEG's blocks alike, and the
    noise measure sees a smooth picture; the fourth round's pipeline read none of these."""
    code = qr_image(CCCD, module_px)
    frame = np.full((720, 1280), 80.0, np.float32)
    frame[100 : 100 + code.shape[0], 300 : 300 + code.shape[1]] = code
    dark = frame * light + np.random.default_rng(1).normal(0, noise, frame.shape)
    encoded = cv2.imencode(
        ".jpg", np.clip(dark, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, quality]
    )[1]
    dim = cv2.imdecode(encoded, cv2.IMREAD_UNCHANGED)
    assert read_zxing(dim) == []
    pipeline = _pipeline()
    assert _texts(pipeline.decode(dim)) == [CCCD]
    assert pipeline.last_stage.startswith("dim_stretch")


def test_a_code_on_a_dark_frame_full_of_photon_noise_is_read():
    scene, _ = _scene(CCCD, side=260)
    frame = cam.sensor(scene, random.Random(3), 5, 0.35, jpeg_quality=75)  # 5 photons at white
    assert read_zxing(frame) == []
    pipeline = _pipeline()
    codes = pipeline.decode(frame)
    assert _texts(codes) == [CCCD]  # the Vietnamese letters intact
    assert pipeline.last_stage.startswith("denoise")


def _dusk(photons: float, jpeg: int, side: int, radius: float, seed: int) -> np.ndarray:
    """A phone at half brightness in a tent at dusk, through a colour webcam whose demosaicing
    and JPEG spread the noise over several pixels (too smooth, pixel by pixel, to look noisy)."""
    scene = np.full((720, 1280), 0.35, np.float32)
    img, _ = carrier_image(CCCD, CARRIERS["tuned"][0], side)
    draw_carrier(scene, img * 0.5, pose(img.shape, (640, 360), 8))
    if radius:
        scene = cam.blur(scene, cam.disc_kernel(radius))
    return cam.dusk_sensor(scene, random.Random(seed), photons, 0.5, 3.0, 0.02, 2.2, jpeg)


@pytest.mark.parametrize(
    ("photons", "jpeg", "side", "radius", "seed"),
    [(14, 50, 340, 0.0, 2), (20, 35, 260, 0.0, 2), (14, 50, 260, 1.5, 2), (20, 50, 260, 1.5, 1)],
)
def test_a_phone_in_a_dusk_tent_through_a_colour_webcam_is_read(photons, jpeg, side, radius, seed):
    frame = _dusk(photons, jpeg, side, radius, seed)
    assert read_zxing(frame) == []
    pipeline = _pipeline()
    assert _texts(pipeline.decode(frame)) == [CCCD]
    assert pipeline.last_stage.startswith("denoise")


def test_a_dusk_frames_spread_out_noise_is_told_from_a_daylight_blur():
    dark = cv2.cvtColor(_dusk(14, 50, 340, 0.0, 2), cv2.COLOR_BGR2GRAY)[150:570, 420:860]
    scene, _ = _scene(TEXT)
    for blurred in (scene, cam.blur(scene, cam.disc_kernel(3.0))):
        day = cam.sensor(blurred, random.Random(6), 600, 0.9, jpeg_quality=80)[150:570, 420:860, 0]
        assert not second_look.is_grainy(day)
    assert second_look.is_grainy(dark)


def _glared(position: float, seed: int) -> np.ndarray:
    """The code with a window's reflection across a different part of it in each frame."""
    scene, corners = _scene(TEXT, side=300, angle=0)
    x0 = corners[:, 0].min()
    width = corners[:, 0].max() - x0
    band = np.zeros_like(scene)
    cx = int(x0 + position * width)
    cv2.rectangle(band, (cx - int(width * 0.2), 0), (cx + int(width * 0.2), 719), 1.0, -1)
    band = cv2.GaussianBlur(band, (0, 0), 6)
    return cam.sensor(scene + band * 1.5, random.Random(seed), 600, 0.9, jpeg_quality=85)


def test_a_code_seen_in_pieces_over_three_frames_is_read_once():
    frames = [_glared(p, i) for i, p in enumerate((0.25, 0.5, 0.75))]
    for frame in frames:  # no frame alone shows enough of it
        assert _pipeline().decode(frame) == []
    clock = FrameClock()
    pipeline = _pipeline(clock)
    results = []
    for frame in frames:
        results.append(_texts(pipeline.decode(frame)))
        clock.tick()
    assert results == [[], [], [TEXT]]
    assert pipeline.last_stage.startswith("frames_")


def _drifting(x: int, glare: tuple[int, int] | None) -> np.ndarray:
    """The CCCD's code with its left edge at `x`, a reflection over part of it (a white disc
    at `glare` from the code's corner), slightly soft, with noise of 2 levels."""
    code = qr_image(CCCD, 6)
    frame = np.full((720, 1280), 90, np.uint8)
    frame[150 : 150 + code.shape[0], x : x + code.shape[1]] = code
    if glare is not None:
        cv2.circle(frame, (x + glare[0], 150 + glare[1]), 95, 255, -1)
    soft = cv2.GaussianBlur(frame, (0, 0), 1.0) + np.random.default_rng(x).normal(0, 2, frame.shape)
    return np.clip(soft, 0, 255).astype(np.uint8)


def test_a_code_combined_over_frames_while_the_hand_drifts_is_boxed_where_it_is():
    """The phone moves 8 px a frame while a reflection hides a different part of its code:
    the frames are combined over the place seen in them all, which starts left of this
    frame's spot; the code must still be placed where it is in this frame (the window draws
    its box there and the next frames look there first)."""
    clock = FrameClock()
    pipeline = _pipeline(clock)
    results = []
    for k, glare in enumerate(((170, 60), (90, 90), (250, 250))):
        results.append(pipeline.decode(_drifting(400 + 8 * k, glare)))
        clock.tick()
    assert [_texts(r) for r in results] == [[], [], [CCCD]]
    assert pipeline.last_stage.startswith("frames_")
    (truth,) = ScanPipeline().decode(_drifting(416, None))
    off = np.array(results[2][0].corners, int) - np.array(truth.corners, int)
    assert np.abs(off).max() <= 2


def test_frames_far_apart_in_time_are_not_combined():
    clock = FrameClock()
    pipeline = _pipeline(clock)
    results = []
    for i, p in enumerate((0.25, 0.5, 0.75)):
        results.append(pipeline.decode(_glared(p, i)))
        clock.tick(5.0)
    assert results == [[], [], []]


def test_once_read_the_code_is_looked_for_where_it_was():
    scene, _ = _scene(TEXT)
    kernel = cam.motion_kernel(16, 20, 0.05, random.Random(1))
    blurred = cam.sensor(cam.blur(scene, kernel), random.Random(2), 600, 0.9, jpeg_quality=85)
    sharp = cam.sensor(scene, random.Random(4), 600, 0.9, jpeg_quality=85)
    pipeline = _pipeline()
    assert _texts(pipeline.decode(blurred)) == [TEXT]
    assert _texts(pipeline.decode(sharp)) == [TEXT]
    assert pipeline.last_stage == "last_place"


def test_a_frame_without_a_code_in_the_dark_gives_nothing():
    scene = np.full((720, 1280), 0.3, np.float32)
    cv2.rectangle(scene, (400, 200), (700, 500), 0.9, -1)  # a sheet of paper, no code
    pipeline = _pipeline()
    for seed in range(3):
        assert pipeline.decode(cam.sensor(scene, random.Random(seed), 5, 0.4)) == []


@pytest.mark.parametrize(("length", "angle"), [(9, 10), (15, 60), (21, 135)])
def test_the_blur_direction_and_length_are_found_from_the_picture(length, angle):
    scene, corners = _scene(TEXT, angle=0)
    kernel = cam.motion_kernel(length, angle, 0.0, random.Random(0))
    frame = cam.sensor(cam.blur(scene, kernel), random.Random(5), 800, 0.9)[..., 0]
    (x0, y0), (x1, y1) = corners.min(0).astype(int), corners.max(0).astype(int)
    crop = frame[y0 - 20 : y1 + 20, x0 - 20 : x1 + 20]
    found, spread = restore.blur_direction(crop)
    assert spread > 0.3
    assert abs((found - angle + 90) % 180 - 90) < 8  # a direction: 10 and 190 are the same
    assert abs(restore.blur_length(crop, found) - length) <= 2


@pytest.mark.parametrize("angle", [30, 75, 200])
def test_a_long_blur_of_a_cccd_code_is_read(angle):
    """17 px of blur on modules of about 5.6 px (three modules): the pipeline before this
    change (52726a7) read none of these, whatever its budget; the smaller, thresholded and
    two-shade deconvolutions read them, Vietnamese letters intact."""
    scene, _ = _scene(CCCD, side=300)
    kernel = cam.motion_kernel(17, angle, 0.1, random.Random(1))
    frame = cam.sensor(cam.blur(scene, kernel), random.Random(2), 600, 0.9, jpeg_quality=85)
    assert read_zxing(frame) == []
    pipeline = _pipeline()
    assert _texts(pipeline.decode(frame)) == [CCCD]
    assert pipeline.last_stage.startswith("deblur_motion")


def test_the_module_width_is_found_across_the_blur():
    scene, corners = _scene(CCCD, side=300, angle=0)
    kernel = cam.motion_kernel(15, 60, 0.0, random.Random(0))
    frame = cam.sensor(cam.blur(scene, kernel), random.Random(5), 800, 0.9)[..., 0]
    (x0, y0), (x1, y1) = corners.min(0).astype(int), corners.max(0).astype(int)
    crop = frame[y0 - 20 : y1 + 20, x0 - 20 : x1 + 20]
    found, _ = restore.blur_direction(crop)
    module = 300 / qr_modules(CCCD).shape[0]
    assert abs(restore.blur_length(crop, found + 90) - module) <= 1


def test_deconvolution_gives_back_the_modules_of_a_blurred_code():
    sharp = qr_image(TEXT, 6)
    kernel = restore.line_kernel(14, 35)
    linear = (sharp.astype(np.float32) / 255) ** 2.2 * 255
    blurred = cv2.filter2D(linear, -1, kernel, borderType=cv2.BORDER_REFLECT)
    for picture in (
        restore.wiener(blurred, kernel, 0.01),
        list(restore.deconvolve_two_shades(blurred, kernel, 6))[-1],
    ):
        agree = (picture > 127) == (sharp > 127)
        assert agree[20:-20, 20:-20].mean() > 0.97
    assert read_zxing(cv2.cvtColor(blurred.astype(np.uint8), cv2.COLOR_GRAY2BGR)) == []


def test_a_blurred_frame_nothing_reads_stops_at_the_frames_budget(monkeypatch):
    """The camera is not held up by a frame it cannot read: once the frame's time is spent no
    further picture is prepared or read. Time here is counted by a clock that moves 3 ms per
    zxing-cpp call, so the test does not depend on this machine's speed."""
    import scanner.pipeline as pipeline_module

    scene, _ = _scene(CCCD, side=300)
    kernel = cam.motion_kernel(26, 40, 0.15, random.Random(1))  # five modules: unreadable
    frame = cam.sensor(cam.blur(scene, kernel), random.Random(2), 600, 0.9, jpeg_quality=85)
    clock = {"ms": 0.0, "reads": 0}
    real_read = pipeline_module.zxingcpp.read_barcodes

    def counted(*args, **kwargs):
        clock["ms"] += 3.0
        clock["reads"] += 1
        return real_read(*args, **kwargs)

    monkeypatch.setattr(pipeline_module.zxingcpp, "read_barcodes", counted)
    pipeline = ScanPipeline(timer=lambda: clock["ms"] / 1000, clock=FrameClock())
    assert pipeline.decode(frame) == []
    # the second look may start an attempt until SECOND_LOOK_MS: at 3 ms a read, so many reads
    assert clock["reads"] <= pipeline_module.SECOND_LOOK_MS // 3 + 1
    assert clock["reads"] >= 5  # and it did look: whole frame, fallbacks, the spot
