"""How many failed sign-ins one client address may make: PER_ADDRESS in a WINDOW.

The lock-out of a name stops guessing one account's password, not trying one password at many
names (spraying): that tripped no lock at all, 40 names a second for as long as one liked. Here
every sign-in of an address that opened no session (a wrong password, a locked name, a demo
password from afar) counts; at PER_ADDRESS in a window the address is refused (429) until that
window ends, the right password too. The window starts at the address's first failure, so a
refused address knows when to come back (Retry-After), and an office of thirty behind one
address gets PER_ADDRESS typos together in ten minutes before anyone there waits.

An IPv6 client counts by its /64, what one subscriber or machine is given: counted by whole
address, anyone with a /64 had 2⁶⁴ fresh addresses.

The counts live in the process's memory (a restart forgets them, as it forgets the pairing
limits; with --workers N each worker counts on its own). At most MOST addresses are held: when
full, windows that ended go first, then the oldest window. Windows are as long and an address's
entry is made again when a new window starts, so they sit in the order they end and the ended
ones are found at the front, never by a scan of all. A flood of addresses therefore costs
neither memory nor time, and does not lock staff out: at worst it makes an address's count be
forgotten, which an attacker with MOST addresses did not need anyway.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable

PER_ADDRESS = 20  # failed sign-ins from one address in a window
WINDOW = 600.0  # seconds
MOST = 20_000  # addresses held at once: a few MB


def client_key(host: str) -> str:
    """The address sign-ins are counted and trusted by: an IPv4 address as it is, an IPv6
    address by its /64 (an IPv4 one inside IPv6, `::ffff:a.b.c.d`, as the IPv4 one)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]  # not an address (a test client's name): counted as it is
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class AddressGuard:
    def __init__(
        self,
        per_address: int = PER_ADDRESS,
        window: float = WINDOW,
        most: int = MOST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_address, self.window, self.most, self.clock = per_address, window, most, clock
        # address -> [window start, failures, refusal recorded]; the soonest-ending first
        self._seen: dict[str, list] = {}
        self._lock = threading.Lock()  # sign-ins are answered on the loop and in threads

    def refused(self, address: str) -> tuple[float, bool]:
        """(seconds until `address` may try again, 0 when it may now; whether this is the
        first refusal of its window, the one the audit trail records)."""
        now = self.clock()
        with self._lock:
            entry = self._seen.get(address)
            if entry is None or entry[1] < self.per_address or entry[0] + self.window <= now:
                return 0.0, False
            first, entry[2] = not entry[2], True
            return entry[0] + self.window - now, first

    def failed(self, address: str) -> None:
        now = self.clock()
        with self._lock:
            entry = self._seen.get(address)
            if entry is not None and entry[0] + self.window > now:
                entry[1] += 1
                return
            self._seen.pop(address, None)  # its window ended: a new one, at the back
            while self._seen and next(iter(self._seen.values()))[0] + self.window <= now:
                del self._seen[next(iter(self._seen))]
            if len(self._seen) >= self.most:
                del self._seen[next(iter(self._seen))]
            self._seen[address] = [now, 1, False]
