"""Pairing from the window (the setup wizard, the supervisor's Pair button): `kiosk pair`'s own
sync.engine.pair, with what a person at the screen means by it.

- A kiosk already paired is paired anew: the supervisor fetched a new code on purpose (on the
  command line that takes `--again`, so a typo cannot unpair a kiosk).
- Pairing again with the server this kiosk is paired with keeps that server's pinned TLS key: a
  different key is refused before the code is sent (`server_pin_mismatch`). A server whose key
  really changed is paired from the command line, `kiosk pair URL CODE --again`, on purpose.
- Plain http:// only to this machine (no `--insecure` from the window).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kiosk.first_run import pairing_code, server_url
from kiosk.storage import Store
from sync import engine
from sync.protocol import SyncError


def pair_from_window(
    store: Store, url_text: str, code_text: str, checkpoint_id: str, verify: bool | str = True
) -> str:
    """The new kiosk id; raises SyncError with the code the window words (kiosk.first_run)."""
    url, code = server_url(url_text), pairing_code(code_text)
    if not code:
        raise SyncError("pairing_code_empty")
    current = store.replica.state("server_url") or ""
    pinned = store.replica.state("server_pin") or None
    same_server = bool(current) and _origin(current) == _origin(url)
    return engine.pair(
        store,
        url,
        code,
        engine.kiosk_name(checkpoint_id),
        verify=verify,
        again=bool(store.replica.state("credential")),
        pinned=pinned if same_server else None,
    )


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # not a port: engine.pair words what is wrong with the address
        return parts.scheme, url
    return parts.scheme, f"{(parts.hostname or '').lower()}:{port}"
