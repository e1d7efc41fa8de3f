"""Sync at province scale, against a real server process on 127.0.0.1 (bounded, self-stopping).

1. First sync of 1,000,000 approvals into an empty kiosk cache: target < 60 s, kiosk < 300 MB.
2. 100,000 queued events pushed after a long offline spell: target < 30 s.
3. 500 simulated kiosks syncing at once (pull + push of 20 events each): no error, nothing lost
   or doubled; p95 request latency reported.
Usage: python bench/bench_sync.py [--approvals N] [--events N] [--kiosks N] [--db URL]
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from kiosk.storage import Store
from kiosk_server import admin
from kiosk_server.db import digest, events, kiosks, now, open_db, upsert_entities
from sync import engine as sync_engine
from sync.client import SyncClient
from tests.conftest import Server, free_port
from tests.sync.conftest import queue_scans


def approvals(n: int):
    valid = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    stamp = datetime.now(UTC).isoformat()
    for i in range(n):
        yield (
            str(i + 1),
            {
                "id": i + 1,
                "subject_id": f"0{46 + i % 40:02d}{i % 4}{i:08d}"[-12:],
                "full_name": "Nguyễn Thị Bình",
                "birth_date": "1985-01-01",
                "sex": "F",
                "phone": "",
                "status": "approved",
                "valid_until": valid,
                "origin_area": "46.474",
                "travel_areas": "",
                "symptoms": "",
                "declared_by_proxy": False,
                "updated_at": stamp,
            },
        )


def kiosk_sync(data_dir: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "sync"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return time.perf_counter() - start, done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--approvals", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--kiosks", type=int, default=500)
    parser.add_argument("--db", help="server database URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        server = Server(
            f"http://127.0.0.1:{free_port()}", args.db or f"sqlite:///{tmp}/s.db", tmp / "server"
        )
        server.data_dir.mkdir()
        engine = open_db(server.db_url)
        t = time.perf_counter()
        upsert_entities(engine, "declaration", approvals(args.approvals), chunk=20_000)
        print(f"server filled with {args.approvals:,} approvals in {time.perf_counter() - t:.1f} s")
        server.start()
        try:
            # 1. first sync
            kiosk_dir = tmp / "kiosk"
            store = Store.open(kiosk_dir / "kiosk.db")
            sync_engine.pair(store, server.url, admin.new_pairing_code(engine), "bench")
            seconds, summary = kiosk_sync(kiosk_dir)
            rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(
                f"1. first sync of {args.approvals:,} approvals: {seconds:.1f} s, kiosk peak "
                f"RSS {rss_mb:.0f} MB  {summary}"
            )
            if seconds >= 60 or rss_mb >= 300:
                failed.append("first sync")
            # 2. a long offline spell
            queue_scans(store, args.events)
            seconds, summary = kiosk_sync(kiosk_dir)
            print(f"2. push of {args.events:,} queued events: {seconds:.1f} s  {summary}")
            if seconds >= 30:
                failed.append("push")
            store.close()
            # 3. many kiosks at once
            failed += many_kiosks(server, engine, args.kiosks)
        finally:
            server.stop()
    print("targets: " + ("met" if not failed else "MISSED: " + ", ".join(failed)))
    return 1 if failed else 0


def many_kiosks(server: Server, engine, n: int, events_each: int = 20) -> list[str]:
    creds = [secrets.token_urlsafe(32) for _ in range(n)]
    with engine.begin() as conn:
        before = conn.execute(select(func.count()).select_from(events)).scalar()
        conn.execute(
            kiosks.insert(),
            [
                {
                    "id": str(uuid.uuid4()),
                    "name": f"sim-{i}",
                    "credential_hash": digest(c),
                    "revoked": False,
                    "paired_at": now(),
                }
                for i, c in enumerate(creds)
            ],
        )
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    sent_ids: list[str] = []
    start_gate = threading.Barrier(min(n, 200))

    def one(credential: str) -> None:
        client = SyncClient(server.url, credential, timeout=(5, 60))
        ids = [str(uuid.uuid4()) for _ in range(events_each)]
        batch = [
            {
                "event_id": e,
                "kind": "scan",
                "occurred_at": datetime.now(UTC).isoformat(),
                "data": {},
            }
            for e in ids
        ]
        with contextlib.suppress(threading.BrokenBarrierError):
            start_gate.wait(timeout=30)  # let them arrive together, as after an outage
        try:
            t = time.perf_counter()
            client.pull(max(0, cursor_top - 100), 100)
            t2 = time.perf_counter()
            client.push(str(uuid.uuid4()), batch)
            t3 = time.perf_counter()
            with lock:
                latencies.extend([t2 - t, t3 - t2])
                sent_ids.extend(ids)
        except Exception as exc:  # counted and reported: the target is zero
            with lock:
                errors.append(repr(exc))

    with engine.connect() as conn:
        from kiosk_server.db import changes

        cursor_top = conn.execute(select(func.max(changes.c.seq))).scalar() or 0
    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=200) as pool:
        list(pool.map(one, creds))
    wall = time.perf_counter() - t
    with engine.connect() as conn:
        after = conn.execute(select(func.count()).select_from(events)).scalar()
        stored = set(conn.execute(select(events.c.event_id)).scalars())
    lost = len(set(sent_ids) - stored)
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) > 20 else 0
    print(
        f"3. {n} kiosks at once (200 in flight): {wall:.1f} s, {len(errors)} errors, "
        f"{after - before} events stored of {n * events_each} sent, {lost} lost; request "
        f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95:.0f} ms"
    )
    if errors:
        print("   first error:", errors[0])
    ok = not errors and lost == 0 and after - before == n * events_each
    return [] if ok else ["many kiosks"]


if __name__ == "__main__":
    raise SystemExit(main())
