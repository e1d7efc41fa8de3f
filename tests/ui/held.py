"""Helpers shared by the window-trial tests of held verdicts (tests/ui/test_window_trial*.py):
the scans on disk, a screen on the test's clock, typing, the demo's cards and vehicles."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from kiosk.clock import utc_now
from kiosk.storage import Store
from kiosk.storage.history import last_scans
from tests.conftest import FakeClock
from tests.ui.conftest import manifest


def scans(demo_dir) -> list:
    """Every scan on disk, oldest first."""
    store = Store.open(demo_dir / "kiosk.db")
    try:
        return last_scans(store.engine)[::-1]
    finally:
        store.close()


def on_a_clock(window, name: str):
    """The screen, with the window's hold timing in the test's hands."""
    clock = FakeClock()
    window.clock = clock
    screen = window.screen(name)
    screen.verdict.clock = clock
    return screen, clock


def type_in(qtbot, entry, text: str) -> None:
    qtbot.keyClicks(entry, text)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


def card(demo_dir, name: str) -> str:
    """The demo market card of that name, as its QR reads."""
    return next(c["payload"] for c in manifest(demo_dir)["cards"] if c["name"] == name)


def vehicles_in(demo_dir, kind: str, entries: list[tuple[str, str, float]]) -> None:
    """Vehicles the police let in and that have not left: (event id, plate as shown, hours
    ago) each."""
    from kiosk.storage.models import VehicleEntry
    from kiosk.storage.timeutil import to_db

    store = Store.open(demo_dir / "kiosk.db")
    try:
        with store.engine.begin() as conn:
            for event_id, plate, hours in entries:
                conn.execute(
                    VehicleEntry.__table__.insert().values(
                        event_id=event_id,
                        plate_key=plate.replace("-", "").replace(".", ""),
                        plate_display=plate,
                        kind=kind,
                        registration_id=None,
                        checkpoint_id="demo",
                        operator_id="police-demo",
                        entered_at=to_db(utc_now() - timedelta(hours=hours)),
                    )
                )
    finally:
        store.close()
