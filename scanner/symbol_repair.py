"""Reads a QR code whose place zxing-cpp found but whose error correction failed.

zxing-cpp decides each module dark or light and then asks Reed–Solomon to correct the codewords
that came out wrong. Where a reflection saturates part of a phone's screen, or blur and noise
make a few hundred modules doubtful, more codewords are wrong than error correction can fix
when it has to find them itself. It can fix twice as many when it is told which ones are
doubtful (erasures). When zxing-cpp reports a checksum failure it has already read the code's
corners and its format information (version, error-correction level, mask), so this module:

1. samples every module at its centre, on the code's own grid;
2. compares each module with the dark and light shades around it (a threshold that follows a
   reflection across the code), and scores how sure that decision is;
3. per Reed–Solomon block, erases the least sure codewords (none, then more) and decodes,
   keeping a margin so that a wrong correction is not taken for a right one;
4. writes the corrected codewords into a clean symbol, which zxing-cpp reads: the text, ECI and
   character set are then decoded by the same code as every other read.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
import reedsolo
import segno
import segno.consts as qr_consts
import zxingcpp

_LEVELS = {
    "L": qr_consts.ERROR_LEVEL_L,
    "M": qr_consts.ERROR_LEVEL_M,
    "Q": qr_consts.ERROR_LEVEL_Q,
    "H": qr_consts.ERROR_LEVEL_H,
}
NEIGHBOURHOOD = 5  # modules: the window whose darker and lighter shades set a module's threshold
FLAT = 0.2  # of the code's overall contrast: less around a module tells nothing of it
# Reed–Solomon symbols per block left unused. A block damaged past repair can still decode to
# another valid block, by chance about 1 in 256**SPARE a try; 2 gave 3 wrong blocks in 92,000
# hard draws (a wrong ID number read is worse than none), 4 gave none in 30,000
SPARE = 4
# shares of a block's correction power spent on erasures, tried in turn
ERASE_SHARES = (0.0, 0.5, 0.75, 0.9, 1.0)


@dataclass(frozen=True)
class Detection:
    """What zxing-cpp read of a code it could not correct: the corners of the symbol (top-left,
    top-right, bottom-right, bottom-left of the symbol itself, in the picture's pixels) and its
    format information."""

    corners: np.ndarray  # 4x2 float32
    version: int
    ec_level: str
    mask: int


def detection_of(barcode: zxingcpp.Barcode) -> Detection | None:
    """The detection behind a failed zxing-cpp result, when it is a full-size QR code whose
    format information was read and whose codewords failed their checksum."""
    if barcode.valid or barcode.error is None:
        return None
    if barcode.error.type != zxingcpp.ErrorType.Checksum:
        return None
    extra = barcode.extra or {}
    version, level, mask = extra.get("Version"), extra.get("ECLevel"), extra.get("DataMask")
    if not (isinstance(version, str) and version.isdigit() and 1 <= int(version) <= 40):
        return None
    if level not in _LEVELS or not isinstance(mask, int) or not 0 <= mask <= 7:
        return None
    p = barcode.position
    corners = np.array(
        [[q.x, q.y] for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)],
        np.float32,
    )
    return Detection(corners, int(version), level, mask)


@lru_cache(maxsize=32)  # a v40 layout is half a megabyte; a kiosk meets a few kinds
def _layout(version: int, level: str, mask: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For a version, level and mask: a clean symbol's modules (function patterns and format
    information right, data blank), the data modules in the order their bits are read, and the
    mask's value at each of them."""
    symbol = segno.make_qr("0", version=version, error=level.lower(), mask=mask, boost_error=False)
    modules = np.array(list(symbol.matrix_iter(border=0)), dtype=bool)
    n = modules.shape[0]
    is_data = ~_function_modules(version)
    order = []
    col, upward = n - 1, True
    while col > 0:
        if col == 6:  # the vertical timing pattern
            col -= 1
        rows = range(n - 1, -1, -1) if upward else range(n)
        for r in rows:
            for c in (col, col - 1):
                if is_data[r, c]:
                    order.append((r, c))
        upward = not upward
        col -= 2
    positions = np.array(order)
    i, j = positions[:, 0], positions[:, 1]
    masked = _MASKS[mask](i, j)
    return modules, positions, masked


def _function_modules(version: int) -> np.ndarray:
    """Finder patterns with their separators and format information, timing patterns,
    alignment patterns and version information: every module that holds no codeword bit."""
    n = 17 + 4 * version
    fixed = np.zeros((n, n), bool)
    fixed[:9, :9] = True
    fixed[:9, n - 8 :] = True
    fixed[n - 8 :, :9] = True  # the dark module (n - 8, 8) with them
    fixed[6, :] = fixed[:, 6] = True
    if version >= 2:
        centres = qr_consts.ALIGNMENT_POS[version - 2]
        for r in centres:
            for c in centres:
                corner = (r == centres[0] and c in (centres[0], centres[-1])) or (
                    r == centres[-1] and c == centres[0]
                )
                if not corner:
                    fixed[r - 2 : r + 3, c - 2 : c + 3] = True
    if version >= 7:
        fixed[:6, n - 11 : n - 8] = True
        fixed[n - 11 : n - 8, :6] = True
    return fixed


_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)


