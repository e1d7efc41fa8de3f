"""The database lane (ui/lanes.py) on a real thread and a real SQLite file: every job ends in
exactly one callback on the GUI thread, a failing one included."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QLabel
from shiboken6 import isValid

from kiosk import messages
from kiosk.errors import EnvironmentProblem, InputError
from kiosk.storage import Store
from ui.lanes import JOB_FAILED, DatabaseLane


@pytest.fixture
def lane(qtbot, tmp_path: Path) -> Iterator[DatabaseLane]:
    Store.open(tmp_path / "kiosk.db").close()
    lane = DatabaseLane(tmp_path / "kiosk.db")
    lane.start()
    yield lane
    lane.stop()


class Outcomes:
    """The callbacks a screen gives, with the thread each ran on."""

    def __init__(self) -> None:
        self.results: list[object] = []
        self.errors: list[tuple[str, dict[str, object]]] = []
        self.threads: list[QThread] = []

    def result(self, value: object) -> None:
        self.threads.append(QThread.currentThread())
        self.results.append(value)

    def error(self, code: str, params: dict[str, object]) -> None:
        self.threads.append(QThread.currentThread())
        self.errors.append((code, params))

    @property
    def count(self) -> int:
        return len(self.results) + len(self.errors)


def test_a_jobs_result_reaches_its_callback_on_the_gui_thread(qtbot, lane):
    seen = Outcomes()
    ran_on: list[QThread] = []

    def job(store: Store) -> int:
        ran_on.append(QThread.currentThread())
        return store.scans_since(datetime(2020, 1, 1, tzinfo=UTC))

    lane.run(job, seen.result, seen.error)
    qtbot.waitUntil(lambda: seen.count == 1, timeout=10_000)
    assert seen.results == [0] and seen.errors == []
    assert ran_on == [lane.thread]  # the database work ran on the lane's thread
    assert seen.threads == [QApplication.instance().thread()]  # the answer on the GUI's


def test_jobs_run_in_the_order_they_were_handed_over(qtbot, lane):
    seen = Outcomes()
    for n in range(20):
        lane.run(lambda _store, n=n: n, seen.result, seen.error)
    qtbot.waitUntil(lambda: seen.count == 20, timeout=10_000)
    assert seen.results == list(range(20))


def test_a_failing_job_reaches_on_error_with_a_reason_and_the_lane_keeps_serving(qtbot, lane):
    seen = Outcomes()
    traces: list[str] = []
    lane.crashed.connect(traces.append)

    def bug(_store: Store) -> int:
        return {}["missing"]

    lane.run(bug, seen.result, seen.error)
    lane.run(lambda _store: "next", seen.result, seen.error)
    qtbot.waitUntil(lambda: seen.count == 2, timeout=10_000)
    assert seen.errors == [(JOB_FAILED, {"reason": "KeyError: 'missing'"})]
    assert seen.results == ["next"]
    assert "KeyError" in traces[0] and "bug" in traces[0]  # the whole story for the log
    shown = messages.error_text(JOB_FAILED, "vi", **seen.errors[0][1])
    assert "Lỗi phần mềm" in shown and "KeyError" in shown  # what the screen says


def test_a_refusal_and_a_problem_with_the_machine_reach_on_error_with_their_codes(qtbot, lane):
    seen = Outcomes()
    traces: list[str] = []
    lane.crashed.connect(traces.append)

    def refused(_store: Store) -> None:
        raise InputError("id_length", length=7)

    def disk_full(_store: Store) -> None:
        raise EnvironmentProblem("disk_full")

    lane.run(refused, seen.result, seen.error)
    lane.run(disk_full, seen.result, seen.error)
    qtbot.waitUntil(lambda: seen.count == 2, timeout=10_000)
    assert seen.errors == [("id_length", {"length": 7}), ("disk_full", {})]
    assert traces == []  # neither is a bug


def test_a_job_that_would_read_a_widget_on_the_database_thread_is_refused(qtbot, lane):
    label = QLabel("75C-123.45")
    qtbot.addWidget(label)
    seen = Outcomes()
    with pytest.raises(TypeError, match="QLabel"):
        lane.run(lambda _store: label.text(), seen.result, seen.error)
    read = label.text
    with pytest.raises(TypeError, match="QLabel"):
        lane.run(lambda _store: read(), seen.result, seen.error)

    def helper() -> str:
        return label.text()

    with pytest.raises(TypeError, match="QLabel"):  # nor through a helper the job calls
        lane.run(lambda _store: helper(), seen.result, seen.error)
    text = label.text()  # copied here, on the GUI thread: fine
    lane.run(lambda _store: text, seen.result, seen.error)
    qtbot.waitUntil(lambda: seen.count == 1, timeout=10_000)
    assert seen.results == ["75C-123.45"] and lane.pending == 0


class Screen(QLabel):
    """A screen whose answer arrives after it was closed and deleted."""

    def __init__(self) -> None:
        super().__init__()
        self.called = False

    def done(self, _value: object) -> None:
        self.called = True


def test_an_answer_for_a_screen_already_deleted_is_dropped_quietly(qtbot, lane):
    screen = Screen()
    release = threading.Event()
    lane.run(lambda _store: release.wait(10), screen.done, lambda *_: None)
    screen.deleteLater()
    qtbot.waitUntil(lambda: not isValid(screen), timeout=10_000)
    release.set()
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)  # no error: nobody to tell


def test_stop_closes_the_store_and_ends_the_thread(qtbot, tmp_path):
    Store.open(tmp_path / "kiosk.db").close()
    lane = DatabaseLane(tmp_path / "kiosk.db")
    lane.start()
    seen = Outcomes()
    lane.run(lambda store: store.scan_event_ids(), seen.result, seen.error)
    qtbot.waitUntil(lambda: seen.count == 1, timeout=10_000)
    lane.stop()
    assert not lane.thread.isRunning()
    lane.stop()  # twice is harmless (close, then quit)


def test_an_answer_for_a_closure_over_a_deleted_screen_is_dropped_quietly(qtbot, lane):
    """A screen's callback written as a nested function (the counter's refresh), not a method:
    answered after sign-out deleted the screen, it must not touch the deleted label."""
    label = QLabel()
    release = threading.Event()

    def show(count: object) -> None:
        label.setText(str(count))

    lane.run(lambda _store: release.wait(10), show, lambda *_: None)
    label.deleteLater()
    qtbot.waitUntil(lambda: not isValid(label), timeout=10_000)
    release.set()
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)  # no error: nobody to tell


def test_a_job_that_may_write_is_announced_after_its_callback_and_a_read_is_not(qtbot, lane):
    # the window counts what waits to be sent at each announcement: its own count, a read,
    # must not announce itself, or it would count forever
    order: list[str] = []
    lane.wrote.connect(lambda: order.append("wrote"))
    lane.run(lambda _store: 1, lambda _r: order.append("write done"), lambda *_a: None)
    lane.run(lambda _store: 1 / 0, lambda _r: None, lambda *_a: order.append("refused"))
    lane.run(
        lambda _store: 2, lambda _r: order.append("read done"), lambda *_a: None, may_write=False
    )
    qtbot.waitUntil(lambda: "read done" in order, timeout=10_000)
    assert order == ["write done", "wrote", "refused", "wrote", "read done"]
