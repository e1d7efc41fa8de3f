"""sync/loop.py: the background loop against a real server that goes away and comes back."""

from __future__ import annotations

from sync.backoff import Backoff
from sync.loop import SyncLoop


def test_the_loop_backs_off_while_the_server_is_down_and_recovers_by_itself(server, kiosk_store):
    loop = SyncLoop(kiosk_store, Backoff(base=1.0, cap=8.0))
    server.stop()
    waits = []
    for _ in range(4):
        status = loop.step()
        assert not status.online and status.error == "unreachable"
        waits.append(status.next_try_in)
    assert waits[-1] > waits[0]  # growing
    assert all(w <= 8.0 for w in waits)  # capped
    server.start()
    status = loop.step()
    assert status.online and status.error is None and status.last_good is not None
