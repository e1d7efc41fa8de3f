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

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np
import zxingcpp

from scanner import restore


class Attempt(NamedTuple):
    name: str
    picture: np.ndarray
    scale: float  # of the picture against the crop
    origin: tuple[int, int] = (0, 0)  # the picture's top-left corner in the scaled crop's px
    # zxing-cpp's way of telling dark from light on it, when not its default (LocalAverage)
    binarizer: zxingcpp.Binarizer | None = None


@dataclass(frozen=True)
class Surroundings:
    """The crop with more of the frame around it (CONTEXT px a side, as far as the frame
    goes) and where the crop starts in it. A deconvolution tapers its picture's borders, and a
    blur spreads a code's outer modules beyond the spot: on the crop alone, a deconvolution
    that pushes hard loses the code's edge (tuned pixel damage, fifth round)."""

    picture: np.ndarray
    inset: tuple[int, int]


CONTEXT = 40  # px of the frame kept around a crop for the deconvolutions that push hard
KEEP = 20  # px of those around the crop left in their result: a spot can cut a code's edge

_CLAHE = cv2.createCLAHE(clipLimit=2.5, tileGridSize=(4, 4))
# 8-bit (gamma-encoded) grey to linear light, on the same 0-255 scale: what a lens blurred
LINEAR = ((np.arange(256) / 255.0) ** 2.2 * 255.0).astype(np.float32)
NOISY = 5.0  # pixel noise (8-bit levels) above which a crop is smoothed first
GRAINY = 6.0  # the same at half size: a dark webcam frame's demosaiced, JPEG'd noise
AVERAGE_GRAIN = 4.0  # grain above which a spot is averaged over frames (daylight: under 5)
MOTION = 0.3  # gradient anisotropy above which a crop is taken for motion-blurred
GENTLE_NSR = 0.02
NOISY_NSR = 0.05
SHARP_NSR = 0.004
# a Gaussian's transfer function falls smoothly, with no zeros: it can be undone harder than
# a disc's (tuned pixel damage, fifth round: 41 of 60 Gaussian blurs read at 0.004, 49 here)
GAUSS_NSR = 0.001


@dataclass(frozen=True)
class Blur:
    """A blur all round that the second look undoes: on which picture, its kernel, how hard
    the deconvolution pushes. A lens blurs light (the linear picture); many cameras' processing
    and other generators blur the 8-bit picture ("pixels"), with a disc or a Gaussian. A gentle
    deconvolution is read as it comes; a sharp one, with little regularisation, is thresholded
    halfway (smoothed a little first when `smooth`)."""

    picture: str  # "light" or "pixels"
    shape: str  # "disc" (size: radius), "gauss" (size: sigma) or "box" (size: side)
    size: float
    sharp: bool = False
    smooth: bool = False
    nsr: float = SHARP_NSR  # how hard a sharp one pushes
    hard: bool = False  # pushed harder than the list's blurs of its shape: named so

    @property
    def kernel(self) -> np.ndarray:
        if self.shape == "disc":
            return restore.disc_kernel(self.size)
        if self.shape == "box":
            return restore.box_kernel(round(self.size))
        return restore.gaussian_kernel(self.size)

    @property
    def edge(self) -> float:
        """How wide the edges it leaves are (restore.edge_width of a code it blurred)."""
        if self.shape == "disc":
            return 2 * self.size - 1
        if self.shape == "box":
            return self.size
        return 2.5 * self.size

    @property
    def name(self) -> str:
        where = "deblur_" if self.picture == "light" else "deblur_gamma_"
        sharp = "sharp_" if self.sharp else ""
        return f"{where}{sharp}{self.shape}{self.size}{'_hard' if self.hard else ''}"


