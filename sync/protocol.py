"""Sync protocol v1: versions, error kinds, and strict reading of the server's answers.

Minor revisions add without changing what is sent (`"protocol": 1` stays): 1.1 traceable scans,
1.2 hospital approvals (a new pulled kind); docs/sync-protocol.md says what each added.

A server that answers garbage (a truncated body, HTML from a proxy, a field of the wrong type)
must never reach the database: every answer is checked here first.
"""

from __future__ import annotations

from dataclasses import dataclass

PROTOCOL = 1
# Whole numbers in protocol v1 (cursors, counts, and the integer fields of a change's data) are
# signed 64-bit (docs/sync-protocol.md). Part of the protocol, fixed with its version: it equals
# the kiosk's column bound (replica.BIGINT_MAX, which checks the data's fields) by design, and
# must not follow it if the storage ever changes.
INT64_MAX = 2**63 - 1
API = "/v1"
PAGE_SIZE = 5000
PUSH_BATCH = 1000


class SyncError(Exception):
    """code: the kind the UI can act on."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class Unreachable(SyncError):
    """Network down, refused, timed out, or a 5xx: try again later, with backoff."""


class ProtocolError(SyncError):
    """The server answered something that is not protocol v1: try again later."""


class CredentialRevoked(SyncError):
    """This kiosk's credential was revoked or is unknown: pair again."""


class NotPaired(SyncError):
    """No server or credential yet: run `kiosk pair URL CODE`."""


@dataclass(frozen=True)
class Page:
    cursor: int
    has_more: bool
    changes: list[dict[str, object]]


@dataclass(frozen=True)
class PushReceipt:
    stored: int
    duplicates: int
    clock_skew_seconds: float
    refused: tuple[str, ...] = ()  # event ids the server holds with other content: never taken


def is_int64(value: object) -> bool:
    """A JSON whole number in the protocol's range; not a bool, which Python counts as an int."""
    return type(value) is int and -INT64_MAX - 1 <= value <= INT64_MAX


def _require(cond: bool, what: str) -> None:
    if not cond:
        raise ProtocolError("protocol_error", what)


def _envelope(body: object) -> dict[str, object]:
    _require(isinstance(body, dict), "answer is not a JSON object")
    assert isinstance(body, dict)
    _require(body.get("protocol") == PROTOCOL, f"protocol {body.get('protocol')!r}")
    return body


def read_page(body: object, after: int) -> Page:
    b = _envelope(body)
    cursor, has_more, changes = b.get("cursor"), b.get("has_more"), b.get("changes")
    _require(is_int64(cursor), "cursor")
    assert isinstance(cursor, int)
    _require(cursor >= after, "cursor went back")
    _require(isinstance(has_more, bool), "has_more")
    # "more to come" from where we already are would have the kiosk ask for the same page forever
    _require(not has_more or cursor > after, "has_more without the cursor moving")
    _require(isinstance(changes, list), "changes")
    assert isinstance(changes, list) and isinstance(cursor, int) and isinstance(has_more, bool)
    for c in changes:
        _require(
            isinstance(c, dict)
            and isinstance(c.get("kind"), str)
            and c.get("op") in ("upsert", "delete")
            and "key" in c
            and (c.get("op") == "delete" or isinstance(c.get("data"), dict)),
            "change",
        )
    return Page(cursor, has_more, changes)


def read_push(body: object, sent: int) -> PushReceipt:
    b = _envelope(body)
    stored, dup, skew = b.get("stored"), b.get("duplicates"), b.get("clock_skew_seconds")
    refused = b.get("refused", [])
    _require(
        isinstance(refused, list)
        and all(isinstance(r, dict) and isinstance(r.get("event_id"), str) for r in refused),
        "refused",
    )
    assert isinstance(refused, list)
    _require(
        is_int64(stored) and is_int64(dup) and stored + dup + len(refused) == sent,  # type: ignore[operator]
        "stored + duplicates + refused must equal the events sent",
    )
    _require(isinstance(skew, int | float), "clock_skew_seconds")
    ids = tuple(str(r["event_id"]) for r in refused)
    return PushReceipt(int(stored), int(dup), float(skew), ids)  # type: ignore[arg-type]


def read_pairing(body: object) -> tuple[str, str]:
    b = _envelope(body)
    kiosk_id, credential = b.get("kiosk_id"), b.get("credential")
    _require(
        isinstance(kiosk_id, str) and isinstance(credential, str) and len(credential) >= 32,
        "pairing answer",
    )
    return str(kiosk_id), str(credential)
