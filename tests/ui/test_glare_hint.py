"""A reflection that stays on a phone's code gets the person told to tilt the phone, over the live
picture, in the operator's language; a passing glint does not, and a read code ends the hint."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from scanner.decoders import Code
from scanner.frames import LatestFrame
from tests.scanner.conftest import in_frame, qr_image
from tests.scanner.test_symbol_repair import CCCD, _reflected
from tests.ui.conftest import sign_in
from tests.ui.test_preview import _preview
from ui import texts
from ui.preview import GLARE_CLEAR_SECONDS, GLARE_SHOW_SECONDS, PreviewWidget
from ui.workers import DecodeWorker

CODE = Code(CCCD, "QRCode", ((10, 10), (90, 10), (90, 90), (10, 90)))
VI = "Mã QR bị lóa sáng: nghiêng điện thoại một chút"
FRAME = 0.04  # 25 fps


def test_glare_that_stays_half_a_second_shows_the_tilt_hint_until_a_code_is_read(qtbot):
    preview, clock = _preview(qtbot)
    preview.set_trouble("glare")
    clock.t += 0.3
    assert preview.glare_hint == ""  # not yet: it may be a glint
    clock.t += 0.25
    assert preview.glare_hint == VI
    preview.set_codes([CODE])  # the person tilted the phone
    assert preview.glare_hint == ""
    preview.set_trouble("")
    clock.t += 0.6
    assert preview.glare_hint == ""


def test_a_glint_on_one_frame_shows_nothing(qtbot):
    preview, clock = _preview(qtbot)
    preview.set_trouble("glare")
    clock.t += FRAME
    preview.set_trouble("")
    clock.t += 2.0
    assert preview.glare_hint == ""


def test_the_hint_stays_through_a_missed_frame_and_leaves_a_second_after_the_glare(qtbot):
    preview, clock = _preview(qtbot)
    preview.set_trouble("glare")
    clock.t += 0.6
    assert preview.glare_hint == VI
    preview.set_trouble("")  # one frame where the code was not even found
    clock.t += FRAME
    assert preview.glare_hint == VI
    preview.set_trouble("glare")
    clock.t += FRAME
    preview.set_trouble("")  # the phone taken away
    clock.t += GLARE_CLEAR_SECONDS * 0.8
    assert preview.glare_hint == VI
    clock.t += GLARE_CLEAR_SECONDS * 0.3
    assert preview.glare_hint == ""


def test_a_preview_made_during_a_reflection_counts_it_from_when_it_began(qtbot):
    preview, clock = _preview(qtbot)
    preview.set_trouble("glare", age=GLARE_SHOW_SECONDS)  # held up before the preview existed
    assert preview.glare_hint == VI
    newer, clock = _preview(qtbot)
    newer.set_trouble("glare", age=0.2)
    assert newer.glare_hint == ""  # still maybe a glint
    clock.t += 0.35
    assert newer.glare_hint == VI


AMBER = QColor("#ffd54f")


def _amber_pixels(preview: PreviewWidget) -> int:
    painted = preview.grab().toImage()
    return sum(
        painted.pixelColor(x, y) == AMBER
        for x in range(0, preview.width(), 2)
        for y in range(0, preview.height(), 2)
    )


def test_the_hint_is_painted_over_the_picture(qtbot):
    preview, clock = _preview(qtbot)
    preview.resize(640, 360)
    preview.set_trouble("glare")
    assert _amber_pixels(preview) == 0
    clock.t += 0.6
    assert _amber_pixels(preview) > 50


def _rows(image: QImage, where: Callable[[int, int], bool]) -> list[int]:
    return [y for y in range(image.height()) if any(where(x, y) for x in range(image.width()))]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("size", [(640, 360), (640, 480), (792, 656)])
def test_the_hint_is_one_line_along_the_bottom_and_leaves_the_middle_clear(qtbot, size, lang):
    """640 x 360: a 16:9 camera filling the preview, where the hint cannot help covering some
    of it; 792 x 656: the medic's preview on a 1366 x 768 screen."""
    preview, clock = _preview(qtbot)
    preview.resize(*size)
    preview.set_glare_text(texts.tr(texts.GLARE_HINT, lang))
    preview.frames.put(in_frame(qr_image(CCCD, 6), 400, 100))
    preview.show()
    middle = (size[0] // 2, size[1] // 2)
    qtbot.waitUntil(  # the camera frame painted
        lambda: preview.grab().toImage().pixelColor(*middle) != QColor("#101417"), timeout=5_000
    )
    without = preview.grab().toImage()
    preview.set_trouble("glare")
    clock.t += 0.6
    with_hint = preview.grab().toImage()
    height = size[1]
    changed = _rows(with_hint, lambda x, y: with_hint.pixel(x, y) != without.pixel(x, y))
    assert changed and min(changed) > height * 0.8  # the bottom fifth, the middle untouched
    words = _rows(with_hint, lambda x, y: with_hint.pixelColor(x, y) == AMBER)
    # one line of letters 22 px or more (marks above, descenders below): two would be 50+
    assert 20 <= max(words) - min(words) + 1 <= 45


def test_the_window_shows_the_hint_in_the_operators_language(qtbot, make_window):
    window = make_window(camera="none-such-camera.avi")
    preview = window.screen("medic").preview
    assert preview is not None
    window.devices.trouble.emit("glare")
    qtbot.waitUntil(lambda: preview.glare_hint == VI, timeout=5_000)
    window.toggle_language()
    assert preview.glare_hint == texts.tr(texts.GLARE_HINT, "en")
    assert preview.glare_hint == "The QR code is glared: tilt the phone a little"
    window.devices.codes.emit([CODE])
    assert preview.glare_hint == ""


def _medic_preview(qtbot, window) -> PreviewWidget:
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    preview = window.screen("medic").preview
    assert preview is not None
    return preview


def test_a_reflection_there_before_sign_in_gets_the_hint_on_each_new_preview(qtbot, make_window):
    """The decoder tells of glare only when it begins: a phone held up with a reflection while
    the operator signs in, and held on, still gets the hint."""
    window = make_window(operator=None, camera="none-such-camera.avi")
    assert window.devices.decoder is not None
    window.devices.decoder.trouble.emit("glare")
    sign_in(qtbot, window, "medic-demo")
    preview = _medic_preview(qtbot, window)
    qtbot.waitUntil(lambda: preview.glare_hint == VI, timeout=5_000)
    qtbot.mouseClick(window.sign_out_button, Qt.MouseButton.LeftButton)
    assert window.session is None  # the next operator takes over; the reflection stays
    sign_in(qtbot, window, "market-demo")
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    market = window.screen("market").preview
    assert market is not None and market is not preview
    qtbot.waitUntil(lambda: market.glare_hint == VI, timeout=5_000)


def test_a_reflection_gone_before_sign_in_gets_no_hint(qtbot, make_window):
    window = make_window(operator=None, camera="none-such-camera.avi")
    assert window.devices.decoder is not None
    window.devices.decoder.trouble.emit("glare")
    window.devices.decoder.trouble.emit("")
    sign_in(qtbot, window, "medic-demo")
    preview = _medic_preview(qtbot, window)
    qtbot.wait(int((GLARE_SHOW_SECONDS + 0.2) * 1000))
    assert preview.glare_hint == ""


@contextmanager
def _running(decoder: DecodeWorker, frames: LatestFrame) -> Iterator[None]:
    decoder.start()
    try:
        yield
    finally:
        decoder.requestInterruption()
        frames.close()
        assert decoder.wait(10_000)


def test_the_camera_lane_tells_of_glare_and_of_its_end(qtbot):
    frames = LatestFrame()
    decoder = DecodeWorker(frames)  # its own ScanPipeline, as in the kiosk
    got: list[str] = []
    decoder.trouble.connect(got.append)
    with _running(decoder, frames):
        frames.put(_reflected(16, first_row=10))  # a reflection too wide to repair
        qtbot.waitUntil(lambda: got == ["glare"], timeout=10_000)
        frames.put(in_frame(qr_image(CCCD, 6), 400, 100))
        qtbot.waitUntil(lambda: got == ["glare", ""], timeout=10_000)


def test_a_decode_function_of_a_test_tells_no_trouble(qtbot):
    frames = LatestFrame()
    decoder = DecodeWorker(frames, lambda frame: [])
    got: list[str] = []
    decoder.trouble.connect(got.append)
    decoded: list[int] = []
    decoder.decoded.connect(lambda seq, codes: decoded.append(seq))
    with _running(decoder, frames):
        frames.put(np.zeros((8, 8, 3), np.uint8))
        qtbot.waitUntil(lambda: decoded == [1], timeout=10_000)
        assert got == []