# in the order tried (measured on the tuned parts of bench/camera_frames.py and
# bench/pixel_damage.py: docs/benchmarks.md, fourth round)
BLURS = (
    Blur("light", "disc", 3.0),
    Blur("pixels", "disc", 4.0, sharp=True),
    Blur("pixels", "gauss", 3.0, sharp=True, nsr=GAUSS_NSR),
    Blur("light", "disc", 4.0),
    Blur("pixels", "disc", 5.5, sharp=True),
    Blur("light", "disc", 2.0),
    Blur("light", "disc", 5.0, sharp=True, smooth=True),
    Blur("pixels", "gauss", 2.0, sharp=True, nsr=GAUSS_NSR),
    Blur("pixels", "disc", 3.0, sharp=True),
    Blur("light", "disc", 4.0, sharp=True, smooth=True),
    Blur("pixels", "gauss", 4.0, sharp=True, nsr=GAUSS_NSR),
)
# the blurs made to the measured edge width, for the 8-bit picture: a box (OpenCV's `blur`,
# as many generators defocus), and for a wide blur, the shapes in the list pushed harder (or
# larger than it goes: a Gaussian of sigma 5, a disc of radius 8). Tuned on the tuned frames of
# other generators' blurs (docs/benchmarks.md, sixth round): boxes 12 -> 20 of 24, Gaussians
# of OpenCV's default sigma 13 -> 18, discs of radius 5-9 11 -> 17.
SIZED = (5, 25)  # px: the edge widths they are made for
WIDE = 9  # px: the edge width from which a blur is also undone harder
HALF_MARGIN = 16  # px: taper of the half-size frame, as wide as its widest disc
BOX_NSR = 0.002
# taper of each picture: as wide as its widest kernel
_MARGIN = {
    "light": max(b.kernel.shape[0] for b in BLURS if b.picture == "light"),
    "pixels": max(SIZED[1], *(b.kernel.shape[0] for b in BLURS if b.picture == "pixels")),
}
SMALL = 220  # px: a spot smaller than this is looked at enlarged too
DIM = 48  # grey levels between a crop's 1st and 99th percentiles under which it is dim
DIM_SMOOTHING = (1.0, 1.75)  # px: the Gaussians a dim crop is smoothed with, in turn
FINE = 3  # px: modules this narrow are read better enlarged, whatever the spot's size
MODULE_PX = 4.5  # px: a motion-blurred crop is deblurred at the scale giving modules this wide
# The sharp attempts at a shake, on the crop's surroundings, in the order tried: on the 8-bit
# picture (a blur made by a phone's processing or another generator) and on the linear one (a
# hand moving while the sensor gathers light), at the estimated direction and a few degrees
# either side of it (tuned part, fifth round: camera-model shakes 23 -> 30 of 40 new frames)
SHARP_MOTION = (
    ("pixels", 0.0),
    ("light", 0.0),
    ("pixels", -3.0),
    ("pixels", 3.0),
    ("light", -3.0),
    ("light", 3.0),
    ("pixels", -6.0),
    ("pixels", 6.0),
)

# a long shake on the 8-bit picture is also undone harder, at the estimated direction (tuned
# part, sixth round: line blurs 83 -> 87 of 90, other generators' straight shakes 58 -> 63 of 72)
LONG_MOTION = 18  # px
LONG_MOTION_NSR = 0.001


