"""What a camera does to a scene, in the order a camera does it: optics, motion, sensor, JPEG.

A scene is a float32 radiance image (1.0 is a white sheet of paper in ordinary light). The
damage a checkpoint camera adds is modelled physically rather than as image filters:

- motion blur: a hand moves along a short curved path while the shutter is open, at uneven
  speed: the kernel is that path, any direction, 5 to 25 pixels long;
- defocus: an out-of-focus lens spreads a point over a disc (not a Gaussian), anti-aliased;
- rolling shutter: rows are read one after another while the phone moves, so the code is
  sheared and stretched;
- low light: few photons per pixel, so Poisson (shot) noise plus read noise on a dark image,
  then the camera's gain and gamma, which lift the noise with the signal, then its JPEG;
- a dusk tent (`dusk_sensor`): a colour sensor behind a Bayer mosaic under a warm lamp, so the
  noise is coloured and spatially correlated by demosaicing; an auto-gain that raises the read
  noise with the gain; a black level that crushes the shadows; a tone curve other than 2.2; a
  colour JPEG at low quality (chroma subsampled, as webcams send MJPEG);
- an imperfect lens: defocus with spherical aberration, a disc with a brighter rim.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np


def motion_kernel(length: float, angle_deg: float, curve: float, rng: random.Random) -> np.ndarray:
    """A normalised blur kernel along a bent path of about `length` pixels.

    The path bows sideways by `curve` / 2 of its length (a hand swings around the wrist, it
    does not slide on a rail); the speed along the path varies, so the kernel is brighter
    where the hand slowed down."""
    size = math.ceil(length + 2 * abs(curve) * length) + 5
    size += 1 - size % 2
    t = np.linspace(-0.5, 0.5, 400)
    # uneven speed: more samples where the hand is slow
    ease = rng.uniform(-0.35, 0.35)
    t = t + ease * (t * t - 0.25)  # monotone for |ease| < 1, ends stay at +-0.5
    a = math.radians(angle_deg)
    d = np.array([math.cos(a), math.sin(a)])
    n = np.array([-d[1], d[0]])
    pts = np.outer(t * length, d) + np.outer(curve * length * (4 * t * t - 1) / 2, n)
    pts += (size - 1) / 2
    kernel = np.zeros((size, size), np.float32)
    # bilinear splat of each sample: sub-pixel paths stay smooth
    for x, y in pts:
        x0, y0 = math.floor(x), math.floor(y)
        fx, fy = x - x0, y - y0
        if 0 <= x0 < size - 1 and 0 <= y0 < size - 1:
            kernel[y0, x0] += (1 - fx) * (1 - fy)
            kernel[y0, x0 + 1] += fx * (1 - fy)
            kernel[y0 + 1, x0] += (1 - fx) * fy
            kernel[y0 + 1, x0 + 1] += fx * fy
    return kernel / kernel.sum()


def disc_kernel(radius: float) -> np.ndarray:
    """Defocus: a uniform disc of `radius` pixels, anti-aliased by supersampling."""
    sup = 8
    size = math.ceil(radius) * 2 + 3
    big = np.zeros((size * sup, size * sup), np.float32)
    c = (size * sup - 1) / 2
    cv2.circle(big, (round(c), round(c)), round(radius * sup), 1.0, -1, lineType=cv2.LINE_AA)
    k = cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)
    return k / k.sum()


def aberrated_disc_kernel(radius: float, rim: float) -> np.ndarray:
    """Defocus through a lens with spherical aberration: the disc's outer ring (its last fifth)
    carries `rim` times more light than its inside, as a cheap webcam lens behind its focus
    does (a "soap bubble" bokeh)."""
    flat = disc_kernel(radius)
    inner = disc_kernel(max(0.5, radius * 0.8))
    pad = (flat.shape[0] - inner.shape[0]) // 2
    inner = np.pad(inner, pad)
    ring = np.clip(flat / flat.max() - inner / inner.max(), 0, None)
    k = flat / flat.max() + rim * ring
    return (k / k.sum()).astype(np.float32)


def blur(scene: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return cv2.filter2D(scene, -1, kernel, borderType=cv2.BORDER_REFLECT)


def rolling_shutter(scene: np.ndarray, shear: float, stretch: float) -> np.ndarray:
    """Rows read top to bottom while the code moves: row y shifted by shear * y, and the
    picture stretched (or squeezed) vertically by `stretch` when the motion is vertical."""
    h, w = scene.shape[:2]
    m = rolling_matrix(h, shear, stretch)
    return cv2.warpAffine(scene, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def rolling_matrix(height: int, shear: float, stretch: float) -> np.ndarray:
    """The affine map `rolling_shutter` applies to a picture `height` rows tall (2x3)."""
    cy = height / 2
    return np.float32([[1, shear, -shear * cy], [0, 1 + stretch, -stretch * cy]])


_GAMMA = (255 * (np.arange(4096) / 4095) ** (1 / 2.2) + 0.5).astype(np.uint8)


def sensor(
    scene: np.ndarray,
    rng: random.Random,
    photons_at_white: float,
    exposure: float = 1.0,
    read_noise: float = 2.0,
    jpeg_quality: int = 85,
) -> np.ndarray:
    """Radiance -> 8-bit BGR camera frame: photon shot noise (Poisson), read noise, the gain
    that maps white to `exposure` of full scale, the display gamma, then JPEG, as a webcam
    sends it over USB."""
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    signal = np.clip(scene, 0, None).astype(np.float32) * np.float32(photons_at_white)
    z = nrng.standard_normal(scene.shape, dtype=np.float32)
    if photons_at_white <= 100:  # few photons: the real (Poisson) counts
        electrons = nrng.poisson(signal).astype(np.float32) + z * np.float32(read_noise)
    else:  # many: Poisson is Gaussian with variance = mean, and much cheaper to draw
        electrons = signal + z * np.sqrt(signal + np.float32(read_noise**2))
    # gain to `exposure` of full scale, then the display gamma, through a 4096-step table
    scaled = electrons * np.float32(4095 * exposure / photons_at_white)
    index = np.clip(scaled, 0, 4095).astype(np.uint16)
    out = _GAMMA[index]
    ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)])
    assert ok
    gray = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


# a warm lamp in a tent, seen by a sensor under a Bayer mosaic: electrons per channel for one
# photon at white (green gets two sites per 2x2 cell, blue little of a tungsten light)
_LAMP = {"r": 0.9, "g": 1.0, "b": 0.35}


def dusk_sensor(
    scene: np.ndarray,
    rng: random.Random,
    photons_at_white: float,
    exposure: float,
    read_noise: float,
    black_level: float,
    gamma: float,
    jpeg_quality: int,
) -> np.ndarray:
    """Radiance -> 8-bit BGR frame from a colour webcam in the dark.

    Each pixel of a Bayer (BGGR) mosaic counts its own channel's photons (Poisson) plus read
    noise; `read_noise` is in electrons and an auto-gain at its top raises it (amplifier noise
    after the gain). Demosaicing spreads each pixel's noise to its neighbours (noise now 2-3 px
    wide, in colour); white balance multiplies the weak blue channel's noise; `black_level` (of
    full scale) is subtracted and clipped, crushing the shadows; then a tone curve of exponent
    1/`gamma` and a colour JPEG at `jpeg_quality` with 4:2:0 chroma."""
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    h, w = scene.shape
    radiance = np.clip(scene, 0, None).astype(np.float32) * np.float32(photons_at_white)
    sens = np.empty((h, w), np.float32)
    sens[0::2, 0::2] = _LAMP["b"]
    sens[0::2, 1::2] = _LAMP["g"]
    sens[1::2, 0::2] = _LAMP["g"]
    sens[1::2, 1::2] = _LAMP["r"]
    electrons = nrng.poisson(radiance * sens).astype(np.float32)
    electrons += nrng.standard_normal((h, w), dtype=np.float32) * np.float32(read_noise)
    # white balance and gain to `exposure` of full scale, kept in 16 bits for the demosaicing
    wb = np.float32(1.0) / sens
    scaled = electrons * wb * np.float32(exposure / photons_at_white)
    mosaic = np.clip(scaled * 16383 + 1024, 0, 65535).astype(np.uint16)  # offset keeps negatives
    bgr = cv2.cvtColor(mosaic, cv2.COLOR_BayerRG2BGR).astype(np.float32)
    linear = (bgr - 1024) / 16383 - np.float32(black_level)
    linear = np.clip(linear / (1 - black_level), 0, 1)
    out = (255 * linear ** np.float32(1 / gamma) + 0.5).astype(np.uint8)
    params = [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)]
    if hasattr(cv2, "IMWRITE_JPEG_SAMPLING_FACTOR"):
        params += [cv2.IMWRITE_JPEG_SAMPLING_FACTOR, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420]
    ok, data = cv2.imencode(".jpg", out, params)
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def to_linear(gray8: np.ndarray) -> np.ndarray:
    """An 8-bit (gamma-encoded) picture as linear radiance, 1.0 at 255."""
    return (gray8.astype(np.float32) / 255.0) ** 2.2
