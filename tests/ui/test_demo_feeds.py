"""The demo camera plays the codes of the screen in front, through the real OpenCV capture path:
identity codes for the medic, market-day cards at the market gate, nothing elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app.demo import seed
from kiosk.messages import verdict_word
from kiosk.storage import Store
from kiosk.storage.history import ScanLine, last_scans

MEDIC_REASONS = {"approved", "pending", "epidemic_zone", "not_found"}
CARD_REASONS = {"card_valid", "card_wrong_day", "card_wrong_market", "card_already_today"}


@pytest.fixture
def seeded_feeds(demo_dir: Path, monkeypatch) -> Path:
    store = Store.open(demo_dir / "kiosk.db")
    try:
        seed(store, demo_dir, write_feed=True)
    finally:
        store.close()
    monkeypatch.setattr("ui.app.webcam_available", lambda _index=0: False)  # no webcam here
    return demo_dir


def _scans(demo_dir: Path) -> list[ScanLine]:
    store = Store.open(demo_dir / "kiosk.db", verify=False)
    try:
        return [s for s in last_scans(store.engine, 100) if s.source == "camera"]
    finally:
        store.close()


def test_each_screen_sees_its_own_codes_and_switching_screens_switches_the_feed(
    qtbot, make_window, seeded_feeds
):
    window = make_window(operator="supervisor-demo")  # every screen, the medic's in front
    assert window.devices.camera_is_demo
    medic = window.screen("medic")
    qtbot.waitUntil(lambda: medic.verdict.shown_result is not None, timeout=20_000)
    assert medic.verdict.shown_result.reason in MEDIC_REASONS
    assert window.devices.demo_feed.name == "demo-feed.mp4"

    market = window.screen("market")
    qtbot.waitUntil(lambda: market.verdict.shown_result is not None, timeout=20_000)
    assert market.verdict.shown_result.reason == "card_valid"
    assert market.verdict.word.text() == verdict_word("allow", "vi")
    assert window.devices.demo_feed.name == "demo-feed-market.mp4"

    window.screen("police")  # no codes to play: an empty desk
    assert window.devices.demo_feed.name == "demo-feed-idle.mp4"
    scans = _scans(seeded_feeds)
    assert {s.reason for s in scans if s.screen == "medic"} <= MEDIC_REASONS
    assert {s.reason for s in scans if s.screen == "market"} <= CARD_REASONS
    assert {s.screen for s in scans} == {"medic", "market"}


def test_the_market_gate_sees_a_valid_card_then_another_days(qtbot, make_window, seeded_feeds):
    window = make_window(operator="market-demo")
    market = window.screen("market")
    reasons: list[str] = []

    def seen() -> bool:
        result = market.verdict.shown_result
        if result is not None and (not reasons or reasons[-1] != result.reason):
            reasons.append(result.reason)
        return len(reasons) >= 2

    qtbot.waitUntil(seen, timeout=30_000)
    # one code in view for 3 s is one verdict, and the next card comes after it
    assert reasons[:2] == ["card_valid", "card_wrong_day"]
    assert [s.reason for s in reversed(_scans(seeded_feeds))][:2] == reasons[:2]
