"""Every back-office list as CSV (UTF-8 with BOM, one header line, CRLF), streamed in constant
memory, for the web's `/export/NAME.csv` and `kiosk-server export NAME` alike.

The reference way (`reference_rows`, and SQLite's, for small sites) reads each row in Python:
a JSON document parsed, each value through `cell`. On PostgreSQL the text of every cell is
made in SQL instead: `json_to_record` (one parse a row, in C, numbers as Python wrote them)
for the JSON lists, casts for the plain tables; Python hands the tuples to the C csv writer,
and a thread fetches the next batch meanwhile. A batch whose text has a cell starting like a
formula, a list or an object (one regular expression over the batch) is written again row by
row with Python's rules, so the bytes are the same either way (tests/server/test_exports.py
compares the two on a data set of those cases).
"""

from __future__ import annotations

import csv
import io
import json
import queue
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    Integer,
    String,
    case,
    cast,
    func,
    literal_column,
    select,
)

from kiosk_server import hospital, office, staff
from kiosk_server.db import entities

CHUNK = 5000  # rows a fetch and a piece of the stream: memory stays flat whatever the total
AHEAD = 2  # batches fetched ahead of the writing
# A spreadsheet runs a cell as a formula when its text starts with one of these, after any
# blanks or invisible characters (full-width signs are typed by Vietnamese input methods and
# read as the ASCII ones).
FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20"
# Excel with the Vietnamese list separator (';') splits a line at every ';' and ends a row at
# a line break, the file's quotes (made for ',') notwithstanding; a pasted text splits at
# tabs: each piece of a text can become a cell.
SEPARATORS = ",;\t\r\n"
_BLANKS = (  # Unicode's white space but the separators, and the invisible format characters
    " \x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
)
_SIGN = "[" + re.escape(FORMULA_SIGNS) + "]"
_SEP = "[" + re.escape(SEPARATORS) + "]"
# a piece of a text (from its start or a separator to the next) that starts like a formula
_RISKY_PIECE = re.compile(f"(^|{_SEP})([{_BLANKS}]*{_SIGN}[^{re.escape(SEPARATORS)}]*)")
# in a batch of CSV text: a piece starting like a formula, or a cell starting with a list or
# an object (Python's rules); quoted or not
_ODD_CELL = re.compile(f'(?:^|{_SEP})"?[{_BLANKS}]*{_SIGN}|(?:^|,)"?[\\[{{]', re.MULTILINE)


@dataclass(frozen=True)
class Export:
    name: str
    section: str  # the staff section whose users may take it
    columns: tuple[str, ...]
    kind: str | None = None  # an entity kind; None: a plain table read by `query`
    query: Callable[[], Any] | None = None


_DECL_COLS = (
    "id",
    "subject_id",
    "full_name",
    "birth_date",
    "sex",
    "phone",
    "status",
    "valid_until",
    "origin_area",
    "travel_areas",
    "symptoms",
    "declared_by_proxy",
    "source",
    "review_reason",
)
_VEH_COLS = (
    "id",
    "plate_display",
    "kind",
    "status",
    "business",
    "driver_name",
    "driver_phone",
    "valid_from",
    "valid_to",
    "route",
)
_KIOSK_COLS = (
    "id",
    "name",
    "revoked",
    "paired_at",
    "last_seen",
    "agent",
    "clock_skew_seconds",
    "events_received",
)

EXPORTS: dict[str, Export] = {
    e.name: e
    for e in (
        Export("declarations", "declarations", _DECL_COLS, kind="declaration"),
        Export(
            "zones",
            "zones",
            ("id", "area_code", "name", "active_from", "active_to"),
            kind="epidemic_zone",
        ),
        # never the PIN hash
        Export(
            "operators",
            "operators",
            ("id", "display_name", "role", "checkpoint_id", "active"),
            kind="operator",
        ),
        Export("vehicles", "vehicles", _VEH_COLS, kind="vehicle"),
        Export(
            "cards",
            "cards",
            (
                "card_id",
                "household_head",
                "phone",
                "market_id",
                "revoked",
                "valid_from",
                "valid_to",
            ),
            kind="market_card",
        ),
        Export(
            "markets",
            "markets",
            ("id", "name", "days", "param", "slot", "max_entries", "period_days"),
            kind="market",
        ),
        Export("kiosks", "kiosks", _KIOSK_COLS, query=office.kiosk_query),
        # never the password hash
        Export(
            "users",
            "users",
            ("name", "role", "active", "locked_until", "created_at"),
            query=staff.user_query,
        ),
        Export(
            "audit",
            "audit",
            ("seq", "at", "actor", "action", "target", "detail"),
            query=staff.audit_query,
        ),
        # full identities: the health role's (kiosks get them masked, kiosk_server.hospital)
        Export("hospital", "hospital", hospital.COLUMNS, query=hospital.query),
    )
}


