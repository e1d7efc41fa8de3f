"""The province's paper: the daily report per district and checkpoint, and a trace as the list
a health officer acts on. Drawn by kiosk/report_pdf.py (reportlab, DejaVu embedded), from the
same functions the command line and the back office call (stats.py, tracing.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from reportlab.lib.units import mm
from sqlalchemy import Engine

from kiosk import messages, tallies
from kiosk.clock import local
from kiosk.report_pdf import Report, word
from kiosk_server.stats import stats
from kiosk_server.tracing import Staff, whole_minutes

COLUMNS = (
    ("qr_points", "qr_points"),
    ("scans_in", "entries"),
    ("scans_out", "exits"),
    ("declarations_self", "self_declared"),
    ("declarations_assisted", "assisted"),
    ("quarantine", "quarantine"),
    ("vehicles", "vehicles"),
    ("violations", "violations"),
)
DIRECTION_WORDS = {"in": "direction_in", "out": "direction_out"}


def _printed(lang: str) -> str:
    return word("printed_at", lang, time=local(datetime.now(UTC)).strftime("%d/%m/%Y %H:%M"))


def daily_report(
    engine: Engine, staff: Staff, day: date, out: Path, lang: str = "vi"
) -> dict[str, list[dict[str, object]]]:
    """The province's day: totals, scans by hour as a chart, a table per district and per
    checkpoint. Returns the rows printed (the same as `stats` for that day)."""
    by = {k: stats(engine, staff, day, day, k) for k in ("district", "checkpoint", "hour")}
    total = by["district"][-1]
    report = Report(
        f"{word('province_report', lang)} {day.strftime('%d/%m/%Y')}", _printed(lang), wide=True
    )
    header = [word(w, lang) for _c, w in COLUMNS]
    report.table(header, [[total[c] for c, _w in COLUMNS]])
    report.heading(word("by_hour", lang))
    hours = {str(r["key"])[-5:-3]: r for r in by["hour"][:-1]}
    span = sorted(hours) or ["00"]
    span = [f"{h:02d}" for h in range(int(span[0]), int(span[-1]) + 1)]
    report.bar_chart(
        span,
        [
            (
                messages.verdict_word(v, lang),
                [int(hours[h][f"scans_{v}"]) if h in hours else 0 for h in span],  # type: ignore[call-overload]
            )
            for v in tallies.VERDICTS
        ],
        height=55 * mm,
    )
    for key, title, label in (
        ("district", "by_district", "district"),
        ("checkpoint", "by_checkpoint", "checkpoint"),
    ):
        report.heading(word(title, lang))
        report.table(
            [word(label, lang), *header],
            [[r["key"], *(r[c] for c, _w in COLUMNS)] for r in by[key][:-1]],
        )
    report.save(out)
    return by


def trace_pdf(result: dict[str, object], out: Path, lang: str = "vi") -> Path:
    subject = result["subject"]  # type: ignore[assignment]
    name = subject.get("full_name") or ""  # type: ignore[union-attr]
    report = Report(
        f"{word('trace_report', lang)}: {name} {subject['id_number']}",  # type: ignore[index]
        f"{word('period', lang)}: {result['from']} – {result['to']} · "
        + word("overlap", lang, minutes=result["overlap_minutes"])
        + " · "
        + _printed(lang),
        wide=True,
    )
    _visits(report, result["visits"], lang)  # type: ignore[arg-type]
    for s in result["second_level"]:  # type: ignore[attr-defined]
        report.heading(word("second_level", lang, name=f"{s['via_name'] or ''} {s['via']}"))
        _visits(report, s["visits"], lang)
    return report.save(out)


def _when(iso: str) -> str:
    return local(datetime.fromisoformat(iso)).strftime("%d/%m/%Y %H:%M")


def _visits(report: Report, visits: list[dict[str, object]], lang: str) -> None:
    for v in visits:
        report.heading(
            f"{v['checkpoint_name']} ({v['district']}): {_when(str(v['first_seen']))}"
            f" – {_when(str(v['last_seen']))[-5:]}"
        )
        contacts = v["contacts"]
        if not contacts:
            report.line(word("none", lang))
            continue
        report.table(
            [
                word("name", lang),
                word("id_number", lang),
                word("birth_date", lang),
                word("phone", lang),
                word("scanned_at", lang),
                word("minutes_apart", lang),
            ],
            [
                [
                    x["full_name"] or word("unidentified", lang),
                    x["id_number"] or x["qr_id"] or x["subject_ref"],
                    x["birth_date"] or "",
                    x["phone"],
                    f"{_when(str(x['scanned_at']))} "
                    f"({word(DIRECTION_WORDS.get(str(x['direction']), 'direction_in'), lang)})",
                    whole_minutes(x["minutes_apart"]),
                ]
                for x in contacts  # type: ignore[attr-defined]
            ],
        )
