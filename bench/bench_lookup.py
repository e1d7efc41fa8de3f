"""Look-up benchmark: an ID look-up with 2 million declarations in the cache.

Target: "with 2 million declarations in the cache, an ID look-up takes under 2 ms at
p99". The cache is a real SQLite file opened with kiosk.storage.Store.open (WAL,
synchronous=FULL, the kiosk's own schema and indexes), built once and reused while it is
complete. Measured:

- Store.declaration_for_subject for random existing IDs and for valid IDs that are not there;
- the whole PersonDesk.check_id, which also commits its scan and audit rows with an fsync: the
  durable commit is part of every verdict shown, so it is reported, but it is not the look-up;
- the same check with the commit left out, to show where the time goes;
- a cold start: the first look-ups after the file's pages were dropped from the OS cache (on a
  virtual machine the host's own cache may still hold them).

Exit status 1 when the warm look-up p99 (existing or missing IDs) is 2 ms or more.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import event

from kiosk.checker import PersonDesk
from kiosk.errors import EnvironmentProblem
from kiosk.ids import parse_id
from kiosk.provinces import PROVINCE_CODES
from kiosk.storage import ScanRecord, Store
from kiosk.storage.audit import ExtraRows
from kiosk.storage.safekeeping import raw_connection

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO / ".bench" / "lookup.db"
TARGET_P99_MS = 2.0
CHUNK = 50_000
FILL_CACHE_KIB = 64 * 1024  # SQLite page cache while loading (the kiosk keeps the default)
SEED = 20210823  # fixed, so every machine builds the same IDs and names
GENERATOR = 2  # bump when the rows change: a file built by another generator is rebuilt


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý")
MIDDLE = _words("Văn Thị Hữu Đức Ngọc Minh Quốc Thanh Kim Xuân")
GIVEN = _words(
    "An Bình Chi Dũng Đạt Đức Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Lộc Mai "
    "Nam Ngữ Nhung Phúc Quân Quỳnh Sơn Tâm Thảo Thủy Trâm Trung Tuấn Uyên Việt Yến Ệ Ữ"
)
PROVINCES = sorted(PROVINCE_CODES)
COLUMNS = (
    "id, subject_id, full_name, birth_date, sex, phone, status, valid_until, origin_area, "
    "travel_areas, symptoms, declared_by_proxy, updated_at"
)
INSERT = f"INSERT OR REPLACE INTO declarations ({COLUMNS}) VALUES ({', '.join('?' * 13)})"


# --- the rows ----------------------------------------------------------------------------------
Row = tuple[object, ...]  # the columns in COLUMNS' order, as SQLAlchemy stores them in SQLite


def _db_time(value: datetime) -> str:
    """The text SQLAlchemy's DateTime writes into SQLite (naive UTC)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Generator:
    """Plausible declarations, vectorised with numpy: a CCCD whose province, century/sex digit
    and year agree with the birth date and sex (a 9-digit CMND for about 5%), a Vietnamese name,
    85% approved, 10% pending, 5% rejected, valid from 5 days ago to 14 days ahead, an origin
    area and sometimes travel areas, 3% with symptoms. One seeded RNG per chunk of ids, so a
    chunk is the same on every machine (times are relative to `now`)."""

    def __init__(self, now: datetime) -> None:
        # few distinct times: formatted once, not 2 million times
        self.valid = [_db_time(now + timedelta(hours=h)) for h in range(-120, 14 * 24 + 1)]
        self.updated = [_db_time(now - timedelta(minutes=m)) for m in range(60 * 24 * 30)]

    def rows(self, start: int, stop: int) -> list[Row]:
        n = stop - start
        g = np.random.default_rng([SEED, start])
        female = g.random(n) < 0.5
        year = g.integers(1935, 2020, n)
        century = 2 * ((year - 1900) // 100) + female
        province = g.integers(0, len(PROVINCES), n)
        cmnd = g.random(n) < 0.05
        serial = g.integers(0, 1_000_000, n)
        old_number = g.integers(10_000_000, 400_000_000, n)
        names = zip(
            g.integers(0, len(FAMILY), n).tolist(),
            g.integers(0, len(MIDDLE), n).tolist(),
            g.integers(0, len(GIVEN), n).tolist(),
            strict=True,
        )
        roll = g.random(n)
        status = np.where(roll < 0.85, 0, np.where(roll < 0.95, 1, 2))
        travels = g.choice([0, 0, 0, 1, 2], n)
        areas = g.integers([0, 1, 1], [len(PROVINCES), 1000, 32000], (n, 3, 3)).tolist()
        columns = zip(
            range(start, stop),
            female.tolist(),
            year.tolist(),
            century.tolist(),
            province.tolist(),
            cmnd.tolist(),
            serial.tolist(),
            old_number.tolist(),
            names,
            g.integers(1, 13, n).tolist(),
            g.integers(1, 29, n).tolist(),
            status.tolist(),
            travels.tolist(),
            areas,
            g.integers(0, 100_000_000, n).tolist(),
            g.integers(0, len(self.valid), n).tolist(),
            (g.random(n) < 0.03).tolist(),
            (g.random(n) < 0.1).tolist(),
            g.integers(1, len(self.updated), n).tolist(),
            strict=True,
        )
        out: list[Row] = []
        for i, f, y, c, p, cm, ser, old, (a, b, d), mo, dd, st, tr, ar, ph, v, sy, px, u in columns:
            code = PROVINCES[p]
            subject = f"{old:09d}" if cm else f"{code}{c}{y % 100:02d}{ser:06d}"
            travel = " ".join(
                f"{int(PROVINCES[x])}.{y2:03d}.{z:05d}" for x, y2, z in ar[1 : 1 + tr]
            )
            out.append(
                (
                    i,
                    subject,
                    f"{FAMILY[a]} {MIDDLE[b]} {GIVEN[d]}",
                    f"{y}-{mo:02d}-{dd:02d}",
                    "F" if f else "M",
                    f"09{ph:08d}",
                    STATUSES[st],
                    self.valid[v],
                    f"{int(code)}.{ar[0][1]:03d}.{ar[0][2]:05d}",
                    travel,
                    "fever,cough" if sy else "",
                    int(px),
                    self.updated[u],
                )
            )
        return out

    def chunks(self, count: int) -> Iterator[list[Row]]:
        for start in range(1, count + 1, CHUNK):
            yield self.rows(start, min(start + CHUNK, count + 1))


STATUSES = ("approved", "pending", "rejected")
_NAMES = COLUMNS.split(", ")


def as_dict(row: Row) -> dict[str, object]:
    """A generated row in the form Store.put_declarations takes (aware datetimes, dates)."""
    r = dict(zip(_NAMES, row, strict=True))
    r["birth_date"] = date.fromisoformat(str(r["birth_date"]))
    for key in ("valid_until", "updated_at"):
        r[key] = datetime.fromisoformat(str(r[key])).replace(tzinfo=UTC)
    r["declared_by_proxy"] = bool(r["declared_by_proxy"])
    return r


# --- filling the cache -------------------------------------------------------------------------
def fill_raw(store: Store, rows: list[Row]) -> None:
    """executemany of the plain tuples on the DB-API connection, one transaction."""
    raw = store.engine.raw_connection()
    try:
        raw.cursor().executemany(INSERT, rows)
        raw.commit()
    finally:
        raw.close()


def fill_store(store: Store, rows: list[Row]) -> None:
    """The kiosk's own loader (SQLAlchemy Core executemany of dicts), one transaction; the
    conversion to the dicts it takes is part of its cost."""
    store.put_declarations(as_dict(r) for r in rows)


FILLERS: dict[str, Callable[[Store, list[Row]], None]] = {
    "raw executemany": fill_raw,
    "Store.put_declarations": fill_store,
}


def open_for_fill(path: Path) -> Store:
    """The kiosk's store, its connections given a bigger page cache while the cache is loaded:
    2 million random IDs make the subject index outgrow SQLite's default 2 MiB cache, and each
    insert then reads index pages back (with 64 MiB, loading takes about half the time)."""
    store = Store.open(path)

    @event.listens_for(store.engine, "connect")
    def _cache(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA cache_size = -{FILL_CACHE_KIB}")

    store.engine.dispose()  # the connection the migration used goes; new ones get the pragma
    return store


def choose_filler(rows: list[Row], scratch: Path, rounds: int = 3) -> tuple[str, dict[str, float]]:
    """Loads the same chunk into a fresh file each way, in turn, `rounds` times; the best time
    of each decides (one round alone is at the mercy of a slow fsync)."""
    times: dict[str, float] = {}
    for _ in range(rounds):
        for name, fill in FILLERS.items():
            path = scratch / "fill-trial.db"
            remove_db(path)
            store = open_for_fill(path)
            start = time.perf_counter()
            fill(store, rows)
            elapsed = time.perf_counter() - start
            times[name] = min(times.get(name, elapsed), elapsed)
            store.close()
            remove_db(path)
    return min(times, key=times.__getitem__), times


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".complete"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def is_complete(path: Path, rows: int) -> bool:
    """Complete: the marker the build writes last is there, and the rows are all in place."""
    marker = Path(f"{path}.complete")
    if not (
        path.exists()
        and marker.exists()
        and marker.read_text().strip() == f"{rows} {SEED} {GENERATOR}"
    ):
        return False
    try:
        con = raw_connection(path)  # the cache is encrypted like a kiosk's (SQLCipher)
        try:
            count, top = con.execute("SELECT count(*), max(id) FROM declarations").fetchone()
        finally:
            con.close()
    except (sqlite3.DatabaseError, sqlcipher.DatabaseError, EnvironmentProblem):
        return False
    return count == rows and top == rows


def build(path: Path, rows: int, now: datetime) -> dict[str, object]:
    remove_db(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    gen = Generator(now)
    method, trial = choose_filler(gen.rows(1, CHUNK + 1), path.parent)
    print(
        f"fill, one chunk of {CHUNK:,} into a fresh file, best of 3: "
        + ", ".join(f"{k} {v:.2f} s" for k, v in trial.items())
        + f" -> using {method}",
        flush=True,
    )
    fill = FILLERS[method]
    start = time.perf_counter()
    generating = 0.0
    store = open_for_fill(path)
    store.put_zone("79", "TP. Hồ Chí Minh", now.date() - timedelta(days=20))
    store.put_zone("48.490", "Quận Liên Chiểu, Đà Nẵng", now.date() - timedelta(days=5))
    done = 0
    for first in range(1, rows + 1, CHUNK):
        t = time.perf_counter()
        chunk = gen.rows(first, min(first + CHUNK, rows + 1))
        generating += time.perf_counter() - t
        fill(store, chunk)
        done += len(chunk)
        if done % 500_000 == 0 or done == rows:
            elapsed = time.perf_counter() - start
            print(f"  {done:>9,} rows  {elapsed:6.1f} s", flush=True)
    raw = store.engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    store.close()
    seconds = time.perf_counter() - start
    Path(f"{path}.complete").write_text(f"{rows} {SEED} {GENERATOR}\n")
    return {"method": method, "trial": trial, "seconds": seconds, "generating": generating}


# --- the measurements --------------------------------------------------------------------------
def sample_ids(path: Path, rows: int, existing: int, missing: int) -> tuple[list[str], list[str]]:
    """Random IDs that are in the cache (by random declaration id) and valid ones that are not."""
    rng = random.Random(SEED + 1)
    con = raw_connection(path)
    try:
        found = [
            con.execute("SELECT subject_id FROM declarations WHERE id = ?", (i,)).fetchone()[0]
            for i in rng.sample(range(1, rows + 1), existing)
        ]
        absent: list[str] = []
        while len(absent) < missing:
            year = rng.randint(1935, 2019)
            century = 2 * ((year - 1900) // 100) + rng.randint(0, 1)
            pid = f"{rng.choice(PROVINCES)}{century}{year % 100:02d}{rng.randint(0, 999_999):06d}"
            hit = con.execute("SELECT 1 FROM declarations WHERE subject_id = ?", (pid,)).fetchone()
            if hit is None:
                absent.append(pid)
    finally:
        con.close()
    return found, absent


def timed(fn: Callable[[str], object], ids: list[str]) -> list[float]:
    out = []
    for pid in ids:
        start = time.perf_counter()
        fn(pid)
        out.append((time.perf_counter() - start) * 1000)
    return out


def stats(ms: list[float]) -> dict[str, float]:
    a = np.asarray(ms)
    return {
        "n": float(len(a)),
        "p50": float(np.percentile(a, 50)),
        "p95": float(np.percentile(a, 95)),
        "p99": float(np.percentile(a, 99)),
        "max": float(a.max()),
    }


def drop_os_cache(path: Path) -> bool:
    """Asks the kernel to forget the file's clean cached pages (no root needed)."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for name in (path, Path(f"{path}-wal")):
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


def read_through(path: Path) -> None:
    with path.open("rb") as f:
        while f.read(1 << 20):
            pass


class NoCommitStore(Store):
    """The same store with the scan commit left out: what a check costs before its fsync."""

    def record_scan(self, scan: ScanRecord, extra: ExtraRows | None = None) -> str:
        return str(uuid.uuid4())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"default {DEFAULT_DB}")
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--existing", type=int, default=20_000)
    parser.add_argument("--missing", type=int, default=5_000)
    parser.add_argument("--checks", type=int, default=2_000, help="full check_id calls")
    parser.add_argument("--cold", type=int, default=1_000, help="look-ups after a cache drop")
    parser.add_argument("--rebuild", action="store_true", help="build even if complete")
    args = parser.parse_args()
    path: Path = args.db.resolve()
    now = datetime.now(UTC).replace(microsecond=0)

    built = None
    if args.rebuild or not is_complete(path, args.rows):
        print(f"building {args.rows:,} declarations in {path}", flush=True)
        built = build(path, args.rows, now)
    else:
        print(f"reusing {path} ({args.rows:,} declarations; --rebuild to build again)")
    size = path.stat().st_size
    existing, missing = sample_ids(path, args.rows, args.existing, args.missing)
    for pid in existing[:50] + missing[:50]:
        parse_id(pid)  # every sampled ID is one the kiosk accepts as typed

    rows: list[tuple[str, dict[str, float]]] = []
    cold = existing[-args.cold :]
    if args.cold and drop_os_cache(path):
        store = Store.open(path)
        rows.append(
            ("look-up, cold (pages dropped)", stats(timed(store.declaration_for_subject, cold)))
        )
        store.close()
    read_through(path)  # steady state: the file in the OS cache, as on a kiosk in use
    store = Store.open(path)
    timed(store.declaration_for_subject, existing[: min(2000, len(existing))])  # warm up
    found = timed(store.declaration_for_subject, existing)
    absent = timed(store.declaration_for_subject, missing)
    rows.append(("look-up, existing ID", stats(found)))
    rows.append(("look-up, missing ID", stats(absent)))
    rows.append(("look-up, all", stats(found + absent)))
    assert store.declaration_for_subject(existing[0]) is not None
    assert store.declaration_for_subject(missing[0]) is None

    ids = existing[: args.checks // 2] + missing[: args.checks - args.checks // 2]
    random.Random(SEED + 2).shuffle(ids)
    quiet = PersonDesk(NoCommitStore(store.engine), checkpoint_id="bench", operator_id="bench")
    rows.append(
        ("check_id, commit left out", stats(timed(lambda p: quiet.check_id(p, "cli"), ids)))
    )
    checker = PersonDesk(store, checkpoint_id="bench", operator_id="bench")
    rows.append(
        ("check_id, fsync'd commit", stats(timed(lambda p: checker.check_id(p, "cli"), ids)))
    )
    con = store.engine.raw_connection()
    try:
        distinct = (
            con.cursor()
            .execute("SELECT count(DISTINCT subject_id) FROM declarations")
            .fetchone()[0]
        )
        plan = (
            con.cursor()
            .execute(
                "EXPLAIN QUERY PLAN SELECT * FROM declarations WHERE subject_id = ? "
                "ORDER BY updated_at DESC LIMIT 1",
                ("x",),
            )
            .fetchall()
        )
        # the checks' own rows go, so the file stays the same from one run to the next
        con.cursor().execute("DELETE FROM scan_events WHERE checkpoint_id = 'bench'")
        con.cursor().execute("DELETE FROM audit_log WHERE operator_id = 'bench'")
        con.commit()
    finally:
        con.close()
    store.close()

    print()
    print(
        f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(f"declarations: {args.rows:,} ({distinct:,} distinct IDs); file {size / 2**20:,.0f} MiB")
    if built:
        print(
            f"build: {built['seconds']:.0f} s with {built['method']}, of which "
            f"{built['generating']:.0f} s generating the rows in Python"
        )
        print("(measured right after the build, while the disk may still be flushing it: run")
        print(" again for steady-state figures)")
    print(f"query plan: {plan[0][-1]}")
    print()
    print(
        f"{'measurement':28s} {'n':>6s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}"
    )
    for name, s in rows:
        print(
            f"{name:28s} {int(s['n']):>6d} {s['p50']:8.3f} {s['p95']:8.3f} {s['p99']:8.3f} "
            f"{s['max']:8.2f}"
        )
    worst = max(stats(found)["p99"], stats(absent)["p99"])
    ok = worst < TARGET_P99_MS
    print(
        f"\nlook-up p99 {worst:.3f} ms, target < {TARGET_P99_MS} ms: "
        + ("met" if ok else "MISSED")
        + " (check_id adds a durable commit; see its row)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
