"""The device and sync lanes (ui/workers.py) as real threads: results reach the GUI thread, a
lane that dies says why and is started again, and a stopped supervisor restarts nothing."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from scanner.decoders import Code
from scanner.frames import LatestFrame
from ui.workers import DecodeWorker, DeviceWorker, SyncWorker, WorkerSupervisor

CODE = Code("046085001234", "QRCode", ((0, 0), (9, 0), (9, 9), (0, 9)))


class FlakyDevice(DeviceWorker):
    """A device whose first run fails mid-read with a bug; later runs read until stopped."""

    def __init__(self) -> None:
        super().__init__()
        self.runs = 0
        self.reads = 0
        self.closed = 0

    def open_device(self) -> bool:
        self.runs += 1
        return True

    def read_once(self) -> bool:
        if self.runs == 1:
            raise OSError("device gone mad")
        self.reads += 1
        self.msleep(1)  # a real device blocks on its read
        return True

    def close_device(self) -> None:
        self.closed += 1


def _stop(supervisor: WorkerSupervisor, worker: QThread) -> None:
    supervisor.stop()
    worker.requestInterruption()
    assert worker.wait(10_000)


def test_a_dying_device_lane_is_reported_and_restarted(qtbot):
    supervisor = WorkerSupervisor(delay_ms=20)
    device = FlakyDevice()
    supervisor.watch("camera", device)
    reports: list[tuple[str, str]] = []
    supervisor.restarted.connect(lambda name, error: reports.append((name, error)))
    try:
        with qtbot.waitSignal(supervisor.restarted, timeout=10_000):
            device.start()
        assert reports == [("camera", "OSError: device gone mad")]
        qtbot.waitUntil(lambda: device.runs == 2 and device.reads > 0, timeout=10_000)
        assert device.closed >= 1  # the dead run released its device
    finally:
        _stop(supervisor, device)


def test_a_supervisor_stopped_during_the_pause_restarts_nothing(qtbot):
    supervisor = WorkerSupervisor(delay_ms=60_000)
    device = FlakyDevice()
    supervisor.watch("serial", device)
    with qtbot.waitSignal(supervisor.restarted, timeout=10_000):
        device.start()
    assert device.wait(10_000)
    supervisor.stop()  # the window closes before the pause is over: no timer left armed
    assert device.runs == 1 and not device.isRunning()


def test_decoded_codes_reach_the_gui_thread_and_a_decoder_bug_is_reported(qtbot):
    frames = LatestFrame()
    fail = threading.Event()

    def decode(frame: np.ndarray) -> list[Code]:
        if fail.is_set():
            raise MemoryError("no memory left")
        return [CODE]

    decoder = DecodeWorker(frames, decode)
    got: list[tuple[int, list[Code], QThread]] = []
    decoder.decoded.connect(lambda seq, codes: got.append((seq, codes, QThread.currentThread())))
    decoder.start()
    try:
        frames.put(np.zeros((8, 8, 3), np.uint8))
        qtbot.waitUntil(lambda: len(got) == 1, timeout=10_000)
        assert got[0][:2] == (1, [CODE])
        assert got[0][2] is QApplication.instance().thread()
        fail.set()
        with qtbot.waitSignal(decoder.died, timeout=10_000) as died:
            frames.put(np.zeros((8, 8, 3), np.uint8))
        assert died.args == ["MemoryError: no memory left"]
    finally:
        decoder.requestInterruption()
        frames.close()
        assert decoder.wait(10_000)


def test_a_sync_lane_that_cannot_open_its_database_says_why(qtbot, tmp_path):
    (tmp_path / "kiosk.db").mkdir()  # a directory where the file should be
    worker = SyncWorker(tmp_path / "kiosk.db")
    with qtbot.waitSignal(worker.died, timeout=20_000) as died:
        worker.start()
    assert worker.wait(10_000)
    assert died.args[0].startswith("EnvironmentProblem")
