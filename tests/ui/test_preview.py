"""The outline on the live picture follows the code: steady while it is held, gone when it goes."""

from __future__ import annotations

from scanner.decoders import Code
from scanner.frames import LatestFrame
from ui.preview import MISSES_BEFORE_CLEAR, PreviewWidget

CODE = Code("046085001234||Trần Văn Đức", "QRCode", ((10, 10), (90, 10), (90, 90), (10, 90)))


def test_a_frame_or_two_missed_in_a_moving_hand_keeps_the_outline(qtbot):
    preview = PreviewWidget(LatestFrame())
    qtbot.addWidget(preview)
    preview.set_codes([CODE])
    for _ in range(MISSES_BEFORE_CLEAR - 1):
        preview.set_codes([])
    assert preview.outlined == [CODE]


def test_the_outline_leaves_with_the_code_not_seconds_later(qtbot):
    preview = PreviewWidget(LatestFrame())
    qtbot.addWidget(preview)
    preview.set_codes([CODE])
    for _ in range(MISSES_BEFORE_CLEAR):
        preview.set_codes([])
    assert preview.outlined == []
    preview.set_codes([CODE])
    assert preview.outlined == [CODE]
