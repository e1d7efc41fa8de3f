"""The kiosk's day on paper (`kiosk report daily`, and the supervisor's screen): scans by verdict
and by hour, entries and exits, assisted declarations, vehicles, operators on duty. Counted from
the kiosk's own scan log, by the Vietnamese calendar day, with the definitions of kiosk/tallies.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, func, select

from kiosk import messages, tallies
from kiosk.clock import VIETNAM, local
from kiosk.report_pdf import Report, word
from kiosk.storage import Store
from kiosk.storage.database import translate_errors
from kiosk.storage.models import AssistedDeclaration, AuditEntry, Operator, ScanEvent
from kiosk.storage.timeutil import from_db, to_db

_SCAN = ScanEvent.__table__
_ASSISTED = AssistedDeclaration.__table__
_AUDIT = AuditEntry.__table__
_OPERATOR = Operator.__table__


@dataclass(frozen=True)
class DayNumbers:
    day: date
    checkpoints: list[str]
    total_scans: int
    by_verdict: dict[str, int]
    by_hour: list[dict[str, int]]  # 24 local hours, each verdict -> scans
    entries: int
    exits: int
    assisted_declarations: int
    vehicles: int
    quarantine: int
    violations: int
    operators: list[str] = field(default_factory=list)  # "id (name)"

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["day"] = self.day.isoformat()
        return out


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which the Vietnamese day begins and ends."""
    start = datetime(day.year, day.month, day.day, tzinfo=VIETNAM).astimezone(UTC)
    return start, start + timedelta(days=1)


def day_numbers(store: Store, day: date) -> DayNumbers:
    start, end = day_bounds(day)
    within = and_(_SCAN.c.scanned_at >= to_db(start), _SCAN.c.scanned_at < to_db(end))
    query = select(
        _SCAN.c.scanned_at,
        _SCAN.c.verdict,
        _SCAN.c.reason,
        _SCAN.c.screen,
        _SCAN.c.direction,
        _SCAN.c.operator_id,
        _SCAN.c.checkpoint_id,
    ).where(within)
    by_verdict = dict.fromkeys(tallies.VERDICTS, 0)
    by_hour = [dict.fromkeys(tallies.VERDICTS, 0) for _ in range(24)]
    entries = exits = vehicles = quarantine = violations = total = 0
    operators: set[str] = set()
    checkpoints: set[str] = set()
    with translate_errors(), store.engine.connect() as conn:
        for r in conn.execute(query):
            total += 1
            by_verdict[r.verdict] = by_verdict.get(r.verdict, 0) + 1
            hour = local(from_db(r.scanned_at)).hour
            by_hour[hour][r.verdict] = by_hour[hour].get(r.verdict, 0) + 1
            if r.screen == tallies.PERSON_SCREEN:
                entries += r.direction == "in"
                exits += r.direction == "out"
                quarantine += r.reason in tallies.QUARANTINE_REASONS
            vehicles += r.screen == tallies.VEHICLE_SCREEN
            violations += r.verdict == tallies.VIOLATION_VERDICT
            operators.add(r.operator_id)
            checkpoints.add(r.checkpoint_id)
        assisted = conn.execute(
            select(func.count())
            .select_from(_ASSISTED)
            .where(_ASSISTED.c.created_at >= to_db(start), _ASSISTED.c.created_at < to_db(end))
        ).scalar_one()
        operators.update(
            conn.execute(
                select(_AUDIT.c.operator_id).where(
                    _AUDIT.c.at >= to_db(start),
                    _AUDIT.c.at < to_db(end),
                    _AUDIT.c.action == "sign_in",
                    _AUDIT.c.outcome == "ok",
                )
            ).scalars()
        )
        names = dict(
            conn.execute(
                select(_OPERATOR.c.id, _OPERATOR.c.display_name).where(
                    _OPERATOR.c.id.in_(operators)
                )
            ).all()
        )
    return DayNumbers(
        day=day,
        checkpoints=sorted(checkpoints),
        total_scans=total,
        by_verdict=by_verdict,
        by_hour=by_hour,
        entries=entries,
        exits=exits,
        assisted_declarations=int(assisted),
        vehicles=vehicles,
        quarantine=quarantine,
        violations=violations,
        operators=[f"{o} ({names[o]})" if o in names else o for o in sorted(operators)],
    )


def write_daily_report(
    store: Store, day: date, out: Path, lang: str = "vi", checkpoint_id: str = ""
) -> DayNumbers:
    """The day's PDF; returns the numbers printed on it (the supervisor's screen shows them)."""
    n = day_numbers(store, day)
    where = checkpoint_id or ", ".join(n.checkpoints)
    report = Report(
        f"{word('daily_report', lang)} {day.strftime('%d/%m/%Y')}",
        f"{word('checkpoint', lang)}: {where} · "
        + word("printed_at", lang, time=local(datetime.now(UTC)).strftime("%d/%m/%Y %H:%M")),
    )
    verdict = {v: messages.verdict_word(v, lang) for v in tallies.VERDICTS}
    report.table(
        [word("total_scans", lang), *verdict.values()],
        [[n.total_scans, *(n.by_verdict.get(v, 0) for v in tallies.VERDICTS)]],
    )
    report.heading(word("by_hour", lang))
    hours = [h for h in range(24) if sum(n.by_hour[h].values())] or [local(day_bounds(day)[0]).hour]
    first, last = min(hours), max(hours)
    span = range(first, last + 1)
    report.bar_chart(
        [f"{h:02d}" for h in span],
        [(verdict[v], [n.by_hour[h].get(v, 0) for h in span]) for v in tallies.VERDICTS],
    )
    report.heading(word("by_verdict", lang))
    report.table(
        ["", word("total_scans", lang)],
        [[verdict[v], n.by_verdict.get(v, 0)] for v in tallies.VERDICTS],
    )
    report.heading(word("daily_report", lang))
    report.table(
        ["", ""],
        [
            [word("entries", lang), n.entries],
            [word("exits", lang), n.exits],
            [word("assisted", lang), n.assisted_declarations],
            [word("vehicles", lang), n.vehicles],
            [word("quarantine", lang), n.quarantine],
            [word("violations", lang), n.violations],
        ],
    )
    report.heading(word("operators", lang))
    report.line(", ".join(n.operators) or word("none", lang))
    report.save(out)
    return n
