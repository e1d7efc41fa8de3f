"""A verdict on screen always has its scan on disk, whenever the process dies."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from kiosk.demo import seed
from kiosk.storage import Store

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kiosk.checker import Checker
    from kiosk.storage import Store
    store = Store.open(Path(sys.argv[1]) / "kiosk.db")
    checker = Checker(store, checkpoint_id="c1", operator_id="o1")
    ids = ["046085001234", "046192004567", "048078007890", "001203004567"]
    i = 0
    while True:
        result = checker.check_id(ids[i % 4], "typed")
        print(result.event_id, flush=True)  # what the window would now show
        i += 1
""")


@pytest.mark.slow
def test_killing_the_process_loses_no_scan_that_was_shown(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    seed(store, tmp_path, write_feed=False)
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    shown = []
    assert proc.stdout is not None
    for line in proc.stdout:
        shown.append(line.strip())
        if len(shown) >= 40:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    shown += [line.strip() for line in proc.stdout if line.strip()]  # what was still buffered
    store = Store.open(tmp_path / "kiosk.db")
    try:
        on_disk = store.scan_event_ids()
    finally:
        store.close()
    assert len(shown) >= 40
    assert set(shown) <= on_disk
