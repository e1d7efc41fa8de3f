"""Tracing and statistics at province scale, on PostgreSQL (issue 10; docs/benchmarks.md).

A province for a month is 300 checkpoints x 5,000 scans a day x 30 days = 45 M events and 2 M
people. This loads a slice of it that fits a few minutes on the bench machine, at the real
densities (5,000 scans a day per checkpoint, about 22 scans a person a month), into the
server's own schema (kiosk_server/tracing.py: scan_log partitioned by day, BRIN on time,
btree on (id_number, time) and (checkpoint_id, time)), then measures through the server's
own functions:
1. a trace (one person, 14 days, 15-minute overlap), p50/p95 over many people: target < 2 s;
2. a month of statistics by district: target < 2 s (on the loaded slice, and on a full
   province's month of hourly counts, scan_counts, which is 300 x 720 rows at any scale);
3. ingestion through the push path (store_events) while traces and statistics run;
and prints the EXPLAIN ANALYZE of the trace's two look-ups, with and without the btree on
(checkpoint_id, time), which is how the indexes were chosen.
Usage: python bench/bench_trace.py [--events N] [--db URL]   (default URL: start-postgres.sh)
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from kiosk_server.app import Event, EventBatch, store_events
from kiosk_server.db import open_db
from kiosk_server.stats import stats
from kiosk_server.tracing import Staff, ensure_partitions, rebuild_counts, trace

DAYS = 30
PER_CHECKPOINT_DAY = 5_000
SCANS_PER_PERSON = 22.5  # 45 M events / 2 M people
FIRST = date(2026, 11, 1)
DISTRICTS = 9  # Thừa Thiên Huế: 1 city, 2 towns, 6 districts
STAFF = Staff("bench", "health")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def database(url: str, name: str, drop: bool = False) -> str:
    """A database of its own for the run (the PostgreSQL server may be shared), dropped at the
    end (an autovacuum worker may still hold it for a moment: retried)."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not drop:
            conn.execute(text(f"CREATE DATABASE {name}"))
        for _ in range(30 if drop else 0):
            try:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
                break
            except Exception:  # "being accessed by other users": wait
                time.sleep(1)
    admin.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


