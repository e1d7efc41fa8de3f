"""The province's numbers (issue 10; Đồng Nai's directive, parts IV.2 and IV.8: "thống kê, báo
cáo hàng ngày"): per day or hour, district or checkpoint, summed in the database from the hourly
scan counts (scan_counts, kept at ingest with the definitions the kiosk's own report uses,
kiosk/tallies.py) and declaration_log.

Days and hours are Vietnamese (UTC+7). `stats` returns plain rows for the command line, the
back office's tables and charts, and the province's daily report.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, case, func, literal_column, select

from kiosk_server.tracing import (
    COUNT_NAMES,
    STATS_ROLES,
    UNREGISTERED,
    Staff,
    begin_audit,
    checkpoint_places,
    day_range,
    declaration_log,
    end_audit,
    scan_counts,
)

BY = ("day", "hour", "district", "checkpoint")
COUNTS = (
    "scans_in",
    "scans_out",
    "scans_allow",
    "scans_attention",
    "scans_deny",
    "declarations_self",
    "declarations_assisted",
    "quarantine",
    "vehicles",
    "violations",
)
FIELDS = ("key", "qr_points", *COUNTS)


def _bucket(engine: Engine, column, by: str):
    """The Vietnamese day or hour of a UTC timestamp, as text, in the database."""
    if engine.dialect.name == "postgresql":
        fmt = "YYYY-MM-DD" if by == "day" else "YYYY-MM-DD HH24:00"
        shifted = func.timezone("UTC", column) + literal_column("interval '7 hours'")
        return func.to_char(shifted, fmt)
    fmt = "%Y-%m-%d" if by == "day" else "%Y-%m-%d %H:00"
    return func.strftime(fmt, column, "+7 hours")


def _sum(condition) -> object:
    return func.sum(case((condition, 1), else_=0))


def stats(
    engine: Engine, staff: Staff, start: date, end: date, by: str = "day"
) -> list[dict[str, object]]:
    """One row per day, hour, district or checkpoint from `start` to `end` (inclusive), with
    every count; a last row keyed "total". Audited."""
    if by not in BY:
        raise ValueError(f"--by: one of {', '.join(BY)}")
    if end < start:
        raise ValueError("--to is before --from")
    a, b = day_range(start, end)
    params = {"from": start, "to": end, "by": by}
    seq = begin_audit(engine, staff, "stats", STATS_ROLES, "", params)
    c = scan_counts.c
    time_key = by in ("day", "hour")
    group = _bucket(engine, c.hour, by) if time_key else c.checkpoint_id
    query = (
        select(group.label("g"), *(func.sum(c[n]).label(n) for n in COUNT_NAMES))
        .where(c.hour >= a, c.hour < b)
        .group_by(group)
    )
    d = declaration_log.c
    dgroup = _bucket(engine, d.declared_at, by) if time_key else func.coalesce(d.checkpoint_id, "")
    decl_query = (
        select(
            dgroup.label("g"),
            _sum(d.by_proxy.is_(False)).label("declarations_self"),
            _sum(d.by_proxy.is_(True)).label("declarations_assisted"),
        )
        .where(d.declared_at >= a, d.declared_at < b)
        .group_by(dgroup)
    )
    with engine.connect() as conn:
        places = checkpoint_places(conn)
        scans = conn.execute(query).all()
        decls = conn.execute(decl_query).all()

    def place_key(checkpoint: str) -> str:
        if by == "checkpoint":
            return checkpoint or UNREGISTERED
        return str(places.get(checkpoint, {}).get("district", UNREGISTERED))

    rows: dict[str, dict[str, object]] = {}

    def row(key: str) -> dict[str, object]:
        return rows.setdefault(key, {"key": key, "qr_points": 0, **dict.fromkeys(COUNTS, 0)})

    for r in scans:
        target = row(r.g if time_key else place_key(r.g))
        for name in COUNTS:
            if name in r._mapping:
                target[name] += int(r._mapping[name] or 0)  # type: ignore[operator]
    for r in decls:
        # a self-declaration belongs to no checkpoint
        target = row(r.g if time_key else (place_key(r.g) if r.g else "—"))
        target["declarations_self"] += int(r.declarations_self or 0)  # type: ignore[operator]
        target["declarations_assisted"] += int(r.declarations_assisted or 0)  # type: ignore[operator]
    # QR points registered by the end of each row's period (or of the whole range)
    for checkpoint, place in places.items():
        registered = _utc(place["registered_at"])  # type: ignore[arg-type]
        if time_key:
            for key, target in rows.items():
                if registered < _bucket_end(key, by):
                    target["qr_points"] += 1  # type: ignore[operator]
        elif registered < b:
            row(place_key(checkpoint))["qr_points"] += 1  # type: ignore[operator]
    out = [rows[k] for k in sorted(rows)]
    total = {"key": "total", **dict.fromkeys(("qr_points", *COUNTS), 0)}
    for r in out:
        for name in COUNTS:
            total[name] += r[name]  # type: ignore[operator]
    total["qr_points"] = sum(1 for p in places.values() if _utc(p["registered_at"]) < b)  # type: ignore[arg-type]
    out.append(total)
    end_audit(engine, seq, len(out))
    return out


def _bucket_end(key: str, by: str) -> datetime:
    from kiosk.clock import VIETNAM

    if by == "day":
        start = datetime.fromisoformat(key).replace(tzinfo=VIETNAM)
        return (start + timedelta(days=1)).astimezone(UTC)
    start = datetime.strptime(key, "%Y-%m-%d %H:%M").replace(tzinfo=VIETNAM)
    return (start + timedelta(hours=1)).astimezone(UTC)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
