"""Image restoration for the decoder's second look at a spot: undoing a moving hand's blur or an
unfocused lens, and lifting a dark, noisy picture. Plain OpenCV and numpy, on small crops only.

Motion blur is estimated from the picture itself: a QR's edges run both ways, so blur shows as
weak gradients along the motion (the structure tensor's minor axis), and differentiating along
that direction turns a blur of length L into two copies L apart, which the autocorrelation shows
as a dip at lag L. The blur is then undone by Wiener deconvolution with that line kernel.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator

import cv2
import numpy as np


def blur_direction(gray: np.ndarray) -> tuple[float, float]:
    """(angle in degrees of the weakest gradients, anisotropy 0..1) of a picture."""
    g = gray.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    jxx, jyy, jxy = float((gx * gx).sum()), float((gy * gy).sum()), float((gx * gy).sum())
    # eigenvector of the smaller eigenvalue: the direction the picture changes least along
    theta = 0.5 * math.atan2(2 * jxy, jxx - jyy)  # strongest gradient
    spread = math.hypot(jxx - jyy, 2 * jxy) / max(jxx + jyy, 1e-6)
    return math.degrees(theta) + 90.0, spread


def blur_length(gray: np.ndarray, angle: float, longest: int = 40) -> int:
    """Length in pixels of a straight blur along `angle`, from the derivative's autocorrelation."""
    h, w = gray.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    flat = cv2.warpAffine(gray.astype(np.float32), turn, (w, h), borderMode=cv2.BORDER_REFLECT)
    # keep the middle, where the turned picture has no border
    m = min(h, w) // 4
    return _autocorrelation_low(flat[m : h - m, m : w - m], longest)


def edge_width(gray: np.ndarray) -> int:
    """How wide, in px, a picture's edges are across the frame's two axes (the narrower): a
    blur all round leaves edges about as wide as its kernel (a box of side k: k; a disc of
    radius r: 2r - 1; a Gaussian of sigma s: 2.5 s); a sharp code, its modules' width. Measured
    on the middle, as blur_length is."""
    h, w = gray.shape
    m = min(h, w) // 4
    middle = gray[m : h - m, m : w - m]
    # every other line: the autocorrelation is summed over lines, and this halves its cost
    return min(_autocorrelation_low(middle[::2]), _autocorrelation_low(middle.T[::2]))