def attempts(
    crop: np.ndarray,
    combined: list[np.ndarray],
    around: Surroundings | None = None,
    combined_at: tuple[int, int] = (0, 0),
    known: Known | None = None,
) -> Iterator[Attempt]:
    """`combined_at`: where the combined frames start, in the crop's px; they cover the place
    the code was seen in over the last frames, which can start before this frame's spot.
    `known`: what the pipeline already measured of, or tried on, this very crop."""
    known = known or Known()
    sigma = restore.noise_level(crop)
    noisy = sigma > NOISY or restore.grain_level(crop) > GRAINY
    if combined:
        mean, median = combined
        yield Attempt("frames_mean", mean, 1.0, combined_at)
        yield Attempt("frames_median", median, 1.0, combined_at)
    # a Gaussian about a quarter of a module wide, or a median, beat stronger filters
    base = cv2.GaussianBlur(crop, (0, 0), 1.5) if noisy else crop
    if is_dim(crop) and not known.dim_read:
        yield from dim_attempts(crop)
    if max(crop.shape) < SMALL:
        # a code far from the lens: modules of a pixel or two, read better twice as big
        yield _enlarged(crop)
    if noisy:
        yield Attempt("denoise", base, 1.0)
        # smoothing also softens the module edges; sharpening them back reads more of the
        # dark, slightly defocused codes (tuned part: 9 of 15 against 6)
        yield Attempt("denoise_sharpen", _sharpen(base), 1.0)
        yield Attempt("denoise_median", cv2.medianBlur(crop, 5), 1.0)
    angle, spread = restore.blur_direction(base)
    moving = spread > MOTION
    middling = not noisy and SMALL <= max(crop.shape) <= 2 * SMALL
    # across the blur (any way, when there is none): a module's width
    across = restore.blur_length(base, angle + 90.0) if moving or middling else 0
    if middling and across <= FINE:
        # a small code on a larger spot (the phone's own text around it): its modules are
        # what say it is small (tuned part: 2-3 px on every `small` spot, 4 px and more on
        # the blurred and glared ones)
        yield _enlarged(crop)
    linear = LINEAR[base]
    length = restore.blur_length(base, angle) if moving else 0
    # the sharp deconvolutions see the crop's surroundings; a noisy crop gets none of them
    wide = None if noisy else around
    if length >= 3:
        # a moving hand first: nothing else reads a smeared code
        yield from _motion(base, linear, angle, length, across, wide)
    if noisy:
        yield Attempt("denoise_clahe", _CLAHE.apply(cv2.GaussianBlur(crop, (0, 0), 2.0)), 1.0)
        if SMALL <= max(crop.shape) <= 2 * SMALL:
            # smoothed modules of 5-8 px, twice as big: zxing-cpp's binariser then sees
            # modules wider than its noise
            yield Attempt("denoise_upscale", cv2.resize(base, None, fx=2, fy=2), 2.0)
    else:
        yield Attempt("sharpen", _sharpen(crop), 1.0)
    width = known.edge_width if known.edge_width is not None and base is crop else None
    yield from _blurs(base, linear, noisy, wide, width)
    if not noisy:
        yield Attempt("spot_clahe", _CLAHE.apply(crop), 1.0)
    half = cv2.resize(base, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    yield Attempt("half", half, 0.5)


@dataclass(frozen=True)
class Known:
    """What the pipeline measured of a crop, or tried on it, before its second look: not done
    twice (an edge width is half a millisecond)."""

    dim_read: bool = False  # `dim_attempts` were made
    edge_width: int | None = None  # restore.edge_width of the crop


def is_dim(crop: np.ndarray) -> bool:
    """A dark picture scaled down and JPEG'd: a few dozen grey levels across the crop."""
    lo, hi = restore.percentiles(crop[::2, ::2], 0.01, 0.99)
    return hi - lo < DIM


def dim_attempts(crop: np.ndarray) -> Iterator[Attempt]:
    """A dim crop's few levels carry the JPEG's blocks as much as the code, and look smooth to
    the noise measure: smoothed in floating point (an 8-bit Gaussian rounds them back to those
    few levels), then stretched. The first one is also read twice as big against one
    threshold for the whole crop: zxing-cpp's local one takes the JPEG's blocks, which a few
    levels make as strong as the modules, for edges (seventh round, tuned part: 8 of the 22 dim
    crops nothing else read)."""
    stretched = []
    for width in DIM_SMOOTHING:
        smooth = cv2.GaussianBlur(crop.astype(np.float32), (0, 0), width)
        stretched.append(restore.normalise(smooth))
        yield Attempt(f"dim_stretch{width}", stretched[-1], 1.0)
    bigger = cv2.resize(stretched[0], None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    yield Attempt("dim_stretch_global", bigger, 2.0, binarizer=zxingcpp.Binarizer.GlobalHistogram)


def _enlarged(crop: np.ndarray) -> Attempt:
    bigger = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    return Attempt("upscale", bigger, 2.0)


class _Deconvolvers:
    """One restore.Deconvolver a picture, made when its first kernel comes: the transform is
    most of an attempt's cost, and the frame's time may run out before a picture is needed."""

    def __init__(self, pictures: dict[str, Callable[[], np.ndarray]], margin: dict[str, int]):
        self._pictures = pictures
        self._margin = margin
        self._made: dict[str, restore.Deconvolver] = {}

    def deblur(self, picture: str, kernel: np.ndarray, nsr: float) -> np.ndarray:
        if picture not in self._made:
            self._made[picture] = restore.Deconvolver(
                self._pictures[picture](), self._margin[picture]
            )
        return self._made[picture].deblur(kernel, nsr)


def running_attempts(mean: np.ndarray) -> Iterator[Attempt]:
    """A grainy spot's running average over the last frames (scanner/frame_stack.py): its
    noise is lower by the square root of the frames it holds, but rarely gone, so it is also
    read lightly smoothed."""
    yield Attempt("frames_running", mean, 1.0)
    yield Attempt("frames_running_smooth", cv2.GaussianBlur(mean, (0, 0), 1.0), 1.0)


def worth_averaging(crop: np.ndarray) -> bool:
    """A spot whose noise an average over frames lowers: grainier than daylight, though maybe
    not as grainy as `is_grainy` asks (a dusk phone at full brightness, tuning videos)."""
    return restore.grain_level(crop) > AVERAGE_GRAIN


def is_grainy(crop: np.ndarray) -> bool:
    """A spot from a dark frame, whose noise the demosaicing and JPEG have spread out."""
    return restore.grain_level(crop) > GRAINY


def in_order(width: int) -> tuple[Blur, ...]:
    """The blurs to undo on a crop whose edges are `width` px wide: BLURS and the ones made to
    that width, those that leave edges nearest that width first (the list's order among
    equals). A crop measured sharp gets BLURS in their order."""
    if not SIZED[0] <= width <= SIZED[1]:
        return BLURS
    made = [Blur("pixels", "box", width, sharp=True, nsr=BOX_NSR)]
    if width >= WIDE:
        made += [
            Blur("pixels", "gauss", round(width / 2.5, 1), sharp=True, nsr=0.0001, hard=True),
            Blur("pixels", "box", width, sharp=True, nsr=0.0001, hard=True),
            Blur("pixels", "disc", (width + 1) / 2, sharp=True, nsr=0.001, hard=True),
            # past 9 px a disc leaves edges nearer 2r - 2 than 2r - 1 wide: the radius half a
            # pixel larger, pushed harder still (seventh round, other draws of the tuned
            # part's frames: discs of radius 5-9 28 -> 34 of 48, with a light Gaussian after
            # 29 -> 35)
            Blur("pixels", "disc", (width + 2) / 2, sharp=True, nsr=0.0001, hard=True),
        ]
    return tuple(sorted(BLURS + tuple(made), key=lambda b: abs(b.edge - width)))


def half_frame_attempts(half: np.ndarray, width: int) -> Iterator[Attempt]:
    """The whole frame at half size (`half`), deblurred by the disc that leaves edges `width` px
    wide at full size (2r - 2, as `in_order`'s larger disc), pushed hard and thresholded halfway.
    A blur this wide spreads the code well past the spot its densest edges make, and the disc
    made for the spot then deblurs a piece of the code; at half size the whole frame costs
    about 4 ms (seventh round, tuned part: discs of radius 6-9 23 -> 31 of 40, other draws of
    discs of radius 5-9 34 -> 39 of 48)."""
    deconvolver = restore.Deconvolver(half, HALF_MARGIN)
    blur = Blur("pixels", "disc", (width + 2) / 4, sharp=True, nsr=0.0001, hard=True)
    picture = _binary(deconvolver.deblur(blur.kernel, blur.nsr))
    yield Attempt(f"half_frame_{blur.name}", picture, 0.5)


def _blurs(
    base: np.ndarray,
    linear: np.ndarray,
    noisy: bool,
    around: Surroundings | None,
    width: int | None = None,
) -> Iterator[Attempt]:
    """A crop blurred all round, deconvolved with the kernels of BLURS in their order: each
    picture transformed once, when its first kernel comes. The 8-bit picture's sharp
    deconvolutions work on the crop with its surroundings, when given."""
    pixels = base if around is None else around.picture
    deconvolvers = _Deconvolvers({"light": lambda: linear, "pixels": lambda: pixels}, _MARGIN)
    if width is None and not noisy:
        width = restore.edge_width(base)
    for blur in BLURS if noisy else in_order(width or 0):
        if noisy and blur.sharp:
            continue  # on a noisy crop, a sharp deconvolution is mostly noise
        nsr = blur.nsr if blur.sharp else NOISY_NSR if noisy else GENTLE_NSR
        picture = deconvolvers.deblur(blur.picture, blur.kernel, nsr)
        if blur.smooth:
            picture = cv2.GaussianBlur(picture, (0, 0), 1.0)
        if blur.sharp:
            picture = _binary(picture)
        if blur.picture == "pixels" and around is not None:
            yield _cut_back(blur.name, picture, around.inset, base.shape, 1.0)
        else:
            yield Attempt(blur.name, picture, 1.0)


def _cut_back(
    name: str, picture: np.ndarray, inset: tuple[int, int], shape: tuple[int, ...], scale: float
) -> Attempt:
    """A picture made from the crop's surroundings (scaled by `scale`), cut back to the crop
    and KEEP px around it: zxing-cpp then has no more to look at than on the crop itself."""
    x, y = round(inset[0] * scale), round(inset[1] * scale)
    h, w = round(shape[0] * scale), round(shape[1] * scale)
    keep = round(KEEP * scale)
    x0, y0 = max(0, x - keep), max(0, y - keep)
    return Attempt(name, picture[y0 : y + h + keep, x0 : x + w + keep], scale, (x0 - x, y0 - y))


def _sharpen(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 1.8, cv2.GaussianBlur(gray, (0, 0), 3), -0.8, 0)


def _binary(picture: np.ndarray) -> np.ndarray:
    """The restored picture thresholded halfway (it is stretched to 0..255): zxing-cpp's own
    binariser, made for camera pictures, reads fewer deconvolved codes than this."""
    return cv2.threshold(picture, 127, 255, cv2.THRESH_BINARY)[1]


def _motion(
    base: np.ndarray,
    linear: np.ndarray,
    angle: float,
    length: int,
    module: int,
    around: Surroundings | None,
) -> Iterator[Attempt]:
    """Measured on the tuned part: deconvolving the linear (not gamma-encoded) picture,
    smoothing the ringing left and thresholding it read the most; the picture is first made
    smaller, so that a module is about MODULE_PX wide (zxing-cpp reads modules of 3 px), which
    makes the blur shorter and every attempt cheaper. Then the same on the gamma-encoded
    picture, a blur a little longer, the deconvolution that knows a code has two shades (long
    blurs), then the rest."""
    s = min(1.0, max(0.35, MODULE_PX / max(module, 1)))

    def smaller(picture: np.ndarray) -> np.ndarray:
        if s == 1:
            return picture
        return cv2.resize(picture, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)

    def kernel(extra: float, turn: float = 0.0) -> np.ndarray:
        return restore.line_kernel(max(2.0, (length + extra) * s), angle + turn)

    estimated = kernel(0)  # the line kernel of the estimated blur, used four times below

    def deblur(picture: np.ndarray, extra: float, nsr: float, smooth: float) -> np.ndarray:
        out = restore.wiener(picture, estimated if extra == 0 else kernel(extra), nsr)
        return cv2.GaussianBlur(out, (0, 0), smooth * s) if smooth else out

    work = smaller(linear)
    first = deblur(work, 0, 0.02, 1.0)
    yield Attempt("deblur_motion_binary", _binary(first), s)
    yield Attempt("deblur_motion", first, s)
    # a blur made on the gamma-encoded picture (a phone's own processing, or a generator
    # that blurs 8-bit pictures) is undone on that picture: both are tried early
    small_base = smaller(base)
    yield Attempt("deblur_motion_gamma_binary", _binary(deblur(small_base, 0, 0.02, 1.0)), s)
    if around is None:
        yield Attempt("deblur_motion_gamma_sharp", _binary(deblur(small_base, 1, SHARP_NSR, 0)), s)
    else:
        # pushed hard, on the crop's surroundings, at the estimated direction and around it:
        # the structure tensor's direction is pulled a few degrees towards the code's own
        # axes, which a 20 px blur does not forgive
        wide = smaller(around.picture)
        margin = round(max(2.0, (length + 1) * s)) + 2
        deconvolvers = _Deconvolvers(
            {"pixels": lambda: wide, "light": lambda: LINEAR[wide]},
            {"pixels": margin, "light": margin},
        )
        plan = [(picture, turn, SHARP_NSR) for picture, turn in SHARP_MOTION]
        if length >= LONG_MOTION:
            plan.insert(1, ("pixels", 0.0, LONG_MOTION_NSR))
        for picture, turn, nsr in plan:
            out = deconvolvers.deblur(picture, kernel(1, turn), nsr)
            if picture == "light":
                out = cv2.GaussianBlur(out, (0, 0), s)  # the ringing the linear picture leaves
            hard = "_hard" if nsr < SHARP_NSR else ""
            name = f"deblur_motion_sharp_{picture}{turn:+.0f}{hard}"
            yield _cut_back(name, _binary(out), around.inset, base.shape, s)
    longer = deblur(work, 2, 0.02, 1.0)
    yield Attempt("deblur_motion_longer_binary", _binary(longer), s)
    rounds = restore.deconvolve_two_shades(work, estimated, max(1, round(module * s)))
    for i, picture in enumerate(rounds):
        if i > 0:  # the first round is still close to the Wiener picture read above
            yield Attempt(f"deblur_motion_two_shades{i}", picture, s)
    smoothed = LINEAR[cv2.GaussianBlur(small_base, (0, 0), s)]
    yield Attempt("deblur_motion_denoised", deblur(smoothed, 0, 0.01, 0), s)
    if length >= 5:
        yield Attempt("deblur_motion_shorter", deblur(work, -2, 0.04, 1.0), s)
