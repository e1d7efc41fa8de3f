"""The fifth window trial: a camera code with no text in it waits behind a held verdict as any
camera read does; the market manager's typed exit is held as a typed entry is; a read recorded
without being shown counts on its screen at once."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from tests.ui.conftest import sample
from tests.ui.held import card, on_a_clock, scans, type_in


def _events(demo_dir, event: str) -> list[dict]:
    lines = (demo_dir / "logs" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    return [record for line in lines if (record := json.loads(line))["event"] == event]


def _typed_deny(qtbot, medic) -> None:
    type_in(qtbot, medic.id_entry, "048078007890")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)


# --- point 1: a camera code with no text waits its turn like any camera read ---------------


def test_an_unreadable_camera_code_waits_behind_a_typed_verdict(qtbot, make_window, demo_dir):
    """The trial: a scrap of a code in the camera's view replaced the typed look-up the medic
    was reading, at once."""
    window = make_window(camera="none-such-camera.avi")
    medic, clock = on_a_clock(window, "medic")
    _typed_deny(qtbot, medic)
    shown = medic.verdict.shown_count
    window.devices.refused.emit("not_utf8", "camera")
    clock.t += 4.0
    window._release_scans()
    qtbot.wait(100)
    assert medic.verdict.shown_verdict == "deny" and medic.verdict.shown_count == shown
    assert medic.waiting_label.isVisible() and medic.show_waiting_button.isVisible()
    qtbot.mouseClick(medic.show_waiting_button, Qt.MouseButton.LeftButton)  # done reading
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "error", timeout=10_000)
    assert medic.verdict.reason.text() == (
        "Không phải mã của chốt kiểm soát: mã chứa dữ liệu nhị phân, không phải văn bản."
    )
    assert not medic.waiting_label.isVisible()
    assert [(e["screen"], e["code"]) for e in _events(demo_dir, "refused")] == [
        ("medic", "not_utf8")
    ]
    # a reader's unreadable code is the operator moving on, as its readable ones are: at once
    _typed_deny(qtbot, medic)
    window.devices.refused.emit("not_utf8", "serial")
    assert medic.verdict.shown_verdict == "error" and not window.waiting_scans


def test_an_unreadable_code_waiting_at_sign_out_is_logged_as_it_is_when_shown(
    qtbot, make_window, demo_dir
):
    window = make_window(camera="none-such-camera.avi")
    medic, _clock = on_a_clock(window, "medic")
    _typed_deny(qtbot, medic)
    window.devices.refused.emit("not_utf8", "camera")
    window.devices.refused.emit("not_utf8", "camera")  # another scrap: another read
    assert medic.verdict.shown_verdict == "deny" and len(window.waiting_scans) == 2
    window.close_session()
    assert [(e["screen"], e["code"]) for e in _events(demo_dir, "refused")] == [
        ("medic", "not_utf8"),
        ("medic", "not_utf8"),
    ]
    assert window.status.text() == "2 mã camera đang chờ đã được ghi nhận nhưng không hiển thị."
    assert [s.source for s in scans(demo_dir)] == ["typed"]  # no text: no scan, as ever


# --- point 2: the market manager's typed exit is held as a typed entry is ------------------


def test_a_typed_exit_stays_while_the_camera_reads_on(qtbot, make_window, demo_dir):
    window = make_window(
        operator="market-demo", camera="none-such-camera.avi", typed_verdict_hold_seconds=6.0
    )
    market, clock = on_a_clock(window, "market")
    qtbot.mouseClick(market.mode_button, Qt.MouseButton.LeftButton)
    assert market.exit_mode
    type_in(qtbot, market.card_entry, "5001")
    qtbot.waitUntil(lambda: market.verdict.shown_verdict != "idle", timeout=10_000)
    typed_exit, shown = market.verdict.person.text(), market.verdict.shown_count
    assert "5001" in typed_exit and market.card_entry.text() == ""
    window.devices.scanned.emit(card(demo_dir, "card-5002"), "camera")
    clock.t += 5.9  # the trial: the camera's card took its place after the usual 2 s
    window._release_scans()
    qtbot.wait(100)
    assert market.verdict.shown_count == shown and market.verdict.person.text() == typed_exit
    assert market.waiting_label.isVisible()
    assert market.waiting_label.text() == "Camera đã đọc một mã mới, đang chờ xong người này."
    clock.t += 0.2  # the typed hold is over
    window._release_scans()
    qtbot.waitUntil(lambda: market.verdict.shown_count == shown + 1, timeout=10_000)
    assert "5002" in market.verdict.person.text() and not market.waiting_label.isVisible()


def test_a_typed_exit_gives_way_at_show_now(qtbot, make_window, demo_dir):
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market, clock = on_a_clock(window, "market")
    qtbot.mouseClick(market.mode_button, Qt.MouseButton.LeftButton)
    type_in(qtbot, market.card_entry, "5001")
    qtbot.waitUntil(lambda: market.verdict.shown_verdict != "idle", timeout=10_000)
    shown = market.verdict.shown_count
    clock.t += 3.0  # past a camera verdict's hold, not a typed one's
    window.devices.scanned.emit(card(demo_dir, "card-5002"), "camera")
    qtbot.wait(100)
    assert market.verdict.shown_count == shown
    qtbot.mouseClick(market.show_waiting_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: market.verdict.shown_count == shown + 1, timeout=10_000)
    assert "5002" in market.verdict.person.text() and market.card_entry.hasFocus()


# --- point 3: a read recorded unseen counts on its screen at once --------------------------


def test_a_read_recorded_at_a_tab_change_counts_on_its_screen_at_once(qtbot, make_window, demo_dir):
    window = make_window(operator="supervisor-demo", camera="none-such-camera.avi")
    medic, _clock = on_a_clock(window, "medic")
    _typed_deny(qtbot, medic)
    assert medic.counter.text() == "Lượt quét hôm nay: 1"
    window.devices.scanned.emit(sample(demo_dir, "token-approved.png")["payload"], "camera")
    assert window.waiting_scans
    window.screen("police")
    qtbot.waitUntil(lambda: len(scans(demo_dir)) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: medic.counter.text() == "Lượt quét hôm nay: 2", timeout=10_000)
    window.screen("medic")  # back: the count says two, the verdict is still the typed one
    assert medic.counter.text() == "Lượt quét hôm nay: 2" and medic.verdict.shown_verdict == "deny"


def test_an_entry_recorded_at_the_mode_change_counts_at_once(qtbot, make_window, demo_dir):
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market, _clock = on_a_clock(window, "market")
    type_in(qtbot, market.card_entry, "5002")  # not its day: held, as typed
    qtbot.waitUntil(lambda: market.verdict.shown_result is not None, timeout=10_000)
    before = market.count
    window.devices.scanned.emit(card(demo_dir, "card-5001"), "camera")  # let in: an entry
    assert market.waiting_label.isVisible()
    qtbot.mouseClick(market.mode_button, Qt.MouseButton.LeftButton)  # to exit mode
    qtbot.waitUntil(lambda: len(scans(demo_dir)) == 2, timeout=10_000)
    assert scans(demo_dir)[-1].verdict == "allow"
    entered, inside = before.entered + 1, before.inside + 1
    qtbot.waitUntil(lambda: market.count.entered == entered, timeout=10_000)
    assert market.counter.text() == (f"Cả chợ hôm nay: {entered} lượt vào · {inside} còn trong chợ")


def test_an_unreadable_code_shown_on_the_market_screen_is_logged_as_the_medics_is(
    qtbot, make_window, demo_dir
):
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market, _clock = on_a_clock(window, "market")
    window.devices.refused.emit("not_utf8", "camera")
    qtbot.waitUntil(lambda: market.verdict.shown_verdict == "error", timeout=10_000)
    assert [(e["screen"], e["code"]) for e in _events(demo_dir, "refused")] == [
        ("market", "not_utf8")
    ]


def test_the_show_now_button_is_as_big_as_the_screens_other_buttons(make_window):
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market = window.screen("market")
    size = market.show_waiting_button.font().pointSizeF()
    assert size == market.card_button.font().pointSizeF() > window.font().pointSizeF()
