import threading

import numpy as np

from scanner.frames import LatestFrame


def _frame(n: int) -> np.ndarray:
    return np.full((4, 4), n, np.uint8)


def test_the_decoder_gets_the_newest_frame_and_stale_ones_are_dropped():
    buffer = LatestFrame()
    for n in (1, 2, 3):
        buffer.put(_frame(n))
    seq, frame = buffer.wait_newer(0, timeout=1)
    assert seq == 3
    assert frame[0, 0] == 3


def test_a_frame_already_seen_is_not_handed_out_again():
    buffer = LatestFrame()
    buffer.put(_frame(1))
    seq, _ = buffer.wait_newer(0, timeout=1)
    assert buffer.wait_newer(seq, timeout=0.05) == (seq, None)  # times out: nothing new
    buffer.put(_frame(2))
    seq2, frame = buffer.wait_newer(seq, timeout=1)
    assert (seq2, frame[0, 0]) == (seq + 1, 2)


def test_a_waiting_decoder_wakes_when_a_frame_arrives():
    buffer = LatestFrame()
    got = []
    waiter = threading.Thread(target=lambda: got.append(buffer.wait_newer(0, timeout=30)))
    waiter.start()
    buffer.put(_frame(7))
    waiter.join(timeout=10)
    assert not waiter.is_alive()
    assert got[0][0] == 1 and got[0][1][0, 0] == 7


def test_close_releases_a_waiting_decoder():
    buffer = LatestFrame()
    got = []
    waiter = threading.Thread(target=lambda: got.append(buffer.wait_newer(0, timeout=30)))
    waiter.start()
    buffer.close()
    waiter.join(timeout=10)  # far less than the 30 s it would otherwise wait
    assert not waiter.is_alive()
    assert got == [(0, None)]
    assert buffer.wait_newer(0, timeout=30) == (0, None)  # and returns at once after close


def test_peek_shows_the_latest_without_waiting():
    buffer = LatestFrame()
    assert buffer.peek() == (0, None)
    buffer.put(_frame(5))
    seq, frame = buffer.peek()
    assert seq == 1 and frame[0, 0] == 5