def cell(value: object) -> object:
    """One value as the CSV holds it: flags as the importers read them back, times in ISO 8601,
    and a text a spreadsheet would run as a formula defused with a quote before each piece
    that starts like one (see `defused`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.isoformat()
    if isinstance(value, (list, dict)):  # as csv.writer writes them, and defused the same
        value = str(value)
    if isinstance(value, str) and value:
        return defused(value)
    return "" if value is None else value


def defused(text: str) -> str:
    """`text` with a quote before each piece (see SEPARATORS) that starts like a formula, a
    number aside: "Lê Văn An;=cmd" is "Lê Văn An;'=cmd", " =1+1" is "' =1+1", "\\t=1" is
    "\\t'=1", "-12" stays but "0905;-12" is "0905;'-12"."""
    return _RISKY_PIECE.sub(_quoted, text)


def _quoted(piece: re.Match) -> str:
    before, text = piece.group(1), piece.group(2)
    # a number is one only as the whole cell: after a ';' Excel reads on into the next column
    # ("-1" then "5+cmd|..." is a formula there)
    return text if not before and _numberish(text) else before + "'" + text


def needs_defusing(text: str | None) -> bool:
    """Whether `cell` may change the text: one search, for the fast paths' batches."""
    return bool(text) and _RISKY_PIECE.search(text) is not None  # type: ignore[arg-type]


