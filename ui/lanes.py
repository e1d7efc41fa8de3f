"""The one lane that touches SQLite from the window, and its GUI-side face.

Every database job (a check, a sign-in, a draft) runs in order on one thread with its own
Store; each ends in exactly one callback on the GUI thread: a result, a refusal the operator can
fix (InputError), a problem with the machine (EnvironmentProblem), or a bug (reported, and the
lane keeps serving).
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot
from shiboken6 import isValid

from kiosk.errors import EnvironmentProblem, InputError
from kiosk.storage import Store


@dataclass(frozen=True)
class Job:
    id: int
    fn: Callable[[Store], object]


class StoreLane(QObject):
    finished = Signal(int, object)
    refused = Signal(int, str, object)  # job id, InputError code, params
    problem = Signal(int, str)  # job id, EnvironmentProblem code
    failed = Signal(int, str)  # job id, trace

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self._store: Store | None = None

    @Slot(object)
    def run(self, job: Job) -> None:
        try:
            if self._store is None:
                self._store = Store.open(self.db_path)
            result = job.fn(self._store)
        except InputError as exc:
            self.refused.emit(job.id, exc.code, exc.params)
        except EnvironmentProblem as exc:
            self.problem.emit(job.id, exc.code)
        except Exception:  # a bug: report it and keep serving
            self.failed.emit(job.id, traceback.format_exc(limit=4))
        else:
            self.finished.emit(job.id, result)

    @Slot()
    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


OnRefused = Callable[[str, dict[str, object]], None]


def _alive(callback: Callable[..., None]) -> bool:
    """False for a method of a widget already deleted: a check still in flight when the operator
    signed out ends after its screen is gone. Its scan is on disk; there is no one to show it."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or isValid(owner)


class Lane(QObject):
    submit = Signal(object)
    crashed = Signal(str)  # a job's bug, for the status line and the log

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread(self)
        self.worker = StoreLane(db_path)
        self.worker.moveToThread(self.thread)
        self.submit.connect(self.worker.run)
        self.worker.finished.connect(self._finished)
        self.worker.refused.connect(self._refused)
        self.worker.problem.connect(self._problem)
        self.worker.failed.connect(self._failed)
        self._ids = itertools.count(1)
        self._waiting: dict[int, tuple[Callable[[object], None], OnRefused | None]] = {}

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
        fn: Callable[[Store], object],
        on_result: Callable[[object], None],
        on_refused: OnRefused | None = None,
    ) -> None:
        """Runs fn(store) on the lane; exactly one of the callbacks follows on this thread.
        Problems with the machine go to on_refused too, with the problem's code."""
        job_id = next(self._ids)
        self._waiting[job_id] = (on_result, on_refused)
        self.submit.emit(Job(job_id, fn))

    def _finished(self, job_id: int, result: object) -> None:
        on_result, _ = self._waiting.pop(job_id)
        if _alive(on_result):
            on_result(result)

    def _refused(self, job_id: int, code: str, params: dict[str, object]) -> None:
        _, on_refused = self._waiting.pop(job_id)
        if on_refused is not None and _alive(on_refused):
            on_refused(code, params)

    def _problem(self, job_id: int, code: str) -> None:
        self._refused(job_id, code, {})

    def _failed(self, job_id: int, trace: str) -> None:
        self._waiting.pop(job_id, None)
        self.crashed.emit(trace)
