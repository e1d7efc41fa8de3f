"""Masking of personal data for roles that do not need it (plan 11580/KH-UBND, docs/sources.md).

A masked value keeps just enough to tell two people apart in a queue: the family name and the
initials, the first and last digits of a number.
"""

from __future__ import annotations

ROLES_SEEING_PERSONAL_DATA = frozenset({"medic", "supervisor"})


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn V** A*'."""
    words = name.split()
    if not words:
        return ""
    return " ".join([words[0], *(w[0] + "*" * (len(w) - 1) for w in words[1:])])


def mask_digits(number: str, keep_start: int, keep_end: int) -> str:
    if len(number) <= keep_start + keep_end:
        return "*" * len(number)
    hidden = len(number) - keep_start - keep_end
    return number[:keep_start] + "*" * hidden + number[len(number) - keep_end :]


def mask_id(number: str) -> str:
    """'001012345645' -> '0010******45'; a 9-digit CMND keeps 2 and 2."""
    return mask_digits(number, 4 if len(number) == 12 else 2, 2)


def remask_id(shown: str) -> str:
    """A number another system masked (`00101234564*`): masked again our way, so a code that
    hides one digit does not put eleven of them in our records."""
    masked = mask_id(shown)
    return "".join(m if m == "*" else c for m, c in zip(masked, shown, strict=True))


def mask_phone(phone: str) -> str:
    """'0912345612' -> '09******12'."""
    return mask_digits(phone, 2, 2)


def sees_personal_data(role: str) -> bool:
    return role in ROLES_SEEING_PERSONAL_DATA
