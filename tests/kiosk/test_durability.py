"""A verdict on screen always has its scan on disk: when the process dies, when the disk fills."""

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest
from sqlalchemy import event

from kiosk.app.demo import seed
from kiosk.checker import PersonDesk
from kiosk.errors import EnvironmentProblem
from kiosk.storage import Store
from kiosk.storage.safekeeping import raw_connection
from tests.kiosk.conftest import scan_record

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kiosk.checker import PersonDesk
    from kiosk.storage import Store
    store = Store.open(Path(sys.argv[1]) / "kiosk.db")
    checker = PersonDesk(store, checkpoint_id="c1", operator_id="o1")
    ids = ["046085001234", "046192004567", "048078007890", "001203004567"]
    i = 0
    while True:
        result = checker.check_id(ids[i % 4], "typed")
        print(result.event_id, flush=True)  # what the window would now show
        i += 1
""")
SHOWN = 30


@pytest.mark.slow
def test_killing_the_process_loses_no_scan_that_was_shown(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    seed(store, tmp_path, write_feed=False)
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(60, proc.kill)  # a hung writer fails the test, not the suite
    watchdog.start()
    shown = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            shown.append(line.strip())
            if len(shown) >= SHOWN:
                os.kill(proc.pid, signal.SIGKILL)  # mid-loop: likely inside a transaction
                break
        out, err = proc.communicate()
    finally:
        watchdog.cancel()
    shown += [line.strip() for line in out.splitlines() if line.strip()]  # printed before death
    assert len(shown) >= SHOWN, err
    assert proc.returncode == -signal.SIGKILL
    store = Store.open(tmp_path / "kiosk.db")
    try:
        on_disk = store.scan_event_ids()
    finally:
        store.close()
    assert set(shown) <= on_disk


def _scan(**changes):
    return scan_record(
        **{"declaration_id": None, "verdict": "attention", "reason": "not_found", **changes}
    )


def _fill_the_disk(store: Store) -> None:
    """From now on the file cannot grow: SQLite answers 'database or disk is full'."""

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    store.engine.dispose()  # new connections get the cap


def _counts(path):
    with raw_connection(path) as db:
        return tuple(
            db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("scan_events", "audit_log")
        )


def test_full_disk_is_a_clear_problem_and_loses_nothing_recorded(tmp_path):
    path = tmp_path / "kiosk.db"
    store = Store.open(path)
    kept = [store.record_scan(_scan()) for _ in range(3)]
    _fill_the_disk(store)
    recorded = list(kept)
    with pytest.raises(EnvironmentProblem) as err:
        for _ in range(2000):
            recorded.append(store.record_scan(_scan(subject_ref="x" * 20)))
    assert err.value.code == "disk_full"
    assert "database or disk is full" in str(err.value.__cause__)  # what SQLite says for real
    store.close()
    assert len(recorded) < 2000  # the cap was really reached
    again = Store.open(path)
    try:
        assert again.scan_event_ids() == set(recorded)  # every row returned is on disk
    finally:
        again.close()
    scans, audits = _counts(path)
    assert scans == audits == len(recorded)  # the failed scan left no half-written audit row


def test_the_operator_is_told_the_disk_is_full_instead_of_seeing_a_verdict(tmp_path):
    path = tmp_path / "kiosk.db"
    store = Store.open(path)
    seed(store, tmp_path, write_feed=False)
    checker = PersonDesk(store, checkpoint_id="c1", operator_id="o1")
    shown = [checker.check_id("046085001234", "typed").event_id]
    _fill_the_disk(store)
    with pytest.raises(EnvironmentProblem) as err:
        for _ in range(2000):
            shown.append(checker.check_id("046085001234", "typed").event_id)
    assert err.value.code == "disk_full"
    store.close()
    again = Store.open(path)
    try:
        assert set(shown) <= again.scan_event_ids()
    finally:
        again.close()
