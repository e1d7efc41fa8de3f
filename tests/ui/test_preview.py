"""The outline on the live picture follows the code: steady while it is held, gone when it goes."""

from __future__ import annotations

from scanner.decoders import Code
from scanner.frames import LatestFrame
from tests.conftest import FakeClock
from ui.preview import MISSES_BEFORE_CLEAR, OUTLINE_SECONDS, PreviewWidget

CODE = Code("046085001234||Trần Văn Đức", "QRCode", ((10, 10), (90, 10), (90, 90), (10, 90)))


def _preview(qtbot) -> tuple[PreviewWidget, FakeClock]:
    clock = FakeClock()
    preview = PreviewWidget(LatestFrame(), clock=clock)
    qtbot.addWidget(preview)
    return preview, clock


def test_a_frame_or_two_missed_in_a_moving_hand_keeps_the_outline(qtbot):
    preview, clock = _preview(qtbot)
    preview.set_codes([CODE])
    for _ in range(MISSES_BEFORE_CLEAR - 1):
        clock.t += 0.04  # a frame at 25 fps
        preview.set_codes([])
    assert preview.outlined == [CODE]


def test_the_outline_leaves_with_the_code_not_seconds_later(qtbot):
    preview, clock = _preview(qtbot)
    preview.set_codes([CODE])
    for _ in range(MISSES_BEFORE_CLEAR):
        clock.t += 0.04
        preview.set_codes([])
    assert preview.outlined == []
    preview.set_codes([CODE])
    assert preview.outlined == [CODE]


def test_the_outline_leaves_when_the_decoder_stops_reporting(qtbot):
    preview, clock = _preview(qtbot)
    preview.set_codes([CODE])
    clock.t += OUTLINE_SECONDS * 0.9
    assert preview.outlined == [CODE]
    clock.t += OUTLINE_SECONDS * 0.2  # no frame decoded since: no outline left on an empty card
    assert preview.outlined == []
