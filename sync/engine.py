"""One sync cycle: push everything recorded, in batches, then pull every page of changes.

Pushed rows are marked only after the server acknowledged them, and each pulled page is applied
with its cursor in one transaction, so a kill at any point resumes without loss, and a repeated
push is harmless (the server keys events by their client-made ids).
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from kiosk.storage import Store, retention
from sync.addresses import is_loopback
from sync.client import SyncClient
from sync.protocol import PAGE_SIZE, PUSH_BATCH, NotPaired, ProtocolError, SyncError

Progress = Callable[[str, int, int], None]  # phase ('pull'/'push'), done, total or -1


@dataclass(frozen=True)
class Summary:
    pulled: int
    pushed: int
    pending: int
    cursor: int
    clock_skew_seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def client_for(store: Store, verify: bool | str = True) -> SyncClient:
    url = store.replica.state("server_url")
    credential = store.replica.state("credential")
    if not url or not credential:
        raise NotPaired("not_paired")
    pin = store.replica.state("server_pin") or None  # none for http://, or paired before
    return SyncClient(url, credential, verify=verify, pin=pin)


def kiosk_name(checkpoint_id: str, host: str | None = None) -> str:
    """The name a kiosk pairs under: its checkpoint and its machine. The server retires the old
    record of a name paired again (a reinstall), so two kiosks at one checkpoint need two names,
    or each pairing would revoke the other."""
    return f"{checkpoint_id}@{host or socket.gethostname() or 'kiosk'}"[:120]


def pair(
    store: Store,
    url: str,
    code: str,
    kiosk_name: str,
    verify: bool | str = True,
    again: bool = False,
    insecure: bool = False,
    pinned: str | None = None,
) -> str:
    """Raises SyncError('server_url_invalid') for a URL that is no http(s) server,
    SyncError('server_url_insecure') for plain http to another machine unless `insecure` (the
    credential and every scan would cross the network readable), and
    SyncError('already_paired') unless `again`: a second pairing is a decision, not a typo.
    `pinned`: the key the server must show, checked before the code is sent (sync.pairing: the
    window pairing again with the server it is paired with)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError("server_url_invalid", url)
    if parts.scheme == "http" and not insecure and not is_loopback(parts.hostname):
        raise SyncError("server_url_insecure", url)
    if store.replica.state("credential") and not again:
        raise SyncError("already_paired")
    client = SyncClient(url, verify=verify, pin=pinned)
    kiosk_id, credential = client.pair(code, kiosk_name)
    store.replica.paired(url, credential, kiosk_id)
    # the key this server showed, pinned from now on (sync/pinning.py); replaced by --again
    store.replica.set_state({"server_pin": client.pinning.seen or ""})
    store.note_paired(url)
    return kiosk_id


def run_cycle(
    store: Store,
    client: SyncClient,
    progress: Progress | None = None,
    page_size: int = PAGE_SIZE,
    batch_size: int = PUSH_BATCH,
    should_stop: Callable[[], bool] = lambda: False,
    keep_days: int = retention.DEFAULT_DAYS,
) -> Summary:
    """Push first (what was recorded matters most, and a page the kiosk cannot use must never
    hold it back), then pull. `should_stop` is asked between requests, so closing the window
    does not wait for a whole first sync."""
    replica = store.replica
    total = replica.pending_count()
    pushed = 0
    skew = 0.0
    while not should_stop():
        events = replica.pending(batch_size)
        if not events:
            break
        receipt = client.push(
            str(uuid.uuid4()),
            [
                {
                    "event_id": e.event_id,
                    "kind": e.kind,
                    "occurred_at": e.occurred_at.isoformat(),
                    "data": e.data,
                }
                for e in events
            ],
        )
        replica.mark_synced(events, datetime.now(UTC))
        pushed += len(events)
        skew = receipt.clock_skew_seconds
        if progress:
            progress("push", pushed, total)
    # what the server now holds is kept `keep_days`, then deleted here (docs/storage.md)
    retention.forget_synced(store.engine, keep_days, datetime.now(UTC))
    cursor = int(replica.state("cursor") or 0)
    pulled = 0
    while not should_stop():
        page = client.pull(cursor, page_size)
        try:
            pulled += replica.apply_page(page.changes, page.cursor)
        except ValueError as exc:
            raise ProtocolError("protocol_error", str(exc)) from None
        cursor = page.cursor
        if progress:
            progress("pull", pulled, -1)
        if not page.has_more:
            replica.set_state({"last_sync": datetime.now(UTC).isoformat()})
            break
    return Summary(pulled, pushed, replica.pending_count(), cursor, skew)
