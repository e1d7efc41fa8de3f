"""Pairing tries from many addresses: the overall cap a guesser with a botnet meets (the
per-address limit is tested against a real server in tests/sync/test_hostile_requests.py)."""

from kiosk_server.pairing_guard import PairingGuard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_from_many_addresses_pause_pairing_for_a_minute():
    clock = Clock()
    guard = PairingGuard(per_address=10, failures=60, window=60.0, clock=clock)
    for i in range(60):  # one wrong code from each of 60 addresses
        address = f"198.51.100.{i}"
        assert guard.admit(address) == 0
        guard.failed(address)
    assert guard.admit("203.0.113.9") > 0  # a new address too: pairing is paused
    clock.now += 61
    assert guard.admit("203.0.113.9") == 0  # a minute later it goes on


def test_one_address_gets_its_tries_back_as_the_minute_passes():
    clock = Clock()
    guard = PairingGuard(per_address=10, failures=60, window=60.0, clock=clock)
    for _ in range(10):
        assert guard.admit("192.0.2.1") == 0
    wait = guard.admit("192.0.2.1")
    assert 0 < wait <= 60
    assert guard.admit("192.0.2.2") == 0  # another address is not held back
    clock.now += wait
    assert guard.admit("192.0.2.1") == 0
