"""The third window trial: a plate typed at a reader's speed while the vehicle's kind is asked
is a plate; a typed look-up's verdict stays while the camera reads on; an input error leaves no
person's buttons live; the market's two numbers say what each counts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QPushButton

from kiosk.storage import Store
from kiosk.storage.history import last_scans
from tests.conftest import FakeClock
from tests.ui.conftest import manifest, sample
from ui.app import install_wedge


def _keyboard(qtbot, text: str, clock: FakeClock | None = None, gap: float = 0.004) -> None:
    """Each key to whatever has the focus when it is pressed, as a keyboard (or a USB
    keyboard-wedge reader) does; then Enter."""
    for ch in [*text, "\r"]:
        if clock is not None:
            clock.t += gap
        key = Qt.Key.Key_Return if ch == "\r" else ch
        qtbot.keyClick(QApplication.focusWidget(), key)


@pytest.fixture
def police(make_window):
    window = make_window(operator="police-demo", camera="none-such-camera.avi")
    return window, window.screen("police")


def _asked(qtbot, screen, plate: str) -> None:
    qtbot.keyClicks(screen.plate_entry, plate)
    qtbot.keyClick(screen.plate_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.asking_plate is not None, timeout=10_000)
    assert screen.kind_buttons[0].isVisible()


@pytest.mark.parametrize(
    ("plate", "verdict"), [("29C1", "error"), ("4A", "error"), ("38C-999.99", "attention")]
)
def test_a_plate_typed_at_reader_speed_while_the_kind_is_asked_is_checked(
    qtbot, police, plate, verdict
):
    """The trial: '29C1' and Enter from a keyboard-wedge reader left '29' in the field, no
    verdict, 3 of 3 times. Every key reaches the plate field and the plate gets its verdict
    (a short plate's is an input error, its text kept to be corrected)."""
    window, screen = police
    clock = FakeClock()
    install_wedge(window, clock=clock)
    _asked(qtbot, screen, "75A-111.11")
    shown = screen.verdict.shown_count
    _keyboard(qtbot, plate, clock)
    qtbot.waitUntil(lambda: screen.verdict.shown_count > shown, timeout=10_000)
    assert screen.verdict.shown_verdict == verdict
    assert screen.asking_plate != "75A-111.11"  # not answered for the last vehicle
    if verdict == "error":
        assert screen.plate_entry.text() == plate  # every key, kept for correction
    else:
        assert screen.verdict.person.text() == plate and screen.plate_entry.text() == ""


def test_a_kind_key_alone_still_answers_with_the_reader_filter_on(qtbot, police):
    window, screen = police
    install_wedge(window)
    _asked(qtbot, screen, "75A-111.11")
    assert screen.plate_entry.hasFocus()  # the field keeps the focus while the kind is asked
    qtbot.keyClick(QApplication.focusWidget(), "4")
    qtbot.waitUntil(lambda: "dưới 7 chỗ" in screen.verdict.reason.text(), timeout=10_000)
    assert screen.asking_plate is None and screen.plate_entry.text() == ""


# --- point 2: a typed look-up's verdict stays while the demo camera reads on --------------


def _typed_id(qtbot, medic, number: str) -> None:
    qtbot.keyClicks(medic.id_entry, number)
    qtbot.keyClick(medic.id_entry, Qt.Key.Key_Return)


def _scans(demo_dir) -> list:
    store = Store.open(demo_dir / "kiosk.db")
    try:
        return last_scans(store.engine)
    finally:
        store.close()


@pytest.fixture
def medic_on_a_clock(make_window):
    """The medic's screen with the demo camera's timing in the test's hands."""
    window = make_window(camera="none-such-camera.avi")  # the holds as shipped: 2 s, typed 10 s
    clock = FakeClock()
    window.clock = clock
    medic = window.screen("medic")
    medic.verdict.clock = clock
    return window, medic, clock


def test_a_typed_verdict_stays_and_its_buttons_act_on_that_person(
    qtbot, medic_on_a_clock, demo_dir
):
    """The trial: a typed CCCD's verdict was replaced by the camera's next read within 3 s,
    and the buttons then acted on the camera's person. The typed verdict stays (10 s, or until
    the medic acts); a line says a new code waits; the read is shown and recorded after."""
    window, medic, clock = medic_on_a_clock
    _typed_id(qtbot, medic, "048078007890")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    typed = medic.verdict.shown_result.event_id
    assert not medic.waiting_label.isVisible()
    clock.t += 3.0
    window.devices.scanned.emit(sample(demo_dir, "token-approved.png")["payload"], "camera")
    clock.t += 5.0
    window._release_scans()  # 8 s on: still the typed person's
    qtbot.wait(50)
    assert medic.verdict.shown_verdict == "deny" and medic.verdict.shown_result.event_id == typed
    assert medic.waiting_label.isVisible() and medic.show_waiting_button.isVisible()
    assert medic.waiting_label.text() == "Camera đã đọc một mã mới, đang chờ xong người này."
    qtbot.mouseClick(medic.disposition_buttons["sent_for_testing"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "xét nghiệm" in medic.disposition_label.text(), timeout=10_000)
    assert medic.verdict.shown_verdict == "deny"  # what was recorded is seen a moment
    clock.t += 2.1  # acting ended the long hold: the usual short one, then the waiting read
    window._release_scans()
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
    assert not medic.waiting_label.isVisible() and medic.disposition_label.text() == ""
    camera = medic.verdict.shown_result.event_id
    assert camera != typed and medic.disposition_buttons["allowed"].isEnabled()
    scans = {s.source: s for s in _scans(demo_dir)}
    assert scans["typed"].disposition == "sent_for_testing"  # the typed person's, not the next
    assert scans["camera"].disposition is None  # recorded: nothing the camera read is dropped


def test_a_typed_verdict_gives_way_after_its_hold_or_at_show_now(qtbot, medic_on_a_clock, demo_dir):
    window, medic, clock = medic_on_a_clock
    _typed_id(qtbot, medic, "048078007890")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    window.devices.scanned.emit(sample(demo_dir, "token-approved.png")["payload"], "camera")
    clock.t += 10.1  # nobody acted: the hold ends by itself
    window._release_scans()
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "allow", timeout=10_000)
    _typed_id(qtbot, medic, "048078007890")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    window.devices.scanned.emit(sample(demo_dir, "token-pending.png")["payload"], "camera")
    qtbot.waitUntil(medic.show_waiting_button.isVisible, timeout=5_000)
    qtbot.mouseClick(medic.show_waiting_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict != "deny", timeout=10_000)
    assert not medic.waiting_label.isVisible() and medic.id_entry.hasFocus()
    assert [s.source for s in _scans(demo_dir)] == ["camera", "typed", "camera", "typed"]


# --- point 3: an input error shows no one, so no one's buttons ----------------------------


def test_an_input_error_leaves_no_persons_buttons_live(qtbot, make_window, demo_dir):
    window = make_window(camera="none-such-camera.avi")
    medic = window.screen("medic")
    _typed_id(qtbot, medic, "048078007890")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    assert all(b.isEnabled() for b in medic.disposition_buttons.values())
    _typed_id(qtbot, medic, "12")  # too short: LỖI NHẬP
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "error", timeout=10_000)
    assert medic.verdict.word.text() == "LỖI NHẬP"
    assert not any(b.isEnabled() for b in medic.disposition_buttons.values())
    medic.record_disposition("turned_back")  # a click that got through: acts on no one
    qtbot.wait(200)
    assert [s.disposition for s in _scans(demo_dir)] == [None]
    _typed_id(qtbot, medic, "048078007890")
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "deny", timeout=10_000)
    window.devices.refused.emit("not_utf8", "serial")  # a code that is no text: no one either
    qtbot.waitUntil(lambda: medic.verdict.shown_verdict == "error", timeout=10_000)
    assert not any(b.isEnabled() for b in medic.disposition_buttons.values())