def _autocorrelation_low(flat: np.ndarray, longest: int = 40) -> int:
    """The lag (px, along rows) where the derivative's autocorrelation is lowest."""
    d = np.diff(flat.astype(np.float32), axis=1)
    d -= d.mean(axis=1, keepdims=True)
    n = cv2.getOptimalDFTSize(2 * d.shape[1])
    spec = np.fft.rfft(d, n, axis=1)
    corr = np.fft.irfft((spec * spec.conj()).real.sum(axis=0), n)
    lags = corr[2 : min(longest, d.shape[1] // 2)]
    if lags.size == 0:
        return 0
    return int(np.argmin(lags)) + 2


def line_kernel(length: float, angle: float) -> np.ndarray:
    size = math.ceil(length) + 2
    size += 1 - size % 2
    k = np.zeros((size, size), np.float32)
    c = (size - 1) / 2
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    half = (length - 1) / 2
    for t in np.linspace(-half, half, max(2, int(length * 4))):
        x, y = c + t * dx, c + t * dy
        x0, y0 = math.floor(x), math.floor(y)
        fx, fy = x - x0, y - y0
        k[y0, x0] += (1 - fx) * (1 - fy)
        k[y0, min(x0 + 1, size - 1)] += fx * (1 - fy)
        k[min(y0 + 1, size - 1), x0] += (1 - fx) * fy
        k[min(y0 + 1, size - 1), min(x0 + 1, size - 1)] += fx * fy
    return k / k.sum()


@functools.lru_cache(maxsize=32)
def disc_kernel(radius: float) -> np.ndarray:
    """A defocus disc of `radius` px (read-only: cached, the same few radii every frame)."""
    size = math.ceil(radius) * 2 + 3
    sup = 8
    big = np.zeros((size * sup, size * sup), np.float32)
    c = round((size * sup - 1) / 2)
    cv2.circle(big, (c, c), round(radius * sup), 1.0, -1, lineType=cv2.LINE_AA)
    k = cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)
    k = k / k.sum()
    k.flags.writeable = False
    return k


@functools.lru_cache(maxsize=32)
def box_kernel(side: int) -> np.ndarray:
    """A square of `side` px, as many generators blur a picture (OpenCV's `blur`; read-only:
    cached)."""
    k = np.full((side, side), 1.0 / (side * side), np.float32)
    k.flags.writeable = False
    return k


@functools.lru_cache(maxsize=32)
def gaussian_kernel(sigma: float) -> np.ndarray:
    """A Gaussian blur of `sigma` px, as many cameras' processing and generators soften a
    picture (read-only: cached)."""
    g = cv2.getGaussianKernel(2 * math.ceil(3 * sigma) + 1, sigma)
    k = (g @ g.T).astype(np.float32)
    k.flags.writeable = False
    return k


def _taper(img: np.ndarray, width: int) -> np.ndarray:
    """Blends the borders into a blurred copy so the deconvolution does not ring from them."""
    h, w = img.shape
    ramp_y = np.minimum(np.arange(h), np.arange(h)[::-1]).astype(np.float32)
    ramp_x = np.minimum(np.arange(w), np.arange(w)[::-1]).astype(np.float32)
    weight = np.minimum(np.minimum.outer(ramp_y, ramp_x) * np.float32(1 / max(width, 1)), 1)
    # the blurred copy is wide and smooth: made on a smaller picture, a fifth of the time
    sigma = max(2.0, width / 2)
    f = min(1.0, 2.0 / sigma)
    small = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    soft = cv2.resize(
        cv2.GaussianBlur(small, (0, 0), sigma * f), (w, h), interpolation=cv2.INTER_LINEAR
    )
    return img * weight + soft * (1 - weight)


@functools.lru_cache(maxsize=16)
def _ones_spectrum(h: int, w: int) -> np.ndarray:
    """1 in every real slot of a packed spectrum, 0 in every imaginary one."""
    delta = np.zeros((h, w), np.float32)
    delta[0, 0] = 1
    out = cv2.dft(delta)
    out.flags.writeable = False
    return out


def wiener(gray: np.ndarray, kernel: np.ndarray, nsr: float) -> np.ndarray:
    """Wiener deconvolution of an 8-bit picture by `kernel`; `nsr` the noise-to-signal ratio."""
    return Deconvolver(gray, kernel.shape[0]).deblur(kernel, nsr)


class Deconvolver:
    """Wiener deconvolution of one picture by any kernel and noise ratio, the picture tapered
    and transformed once for all of them (the transform is most of the cost of one); `margin`
    is the widest kernel's side in px."""

    def __init__(self, gray: np.ndarray, margin: int):
        img = _taper(gray.astype(np.float32), margin)
        self._h, self._w = img.shape
        H, W = cv2.getOptimalDFTSize(self._h), cv2.getOptimalDFTSize(self._w)
        padded = cv2.copyMakeBorder(img, 0, H - self._h, 0, W - self._w, cv2.BORDER_REFLECT)
        # spectra packed as OpenCV's real DFT gives them (CCS): a third of the complex DFT's cost
        self._G = cv2.dft(padded)

    def deblur(self, kernel: np.ndarray, nsr: float) -> np.ndarray:
        H, W = self._G.shape
        K = cv2.dft(_psf(kernel, H, W))
        # G * conj(K) / (|K|^2 + nsr), the division as a product with a real spectrum
        inv = _ones_spectrum(H, W) / (cv2.mulSpectrums(K, K, 0, conjB=True) + np.float32(nsr))
        spectrum = cv2.mulSpectrums(cv2.mulSpectrums(self._G, K, 0, conjB=True), inv, 0)
        out = cv2.idft(spectrum, flags=cv2.DFT_REAL_OUTPUT | cv2.DFT_SCALE)
        return normalise(out[: self._h, : self._w])


def normalise(img: np.ndarray) -> np.ndarray:
    """Stretches the 1st to 99th percentile to 0..255."""
    lo, hi = percentiles(img[::4, ::4], 0.01, 0.99)
    scale = 255.0 / max(float(hi - lo), 1e-3)
    # above zero first, then OpenCV's saturating conversion: faster than numpy's clip
    return cv2.convertScaleAbs(np.maximum(img, np.float32(lo)), alpha=scale, beta=-lo * scale)


def percentiles(img: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """Two percentiles by partial sort, the nearest rank (np.percentile's method="nearest"):
    a tenth of the cost of its default, which interpolates (every deconvolution is normalised:
    measured in the fifth round)."""
    flat = img.ravel()
    i, j = round(low * (flat.size - 1)), round(high * (flat.size - 1))
    part = np.partition(flat, (i, j))
    return float(part[i]), float(part[j])


def denoise(gray: np.ndarray, strength: float) -> np.ndarray:
    """Noise of a dark picture: a median removes the shot noise's outliers, a Gaussian the rest."""
    out = cv2.medianBlur(gray, 3)
    return cv2.GaussianBlur(out, (0, 0), strength)


_RESIDUAL = np.float32([[1, -2, 1], [-2, 4, -2], [1, -2, 1]])


def noise_level(gray: np.ndarray) -> float:
    """Standard deviation of the pixel noise, from the median of a Laplacian-like residual:
    the median, unlike the mean, is not pulled up by a code's many edges."""
    r = cv2.filter2D(gray.astype(np.float32), -1, _RESIDUAL)[1:-1:2, 1:-1:2]
    return float(np.median(np.abs(r))) / 0.6745 / 6.0


def grain_level(gray: np.ndarray) -> float:
    """The noise of a dark webcam frame, which `noise_level` misses: demosaicing and JPEG
    spread each pixel's noise over its neighbours, so at full size the residual looks smooth
    (2-5 levels) while at half size it is 8-25. Daylight crops, sharp or blurred, stay under 5
    at half size."""
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return noise_level(half)


def flatten(gray: np.ndarray, size: int) -> np.ndarray:
    """Evens out light that varies across the code (a reflection, a shadow): each pixel is put
    between the darkest and the lightest values around it, `size` pixels wide."""
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    lo = cv2.blur(cv2.erode(gray, k), (size, size)).astype(np.float32)
    hi = cv2.blur(cv2.dilate(gray, k), (size, size)).astype(np.float32)
    out = (gray.astype(np.float32) - lo) * 255.0 / np.maximum(hi - lo, 24.0)
    return np.clip(out, 0, 255).astype(np.uint8)


def _spectra(img: np.ndarray, kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Packed spectra of a picture (padded to a fast size by reflection) and of `kernel`."""
    h, w = img.shape
    H, W = cv2.getOptimalDFTSize(h), cv2.getOptimalDFTSize(w)
    padded = cv2.copyMakeBorder(img, 0, H - h, 0, W - w, cv2.BORDER_REFLECT)
    return cv2.dft(padded), cv2.dft(_psf(kernel, H, W))


def _psf(kernel: np.ndarray, H: int, W: int) -> np.ndarray:
    """`kernel` in an H x W picture, its centre moved to the origin, ready for a DFT."""
    psf = np.zeros((H, W), np.float32)
    kh, kw = kernel.shape
    ch, cw = kh // 2, kw // 2
    # the four quadrants wrapped round the corners: np.roll of the whole picture costs more
    psf[: kh - ch, : kw - cw] = kernel[ch:, cw:]
    psf[: kh - ch, W - cw :] = kernel[ch:, :cw]
    psf[H - ch :, : kw - cw] = kernel[:ch, cw:]
    psf[H - ch :, W - cw :] = kernel[:ch, :cw]
    return psf


def deconvolve_two_shades(
    gray: np.ndarray,
    kernel: np.ndarray,
    module: int,
    nsr: float = 0.02,
    pulls: tuple[float, ...] = (0.02, 0.05, 0.1, 0.2, 0.4),
    softness: float = 0.1,
) -> Iterator[np.ndarray]:
    """Deconvolution that knows a code has two shades only (half-quadratic splitting): from the
    Wiener estimate, each round pushes the estimate towards the nearer of the local dark and
    light shades (a soft threshold halfway), then solves the blur equation again with a pull
    towards that two-shade picture, the pull growing each round. On long blurs (3 modules and
    more) it reads codes Wiener alone does not. Yields the picture after each round."""
    img = _taper(gray.astype(np.float32), kernel.shape[0])
    h, w = img.shape
    G, K = _spectra(img, kernel)
    H, W = G.shape
    ones = _ones_spectrum(H, W)
    KK = cv2.mulSpectrums(K, K, 0, conjB=True)
    KG = cv2.mulSpectrums(G, K, 0, conjB=True)
    flags = cv2.DFT_REAL_OUTPUT | cv2.DFT_SCALE
    z = cv2.idft(cv2.mulSpectrums(KG, ones / (KK + np.float32(nsr)), 0), flags=flags)
    m = max(1, module)
    near = cv2.getStructuringElement(cv2.MORPH_RECT, (4 * m + 1, 4 * m + 1))
    for pull in pulls:
        est = cv2.GaussianBlur(z[:h, :w], (0, 0), 1.0)
        lo = cv2.GaussianBlur(cv2.erode(est, near), (0, 0), 2 * m)
        hi = cv2.GaussianBlur(cv2.dilate(est, near), (0, 0), 2 * m)
        amp = np.maximum(hi - lo, np.float32(1e-3))
        shades = lo + amp / (1 + np.exp(((lo + hi) / 2 - z[:h, :w]) / (softness * amp)))
        X = cv2.dft(cv2.copyMakeBorder(shades, 0, H - h, 0, W - w, cv2.BORDER_REFLECT))
        pulled = KG + np.float32(pull) * X
        z = cv2.idft(cv2.mulSpectrums(pulled, ones / (KK + np.float32(pull)), 0), flags=flags)
        yield normalise(z[:h, :w])
