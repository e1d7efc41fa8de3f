"""The second look at a spot where a code plausibly is: prepared pictures of the crop, cheapest
and most often useful first, for zxing-cpp to try one after another until one reads or the
frame's time is spent.

The order follows what failed the first pass on the tuned part of bench/camera_frames.py: a
dark frame is first smoothed (its noise is what breaks the binariser); a crop whose gradients
are much weaker one way than the other is deblurred along that way, made smaller first so a
module is a few pixels wide, thresholded, at the estimated length and around it, then by a
deconvolution that knows a code has two shades; a crop blurred all round is deconvolved with
defocus discs, on the linear picture (a lens blurs light) and, in turn, on the 8-bit one (a
camera's processing, or another generator, blurs pixels: bench/pixel_damage.py); frames
combined over time come before any of these when there are enough of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from scanner import restore

# (name, picture, scale of the picture against the crop)
Attempt = tuple[str, np.ndarray, float]

_CLAHE = cv2.createCLAHE(clipLimit=2.5, tileGridSize=(4, 4))
_LINEAR = ((np.arange(256) / 255.0) ** 2.2 * 255.0).astype(np.float32)
NOISY = 5.0  # pixel noise (8-bit levels) above which a crop is smoothed first
GRAINY = 6.0  # the same at half size: a dark webcam frame's demosaiced, JPEG'd noise
AVERAGE_GRAIN = 4.0  # grain above which a spot is averaged over frames (daylight: under 5)
MOTION = 0.3  # gradient anisotropy above which a crop is taken for motion-blurred


@dataclass(frozen=True)
class Blur:
    """A blur all round that the second look undoes: on which picture, its kernel, how hard
    the deconvolution pushes. A lens blurs light (the linear picture); many cameras' processing
    and other generators blur the 8-bit picture ("pixels"), with a disc or a Gaussian. A gentle
    deconvolution is read as it comes; a sharp one, with little regularisation, is thresholded
    halfway (smoothed a little first when `smooth`)."""

    picture: str  # "light" or "pixels"
    shape: str  # "disc" (size: radius) or "gauss" (size: sigma)
    size: float
    sharp: bool = False
    smooth: bool = False

    @property
    def kernel(self) -> np.ndarray:
        if self.shape == "disc":
            return restore.disc_kernel(self.size)
        return restore.gaussian_kernel(self.size)

    @property
    def name(self) -> str:
        where = "deblur_" if self.picture == "light" else "deblur_gamma_"
        return f"{where}{'sharp_' if self.sharp else ''}{self.shape}{self.size}"


# in the order tried (measured on the tuned parts of bench/camera_frames.py and
# bench/pixel_damage.py: docs/benchmarks.md, fourth round)
BLURS = (
    Blur("light", "disc", 3.0),
    Blur("pixels", "disc", 4.0, sharp=True),
    Blur("pixels", "gauss", 3.0, sharp=True),
    Blur("light", "disc", 4.0),
    Blur("pixels", "disc", 5.5, sharp=True),
    Blur("light", "disc", 2.0),
    Blur("light", "disc", 5.0, sharp=True, smooth=True),
    Blur("pixels", "gauss", 2.0, sharp=True),
    Blur("pixels", "disc", 3.0, sharp=True),
    Blur("light", "disc", 4.0, sharp=True, smooth=True),
)
# taper of each picture: as wide as its widest kernel
_MARGIN = {p: max(b.kernel.shape[0] for b in BLURS if b.picture == p) for p in ("light", "pixels")}
GENTLE_NSR = 0.02
NOISY_NSR = 0.05
SHARP_NSR = 0.004
SMALL = 220  # px: a spot smaller than this is looked at enlarged too
MODULE_PX = 4.5  # px: a motion-blurred crop is deblurred at the scale giving modules this wide


def attempts(crop: np.ndarray, combined: list[np.ndarray]) -> Iterator[Attempt]:
    sigma = restore.noise_level(crop)
    noisy = sigma > NOISY or restore.grain_level(crop) > GRAINY
    if combined:
        mean, median = combined
        yield "frames_mean", mean, 1.0
        yield "frames_median", median, 1.0
    # a Gaussian about a quarter of a module wide, or a median, beat stronger filters
    base = cv2.GaussianBlur(crop, (0, 0), 1.5) if noisy else crop
    if max(crop.shape) < SMALL:
        # a code far from the lens: modules of a pixel or two, read better twice as big
        yield "upscale", cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), 2.0
    if noisy:
        yield "denoise", base, 1.0
        # smoothing also softens the module edges; sharpening them back reads more of the
        # dark, slightly defocused codes (tuned part: 9 of 15 against 6)
        yield "denoise_sharpen", _sharpen(base), 1.0
        yield "denoise_median", cv2.medianBlur(crop, 5), 1.0
    angle, spread = restore.blur_direction(base)
    linear = _LINEAR[base]
    moving = spread > MOTION
    length = restore.blur_length(base, angle) if moving else 0
    if length >= 3:
        # a moving hand first: nothing else reads a smeared code
        yield from _motion(base, linear, angle, length)
    if noisy:
        yield "denoise_clahe", _CLAHE.apply(cv2.GaussianBlur(crop, (0, 0), 2.0)), 1.0
        if SMALL <= max(crop.shape) <= 2 * SMALL:
            # smoothed modules of 5-8 px, twice as big: zxing-cpp's binariser then sees
            # modules wider than its noise
            yield "denoise_upscale", cv2.resize(base, None, fx=2, fy=2), 2.0
    else:
        yield "sharpen", _sharpen(crop), 1.0
    yield from _blurs(base, linear, noisy)
    if not noisy:
        yield "spot_clahe", _CLAHE.apply(crop), 1.0
    half = cv2.resize(base, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    yield "half", half, 0.5


def running_attempts(mean: np.ndarray) -> Iterator[Attempt]:
    """A grainy spot's running average over the last frames (scanner/frame_stack.py): its
    noise is lower by the square root of the frames it holds, but rarely gone, so it is also
    read lightly smoothed."""
    yield "frames_running", mean, 1.0
    yield "frames_running_smooth", cv2.GaussianBlur(mean, (0, 0), 1.0), 1.0


def worth_averaging(crop: np.ndarray) -> bool:
    """A spot whose noise an average over frames lowers: grainier than daylight, though maybe
    not as grainy as `is_grainy` asks (a dusk phone at full brightness, tuning videos)."""
    return restore.grain_level(crop) > AVERAGE_GRAIN


def is_grainy(crop: np.ndarray) -> bool:
    """A spot from a dark frame, whose noise the demosaicing and JPEG have spread out."""
    return restore.grain_level(crop) > GRAINY


def _blurs(base: np.ndarray, linear: np.ndarray, noisy: bool) -> Iterator[Attempt]:
    """A crop blurred all round, deconvolved with the kernels of BLURS in their order: each
    picture transformed once, when its first kernel comes."""
    pictures = {"light": linear, "pixels": base}
    deconvolvers: dict[str, restore.Deconvolver] = {}
    for blur in BLURS:
        if noisy and blur.sharp:
            continue  # on a noisy crop, a sharp deconvolution is mostly noise
        if blur.picture not in deconvolvers:
            deconvolvers[blur.picture] = restore.Deconvolver(
                pictures[blur.picture], _MARGIN[blur.picture]
            )
        nsr = SHARP_NSR if blur.sharp else NOISY_NSR if noisy else GENTLE_NSR
        picture = deconvolvers[blur.picture].deblur(blur.kernel, nsr)
        if blur.smooth:
            picture = cv2.GaussianBlur(picture, (0, 0), 1.0)
        yield blur.name, _binary(picture) if blur.sharp else picture, 1.0


def _sharpen(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 1.8, cv2.GaussianBlur(gray, (0, 0), 3), -0.8, 0)


def _binary(picture: np.ndarray) -> np.ndarray:
    """The restored picture thresholded halfway (it is stretched to 0..255): zxing-cpp's own
    binariser, made for camera pictures, reads fewer deconvolved codes than this."""
    return cv2.threshold(picture, 127, 255, cv2.THRESH_BINARY)[1]


def _motion(base: np.ndarray, linear: np.ndarray, angle: float, length: int) -> Iterator[Attempt]:
    """Measured on the tuned part: deconvolving the linear (not gamma-encoded) picture,
    smoothing the ringing left and thresholding it read the most; the picture is first made
    smaller, so that a module is about MODULE_PX wide (zxing-cpp reads modules of 3 px), which
    makes the blur shorter and every attempt cheaper. Then the same on the gamma-encoded
    picture, a blur a little longer, the deconvolution that knows a code has two shades (long
    blurs), then the rest."""
    module = restore.blur_length(base, angle + 90.0)  # across the blur: a module's width
    s = min(1.0, max(0.35, MODULE_PX / max(module, 1)))

    def smaller(picture: np.ndarray) -> np.ndarray:
        if s == 1:
            return picture
        return cv2.resize(picture, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)

    def kernel(extra: float) -> np.ndarray:
        return restore.line_kernel(max(2.0, (length + extra) * s), angle)

    estimated = kernel(0)  # the line kernel of the estimated blur, used four times below

    def deblur(picture: np.ndarray, extra: float, nsr: float, smooth: float) -> np.ndarray:
        out = restore.wiener(picture, estimated if extra == 0 else kernel(extra), nsr)
        return cv2.GaussianBlur(out, (0, 0), smooth * s) if smooth else out

    work = smaller(linear)
    first = deblur(work, 0, 0.02, 1.0)
    yield "deblur_motion_binary", _binary(first), s
    yield "deblur_motion", first, s
    # a blur made on the gamma-encoded picture (a phone's own processing, or a generator
    # that blurs 8-bit pictures) is undone on that picture: both are tried early
    small_base = smaller(base)
    yield "deblur_motion_gamma_binary", _binary(deblur(small_base, 0, 0.02, 1.0)), s
    yield "deblur_motion_gamma_sharp", _binary(deblur(small_base, 1, SHARP_NSR, 0)), s
    longer = deblur(work, 2, 0.02, 1.0)
    yield "deblur_motion_longer_binary", _binary(longer), s
    rounds = restore.deconvolve_two_shades(work, estimated, max(1, round(module * s)))
    for i, picture in enumerate(rounds):
        if i > 0:  # the first round is still close to the Wiener picture read above
            yield f"deblur_motion_two_shades{i}", picture, s
    smoothed = _LINEAR[cv2.GaussianBlur(small_base, (0, 0), s)]
    yield "deblur_motion_denoised", deblur(smoothed, 0, 0.01, 0), s
    if length >= 5:
        yield "deblur_motion_shorter", deblur(work, -2, 0.04, 1.0), s