# --- point 4: the market's verdict number and its counter say what each counts ------------


def test_the_markets_number_and_counter_name_what_they_count(qtbot, make_window, demo_dir):
    """The trial: the first camera verdict read '№ 1' beside '2 lượt vào' (a card used earlier
    today is the market's first entry). The number is this kiosk's scan, the counter the
    whole market's entries: each says so, in both languages."""
    window = make_window(operator="market-demo", camera="none-such-camera.avi")
    market = window.screen("market")
    card = next(c for c in manifest(demo_dir)["cards"] if c["name"] == "card-5001")
    window.devices.scanned.emit(card["payload"], "camera")
    qtbot.waitUntil(lambda: market.verdict.shown_verdict == "allow", timeout=10_000)
    qtbot.waitUntil(lambda: "2 lượt vào" in market.counter.text(), timeout=10_000)
    assert market.verdict.when.text().endswith("camera · lượt quét tại máy này № 1")
    assert market.counter.text() == "Cả chợ hôm nay: 2 lượt vào · 2 còn trong chợ"
    window.toggle_language()
    assert market.verdict.when.text().endswith("camera · scan at this kiosk № 1")
    assert market.counter.text() == "Whole market today: 2 entries · 2 inside"


# --- point 5: Qt's own dialogs speak the operator's language -------------------------------


def test_qts_own_buttons_and_print_dialog_are_in_the_operators_language(qtbot, make_window):
    """PySide6 ships no Vietnamese for Qt (no qtbase_vi.qm): the print dialog and standard
    buttons showed English on a Vietnamese screen."""
    window = make_window(operator="assistant-demo", camera="none-such-camera.avi")
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(buttons)
    assert [b.text() for b in buttons.buttons()] == ["Đồng ý", "Huỷ"]
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    assert "&Dán\tCtrl+V" in [a.text() for a in menu.actions()]  # a field's right-click menu
    menu.deleteLater()
    printer = QPrinter()
    dialog = QPrintDialog(printer, window)
    shown = {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"&In", "Huỷ"} <= shown, shown
    assert dialog.windowTitle() == "In"
    dialog.deleteLater()
    window.toggle_language()
    again = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(again)
    assert again.buttons()[0].text() == "Cancel"
