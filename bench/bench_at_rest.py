"""Encryption at rest: what it costs a check, and what it costs a thief (docs/security.md).

1. Check latency, plain SQLite against SQLCipher, on the same demo data plus N filler
   declarations: a cold `kiosk check` as the command line runs it (open, quick_check, migrate,
   one PersonDesk.check_id with its fsync'd scan, close) and warm checks on an open store.
2. The attack, run as a thief would on a copy of a demo data directory:
   - without the device key (a copied data directory, a backup): the database and backups are
     AES-256 with a random 256-bit key; no guessing shortcut, stated, not run;
   - with the device key (the whole laptop, disk not encrypted): one person's record is read at
     once (timed); an operator's PIN is brute-forced from its Argon2id hash. The search over all
     10,000 four-digit PINs is run for real against a hash made with the tests' cheap
     parameters (proving the script finds it), and the real parameters' cost is measured per
     guess in CPU-seconds and multiplied out; the scrypt it replaced is measured the same way.

CPU time (process_time), not wall time: the machine is shared; an attacker's cost is CPU-hours.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.checker import PersonDesk
from kiosk.storage import Store
from kiosk.storage.database import migrate, open_engine


def _filler(n: int) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [
        {
            "id": 100_000 + i,
            "subject_id": f"0790{i:08d}",
            "full_name": f"Người Thử {i}",
            "birth_date": date(1980, 1, 1) + timedelta(days=i % 9000),
            "sex": "M" if i % 2 else "F",
            "phone": f"09{i:08d}",
            "status": "approved",
            "valid_until": now + timedelta(days=30),
            "origin_area": "46.474.19774",
            "travel_areas": "",
            "symptoms": "",
            "updated_at": now,
        }
        for i in range(n)
    ]


def _open(path: Path, encrypted: bool) -> Store:
    if encrypted:
        return Store.open(path)
    engine = open_engine(path, None)  # the kiosk before issue 14: plain SQLite
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA quick_check").fetchall()  # same work on open, to compare
    migrate(engine, path, None)
    return Store(engine, path, None)


def latency(root: Path, rows: int, runs: int) -> dict[str, dict[str, float]]:
    from kiosk.app.demo import seed

    out: dict[str, dict[str, float]] = {}
    for label, encrypted in (("plain", False), ("sqlcipher", True)):
        data = root / label
        store = _open(data / "kiosk.db", encrypted)
        seed(store, data, write_feed=False)
        store.put_declarations(_filler(rows))
        store.close()
        cold, warm = [], []
        for _ in range(runs):
            t = time.perf_counter()
            store = _open(data / "kiosk.db", encrypted)
            PersonDesk(store, checkpoint_id="bench", operator_id="bench").check_id(
                "046085001234", "typed"
            )
            store.close()
            cold.append((time.perf_counter() - t) * 1000)
        store = _open(data / "kiosk.db", encrypted)
        desk = PersonDesk(store, checkpoint_id="bench", operator_id="bench")
        for i in range(runs * 5):
            t = time.perf_counter()
            desk.check_id(f"0790{i % rows:08d}", "typed")
            warm.append((time.perf_counter() - t) * 1000)
        store.close()
        size = (data / "kiosk.db").stat().st_size
        out[label] = {
            "cold_check_ms_median": round(statistics.median(cold), 1),
            "warm_check_ms_median": round(statistics.median(warm), 2),
            "warm_check_ms_p95": round(sorted(warm)[int(len(warm) * 0.95)], 2),
            "db_bytes": size,
        }
        print(label, out[label], flush=True)
    return out


def _cpu(fn, n: int) -> float:
    t = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - t) / n


def attack(root: Path, guesses: int) -> dict[str, object]:
    from kiosk import auth
    from kiosk.app.demo import seed
    from kiosk.storage.safekeeping import raw_connection

    victim = root / "victim"
    store = Store.open(victim / "kiosk.db")
    seed(store, victim, write_feed=False)  # the demo's PINs: hashed as the environment says
    store.close()
    stolen = root / "stolen"
    shutil.copytree(victim, stolen, ignore=shutil.ignore_patterns("demo"))
    # a copied data directory alone: the file is not SQLite any more
    header = (stolen / "kiosk.db").read_bytes()[:16]
    result: dict[str, object] = {"copied_dir_header_is_sqlite": header.startswith(b"SQLite")}

    # the whole laptop: the device key file is there too
    t = time.perf_counter()
    with raw_connection(stolen / "kiosk.db") as db:
        row = db.execute(
            "SELECT subject_id, full_name FROM declarations WHERE subject_id = ?",
            ("046085001234",),
        ).fetchone()
        hashes = dict(db.execute("SELECT id, pin_hash FROM operators"))
    result["with_device_key_one_record_seconds"] = round(time.perf_counter() - t, 3)
    result["with_device_key_record_read"] = row is not None

    # the PIN search, for real, against cheap parameters
    os.environ["KIOSK_TESTS_ONLY_FAST_PIN_HASH"] = "1"
    target = auth.hash_pin("7391")
    t = time.process_time()
    found = next(f"{n:04d}" for n in range(10_000) if auth.check_pin(f"{n:04d}", target))
    cheap_cpu = time.process_time() - t
    result["cheap_params_search_found"] = found
    result["cheap_params_search_cpu_seconds"] = round(cheap_cpu, 1)

    # the real parameters: measured per guess, multiplied out
    del os.environ["KIOSK_TESTS_ONLY_FAST_PIN_HASH"]
    real = hashes.get("medic-demo") or auth.hash_pin("1111")
    if not real.startswith("argon2id$3$262144"):
        real = auth.hash_pin("1111")
    per_guess = _cpu(lambda: auth.check_pin("0000", real), guesses)
    salt = os.urandom(16)
    scrypt_guess = _cpu(
        lambda: hashlib.scrypt(b"0000", salt=salt, dklen=32, n=2**14, r=8, p=1), guesses * 5
    )
    result["argon2id_cpu_seconds_per_guess"] = round(per_guess, 3)
    result["argon2id_4_digit_pin_cpu_hours_all"] = round(per_guess * 10_000 / 3600, 2)
    result["argon2id_4_digit_pin_cpu_hours_mean"] = round(per_guess * 5_000 / 3600, 2)
    result["argon2id_6_digit_pin_cpu_hours_all"] = round(per_guess * 1_000_000 / 3600, 1)
    result["scrypt_before_cpu_seconds_per_guess"] = round(scrypt_guess, 4)
    result["scrypt_before_4_digit_pin_cpu_minutes_all"] = round(scrypt_guess * 10_000 / 60, 1)
    result["salt_bytes"] = len(base64.b64decode(real.split("$")[4]))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="filler declarations")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--guesses", type=int, default=5, help="real-cost guesses timed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-at-rest-") as tmp:
        root = Path(tmp)
        os.environ["KIOSK_KEY_DIR"] = str(root / "keys")  # the device keys, outside the data
        report = {
            "latency": latency(root / "latency", args.rows, args.runs),
            "attack": attack(root / "attack", args.guesses),
            "cpus": os.cpu_count(),
            "load_avg": os.getloadavg(),
        }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