def _numberish(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def count(engine: Engine, spec: Export) -> int:
    """How many rows the export will write (the header aside)."""
    if spec.kind is not None:
        q = select(func.count()).select_from(entities).where(entities.c.kind == spec.kind)
    else:
        assert spec.query is not None
        q = select(func.count()).select_from(spec.query().order_by(None).subquery())
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def reference_rows(engine: Engine, spec: Export) -> Iterator[list[object]]:
    """Rows the plain way: every document parsed in Python. The fast way must equal it."""
    if spec.kind is not None:
        for r in staff.iterate(engine, office.entity_query(spec.kind), CHUNK):
            doc = json.loads(r["data"])
            yield [cell(doc.get(c, "")) for c in spec.columns]
    else:
        assert spec.query is not None
        for r in staff.iterate(engine, spec.query(), CHUNK):
            yield [cell(r.get(c, "")) for c in spec.columns]


def row_batches(engine: Engine, spec: Export) -> Iterator[Sequence[Sequence[object]]]:
    """The export's rows, a batch at a time, each row ready for `csv.writer`."""
    if engine.dialect.name == "postgresql" and spec.query is not None:
        texts = _pg_texts(spec.query())
        if texts is not None:
            yield from _pg_plain_batches(engine, texts)
            return
    batch: list[list[object]] = []
    for row in reference_rows(engine, spec):
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _pg_entity_text(engine: Engine, spec: Export) -> Iterator[tuple[str, int]]:
    """CSV text a batch at a time. json_to_record parses each document once, in C, and gives
    numbers as Python wrote them (jsonb would rewrite 1.5e-07); Python only hands the tuples to
    the C csv writer. A batch whose text has a cell starting like a formula, a list or an
    object (found by one regular expression over the batch) is written again row by row with
    Python's rules (`cell`; a list or an object from its document)."""
    assert spec.kind is not None
    cols = [f'"{c}"' for c in spec.columns]  # names from the table above, never from a user
    sql = (
        f"SELECT e.key, {', '.join('x.' + c for c in cols)} "
        f"FROM entities e CROSS JOIN LATERAL json_to_record(e.data::json) "
        f"AS x({', '.join(c + ' text' for c in cols)}) "
        f"WHERE e.kind = %(kind)s ORDER BY e.key"
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    values = itemgetter(slice(1, None))  # the row without its key, in C
    for rows in _server_side(engine, sql, {"kind": spec.kind}):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(map(values, rows))
        if _ODD_CELL.search(buffer.getvalue()):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(_python_rules(engine, spec, rows))
        yield buffer.getvalue(), len(rows)


def _python_rules(engine: Engine, spec: Export, rows: list[tuple]) -> list[Sequence[object]]:
    odd = [r for r in rows if any(v and (v[0] in "[{" or needs_defusing(v)) for v in r[1:])]
    keys = [r[0] for r in odd if any(v and v[0] in "[{" for v in r[1:])]
    docs: dict[str, dict] = {}
    if keys:  # a list's text is Python's str() of it, not JSON: from the document
        with engine.connect() as conn:
            found = conn.execute(
                select(entities.c.key, entities.c.data).where(
                    entities.c.kind == spec.kind, entities.c.key.in_(keys)
                )
            )
            docs = {k: json.loads(d) for k, d in found}
    odd_keys = {r[0] for r in odd}
    out: list[Sequence[object]] = []
    for r in rows:
        if r[0] not in odd_keys:
            out.append(r[1:])
        elif r[0] in docs:
            out.append([cell(docs[r[0]].get(c, "")) for c in spec.columns])
        else:  # texts as Python wrote them: `cell` of the text is `cell` of the value
            out.append([cell(v) for v in r[1:]])
    return out


def _pg_texts(query: Any) -> Any | None:
    """The query with each column turned into the text `cell` makes of it, in SQL; None when
    a column's type has no exact twin there (a float: PostgreSQL writes 2, Python 2.0)."""
    exprs = []
    for c in query.selected_columns:
        kind = c.type
        if isinstance(kind, Boolean):
            expr = case((c.is_(True), "true"), (c.is_(False), "false"))
        elif isinstance(kind, DateTime):
            # datetime.isoformat(): microseconds only when there are some, the session's offset
            # (psycopg hands Python the session's time zone too)
            expr = (
                func.to_char(c, literal_column("'YYYY-MM-DD\"T\"HH24:MI:SS'"))
                + case(
                    (
                        func.extract("microseconds", c) % 1_000_000 != 0,
                        func.to_char(c, literal_column("'.US'")),
                    ),
                    else_="",
                )
                + func.to_char(c, literal_column("'TZH:TZM'"))
            )
        elif isinstance(kind, (Integer, String)):  # Text and BigInteger are kinds of these
            expr = cast(c, String)
        else:
            return None
        exprs.append(expr.label(c.name))
    return query.with_only_columns(*exprs, maintain_column_froms=True)


def _pg_plain_batches(engine: Engine, query: Any) -> Iterator[list[Sequence[object]]]:
    compiled = query.compile(dialect=engine.dialect)
    for rows in _server_side(engine, str(compiled), compiled.params):
        yield [[cell(v) for v in r] if any(needs_defusing(v) for v in r) else r for r in rows]


def _server_side(engine: Engine, sql: str, params: dict) -> Iterator[list[tuple]]:
    """Rows through a server-side cursor, CHUNK at a time: memory stays flat (AHEAD batches
    at most). A thread fetches the next batch while the caller writes this one, so that
    PostgreSQL and Python work at once rather than in turn."""
    batches: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def fetch() -> None:
        try:
            with engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                assert raw is not None
                with raw.cursor(name="office_export") as cur:
                    cur.execute(sql, params)
                    while rows := cur.fetchmany(CHUNK):
                        if not put(rows):
                            return  # the reader has gone (a closed download)
        except Exception as exc:  # the reader raises it
            put(exc)
        else:
            put(None)

    fetcher = threading.Thread(target=fetch, name="export-fetch", daemon=True)
    fetcher.start()
    try:
        while (item := batches.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()
        fetcher.join()


def csv_chunks(
    engine: Engine, spec: Export, progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The file, BOM and header first, in pieces of a few thousand rows. `progress` hears the
    rows written so far after each piece."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(spec.columns)
    yield buffer.getvalue().encode()
    done = 0
    for piece, rows in _text_batches(engine, spec, buffer, writer):
        done += rows
        yield piece.encode()
        if progress is not None:
            progress(done)


def _text_batches(
    engine: Engine, spec: Export, buffer: io.StringIO, writer: Any
) -> Iterator[tuple[str, int]]:
    if spec.kind is not None and engine.dialect.name == "postgresql":
        yield from _pg_entity_text(engine, spec)
        return
    for batch in row_batches(engine, spec):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(batch)
        yield buffer.getvalue(), len(batch)


def reference_csv(engine: Engine, spec: Export) -> bytes:
    """The whole file the plain way (tests compare it with `csv_chunks`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(spec.columns)
    writer.writerows(reference_rows(engine, spec))
    return buffer.getvalue().encode()


def audit_export(engine: Engine, actor: str, spec: Export) -> None:
    with engine.begin() as conn:
        staff.audit(conn, actor, "export", spec.name, {})
