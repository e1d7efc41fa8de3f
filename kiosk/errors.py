"""Failures sorted by who must act (exit codes 2 and 3 in the README's command-line table).

InputError: the operator gave something that is not a valid input; nothing was changed.
EnvironmentProblem: the machine is in the way (disk full, database locked); the kiosk keeps going.
Both carry a stable code that kiosk.messages turns into words.
"""

from __future__ import annotations


class KioskError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class InputError(KioskError):
    """The input is not an ID or a checkpoint code; nothing was recorded."""


class EnvironmentProblem(KioskError):
    """The disk, the database or a device failed; the operator can act on it."""
