"""When to try again after a failed sync: exponential backoff with full jitter, capped.

Jitter matters with hundreds of kiosks: after a server outage they must not all come back in
the same second.
"""

from __future__ import annotations

import random


class Backoff:
    def __init__(
        self, base: float = 2.0, cap: float = 300.0, rng: random.Random | None = None
    ) -> None:
        self.base = base
        self.cap = cap
        self.rng = rng or random.Random()
        self.failures = 0

    def failed(self) -> float:
        """Records a failure; returns seconds to wait before the next try."""
        self.failures += 1
        # the exponent stops growing once past the cap: a week offline is thousands of failures,
        # and 2.0 ** 1024 is more than a float holds
        ceiling = min(self.cap, self.base * 2.0 ** min(self.failures - 1, 64))
        return self.rng.uniform(ceiling / 2, ceiling)

    def succeeded(self) -> None:
        self.failures = 0
