"""Telling a keyboard-wedge QR reader from a person typing, by keystroke timing.

A reader "types" a whole payload in a burst (1 to 20 ms between keys) and ends with Enter; a
person leaves 80 ms or more between keys. Keys are held while they arrive in a burst and given
back to the focused widget as soon as the timing shows a person, so typing still works anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_GAP = 0.035  # seconds between keys of one burst; readers measured 1-20 ms, people 80+
MIN_LENGTH = 8  # shorter bursts are a fast typist, not a code (a CMND alone has 9 digits)


@dataclass
class WedgeAction:
    """What the caller must do: give `replay` keys back to the widget, then handle `scan`."""

    replay: list[str] = field(default_factory=list)
    scan: str | None = None
    pass_enter: bool = False


class WedgeDetector:
    def __init__(self, max_gap: float = MAX_GAP, min_length: int = MIN_LENGTH) -> None:
        self.max_gap = max_gap
        self.min_length = min_length
        self._held: list[str] = []
        self._last = 0.0

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def key(self, char: str, now: float) -> WedgeAction:
        action = WedgeAction()
        if self._held and now - self._last > self.max_gap:
            action.replay, self._held = self._held, []
        self._held.append(char)
        self._last = now
        return action

    def enter(self, now: float) -> WedgeAction:
        held, self._held = self._held, []
        if len(held) >= self.min_length and now - self._last <= self.max_gap:
            return WedgeAction(scan="".join(held))
        return WedgeAction(replay=held, pass_enter=True)

    def tick(self, now: float) -> WedgeAction:
        """Called by a timer: keys held longer than a burst gap were typed by a person."""
        if self._held and now - self._last > self.max_gap:
            held, self._held = self._held, []
            return WedgeAction(replay=held)
        return WedgeAction()