def _blocks(version: int, level: str) -> list[tuple[int, int]]:
    """(data codewords, total codewords) of each block, in the order they are interleaved."""
    out = []
    for ec in qr_consts.ECC[version][_LEVELS[level]]:
        out += [(ec.num_data, ec.num_total)] * ec.num_blocks
    return out


def _sample(gray: np.ndarray, corners: np.ndarray, n: int) -> np.ndarray:
    """Each module's shade at its centre (a 3x3 mean there), on the grid the corners span."""
    square = np.float32([[0, 0], [n, 0], [n, n], [0, n]])
    grid = cv2.getPerspectiveTransform(square, corners)
    centres = np.stack(np.meshgrid(np.arange(n) + 0.5, np.arange(n) + 0.5), -1)
    xy = cv2.perspectiveTransform(centres.reshape(-1, 1, 2).astype(np.float32), grid)
    xy = xy.reshape(n, n, 2) - 0.5  # corners are edges; remap counts from pixels' centres
    smooth = cv2.blur(gray, (3, 3)).astype(np.float32)
    return cv2.remap(smooth, xy[..., 0], xy[..., 1], cv2.INTER_LINEAR, borderValue=255.0)


def _soft_modules(shades: np.ndarray) -> np.ndarray:
    """How dark each module is against its neighbourhood: above 0 dark, below 0 light, 0 when
    nothing can be told (a reflection that filled the sensor leaves no contrast around it).
    The neighbourhood's dark and light shades are the means of its modules below and above
    their own local mean: box filters, a fraction of a millisecond where sorting took five."""
    size = (NEIGHBOURHOOD, NEIGHBOURHOOD)

    def local_mean(values: np.ndarray) -> np.ndarray:
        return cv2.blur(values, size, borderType=cv2.BORDER_REPLICATE)

    below = (shades < local_mean(shades)).astype(np.float32)
    share = local_mean(below)
    mean = local_mean(shades)
    dark = np.where(share > 0, local_mean(shades * below) / np.maximum(share, 1e-6), mean)
    light = np.where(
        share < 1, local_mean(shades * (1 - below)) / np.maximum(1 - share, 1e-6), mean
    )
    span = light - dark
    overall = float(np.percentile(shades, 90) - np.percentile(shades, 10))
    score = ((dark + light) / 2 - shades) / np.maximum(span, 1.0)
    score[span < FLAT * max(overall, 1.0)] = 0.0
    return score


def _codewords(
    score: np.ndarray, version: int, level: str, mask: int
) -> tuple[np.ndarray, np.ndarray]:
    """The codewords as sampled, in stream order, and how sure each one is (0 to 0.5)."""
    _, positions, masked = _layout(version, level, mask)
    values = score[positions[:, 0], positions[:, 1]]
    bits = (values > 0) ^ masked
    total = sum(t for _, t in _blocks(version, level))
    bits = bits[: total * 8].reshape(total, 8)
    words = np.packbits(bits, axis=1).ravel()
    # a codeword is as doubtful as its doubtful bits together: a saturated bit says nothing
    sureness = np.minimum(np.abs(values[: total * 8]), 0.5).reshape(total, 8).mean(axis=1)
    return words, sureness


def _deinterleave(stream: np.ndarray, blocks: list[tuple[int, int]]) -> list[list[int]]:
    """Stream positions of each block's codewords (data, then error correction)."""
    index = [[] for _ in blocks]
    k = 0
    for i in range(max(d for d, _ in blocks)):
        for b, (d, _) in enumerate(blocks):
            if i < d:
                index[b].append(k)
                k += 1
    for i in range(max(t - d for d, t in blocks)):
        for b, (d, t) in enumerate(blocks):
            if i < t - d:
                index[b].append(k)
                k += 1
    return index


def _field_tables() -> tuple[np.ndarray, np.ndarray]:
    """GF(256) with QR's polynomial x^8 + x^4 + x^3 + x^2 + 1: powers of 2, and logarithms."""
    exp = np.zeros(512, np.int64)
    log = np.zeros(256, np.int64)
    x = 1
    for i in range(255):
        exp[i], log[x] = x, i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D
    exp[255:510] = exp[:255]
    return exp, log


_EXP, _LOG = _field_tables()


# reedsolo keeps its field tables in module globals: set once, here, for QR's field and
# generator; nothing in the process sets them otherwise, so the decoding thread never sees
# them half rebuilt
reedsolo.init_tables(prim=0x11D, generator=2, c_exp=8)


