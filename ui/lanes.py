"""The one lane that touches SQLite from the window: a database thread and its GUI-side face.

`DatabaseLane` lives on the GUI thread: screens hand it jobs. `DatabaseWorker` lives on the
lane's own thread with its own Store and runs the jobs in order. Each job ends in exactly one
callback on the GUI thread: its result, or the caller's `on_error` with a code the verdict panel
words in the operator's language: a refusal the operator can fix (InputError), a problem with
the machine (EnvironmentProblem), or a bug (`job_failed`, with a short reason; the trace goes to
the status line and the log, and the lane keeps serving).

A job runs on another thread, so it must not read a widget: it copies what it needs on the GUI
thread first (`run` refuses a job that closes over a QObject).
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot
from shiboken6 import isValid

from kiosk.errors import EnvironmentProblem, InputError
from kiosk.storage import Store

T = TypeVar("T")
OnError = Callable[[str, dict[str, object]], None]
JOB_FAILED = "job_failed"  # a bug in a job: the code on_error gets


@dataclass(frozen=True)
class Job(Generic[T]):
    id: int
    fn: Callable[[Store], T]


class DatabaseWorker(QObject):
    """Lives on the database thread: opens its Store there and runs each job in order."""

    finished = Signal(int, object)  # job id, result
    failed = Signal(int, str, object, str)  # job id, error code, params, trace ("" unless a bug)

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self._store: Store | None = None

    @Slot(object)
    def run(self, job: Job[Any]) -> None:
        try:
            if self._store is None:
                self._store = Store.open(self.db_path)
            result = job.fn(self._store)
        except InputError as exc:
            self.failed.emit(job.id, exc.code, exc.params, "")
        except EnvironmentProblem as exc:
            self.failed.emit(job.id, exc.code, {}, "")
        except Exception as exc:  # a bug: reported, and the lane keeps serving
            reason = f"{type(exc).__name__}: {exc}"[:120]
            self.failed.emit(job.id, JOB_FAILED, {"reason": reason}, traceback.format_exc(limit=4))
        else:
            self.finished.emit(job.id, result)

    @Slot()
    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _alive(callback: Callable[..., None]) -> bool:
    """False for a method of a widget already deleted, or a function closing over one: a check
    still in flight when the operator signed out ends after its screen is gone. Its scan is on
    disk; there is no one to show it."""
    owner = _widget_captured(callback, depth=0)
    return not isinstance(owner, QObject) or isValid(owner)


def _widget_captured(fn: object, depth: int = 3) -> object | None:
    """A QObject the job would read on the database thread: itself, a method's owner, or one
    held by the job's closure or by a function in it (a helper the job calls)."""
    values: list[object] = [fn, getattr(fn, "__self__", None)]
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    for value in values:
        if isinstance(value, QObject) or isinstance(getattr(value, "__self__", None), QObject):
            return value if isinstance(value, QObject) else value.__self__  # type: ignore[attr-defined]
    if depth > 0:
        for value in values[2:]:
            if callable(value) and (found := _widget_captured(value, depth - 1)) is not None:
                return found
    return None


class DatabaseLane(QObject):
    """Lives on the GUI thread: hands jobs to the database thread, and their outcome to the
    caller's callbacks, back on the GUI thread."""

    submit = Signal(object)
    crashed = Signal(str)  # a job's bug, with its trace, for the status line and the log
    # a job that may have written has ended, its callback run: what waits to be sent may have
    # changed (the window's status line counts it again)
    wrote = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread(self)
        self.worker = DatabaseWorker(db_path)
        self.worker.moveToThread(self.thread)
        self.submit.connect(self.worker.run)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self._ids = itertools.count(1)
        self._waiting: dict[int, tuple[Callable[[Any], None], OnError, bool]] = {}

    @property
    def pending(self) -> int:
        """Jobs handed over whose callback has not run yet."""
        return len(self._waiting)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.isRunning():
            QMetaObject.invokeMethod(
                self.worker, "close", Qt.ConnectionType.BlockingQueuedConnection
            )
            self.thread.quit()
            self.thread.wait()

    def run(
        self,
        fn: Callable[[Store], T],
        on_result: Callable[[T], None],
        on_error: OnError,
        *,
        may_write: bool = True,
    ) -> None:
        """Runs fn(store) on the database thread; then exactly one of on_result(result) and
        on_error(code, params) on this thread, unless the callback's widget is gone by then.
        A job that only reads may say so (may_write=False): its end is not announced (wrote)."""
        if (widget := _widget_captured(fn)) is not None:
            raise TypeError(
                f"a database job must not read {type(widget).__name__} on the database thread:"
                " copy the values it needs before handing it over"
            )
        job_id = next(self._ids)
        self._waiting[job_id] = (on_result, on_error, may_write)
        self.submit.emit(Job(job_id, fn))

    def _finished(self, job_id: int, result: object) -> None:
        on_result, _, may_write = self._waiting.pop(job_id)
        if _alive(on_result):
            on_result(result)
        if may_write:
            self.wrote.emit()

    def _failed(self, job_id: int, code: str, params: dict[str, object], trace: str) -> None:
        _, on_error, may_write = self._waiting.pop(job_id)
        if trace:
            self.crashed.emit(trace)
        if _alive(on_error):
            on_error(code, params)
        if may_write:  # a refusal may still have written its audit row
            self.wrote.emit()
