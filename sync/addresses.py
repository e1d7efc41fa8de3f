"""Whether an address is this machine's own: where a kiosk may pair over plain http, where the
server may bind while something public (the demo's signing key, the demo's staff passwords) is
still in use, and where a request came from (uvicorn gives the proxied client's address when
the proxy is on this machine)."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything
