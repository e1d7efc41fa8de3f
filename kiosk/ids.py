"""Personal ID numbers: the 9-digit CMND and the 12-digit CCCD (Decree 137/2015, Circular 07/2016).

A CCCD has no check digit, so validation is plausibility: a real province code (or a country code
for births abroad), a century/sex digit that gives a birth year not in the future, and, when a
card's QR also prints the birth date and sex, agreement with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kiosk.errors import InputError
from kiosk.provinces import PROVINCE_CODES

_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class PersonalId:
    number: str

    @property
    def kind(self) -> str:
        return "cccd" if len(self.number) == 12 else "cmnd"

    @property
    def birth_year(self) -> int | None:
        if self.kind != "cccd":
            return None
        g, yy = int(self.number[3]), int(self.number[4:6])
        return 1900 + 100 * (g // 2) + yy

    @property
    def sex(self) -> str | None:
        """'M' or 'F'; even century digits are male (a widely copied validator has it backwards)."""
        if self.kind != "cccd":
            return None
        return "M" if int(self.number[3]) % 2 == 0 else "F"


def id_shaped(number: str, lengths: tuple[int, ...] = (9, 12)) -> bool:
    """Whether `number` has an ID number's shape: ASCII digits only (str.isdigit() also takes
    full-width and Arabic-Indic ones), one of `lengths` long. No plausibility: see parse_id."""
    return number.isascii() and number.isdigit() and len(number) in lengths


def parse_id(text: str, today: date | None = None) -> PersonalId:
    """Validates a typed or decoded ID number; raises InputError with a reason code."""
    compact = _SEPARATORS.sub("", text)
    if not compact.isascii() or not compact.isdigit():
        raise InputError("id_not_digits")
    if len(compact) == 9:
        return PersonalId(compact)
    if len(compact) != 12:
        raise InputError("id_bad_length")
    province = compact[:3]
    if province.startswith("0") and province not in PROVINCE_CODES:
        raise InputError("id_bad_province")
    pid = PersonalId(compact)
    year = pid.birth_year
    assert year is not None
    if year > (today or date.today()).year:
        raise InputError("id_bad_century")
    return pid


def agrees_with(pid: PersonalId, birth_date: date | None, sex: str | None) -> bool:
    """True when the number's century/sex digit matches what the card prints beside it."""
    if pid.kind != "cccd":
        return True
    if birth_date is not None and pid.birth_year != birth_date.year:
        return False
    return not (sex is not None and pid.sex != sex)
