"""Vietnamese licence plates: one normalisation for every way an officer types them.

Circulars 36/2010, 15/2014 and 58/2020 (summary in docs/vietnam-formats.md, section 2). The
compact key keeps digits, letters and Đ and drops spaces, dots and dashes, so `75A-123.45`,
`75a12345` and `75 A 123 45` are one vehicle. It also loses the separator between series and
number (`75B12345` may be a car or a motorbike), so approvals are matched on the key; the
screen shows a plate in its series' printed form (`Plate.display`), where the separators typed
tell a motorbike's `75-B1 2345` from a car's `75B-123.45`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kiosk.errors import InputError

_SEPARATORS = re.compile(r"[\s.\-_/·]")
# officers without a Vietnamese keyboard type MD/TD for MĐ/TĐ (after the locality code)
_NO_DIACRITIC_SERIES = re.compile(r"^(\d{2})(M|T)D(?=\d)", re.ASCII)

SERIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.ASCII))  # ASCII: \d is 0-9, not any script's digits
    for name, pattern in (
        ("car", r"^\d{2}[A-HK-NPS-VXYZ]\d{4,5}$"),
        ("car_pre_2010", r"^\d{2}[IJOQ]\d{4}$"),
        ("special", r"^\d{2}(LD|KT|DA|HC|TĐ|LB|CT)\d{4,5}$"),
        ("trailer", r"^\d{2}(R|RM)\d{4,5}$"),
        ("tractor_or_electric", r"^\d{2}(MK|MĐ)\d{5,6}$"),
        ("motorbike", r"^\d{2}[A-Z]\d{5,6}$"),
        ("motorbike_under_50cc", r"^\d{2}[A-Z]{2}\d{4,5}$"),
        ("diplomatic", r"^\d{5}(NG|QT|NN|CV)\d{2,3}$"),
        ("military", r"^[A-Z]{2}\d{4}$"),
        ("temporary", r"^T\d{7}$"),
    )
)
_LOCALITY_FIRST = {
    "car",
    "car_pre_2010",
    "special",
    "trailer",
    "tractor_or_electric",
    "motorbike",
    "motorbike_under_50cc",
    "diplomatic",
}

CONFUSABLE = {
    "O": "0",
    "0": "O",
    "I": "1",
    "1": "I",
    "B": "8",
    "8": "B",
    "S": "5",
    "5": "S",
    "Z": "2",
    "2": "Z",
    "G": "6",
    "6": "G",
    "D": "0",
    "Q": "0",
}


# a motorbike's series (letter and digit) stands apart on both sides ("75-B1 123.45"), a car's
# letter sticks to its locality ("75B-123.45"): how the officer typed it tells the two apart
# where the key cannot; a car typed with loose spaces ("75 B 123 45") stays a car
_SERIES_APART = re.compile(r"^\s*\d{2}\s*[\s.\-_/·]\s*[A-Z]\d\s*[\s.\-_/·]", re.ASCII)


@dataclass(frozen=True)
class Plate:
    key: str  # compact: what approvals are matched on
    typed: str  # as the officer typed it
    series: str

    @property
    def display(self) -> str:
        """As the plate is printed, whatever the typing: `29c12345` -> `29C-123.45`."""
        return printed_form(self.key, self.series)


def _serial(digits: str) -> str:
    """A plate's last group: four digits together, five as 123.45."""
    return f"{digits[:3]}.{digits[3:]}" if len(digits) == 5 else digits


def printed_form(key: str, series: str) -> str:
    """The printed form of a compact key of that series (docs/vietnam-formats.md, section 2)."""
    if series == "diplomatic":  # 80123NG45 -> 80-123-NG-45
        return f"{key[:2]}-{key[2:5]}-{key[5:7]}-{key[7:]}"
    if series == "military":  # KA1234 -> KA-12-34
        return f"{key[:2]}-{key[2:4]}-{key[4:]}"
    if series == "temporary":  # T2912345 -> T29-123.45
        return f"{key[:3]}-{_serial(key[3:])}"
    locality, rest = key[:2], key[2:]
    letters = rest.rstrip("0123456789")
    digits = rest[len(letters) :]
    if series == "motorbike":  # 75B112345 -> 75-B1 123.45
        return f"{locality}-{letters}{digits[0]} {_serial(digits[1:])}"
    if series == "tractor_or_electric":  # 75MĐ112345 -> 75MĐ1-123.45
        return f"{locality}{letters}{digits[0]}-{_serial(digits[1:])}"
    if series == "motorbike_under_50cc":  # 29AA12345 -> 29-AA 123.45
        return f"{locality}-{letters} {_serial(digits)}"
    return f"{locality}{letters}-{_serial(digits)}"  # cars, special series, trailers


def compact(text: str) -> str:
    # NFKC: an East Asian input method types full-width digits and letters (１２３, Ａ)
    key = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).upper())
    return _NO_DIACRITIC_SERIES.sub(r"\1\2Đ", key)


def series_of(key: str) -> str | None:
    for name, pattern in SERIES:
        if pattern.match(key):
            if name in _LOCALITY_FIRST and not 11 <= int(key[:2]) <= 99:
                return None
            return name
    return None


def parse_plate(text: str) -> Plate:
    """Raises InputError('plate_malformed') when the text is no plate of any series."""
    key = compact(text)
    series = series_of(key) if key else None
    if series is None:
        raise InputError("plate_malformed")
    if (
        series == "car"
        and _SERIES_APART.match(unicodedata.normalize("NFKC", text).upper())
        and dict(SERIES)["motorbike"].match(key)
    ):
        series = "motorbike"
    return Plate(key, text.strip(), series)


def printed(text: str) -> str:
    """A plate written elsewhere (a registration as the back office's clerk typed it:
    `51c12345`) in its printed form (`51C-123.45`), as a checked plate is shown; text that is
    no plate is left as it was, to be read rather than lost."""
    try:
        return parse_plate(text).display
    except InputError:
        return text.strip()


def one_typo_away(key: str) -> set[str]:
    """Keys one typing slip from `key`: a confusable letter or digit, or two neighbours
    swapped. Offered to the officer as suggestions, never accepted silently."""
    out: set[str] = set()
    for i, ch in enumerate(key):
        if ch in CONFUSABLE:
            out.add(key[:i] + CONFUSABLE[ch] + key[i + 1 :])
    for i in range(len(key) - 1):
        if key[i] != key[i + 1]:
            out.add(key[:i] + key[i + 1] + key[i] + key[i + 2 :])
    out.discard(key)
    return out
