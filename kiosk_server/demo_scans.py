"""`kiosk-server demo`'s scans: the demo's people passing two checkpoints in the last days, a
few minutes apart, as kiosks would have pushed them, so that tracing one of them in the back
office (its default window: the last 14 days) shows contacts, and the statistics show counts.

Stored as a push stores them (the `events` row and what tracing reads); their ids come from
the day they are for, so running the demo again the same day adds nothing twice.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine

from kiosk.app.demo import PEOPLE
from kiosk.clock import VIETNAM
from kiosk.privacy import mask_id
from kiosk_server.db import events, now
from kiosk_server.sql import insert_ignore
from kiosk_server.tracing import checkpoints, record_events

KIOSK = "demo-kiosk"
# the demo's checkpoints on QL1A, as the back office's screenshots name them
CHECKPOINTS = (
    ("CHOT-PHU-BAI", "Chốt Phú Bài (QL1A)", "Thị xã Hương Thủy"),
    ("CHOT-PHONG-DIEN", "Chốt Phong Điền (QL1A)", "Huyện Phong Điền"),
)
# (days before today, checkpoint, Vietnamese time of the first scan, who by PEOPLE's index,
# minutes after the first): Trần Văn Đức (the first person) meets two people at Phú Bài
# yesterday and one at Phong Điền three days ago; one of his contacts meets another later
PASSES = (
    (1, "CHOT-PHU-BAI", time(8, 5), ((0, 0), (1, 6), (3, 11))),
    (3, "CHOT-PHONG-DIEN", time(14, 40), ((0, 0), (2, 9))),
    (2, "CHOT-PHU-BAI", time(17, 20), ((1, 0), (4, 12))),
)


class _Scan:
    kind = "scan"

    def __init__(self, event_id: str, occurred_at: datetime, data: dict) -> None:
        self.event_id, self.occurred_at, self.data = event_id, occurred_at, data


def demo_scans(today: date) -> list[_Scan]:
    out = []
    for days_before, checkpoint, first, visitors in PASSES:
        day = today - timedelta(days=days_before)
        start = datetime.combine(day, first, tzinfo=VIETNAM)
        for who, minutes in visitors:
            person = PEOPLE[who]
            key = f"demo-scan:{day.isoformat()}:{checkpoint}:{person.subject_id}"
            data = {
                "checkpoint_id": checkpoint,
                "direction": "in",
                "person": {
                    "id_number": person.subject_id,
                    "full_name": person.name,
                    "birth_date": person.birth.isoformat(),
                },
                "subject_ref": mask_id(person.subject_id),
                "payload_kind": "cccd",
                "screen": "medic",
                "verdict": person.expect[0],
                "reason": person.expect[1],
            }
            moment = (start + timedelta(minutes=minutes)).astimezone(UTC)
            out.append(_Scan(str(uuid.uuid5(uuid.NAMESPACE_URL, key)), moment, data))
    return out


def seed_scans(engine: Engine, today: date | None = None) -> int:
    """Stores the demo's scans not stored yet; how many were new."""
    today = today or datetime.now(VIETNAM).date()
    scans = demo_scans(today)
    at = now()
    with engine.begin() as conn:
        conn.execute(
            insert_ignore(engine, checkpoints, ["id"]),
            [
                {
                    "id": c,
                    "name": name,
                    "district": district,
                    "province": "Thừa Thiên Huế",
                    "registered_at": at,
                }
                for c, name, district in CHECKPOINTS
            ],
        )
        new = set(
            conn.execute(
                insert_ignore(engine, events, ["event_id"]).returning(events.c.event_id),
                [
                    {
                        "event_id": s.event_id,
                        "kiosk_id": KIOSK,
                        "kind": s.kind,
                        "occurred_at": s.occurred_at,
                        "received_at": at,
                        "clock_skew_seconds": 0.0,
                        "data": json.dumps(s.data, ensure_ascii=False),
                    }
                    for s in scans
                ],
            ).scalars()
        )
        record_events(conn, KIOSK, [s for s in scans if s.event_id in new])
    return len(new)