def load(engine, events: int) -> tuple[int, int]:
    checkpoints = max(1, round(events / (PER_CHECKPOINT_DAY * DAYS)))
    people = max(100, round(events / SCANS_PER_PERSON))
    with engine.begin() as conn:
        ensure_partitions(conn, [FIRST + timedelta(days=d) for d in range(-1, DAYS + 1)])
        conn.execute(
            text(
                "INSERT INTO checkpoints (id, name, district, province, registered_at) "
                "SELECT 'cp-' || i, 'Chốt ' || i, 'Huyện ' || (i % :d), 'Thừa Thiên Huế', "
                "'2026-10-01' FROM generate_series(0, :n - 1) i"
            ),
            {"d": DISTRICTS, "n": checkpoints},
        )
    chunk = 500_000
    t0 = time.perf_counter()
    for start in range(0, events, chunk):
        n = min(chunk, events - start)
        # generated in the database: one statement per chunk, rows routed to their day's
        # partition; scans fall between 06:00 and 22:00 Vietnamese time
        with engine.begin() as conn:
            conn.execute(
                text(
                    """
INSERT INTO scan_log
SELECT md5(i::text || 'e')::uuid::text, 'bench-kiosk',
       timestamptz '2026-11-01 06:00+07' + floor(random() * :days) * interval '1 day'
           + random() * interval '16 hours',
       'cp-' || (i % :cps), CASE WHEN random() < 0.5 THEN 'in' ELSE 'out' END,
       lpad(p::text, 12, '0'), NULL, 'Nguyễn Văn ' || p, date '1980-01-01' + (p % 15000),
       '****', 'typed_id', CASE WHEN random() < 0.05 THEN 'police' ELSE 'medic' END,
       v.verdict, v.reason
FROM generate_series(:a, :b) i,
     LATERAL (SELECT (random() * (:people - 1) + i * 0)::int AS p, random() + i * 0 AS r) x,
     LATERAL (SELECT CASE WHEN x.r < 0.9 THEN 'allow' WHEN x.r < 0.98 THEN 'attention'
                          ELSE 'deny' END AS verdict,
                     CASE WHEN x.r < 0.9 THEN 'approved' WHEN x.r < 0.95 THEN 'not_found'
                          WHEN x.r < 0.98 THEN 'epidemic_zone' ELSE 'expired' END AS reason) v
"""
                ),
                {
                    "a": start,
                    "b": start + n - 1,
                    "days": DAYS,
                    "cps": checkpoints,
                    "people": people,
                },
            )
        done = start + n
        print(f"  loaded {done:,} in {time.perf_counter() - t0:.0f} s", flush=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE scan_log"))
    t1 = time.perf_counter()
    rebuild_counts(engine)  # the load bypassed the push path, which keeps scan_counts
    print(f"  scan_counts rebuilt from scan_log in {time.perf_counter() - t1:.0f} s", flush=True)
    print(
        f"load: {events:,} events, {checkpoints} checkpoints, {people:,} people, "
        f"{time.perf_counter() - t0:.0f} s with VACUUM ANALYZE",
        flush=True,
    )
    return checkpoints, people


def explain(engine, people: int) -> None:
    number = f"{random.randrange(people):012d}"
    visits = (
        "SELECT checkpoint_id, occurred_at FROM scan_log WHERE id_number = :n "
        "AND occurred_at >= '2026-11-08' AND occurred_at < '2026-11-22'"
    )
    contacts = (
        "SELECT * FROM scan_log WHERE checkpoint_id = 'cp-3' AND screen = 'medic' "
        "AND occurred_at BETWEEN '2026-11-15 02:00+00' AND '2026-11-15 02:30+00'"
    )
    with engine.connect() as conn:
        for title, sql in (
            ("visits of one person, 14 days", visits),
            ("contacts, one window", contacts),
        ):
            plan = conn.execute(text("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql), {"n": number})
            lines = [r[0] for r in plan]
            print(f"EXPLAIN ANALYZE {title}:")
            for line in lines[:8] + (["  ..."] if len(lines) > 10 else []) + lines[-2:]:
                print("   ", line)
        conn.execute(text("SET enable_indexscan = off"))  # the checkpoint btree unused:
        conn.execute(text("DROP INDEX ix_scan_log_checkpoint_time"))  # BRIN on time only
        lines = [r[0] for r in conn.execute(text("EXPLAIN (ANALYZE, COSTS OFF) " + contacts))]
        print("EXPLAIN ANALYZE contacts, one window, BRIN on time only:")
        for line in lines[:6] + lines[-2:]:
            print("   ", line)
        conn.rollback()  # the index comes back


def bench_trace(engine, people: int, runs: int) -> list[float]:
    times = []
    sizes = []
    rng = random.Random(7)
    for _ in range(runs):
        number = f"{rng.randrange(people):012d}"
        t0 = time.perf_counter()
        result = trace(engine, STAFF, number, date(2026, 11, 8), date(2026, 11, 21), 15)
        times.append(time.perf_counter() - t0)
        sizes.append((len(result["visits"]), result["contacts"]))
    visits = statistics.mean(v for v, _c in sizes)
    contacts = statistics.mean(c for _v, c in sizes)
    print(
        f"trace (14 days, 15 min) over {runs} people: p50 {pct(times, 50) * 1000:.0f} ms, "
        f"p95 {pct(times, 95) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms; "
        f"{visits:.1f} places and {contacts:.0f} contacts a person on average",
        flush=True,
    )
    return times


def bench_stats(engine, runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        rows = stats(engine, STAFF, FIRST, FIRST + timedelta(days=DAYS - 1), "district")
        times.append(time.perf_counter() - t0)
    print(
        f"stats, a month by district ({len(rows) - 1} districts, "
        f"{rows[-1]['scans_in'] + rows[-1]['scans_out']:,} people scans): "
        f"best {min(times):.2f} s, worst {max(times):.2f} s",
        flush=True,
    )
    return times


def bench_province_stats(engine, runs: int = 5) -> None:
    """The statistics read scan_counts, whose size is checkpoints x hours whatever the number
    of scans: a province's month is exactly 300 x 720 rows, which fit here at full scale."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM scan_counts"))
        conn.execute(text("DELETE FROM checkpoints"))
        conn.execute(
            text(
                "INSERT INTO checkpoints (id, name, district, province, registered_at) "
                "SELECT 'cp-' || i, 'Chốt ' || i, 'Huyện ' || (i % :d), 'Thừa Thiên Huế', "
                "'2026-10-01' FROM generate_series(0, 299) i"
            ),
            {"d": DISTRICTS},
        )
        # 5,000 scans a checkpoint a day spread over 16 hours: about 312 an hour
        conn.execute(
            text(
                "INSERT INTO scan_counts SELECT h, 'cp-' || c, 150, 140, 280, 22, 8, 5, 16, 8 "
                "FROM generate_series(timestamptz '2026-11-01 00:00+00', "
                "timestamptz '2026-11-30 23:00+00', interval '1 hour') h, "
                "generate_series(0, 299) c"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE scan_counts"))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        rows = stats(engine, STAFF, FIRST, FIRST + timedelta(days=DAYS - 1), "district")
        times.append(time.perf_counter() - t0)
    print(
        f"stats, a province's month by district (300 checkpoints x 720 hours in scan_counts, "
        f"{rows[-1]['scans_in'] + rows[-1]['scans_out']:,} people scans): "
        f"best {min(times):.2f} s, worst {max(times):.2f} s",
        flush=True,
    )


def bench_ingest(engine, checkpoints: int, seconds: float) -> None:
    """Pushes of 1,000 scans with identities through store_events (what POST /v1/events runs),
    from 4 threads, while one thread traces and another computes statistics."""
    stop = time.monotonic() + seconds
    pushed = [0]
    latencies: list[float] = []
    lock = threading.Lock()

    def pusher(k: int) -> None:
        rng = random.Random(k)
        while time.monotonic() < stop:
            at = datetime(2026, 11, 30, 3, tzinfo=UTC) + timedelta(seconds=rng.randrange(36000))
            batch = EventBatch(
                protocol=1,
                batch_id=str(uuid.uuid4()),
                sent_at=datetime.now(UTC),
                events=[
                    Event(
                        event_id=str(uuid.uuid4()),
                        kind="scan",
                        occurred_at=at,
                        data={
                            "checkpoint_id": f"cp-{rng.randrange(checkpoints)}",
                            "direction": "in",
                            "verdict": "allow",
                            "reason": "approved",
                            "screen": "medic",
                            "payload_kind": "cccd_qr",
                            "subject_ref": "0460******34",
                            "person": {
                                "id_number": f"{rng.randrange(10**12):012d}",
                                "full_name": "Trần Văn Đức",
                                "birth_date": "1985-03-12",
                            },
                        },
                    )
                    for _ in range(1000)
                ],
            )
            t0 = time.perf_counter()
            store_events(engine, f"bench-{k}", batch)
            with lock:
                latencies.append(time.perf_counter() - t0)
                pushed[0] += 1000

    def tracer() -> None:
        while time.monotonic() < stop:
            trace(
                engine,
                STAFF,
                f"{random.randrange(1000):012d}",
                date(2026, 11, 8),
                date(2026, 11, 21),
                15,
            )

    def statistician() -> None:
        while time.monotonic() < stop:
            stats(engine, STAFF, FIRST, FIRST + timedelta(days=6), "district")

    threads = [threading.Thread(target=pusher, args=(k,)) for k in range(4)]
    threads += [threading.Thread(target=tracer), threading.Thread(target=statistician)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    print(
        f"ingest with traces and stats running: {pushed[0]:,} scans in {elapsed:.0f} s = "
        f"{pushed[0] / elapsed:,.0f} scans/s; batch of 1,000 p95 "
        f"{pct(latencies, 95) * 1000:.0f} ms (a province's peak: 300 x 5,000 / 16 h = 26 scans/s)",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=3_000_000)
    parser.add_argument("--traces", type=int, default=60)
    parser.add_argument("--ingest-seconds", type=float, default=30)
    parser.add_argument("--db", help="a PostgreSQL URL (default: scripts/start-postgres.sh)")
    args = parser.parse_args()
    url = (
        args.db
        or subprocess.run(
            ["bash", "scripts/start-postgres.sh"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    name = f"kiosk_bench_trace_{uuid.uuid4().hex[:8]}"
    engine = open_db(database(url, name))
    checkpoints, people = load(engine, args.events)
    explain(engine, people)
    bench_trace(engine, people, args.traces)
    bench_stats(engine)
    bench_ingest(engine, checkpoints, args.ingest_seconds)
    bench_province_stats(engine)
    engine.dispose()
    database(url, name, drop=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
