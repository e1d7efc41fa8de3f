"""Renders one page of each daily report to docs/ (report-kiosk-daily.png,
report-province-daily.png) from a day of checks made through the real desks and pushed through
the server's real push path: `python scripts/report_pictures.py docs`."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.app.demo import seed  # noqa: E402
from kiosk.clock import VIETNAM  # noqa: E402
from kiosk.daily_report import write_daily_report  # noqa: E402
from kiosk.desks import check_text  # noqa: E402
from kiosk.settings import Settings  # noqa: E402
from kiosk.storage import Store  # noqa: E402
from kiosk_server.app import Event, EventBatch, store_events  # noqa: E402
from kiosk_server.db import open_db  # noqa: E402
from kiosk_server.reports import daily_report  # noqa: E402
from kiosk_server.tracing import Staff, checkpoints  # noqa: E402

DAY = date(2026, 12, 1)
CHECKPOINTS = {  # id: (name, district)
    "chot-trang-tien": ("Chốt cầu Tràng Tiền", "Thành phố Huế"),
    "chot-phu-bai": ("Chốt Phú Bài", "Thị xã Hương Thủy"),
    "chot-tu-hien": ("Chốt cầu Tư Hiền", "Huyện Phú Lộc"),
    "chot-phong-dien": ("Chốt Phong Điền", "Huyện Phong Điền"),
}


def main(out_dir: Path) -> None:
    rng = random.Random(10)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        server = open_db(f"sqlite:///{tmpdir}/server.db")
        with server.begin() as conn:
            conn.execute(
                checkpoints.insert(),
                [
                    {
                        "id": k,
                        "name": n,
                        "district": d,
                        "province": "Thừa Thiên Huế",
                        "registered_at": datetime(2026, 11, 1, tzinfo=UTC),
                    }
                    for k, (n, d) in CHECKPOINTS.items()
                ],
            )
        for i, checkpoint in enumerate(CHECKPOINTS):
            store = Store.open(tmpdir / f"k{i}" / "kiosk.db")
            manifest = seed(store, tmpdir / f"k{i}", write_feed=False)
            ids = [x["id"] for x in json.loads(manifest.read_text())["ids"]]
            plates = [p["plate"] for p in json.loads(manifest.read_text())["plates"]][:8]
            conf = replace(Settings(), checkpoint_id=checkpoint, operator_id="medic-demo")
            for _ in range(rng.randrange(120, 260)):
                hour = rng.choices(
                    range(6, 22), weights=[3, 6, 8, 6, 4, 3, 5, 4, 3, 3, 4, 6, 7, 5, 3, 2]
                )[0]
                at = datetime(DAY.year, DAY.month, DAY.day, hour, rng.randrange(60), tzinfo=VIETNAM)
                kind = rng.random()
                args = (
                    {"plate": rng.choice(plates)} if kind < 0.12 else {"id_text": rng.choice(ids)}
                )
                who = conf if kind >= 0.12 else replace(conf, operator_id="police-demo")
                check_text(
                    store,
                    who,
                    clock=lambda at=at: at.astimezone(UTC),
                    direction="in" if rng.random() < 0.55 else "out",
                    **args,
                )
            if i == 0:
                write_daily_report(store, DAY, tmpdir / "kiosk.pdf", "vi", checkpoint)
            pending = store.replica.pending(10_000)
            store_events(
                server,
                f"kiosk-{i}",
                EventBatch(
                    protocol=1,
                    batch_id=str(uuid.uuid4()),
                    sent_at=datetime.now(UTC),
                    events=[
                        Event(
                            event_id=e.event_id, kind=e.kind, occurred_at=e.occurred_at, data=e.data
                        )
                        for e in pending
                    ],
                ),
            )
            store.close()
        daily_report(server, Staff("docs", "admin"), DAY, tmpdir / "province.pdf")
        for name in ("kiosk", "province"):
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    tmpdir / f"{name}.pdf",
                    out_dir / f"report-{name}-daily",
                ],
                check=True,
            )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
