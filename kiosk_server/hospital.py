"""Hospitals' approvals of patients from other provinces (directive 82/CV-BCĐ I.6): "citizens
from other provinces who need an examination or a follow-up at a hospital in Thừa Thiên Huế
register online and wait for the hospital's approval before entering the province".

Health staff record each approval here (one at a time, or a hospital's CSV), and revoke it.
The full record stays in the server's `hospital_approvals` table; kiosks get, through
`entities` (kind `hospital_approval`, sync protocol 1.2), only what the checkpoint's check
needs: the ID number, the name masked, the hospital, the appointment and the days of entry.
Every change is one transaction with its audit line. The back office pages and
`kiosk-server hospital-approvals` call these functions.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from kiosk.ids import id_shaped
from kiosk.privacy import mask_id, mask_name
from kiosk.storage.repository import fold_name
from kiosk_server import csv_columns
from kiosk_server.days import parse_day
from kiosk_server.db import lock_changes, now, write_entities
from kiosk_server.office import OfficeError
from kiosk_server.office_db import hospital_approvals as table
from kiosk_server.staff import audit

KIND = "hospital_approval"
PURPOSES = ("kham", "tai_kham")  # khám (an examination), tái khám (a follow-up)
# the days of entry when the hospital names none: the day before the appointment (a patient
# travelling from far away arrives the evening before) and the appointment's day. The
# directive names no window: the project's choice, and a hospital's own window replaces it.
DEFAULT_WINDOW = (timedelta(days=-1), timedelta(days=0))
LONGEST_WINDOW = timedelta(days=14)
HOME = "Thừa Thiên Huế"  # I.6 is for people from other provinces
# the CSV's columns, in the export's order; an import takes the same header (id may be empty)
COLUMNS = (
    "id",
    "subject_id",
    "full_name",
    "home_province",
    "hospital",
    "purpose",
    "appointment_date",
    "entry_from",
    "entry_to",
    "approved_by",
    "status",
)
REQUIRED = ("subject_id", "full_name", "home_province", "hospital", "appointment_date")


def record(form: dict[str, str]) -> dict[str, Any]:
    """A form's or a CSV row's fields as a row of `hospital_approvals` (without its id and
    stamps), or OfficeError naming what is wrong."""
    f = {k: " ".join(str(form.get(k) or "").split()) for k in COLUMNS}
    for k in REQUIRED:
        if not f[k]:
            raise OfficeError("hospital_fields_needed", field=k)
    subject = f["subject_id"].replace(" ", "")
    if not id_shaped(subject):
        raise OfficeError("bad_id_number", field="subject_id")
    if fold_name(f["home_province"]) == fold_name(HOME):
        raise OfficeError("hospital_home_province", field="home_province")
    purpose = f["purpose"] or "kham"
    if purpose not in PURPOSES:
        raise OfficeError("bad_purpose", field="purpose")
    status = f["status"] or "approved"
    if status not in ("approved", "revoked"):
        raise OfficeError("bad_status", field="status")
    appointment = _day(f["appointment_date"], "appointment_date")
    start, end = (appointment + d for d in DEFAULT_WINDOW)
    start = _day(f["entry_from"], "entry_from") if f["entry_from"] else start
    end = _day(f["entry_to"], "entry_to") if f["entry_to"] else end
    if end < start:
        raise OfficeError("bad_dates", field="entry_to")
    if not start <= appointment <= end or end - start > LONGEST_WINDOW:
        # the box typed that leaves the appointment out, or makes the window too long
        late = appointment > end or end - start > LONGEST_WINDOW
        typed = "entry_to" if late else "entry_from"
        raise OfficeError("bad_window", field=typed if f[typed] else "appointment_date")
    for k, longest in (("full_name", 120), ("hospital", 160), ("approved_by", 120)):
        if len(f[k]) > longest:
            raise OfficeError("too_long", field=k)
    return {
        "subject_id": subject,
        "full_name": f["full_name"],
        "home_province": f["home_province"][:60],
        "hospital": f["hospital"],
        "purpose": purpose,
        "appointment_date": appointment,
        "entry_from": start,
        "entry_to": end,
        "approved_by": f["approved_by"],
        "status": status,
    }


def _day(text: str, field: str) -> date:
    """A day typed in the form's `field`, or OfficeError naming that box."""
    try:
        return parse_day(text)
    except ValueError:
        raise OfficeError("bad_date", field=field) from None


def kiosk_doc(row: dict[str, Any]) -> dict[str, Any]:
    """What a kiosk keeps of an approval: never the full name, the province or who approved."""
    return {
        "id": row["id"],
        "subject_id": row["subject_id"],
        "masked_name": mask_name(row["full_name"]),
        "hospital": row["hospital"],
        "appointment_date": row["appointment_date"].isoformat(),
        "entry_from": row["entry_from"].isoformat(),
        "entry_to": row["entry_to"].isoformat(),
        "status": row["status"],
    }


