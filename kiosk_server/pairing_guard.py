"""How fast pairing codes may be tried: per address, and failures from everywhere together.

A code is 12 hex digits (48 bits), valid 30 minutes. Ten tries a minute from one address, and
at most sixty failed tries a minute from all addresses together (an attacker with many
addresses), leave a guesser 1,800 tries in a code's life: a chance of 6e-12 per code. Every
refusal writes one log line with the address, so an administrator sees the attempt. Counts live
in the process's memory: with --workers N each worker counts on its own (N times the rate).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger("kiosk_server.security")

PER_ADDRESS = 10  # tries a minute from one address
FAILURES = 60  # failed tries a minute from all addresses together
WINDOW = 60.0
MAX_ADDRESSES = 100_000  # remembered at once: a flood of addresses must not fill the memory


class PairingGuard:
    def __init__(
        self,
        per_address: int = PER_ADDRESS,
        failures: int = FAILURES,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_address, self.failures, self.window, self.clock = (
            per_address,
            failures,
            window,
            clock,
        )
        self._tries: dict[str, deque[float]] = {}
        self._failed: deque[float] = deque()

    def _recent(self, times: deque[float], now: float) -> deque[float]:
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def admit(self, address: str) -> float:
        """0 when this try may go on (and it is counted), else seconds until one may."""
        now = self.clock()
        failed = self._recent(self._failed, now)
        if len(failed) >= self.failures:
            log.warning(
                "pairing paused: %d failed tries in a minute (last from %s)", len(failed), address
            )
            return failed[0] + self.window - now
        if address not in self._tries and len(self._tries) >= MAX_ADDRESSES:
            for key in [k for k, v in self._tries.items() if not self._recent(v, now)]:
                del self._tries[key]
            if len(self._tries) >= MAX_ADDRESSES:
                log.warning("pairing refused: too many addresses trying at once")
                return self.window
        tries = self._recent(self._tries.setdefault(address, deque()), now)
        if len(tries) >= self.per_address:
            log.warning("pairing refused: %s tried %d codes in a minute", address, len(tries))
            return tries[0] + self.window - now
        tries.append(now)
        return 0.0

    def failed(self, address: str) -> None:
        self._failed.append(self.clock())
        log.warning("pairing code refused from %s", address)
