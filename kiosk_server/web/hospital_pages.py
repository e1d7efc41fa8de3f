"""The back office's "Khám chữa bệnh" section: hospitals' approvals of patients from other
provinces (directive 82/CV-BCĐ I.6), for the health role and admin. What each route changes is
in `kiosk_server.hospital`; the list exports through the shared CSV export
(`/export/hospital.csv`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from kiosk.ids import id_shaped
from kiosk.privacy import mask_id
from kiosk_server import csv_columns, hospital, staff
from kiosk_server.office import OfficeError
from kiosk_server.web.refusals import MAX_ID, MAX_PAGE, page_number, whole_number

SECTION = "hospital"
PAGE = 50
AUDITED = 18  # characters of a look-up the trail keeps: the longest number, the QR's
# the add form's boxes whose label's key is not their name
BOX_LABELS = {"subject_id": "id_number", "hospital": "hospital_name"}


def add_routes(
    router: APIRouter,
    engine: Engine,
    render: Callable[..., Response],
    section: Callable[[str], Callable[..., Any]],
    checked: Callable[[str | None], Callable[..., Any]],
    back: Callable[..., Response],
) -> None:
    def listing(
        request: Request,
        user: staff.StaffUser,
        wanted: str,
        page: int,
        typed: str = "",
        added: dict[str, str] | None = None,
        column: str = "",
        **notes: str,
    ) -> Response:
        """The list, or one person's approvals when `wanted` is an ID number (a look-up, on
        the trail with the number of approvals shown). `typed` is what the search field shows
        back when it differs from what was looked up: a refused search keeps it to correct;
        `added` what a refused add form had typed, its `bad` note the box to correct."""
        page = max(page, 0)
        rows = hospital.page(engine, wanted, PAGE + 1, page * PAGE)
        shown = rows[:PAGE]  # the one more row only says whether there is a next page
        if wanted:
            with engine.begin() as conn:  # who looked whom up is part of the trail
                staff.audit(
                    conn,
                    user.name,
                    "search",
                    "hospital_approvals",
                    {"query": mask_id(wanted[:AUDITED]), "hits": len(shown)},
                )
        return render(
            request,
            "hospital.html",
            user,
            rows=shown,
            more=len(rows) > PAGE,
            page=page,
            q=wanted,
            typed=typed or wanted,
            purposes=hospital.PURPOSES,
            columns=csv_columns.COLUMNS["hospital"],  # hospital.COLUMNS, each with its Vietnamese
            added=added or {},
            box=BOX_LABELS.get(notes.get("bad", ""), notes.get("bad", "")),
            # a pasted line's column to correct: its (key, Vietnamese name), as the hint names it
            column=next((c for c in csv_columns.COLUMNS["hospital"] if c[0] == column), None),
            **{k: notes.get(k, "") for k in ("error", "done", "line", "problem", "count", "bad")},
        )

    # An ID number never travels in a URL (it would stay in the browser's history and in
    # proxies' logs): the search is a POST, and after a change the page names the approval.
    @router.get("/hospital")
    def approvals(
        request: Request,
        page: int = Depends(page_number),
        approval: str = "",
        error: str = "",
        done: str = "",
        line: str = "",
        problem: str = "",
        column: str = "",
        count: str = "",
        user: staff.StaffUser = Depends(section(SECTION)),  # noqa: B008
    ) -> Response:
        number = whole_number(approval, MAX_ID) if approval else 0
        wanted = hospital.subject_of(engine, number) if number else ""
        notes = {"error": error, "done": done, "line": line, "problem": problem, "count": count}
        return listing(request, user, wanted or "", page, column=column, **notes)

    @router.post("/hospital/search")
    def search(request: Request, got: tuple = Depends(checked(SECTION))) -> Response:
        user, f = got
        page = whole_number(f.get("page") or "0", MAX_PAGE)
        wanted = "".join(f.get("q", "").split())
        if wanted and not id_shaped(wanted):
            # nothing looked up; the field keeps what was typed, for the user to correct
            return listing(request, user, "", page, f.get("q", ""), error="bad_id_number")
        return listing(request, user, wanted, page)

    @router.post("/hospital")
    def approval_add(request: Request, got: tuple = Depends(checked(SECTION))) -> Response:
        user, f = got
        try:
            row = hospital.add(engine, user.name, f)
        except OfficeError as exc:
            # the form again as typed, the box to correct named: not an emptied form to redo
            typed = {k: v for k, v in f.items() if k != "csrf"}
            bad = str(exc.params.get("field", ""))
            response = listing(request, user, "", 0, added=typed, error=exc.code, bad=bad)
            response.status_code = 400
            return response
        return back("/hospital", done="hospital_saved", approval=str(row["id"]))

    @router.post("/hospital/import")
    def approval_import(got: tuple = Depends(checked(SECTION))) -> Response:
        user, f = got
        try:
            count = hospital.import_csv(engine, user.name, f.get("csv", ""))
        except OfficeError as exc:
            return back(
                "/hospital",
                error=exc.code,
                line=str(exc.params.get("line", "")),
                problem=str(exc.params.get("problem", "")),
                column=str(exc.params.get("column", "")),
            )
        return back("/hospital", done="imported_rows", count=str(count))

    @router.post("/hospital/{approval_id}/revoke")
    def approval_revoke(approval_id: str, got: tuple = Depends(checked(SECTION))) -> Response:
        user, f = got
        number = whole_number(approval_id, MAX_ID)
        try:
            row = hospital.revoke(engine, user.name, number, f.get("reason", ""))
        except OfficeError as exc:
            return back("/hospital", error=exc.code)
        return back("/hospital", done="hospital_revoked_done", approval=str(row["id"]))
