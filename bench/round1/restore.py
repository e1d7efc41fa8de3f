"""Image restoration for the decoder's second look at a spot: undoing a moving hand's blur or an
unfocused lens, and lifting a dark, noisy picture. Plain OpenCV and numpy, on small crops only.

Motion blur is estimated from the picture itself: a QR's edges run both ways, so blur shows as
weak gradients along the motion (the structure tensor's minor axis), and differentiating along
that direction turns a blur of length L into two copies L apart, which the autocorrelation shows
as a dip at lag L. The blur is then undone by Wiener deconvolution with that line kernel.
"""

from __future__ import annotations

import math

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
    flat = flat[m : h - m, m : w - m]
    d = np.diff(flat, axis=1)
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


def disc_kernel(radius: float) -> np.ndarray:
    size = math.ceil(radius) * 2 + 3
    sup = 8
    big = np.zeros((size * sup, size * sup), np.float32)
    c = round((size * sup - 1) / 2)
    cv2.circle(big, (c, c), round(radius * sup), 1.0, -1, lineType=cv2.LINE_AA)
    k = cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)
    return k / k.sum()


def _taper(img: np.ndarray, width: int) -> np.ndarray:
    """Blends the borders into a blurred copy so the deconvolution does not ring from them."""
    h, w = img.shape
    ramp_y = np.minimum(np.arange(h), np.arange(h)[::-1]).astype(np.float32)
    ramp_x = np.minimum(np.arange(w), np.arange(w)[::-1]).astype(np.float32)
    weight = np.clip(np.minimum.outer(ramp_y, ramp_x) / max(width, 1), 0, 1)
    soft = cv2.GaussianBlur(img, (0, 0), max(2.0, width / 2))
    return img * weight + soft * (1 - weight)


def wiener(gray: np.ndarray, kernel: np.ndarray, nsr: float) -> np.ndarray:
    """Wiener deconvolution of an 8-bit picture by `kernel`; `nsr` the noise-to-signal ratio."""
    img = _taper(gray.astype(np.float32), kernel.shape[0])
    h, w = img.shape
    H, W = cv2.getOptimalDFTSize(h), cv2.getOptimalDFTSize(w)
    padded = cv2.copyMakeBorder(img, 0, H - h, 0, W - w, cv2.BORDER_REFLECT)
    psf = np.zeros((H, W), np.float32)
    kh, kw = kernel.shape
    psf[:kh, :kw] = kernel
    psf = np.roll(psf, (-(kh // 2), -(kw // 2)), axis=(0, 1))
    G = cv2.dft(padded, flags=cv2.DFT_COMPLEX_OUTPUT)
    K = cv2.dft(psf, flags=cv2.DFT_COMPLEX_OUTPUT)
    power = K[..., 0] ** 2 + K[..., 1] ** 2 + nsr
    # G * conj(K) / (|K|^2 + nsr)
    re = (G[..., 0] * K[..., 0] + G[..., 1] * K[..., 1]) / power
    im = (G[..., 1] * K[..., 0] - G[..., 0] * K[..., 1]) / power
    out = cv2.idft(np.dstack([re, im]), flags=cv2.DFT_REAL_OUTPUT | cv2.DFT_SCALE)[:h, :w]
    return normalise(out)


def normalise(img: np.ndarray) -> np.ndarray:
    """Stretches the 1st to 99th percentile to 0..255."""
    lo, hi = np.percentile(img[::4, ::4], (1, 99))
    scale = 255.0 / max(float(hi - lo), 1e-3)
    return np.clip((img - lo) * scale, 0, 255).astype(np.uint8)


def denoise(gray: np.ndarray, strength: float) -> np.ndarray:
    """Noise of a dark picture: a median removes the shot noise's outliers, a Gaussian the rest."""
    out = cv2.medianBlur(gray, 3)
    return cv2.GaussianBlur(out, (0, 0), strength)


def noise_level(gray: np.ndarray) -> float:
    """Standard deviation of the pixel noise, from the median of a Laplacian-like residual:
    the median, unlike the mean, is not pulled up by a code's many edges."""
    lap = np.float32([[1, -2, 1], [-2, 4, -2], [1, -2, 1]])
    r = cv2.filter2D(gray.astype(np.float32), -1, lap)[1:-1:2, 1:-1:2]
    return float(np.median(np.abs(r))) / 0.6745 / 6.0


def flatten(gray: np.ndarray, size: int) -> np.ndarray:
    """Evens out light that varies across the code (a reflection, a shadow): each pixel is put
    between the darkest and the lightest values around it, `size` pixels wide."""
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    lo = cv2.blur(cv2.erode(gray, k), (size, size)).astype(np.float32)
    hi = cv2.blur(cv2.dilate(gray, k), (size, size)).astype(np.float32)
    out = (gray.astype(np.float32) - lo) * 255.0 / np.maximum(hi - lo, 24.0)
    return np.clip(out, 0, 255).astype(np.uint8)
