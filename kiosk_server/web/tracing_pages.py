"""The back office's tracing and statistics pages (issue 10): health and admin only.

`kiosk_server.tracing.trace` and `kiosk_server.stats.stats` do the work and the audit; these
pages are their form, table and CSV. The statistics chart is plain <meter> bars: no script,
and nothing the page's Content-Security-Policy (no inline style) would block.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from kiosk.clock import VIETNAM
from kiosk.ids import id_shaped
from kiosk_server import stats as stats_mod
from kiosk_server import tracing
from kiosk_server.days import parse_day

FIELDS = ("id_number", "start", "end", "overlap", "level")  # the form's, in form_of's order
# each box's name, and its label's key: a refusal names the box by what the user sees by it
BOX_LABELS = {
    "id_number": "trace_id",
    "start": "from",
    "end": "to",
    "overlap": "overlap_minutes",
    "level": "trace_level",
    "by": "stats_by",
}


def day_refusal(start: date | None, end: date | None) -> tuple[str, str]:
    """Of two date boxes (None where what was typed is no day): the message key and the box
    to correct, the first when both are wrong; ("", "") when the two make a range."""
    if start is None or end is None:
        return "bad_date", "start" if start is None else "end"
    for box, day in (("start", start), ("end", end)):
        if not tracing.in_recorded_years(day):
            return "day_out_of_range", box
    if end < start:
        return "bad_dates", "end"  # the "to" is the box a user corrects after picking "from"
    return "", ""


def _day(value: str, default: date) -> date | None:
    """The day typed, the default when none was, None when what was typed is no day: refused,
    not replaced (figures for other days than asked would pass for the asked ones)."""
    try:
        return parse_day(value) if value.strip() else default
    except ValueError:
        return None


def _ascii_number(value: str) -> int | None:
    """ASCII digits only: str.isdigit() and int() also take full-width and Arabic-Indic ones."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else None


def trace_form(values: dict[str, str], today: date) -> tuple[dict, str]:
    """The tracing form's fields, and the message key of the first one not valid ("" when all
    are). An empty field takes its default; a typed one is taken as typed or refused, never
    replaced silently (a trace over other days than asked looks like "no contacts")."""
    raw = {k: values.get(k, "").strip() for k in FIELDS}
    start = _day(raw["start"], today - timedelta(days=14))
    end = _day(raw["end"], today)
    # read before any refusal: a date field shows back only a day it understands (ISO), so a
    # refusal over the ID number keeps the days as typed
    f: dict = {
        "id_number": raw["id_number"],
        "from": raw["start"] if start is None else start,
        "to": raw["end"] if end is None else end,
        "overlap": raw["overlap"] or 15,
        "level": raw["level"] or 1,
        "bad": "",  # the box to correct, named and marked on the page
    }

    def refuse(key: str, box: str) -> tuple[dict, str]:
        f["bad"] = box
        return f, key

    if not id_shaped(raw["id_number"], tracing.ID_LENGTHS):
        return refuse("trace_id_bad", "id_number")
    key, box = day_refusal(start, end)
    if key:
        return refuse(key, box)
    overlap = _ascii_number(str(f["overlap"]))
    if overlap is None or not 1 <= overlap <= 24 * 60:
        return refuse("trace_overlap_bad", "overlap")
    f["overlap"] = overlap
    if str(f["level"]) not in ("1", "2"):
        return refuse("trace_level_bad", "level")
    f["level"] = int(f["level"])
    return f, ""


def add_routes(
    router: APIRouter,
    engine: Engine,
    render: Callable[..., Response],
    section: Callable[[str], Callable[..., Any]],
    checked: Callable[[str | None], Callable[..., Any]],
    refused: Callable[..., Exception],
) -> None:
    def today() -> date:
        return datetime.now(VIETNAM).date()

    def run_trace(user: Any, f: dict) -> dict:
        try:
            result = tracing.trace(
                engine,
                tracing.Staff(f"web:{user.name}", user.role),
                f["id_number"],
                f["from"],
                f["to"],
                f["overlap"],
                f["level"],
            )
        except tracing.Refused as exc:
            raise refused(403, "forbidden") from exc
        tracing.office_trail(engine, user.name, f["id_number"], f, result["contacts"])
        return result

    # The ID number travels in POST bodies only (the form and its CSV button, each with the
    # session's CSRF token): a query string stays in the browser's history and proxies' logs.
    @router.get("/tracing")
    def tracing_page(
        request: Request,
        user: Any = Depends(section("tracing")),  # noqa: B008
    ) -> Response:
        f, _ = trace_form({}, today())
        return render(request, "tracing.html", user, f=f, result=None, rows=[], error="", box="")

    @router.post("/tracing")
    def tracing_run(request: Request, got: tuple = Depends(checked("tracing"))) -> Response:
        user, form = got
        f, error = trace_form(form, today())
        result, rows = None, []
        if not error:
            try:
                result = run_trace(user, f)
            except ValueError:
                error = "trace_bad"
            else:
                rows = tracing.trace_rows(result)
        return render(
            request,
            "tracing.html",
            user,
            status=400 if error else 200,
            f=f,
            result=result,
            rows=rows,
            error=error,
            box=BOX_LABELS.get(f["bad"], ""),
        )

    @router.post("/tracing.csv")
    def tracing_csv(got: tuple = Depends(checked("tracing"))) -> Response:
        user, form = got
        f, error = trace_form(form, today())
        if error:
            raise refused(400, error, f["bad"], BOX_LABELS[f["bad"]])
        try:
            result = run_trace(user, f)
        except ValueError as exc:
            raise refused(400, "trace_bad") from exc
        body = tracing.to_csv(tracing.trace_rows(result), tracing.CSV_FIELDS)
        stamp = datetime.now(VIETNAM).strftime("%Y%m%d-%H%M")
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="truy-vet-{stamp}.csv"',
                "Cache-Control": "no-store",
            },
        )

    @router.get("/stats")
    def stats_page(
        request: Request,
        start: str = "",
        end: str = "",
        by: str = "day",
        user: Any = Depends(section("stats")),  # noqa: B008
    ) -> Response:
        first, last = today() - timedelta(days=6), today()
        typed_a, typed_b = _day(start, first), _day(end, last)
        rows: list[dict[str, object]] = []
        error, bad = day_refusal(typed_a, typed_b)
        if not error and by not in stats_mod.BY:
            error, bad = "stats_by_bad", "by"
        a, b = typed_a or first, typed_b or last
        by = by if by in stats_mod.BY else "day"
        if not error:
            try:
                rows = stats_mod.stats(
                    engine, tracing.Staff(f"web:{user.name}", user.role), a, b, by
                )
            except tracing.Refused as exc:
                raise refused(403, "forbidden") from exc
            except ValueError:
                error = "stats_bad"
        for r in rows:
            r["scans"] = int(r["scans_in"]) + int(r["scans_out"])  # type: ignore[call-overload]
        top = max((int(r["scans"]) for r in rows if r["key"] != "total"), default=0)
        return render(
            request,
            "stats.html",
            user,
            status=400 if error else 200,  # as every refused form: still the page, to correct
            # a day not understood shows back as typed, for the user to correct
            start=start if typed_a is None else a,
            end=end if typed_b is None else b,
            bad=bad,
            box=BOX_LABELS.get(bad, ""),
            by=by,
            bys=stats_mod.BY,
            rows=rows,
            counts=stats_mod.COUNTS,
            top=max(top, 1),
            error=error,
        )
