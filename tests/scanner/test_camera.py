"""Frames through OpenCV's real capture path, from a video file as the demo feed plays it."""

from pathlib import Path

import cv2
import pytest

from scanner.camera import CameraSource, CameraSpec
from scanner.demo_feed import FPS, SIZE, write_demo_feed
from scanner.pipeline import ScanPipeline
from tests.scanner.conftest import qr_image

TOKEN = "CK1:NK9PQV8S1GZ-TEST"
CCCD = "046085001234||Trần Văn Đức|12031985|Nam|Số 12 Lê Lợi, TP. Huế|01052021"


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("feed") / "feed.mp4"
    codes = [(qr_image(TOKEN, 1), "token"), (qr_image(CCCD, 1), "cccd")]
    return write_demo_feed(codes, path, seconds_each=0.5, gap_seconds=0.2)


def test_the_feed_is_a_camera_sized_video(feed):
    cap = cv2.VideoCapture(str(feed))
    try:
        assert cap.isOpened()
        assert (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT)) == SIZE
        assert cap.get(cv2.CAP_PROP_FRAME_COUNT) == 2 * (int(0.5 * FPS) + int(0.2 * FPS))
    finally:
        cap.release()


def test_both_codes_are_read_from_the_video_in_order_and_it_loops(feed):
    frames_in_file = 2 * (int(0.5 * FPS) + int(0.2 * FPS))
    source = CameraSource(CameraSpec(str(feed)))
    assert source.open()
    pipeline = ScanPipeline()
    seen = []
    try:
        for _ in range(frames_in_file + 3):  # past the end: the file starts over
            frame = source.read()
            assert frame is not None and frame.shape == (SIZE[1], SIZE[0], 3)
            texts = [c.text for c in pipeline.decode(frame)]
            if texts and (not seen or seen[-1] != texts[0]):
                seen.append(texts[0])
    finally:
        source.close()
    assert seen == [TOKEN, CCCD, TOKEN]  # the Vietnamese name came through the video intact


def test_a_missing_video_does_not_open(tmp_path):
    source = CameraSource(CameraSpec(str(tmp_path / "no-such-feed.mp4")))
    assert source.open() is False
    assert source.read() is None


def test_a_file_that_is_no_video_does_not_open(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video" * 100)
    assert CameraSource(CameraSpec(str(junk))).open() is False


def test_a_closed_source_gives_no_frames(feed):
    source = CameraSource(CameraSpec(str(feed)))
    assert source.open()
    source.close()
    assert source.read() is None


def test_a_camera_spec_tells_a_webcam_index_from_a_file():
    assert CameraSpec("0").index == 0
    assert CameraSpec("2").index == 2
    assert CameraSpec("0").name == "webcam 0"
    assert CameraSpec("/videos/demo-feed.mp4").index is None
    assert CameraSpec("/videos/demo-feed.mp4").name == "demo-feed.mp4"
    assert CameraSource(CameraSpec("/videos/demo-feed.mp4")).is_file
    assert not CameraSource(CameraSpec("1")).is_file