def _syndromes(word: bytearray, nsym: int) -> list[int]:
    """reedsolo's rs_calc_syndromes (a leading 0, then the word at 2^0 .. 2^(nsym-1)), with
    numpy: pure Python spent most of a repair here."""
    values = np.frombuffer(bytes(word), np.uint8)
    at = np.nonzero(values)[0]
    if at.size == 0:
        return [0] * (nsym + 1)
    powers = (len(values) - 1 - at)[None, :] * np.arange(nsym)[:, None]
    terms = _EXP[(_LOG[values[at]][None, :] + powers) % 255]
    return [0, *np.bitwise_xor.reduce(terms, axis=1).tolist()]


def _decode(block: bytearray, nsym: int, erase: list[int]) -> tuple[bytearray, int] | None:
    """reedsolo's rs_correct_msg with numpy syndromes: the corrected block and how many
    errors (besides the erasures) it had, or None."""
    word = bytearray(block)
    for i in erase:
        word[i] = 0
    synd = _syndromes(word, nsym)
    if max(synd) == 0:
        return word, 0
    try:
        forney = reedsolo.rs_forney_syndromes(synd, erase, len(word), 2)
        locator = reedsolo.rs_find_error_locator(forney, nsym, erase_count=len(erase))
        errors = reedsolo.rs_find_errors(locator[::-1], len(word), 2)
        if errors is None:
            return None
        word = reedsolo.rs_correct_errata(word, synd, erase + list(errors), 0, 2)
    except (reedsolo.ReedSolomonError, ZeroDivisionError, ValueError, IndexError):
        return None
    if max(_syndromes(word, nsym)) > 0:
        return None
    # the codewords it changed, counted, rather than the positions the decoder reports
    erased = set(erase)
    pairs = enumerate(zip(word, block, strict=True))
    changed = sum(1 for k, (a, b) in pairs if a != b and k not in erased)
    return bytearray(word), changed


def _correct(block: bytearray, sureness: np.ndarray, nsym: int) -> bytearray | None:
    budget = nsym - SPARE
    if budget <= 0:
        return None
    for erasures in sorted({min(budget, math.ceil(budget * share)) for share in ERASE_SHARES}):
        erase = sorted(int(i) for i in np.argsort(sureness, kind="stable")[:erasures])
        decoded = _decode(block, nsym, erase)
        if decoded is not None and 2 * decoded[1] + erasures <= budget:
            return decoded[0]
    return None


def scores(gray: np.ndarray, detection: Detection) -> np.ndarray:
    """How dark each module of the detected code is (see `_soft_modules`), upright."""
    n = 17 + 4 * detection.version
    modules, _, _ = _layout(detection.version, detection.ec_level, detection.mask)
    return _upright(_soft_modules(_sample(gray, detection.corners, n)), modules, detection.version)


def hidden_share(score: np.ndarray) -> float:
    """The share of modules nothing can be told of: large under a reflection that fills the
    sensor, small in a blurred or noisy code (whose modules are doubtful, not blank)."""
    return float(np.mean(score == 0.0))


def repair(
    score: np.ndarray, detection: Detection, out_of_time: Callable[[], bool] = lambda: False
) -> np.ndarray | None:
    """From the code's module scores (`scores`): a clean picture of the code (4 px modules,
    quiet zone included) with its codewords corrected, or None when they cannot be corrected
    with a margin to spare, or time ran out (checked between blocks: a version 40 code has 81
    of them)."""
    version, level, mask = detection.version, detection.ec_level, detection.mask
    modules, positions, masked = _layout(version, level, mask)
    words, sureness = _codewords(score, version, level, mask)
    blocks = _blocks(version, level)
    fixed = words.copy()
    for index, (data, total) in zip(_deinterleave(words, blocks), blocks, strict=True):
        if out_of_time():
            return None
        corrected = _correct(bytearray(words[index]), sureness[index], total - data)
        if corrected is None:
            return None
        fixed[index] = np.frombuffer(bytes(corrected), np.uint8)
    modules = modules.copy()
    bits = np.unpackbits(fixed).astype(bool)
    bits = np.concatenate([bits, np.zeros(len(positions) - len(bits), bool)])  # remainder bits
    modules[positions[:, 0], positions[:, 1]] = bits ^ masked
    picture = np.where(np.pad(modules, 4), 0, 255).astype(np.uint8)
    return cv2.resize(picture, None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)


def _upright(score: np.ndarray, modules: np.ndarray, version: int) -> np.ndarray:
    """The scores as the symbol is written: zxing-cpp gives the same corners for a code shown
    light on dark (a phone's dark mode) or seen mirrored, and says neither; the function
    patterns, the same in every code of this version, tell which it is."""
    fixed = _function_modules(version)
    expect = np.where(modules, 1.0, -1.0)
    return max((score, -score, score.T, -score.T), key=lambda s: float((s * expect)[fixed].sum()))