def _write(conn: Connection, rows: list[dict[str, Any]], actor: str) -> list[dict[str, Any]]:
    """Inserts rows without an id (the next ids), replaces rows with one; then the kiosks'
    documents, in the caller's transaction."""
    lock_changes(conn)  # PostgreSQL: one writer at a time, so two adds never take one id
    at = now()
    next_id = int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1
    written = []
    for row in rows:
        row = {**row, "updated_at": at, "updated_by": actor}
        if row.get("id"):
            hit = conn.execute(update(table).where(table.c.id == row["id"]).values(**row))
            if hit.rowcount == 0:
                conn.execute(table.insert().values(**row))
            next_id = max(next_id, int(row["id"]) + 1)
        else:
            row["id"] = next_id
            next_id += 1
            conn.execute(table.insert().values(**row))
        written.append(row)
    write_entities(conn, KIND, [(str(r["id"]), kiosk_doc(r)) for r in written])
    return written


def add(engine: Engine, actor: str, form: dict[str, str]) -> dict[str, Any]:
    row = record({**form, "id": "", "status": "approved"})
    with engine.begin() as conn:
        (row,) = _write(conn, [row], actor)
        audit(conn, actor, "hospital_add", f"hospital_approval:{row['id']}", _trail(row))
    return row


def read_csv(text: str) -> list[dict[str, Any]]:
    """Every row checked before any is written; a bad row is named by its line and the
    column to correct (its key)."""
    try:
        reader = csv_columns.keyed("hospital", csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    except csv_columns.DuplicateColumn as exc:
        raise OfficeError(
            "hospital_bad_line", line=1, problem="duplicate_column", column=exc.key
        ) from None
    header = csv_columns.header_problem("hospital", list(reader.fieldnames or []), REQUIRED)
    if not reader.fieldnames or (header is not None and header[0] == "import_no_header"):
        raise OfficeError("hospital_bad_header")
    if header is not None:  # the header names the others: the one to add is named
        raise OfficeError("hospital_bad_line", line=1, problem=header[0], column=header[1])
    rows = []
    for line, raw in enumerate(reader, start=2):
        fields = {k.strip(): (v or "") for k, v in raw.items() if k}
        try:
            row = record(fields)
            ident = fields.get("id", "").strip()
            if ident:
                row["id"] = int(ident)
                if row["id"] < 1:
                    raise ValueError(ident)
        except OfficeError as exc:
            # the form's box a refusal names is the column of the same key
            column = str(exc.params.get("field", ""))
            raise OfficeError(
                "hospital_bad_line", line=line, problem=exc.code, column=column
            ) from None
        except ValueError:
            raise OfficeError(
                "hospital_bad_line", line=line, problem="bad_id", column="id"
            ) from None
        rows.append(row)
    if not rows:
        raise OfficeError("hospital_bad_line", line=1, problem="empty")
    return rows


def import_csv(engine: Engine, actor: str, text: str) -> int:
    """All rows or none. A row with an id replaces that approval (an export edited and
    imported again); one without is a new approval."""
    rows = read_csv(text)
    with engine.begin() as conn:
        written = _write(conn, rows, actor)
        audit(conn, actor, "hospital_import", "hospital_approvals", {"rows": len(written)})
    return len(written)


def revoke(engine: Engine, actor: str, approval_id: int, reason: str = "") -> dict[str, Any]:
    with engine.begin() as conn:
        found = conn.execute(select(table).where(table.c.id == approval_id)).first()
        if found is None:
            raise OfficeError("no_hospital_approval")
        row = dict(found._mapping)
        if row["status"] == "revoked":
            return row
        row["status"] = "revoked"
        (row,) = _write(conn, [row], actor)
        detail = {**_trail(row), "reason": " ".join(reason.split())[:200]}
        audit(conn, actor, "hospital_revoke", f"hospital_approval:{approval_id}", detail)
    return row


def _trail(row: dict[str, Any]) -> dict[str, Any]:
    """The audit line's detail: the ID number masked, as elsewhere in the trail."""
    return {
        "subject": mask_id(row["subject_id"]),
        "hospital": row["hospital"],
        "appointment": row["appointment_date"].isoformat(),
        "window": f"{row['entry_from'].isoformat()}/{row['entry_to'].isoformat()}",
    }


def query(subject_id: str = ""):
    """Newest appointments first; one person's when an ID number is given."""
    q = select(table).order_by(table.c.appointment_date.desc(), table.c.id.desc())
    return q.where(table.c.subject_id == subject_id) if subject_id else q


def page(engine: Engine, subject_id: str, limit: int, offset: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        result = conn.execute(query(subject_id).limit(limit).offset(offset))
        return [dict(r._mapping) for r in result]


def subject_of(engine: Engine, approval_id: int) -> str | None:
    """The ID number an approval is for (None for an unknown id)."""
    with engine.connect() as conn:
        return conn.execute(select(table.c.subject_id).where(table.c.id == approval_id)).scalar()
