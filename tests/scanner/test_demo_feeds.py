"""The demo camera's feeds, as `kiosk demo` writes them and the capture path plays them: each
screen's codes in order, each in view about 3 s, and a switch to another feed at the next read."""

from __future__ import annotations

import json

import cv2
import pytest

from kiosk.app.demo import MARKET_FEED, MEDIC_FEED, seed
from kiosk.storage import Store
from scanner.camera import CameraSource, CameraSpec
from scanner.demo_feed import FPS, IDLE_FEED, SCREEN_FEEDS, feed_for
from scanner.pipeline import ScanPipeline


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo")
    store = Store.open(data / "kiosk.db")
    try:
        manifest = seed(store, data, write_feed=True)
    finally:
        store.close()
    return data / "demo", json.loads(manifest.read_text(encoding="utf-8"))


def _runs(path, every: int = 3) -> list[tuple[str, int]]:
    """The codes read from every `every`-th frame of one pass, as (text, frames in view)."""
    counter = cv2.VideoCapture(str(path))
    total = int(counter.get(cv2.CAP_PROP_FRAME_COUNT))  # one pass, not the loop
    counter.release()
    source = CameraSource(CameraSpec(str(path)), paced=False)
    assert source.open()
    pipeline, runs = ScanPipeline(), []
    try:
        for i in range(total):
            frame = source.read()
            if i % every:
                continue
            texts = [c.text for c in pipeline.decode(frame)]
            text = texts[0] if texts else ""
            if runs and runs[-1][0] == text:
                runs[-1] = (text, runs[-1][1] + every)
            else:
                runs.append((text, every))
    finally:
        source.close()
    return [(t, n) for t, n in runs if t]


def test_each_screen_feed_plays_its_codes_in_order_for_about_three_seconds(demo):
    folder, manifest = demo
    assert manifest["demo_feeds"] == {**SCREEN_FEEDS, "idle": IDLE_FEED}
    payloads = {s["file"].removesuffix(".png"): s["payload"] for s in manifest["samples"]}
    payloads |= {c["name"]: c["payload"] for c in manifest["cards"]}
    for screen, stems in (("medic", MEDIC_FEED), ("market", MARKET_FEED)):
        runs = _runs(folder / SCREEN_FEEDS[screen])
        assert [t for t, _ in runs] == [payloads[s] for s in stems], screen
        for _text, frames in runs:
            assert 2.4 * FPS <= frames <= 3.4 * FPS  # ~3 s in view, then the desk again
    assert _runs(folder / IDLE_FEED) == []  # an empty desk


def test_a_switched_source_plays_the_new_feed_from_its_next_read(demo):
    folder, manifest = demo
    card = next(c["payload"] for c in manifest["cards"] if c["name"] == "card-5001")
    source = CameraSource(CameraSpec(str(feed_for(folder, "medic"))), paced=False)
    assert source.open()
    try:
        source.read()
        source.switch(CameraSpec(str(feed_for(folder, "market"))))
        pipeline, seen = ScanPipeline(), set()
        for _ in range(int(2.5 * FPS)):  # the market feed's desk, then its first card
            seen |= {c.text for c in pipeline.decode(source.read())}
        assert seen == {card}
        assert source.spec.name == "demo-feed-market.mp4"
    finally:
        source.close()
    assert feed_for(folder, "police") == folder / IDLE_FEED
    assert feed_for(folder, None) == folder / IDLE_FEED
    assert feed_for(folder / "nowhere", "market") is None
