"""Sync in the background, forever: a cycle, then wait (a short interval when it worked,
growing backoff with jitter when it did not), and say how things stand after each step.

Plain Python: the window's sync lane calls step() on its own thread; tests call it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.errors import EnvironmentProblem
from kiosk.storage import Store, retention
from sync import engine
from sync.backoff import Backoff
from sync.protocol import SyncError

INTERVAL = 60.0  # seconds between cycles while all is well


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    paired: bool
    last_good: datetime | None
    pending: int
    error: str | None  # a SyncError code, for the operator's message
    next_try_in: float
    detail: str = ""  # for the event log: an exception's type, never data


class SyncLoop:
    def __init__(
        self,
        store: Store,
        backoff: Backoff | None = None,
        interval: float = INTERVAL,
        verify: bool | str = True,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        keep_days: int = retention.DEFAULT_DAYS,
    ) -> None:
        self.store = store
        self.keep_days = keep_days
        self.backoff = backoff or Backoff()
        self.interval = interval
        self.verify = verify
        self.clock = clock

    def step(self, should_stop: Callable[[], bool] = lambda: False) -> SyncStatus:
        """One cycle; never raises for the network or the server, only reports."""
        try:
            client = engine.client_for(self.store, self.verify)
            engine.run_cycle(self.store, client, should_stop=should_stop, keep_days=self.keep_days)
        except SyncError as exc:
            if exc.code == "not_paired":
                return self._status(False, paired=False, error=exc.code, wait=self.interval)
            return self._failed(exc.code)
        except EnvironmentProblem as exc:
            return self._failed(exc.code)
        except Exception as exc:  # a bug, or an answer nobody foresaw
            # Reported, and retried with the backoff kept: a worker that died here would be
            # restarted with a fresh backoff and ask the server again every second.
            return self._failed("sync_failed", type(exc).__name__)
        self.backoff.succeeded()
        return self._status(True, paired=True, error=None, wait=self.interval)

    def _failed(self, code: str, detail: str = "") -> SyncStatus:
        return self._status(False, True, code, self.backoff.failed(), detail)

    def _status(
        self, online: bool, paired: bool, error: str | None, wait: float, detail: str = ""
    ) -> SyncStatus:
        pending = self.store.replica.pending_count()
        return SyncStatus(online, paired, self._last_good(), pending, error, wait, detail)

    def _last_good(self) -> datetime | None:
        value = self.store.replica.state("last_sync")
        return datetime.fromisoformat(value) if value else None
