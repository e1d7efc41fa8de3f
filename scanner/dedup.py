"""One code held in view for seconds is one scan: remember what was seen and when."""

from __future__ import annotations


class RecentCodes:
    """A code counts again only after it has been out of view for `hold_seconds`."""

    def __init__(self, hold_seconds: float = 3.0) -> None:
        self.hold_seconds = hold_seconds
        self._last_seen: dict[str, float] = {}

    def is_new(self, text: str, now: float) -> bool:
        last = self._last_seen.get(text)
        self._last_seen[text] = now
        self._forget_before(now - self.hold_seconds)
        return last is None or now - last > self.hold_seconds

    def _forget_before(self, limit: float) -> None:
        for key in [k for k, t in self._last_seen.items() if t < limit]:
            del self._last_seen[key]
