"""The back office: server-rendered pages at `/` on the sync server's own process and database.

Every page needs a staff session (`kiosk_server.staff`); each role opens its sections only,
admin all. Every form carries the session's CSRF token; every change is audited. No script is
needed: plain forms and links, so a phone or an old laptop works as well as a new one.
"""

from __future__ import annotations

import hmac
import io
import os
import secrets
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import jinja2
import segno
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, func
from starlette.concurrency import run_in_threadpool

from kiosk.clock import VIETNAM
from kiosk.declaration_form import FIELDS as DECLARATION_FIELDS
from kiosk.ids import id_shaped
from kiosk.plates import printed
from kiosk.privacy import mask_id
from kiosk.provinces import area_name
from kiosk_server import (
    admin,
    cards,
    csv_columns,
    days,
    demo_staff,
    exports,
    office,
    staff,
    tracing,
)
from kiosk_server.exports import cell as _cell  # noqa: F401  (tests read it here)
from kiosk_server.sign_in_guard import PER_ADDRESS, AddressGuard, client_key
from kiosk_server.web import (
    audit_shown,
    hospital_pages,
    imports,
    notices,
    sign_in_slots,
    tracing_pages,
)
from kiosk_server.web.i18n import LANGUAGES, text
from kiosk_server.web.imports import IMPORT_COLUMNS
from kiosk_server.web.refusals import (
    MAX_ID,
    Refused,
    no_nul,
    page_number,
    refuse_nul,
    whole_number,
)
from sync.addresses import is_loopback

HERE = Path(__file__).parent
COOKIE = "office_session"
PRE_COOKIE = "office_pre"  # binds the sign-in form's CSRF token to this browser

PAGE = 50
MAX_FORM = 64 * 1024
MAX_UPLOAD = 1 << 30  # an import's CSV: a million declarations are about 150 MB
# the assisted form's answers, in the kiosk's own order (one list: a new field shows here too)
FORM_LABELS = DECLARATION_FIELDS
POSTER_URL = "https://tokhaiyte.vn"  # the national declaration site, unless a province sets one
# a poster's QR is scanned from a metre or two: a longer address makes its modules too small
# (and past about 1,600 characters no QR holds it at all)
POSTER_URL_MOST = 300


class NeedLogin(Exception):
    pass


def lang_of(request: Request) -> str:
    found = request.cookies.get("lang", "vi")
    return found if found in LANGUAGES else "vi"


def install(app: FastAPI, engine: Engine) -> None:
    secret = staff.web_secret(engine)
    office.enable_folding(engine)
    office.ensure_indexes(engine)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["when"] = days.shown  # every day and time a page shows, one way
    env.filters["place"] = area_name  # an area code as the province it is in
    env.filters["minutes"] = tracing.whole_minutes  # the trace PDF's minutes too
    env.filters["plate"] = printed  # rows saved before plates were kept as printed, too
    tries = AddressGuard(int(os.environ.get("KIOSK_SERVER_SIGN_IN_TRIES", PER_ADDRESS)))
    # the OpenAPI document stays the protocol's
    router = APIRouter(include_in_schema=False, dependencies=[Depends(no_nul)])
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def render(
        request: Request,
        template: str,
        user: staff.StaffUser | None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        lang = lang_of(request)
        html = env.get_template(template).render(
            t=lambda key: text(key, lang),
            lang=lang,
            user=user,
            path=request.url.path,
            query=str(request.url.query),
            **notices.ours(context),
        )
        return HTMLResponse(html, status_code=status, headers=_page_headers())

    @app.exception_handler(NeedLogin)
    async def _to_login(request: Request, _exc: NeedLogin) -> Response:
        if request.url.path.startswith("/export/") and request.url.path.endswith(".csv"):
            return Response("sign in first\n", status_code=401, media_type="text/plain")
        return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        # the usual page around the refusal: the signed-in user keeps the nav, the sign-out
        # button and a way back to where they came from
        user = await run_in_threadpool(signed_in, request)
        heading = {403: "refused_403", 404: "refused_404"}.get(exc.status, "refused")
        return render(
            request,
            "error.html",
            user,
            status=exc.status,
            message_key=exc.key,
            param=exc.param,
            box=exc.box,
            heading=heading,
            back_to=_came_from(request),
        )

    def signed_in(request: Request) -> staff.StaffUser | None:
        signed = request.cookies.get(COOKIE, "")
        token = staff.unsign_cookie(secret, signed) if signed else None
        user = staff.session_user(engine, token) if token else None
        if user is not None:
            request.state.token = token
        return user

    def current(request: Request) -> staff.StaffUser:
        user = signed_in(request)
        if user is None:
            raise NeedLogin
        return user

    def section(name: str) -> Callable[..., staff.StaffUser]:
        def dep(user: staff.StaffUser = Depends(current)) -> staff.StaffUser:  # noqa: B008
            if not user.may(name):
                raise Refused(403, "forbidden")
            return user

        return dep

    async def read_form(request: Request) -> dict[str, str]:
        # refused on its declared length before a byte is read, and on what comes when no
        # length is declared (chunked): never more than MAX_FORM held
        declared = request.headers.get("content-length", "0")
        if not (declared.isascii() and declared.isdigit()) or int(declared) > MAX_FORM:
            raise Refused(413, "too_large")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM:
                raise Refused(413, "too_large")
        parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        form = {k: ",".join(v) for k, v in parsed.items()}  # ticked boxes: "1,2,3"
        refuse_nul([*form, *form.values()])
        return form

    def checked(name: str | None) -> Callable[..., Any]:
        """A POST's form, after its CSRF token was compared with the session's."""

        async def dep(
            request: Request,
            user: staff.StaffUser = Depends(section(name) if name else current),  # noqa: B008
        ) -> tuple[staff.StaffUser, dict[str, str]]:
            form = await read_form(request)
            if not staff.same_secret(form.get("csrf", ""), user.csrf):
                raise Refused(403, "csrf")
            return user, form

        return dep

    def back(path: str, **params: str) -> RedirectResponse:
        query = "&".join(f"{k}={quote(v)}" for k, v in params.items())
        return RedirectResponse(path + ("?" + query if query else ""), status_code=303)

    def saved(
        path: str, change: Callable[[], object], refused: type[Exception] = office.OfficeError
    ) -> RedirectResponse:
        """A list's form: back to the list with "saved", or with the change's refusal."""
        try:
            change()
        except refused as exc:
            return back(path, error=exc.code)  # type: ignore[attr-defined]
        return back(path, done="saved")

    def refused_form(
        page: Callable[..., Response], exc: office.OfficeError, form: dict[str, str]
    ) -> Response:
        """A list's form refused: its page again with what was typed kept (a PIN aside) and
        the box to correct named, instead of an emptied form and a message to guess from."""
        typed = {k: v for k, v in form.items() if k not in ("csrf", "pin")}
        box = str(exc.params.get("field", ""))
        response = page(error=exc.code, typed=typed, box=BOX_LABELS.get(box, box), bad=box)
        response.status_code = 400
        return response

    # --- sign-in ------------------------------------------------------------------------
    def login_token(nonce: str) -> str:
        return hmac.new(secret, b"login:" + nonce.encode(), "sha256").hexdigest()

    @router.get("/login")
    def login_page(request: Request, error: str = "", next: str = "/") -> Response:
        return login_form(request, error, next)

    def login_form(
        request: Request, error: str, next: str, status: int = 200, minutes: int = 0
    ) -> Response:
        nonce = secrets.token_urlsafe(16)
        response = render(
            request,
            "login.html",
            None,
            status=status,
            error=error,
            minutes=minutes,
            next=_safe_next(next),
            csrf=login_token(nonce),
            # public anyway (README): shown only while they still open their accounts, and
            # only on this machine, the one place they may sign in from
            demo_accounts=demo_staff.open_demo_accounts(engine, active_only=True)
            if _from_this_machine(request)
            else [],
        )
        response.set_cookie(
            PRE_COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=3600,
        )
        return response

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await read_form(request)
        nonce = request.cookies.get(PRE_COOKIE, "")
        if not nonce or not staff.same_secret(form.get("csrf", ""), login_token(nonce)):
            raise Refused(403, "csrf")
        name, password = form.get("name", "").strip(), form.get("password", "")
        address = _client_address(request)
        refusal = tries.refused(address)

        def may_try() -> bool:  # asked again once a password check is free to start
            nonlocal refusal
            refusal = tries.refused(address)
            return not refusal[0]

        if refusal[0]:
            token, outcome = None, "too_many_tries"
        elif demo_staff.is_public_password(name, password) and not _from_this_machine(request):
            token, outcome = None, "demo_here_only"
        else:
            token, outcome = await sign_in_slots.sign_in(engine, name, password, address, may_try)
        if outcome == "too_many_tries":
            wait, first = refusal
            if first:
                await run_in_threadpool(staff.sign_in_refused, engine, name, address)
            seconds = int(wait) + 1
            response = login_form(
                request, "too_many_tries", form.get("next", "/"), 429, minutes=-(-seconds // 60)
            )
            response.headers["Retry-After"] = str(seconds)
            return response
        if token is None:
            if outcome != "sign_in_busy":  # busy is the server's doing, not the client's
                tries.failed(address)
            return back("/login", error=outcome, next=_safe_next(form.get("next", "/")))
        response = RedirectResponse(_safe_next(form.get("next", "/")), status_code=303)
        session_cookie(request, response, token)
        response.delete_cookie(PRE_COOKIE)
        return response

    def session_cookie(request: Request, response: Response, token: str) -> None:
        response.set_cookie(
            COOKIE,
            staff.sign_cookie(secret, token),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=int(staff.SESSION_TIME.total_seconds()),
        )

    @router.post("/logout")
    def logout(request: Request, got: tuple = Depends(checked(None))) -> Response:
        user, _form = got
        staff.sign_out(engine, request.state.token, user.name)
        response = back("/login")
        response.delete_cookie(COOKIE)
        return response

    # --- one's own password -------------------------------------------------------------
    @router.get("/password")
    def password_page(
        request: Request,
        error: str = "",
        done: str = "",
        user: staff.StaffUser = Depends(current),  # noqa: B008
    ) -> Response:
        return render(
            request, "password.html", user, error=error, done=done, least=staff.MIN_PASSWORD
        )

    @router.post("/password")
    def password_change(request: Request, got: tuple = Depends(checked(None))) -> Response:
        user, f = got
        new = f.get("new", "")
        if demo_staff.is_public_password(user.name, new):
            outcome = "weak"  # a demo account keeps its public password only by not changing it
        else:
            outcome = staff.change_own_password(
                engine,
                user.name,
                f.get("current", ""),
                new,
                f.get("repeat", ""),
                keep_token=request.state.token,
                address=_client_address(request),
            )
        if outcome != "ok":
            return back("/password", error=f"password_{outcome}")
        # a new session too: a copy of this one's cookie (a shared computer) ends with the rest
        response = back("/password", done="password_changed")
        session_cookie(
            request, response, staff.renew_session(engine, request.state.token, user.name)
        )
        return response

    @router.get("/lang/{code}")
    def switch_language(code: str, next: str = "/") -> Response:
        response = RedirectResponse(_safe_next(next), status_code=303)
        if code in LANGUAGES:
            response.set_cookie("lang", code, samesite="lax", max_age=365 * 86400)
        return response

    @router.get("/")
    def home(request: Request, user: staff.StaffUser = Depends(current)) -> Response:  # noqa: B008
        pending = office.pending_count(engine) if user.may("declarations") else None
        return render(request, "home.html", user, pending=pending)

    # --- declarations -------------------------------------------------------------------
    def declaration_list(
        request: Request,
        user: staff.StaffUser,
        q: str,
        page: int,
        done: str,
        typed: str = "",
        error: str = "",
    ) -> Response:
        """The review queue, and what `q` finds. A refused search (`error`) looks nothing up;
        its field shows back what was `typed`, for the user to correct."""
        page = max(page, 0)
        found = office.search_declarations(engine, q) if q else []
        if q:
            with engine.begin() as conn:  # who looked whom up is part of the trail
                staff.audit(
                    conn,
                    user.name,
                    "search",
                    "declarations",
                    {"query": _masked_query(q[: hospital_pages.AUDITED]), "hits": len(found)},
                )
        queue = office.pending_declarations(engine, PAGE + 1, page * PAGE)
        return render(
            request,
            "declarations.html",
            user,
            q=q,
            typed=typed or q,
            found=found,
            queue=queue[:PAGE],
            more=len(queue) > PAGE,
            page=page,
            done=done,
            error=error,
        )

    @router.get("/declarations")
    def declarations(
        request: Request,
        page: int = Depends(page_number),
        done: str = "",
        user: staff.StaffUser = Depends(section("declarations")),  # noqa: B008
    ) -> Response:
        return declaration_list(request, user, "", page, done)

    # the search is a POST: an ID number or a name in a URL stays in the browser's history
    # and in proxies' logs
    @router.post("/declarations/search")
    def declaration_search(
        request: Request, got: tuple = Depends(checked("declarations"))
    ) -> Response:
        user, form = got
        typed = form.get("q", "").strip()
        number = "".join(typed.split())  # "0463 0100 2345" as printed on the card
        if not number.isdigit():  # a name
            return declaration_list(request, user, typed, 0, "")
        if not id_shaped(number):
            return declaration_list(request, user, "", 0, "", typed, "bad_id_number")
        return declaration_list(request, user, number, 0, "", typed)

    @router.get("/declarations/{decl_id}")
    def declaration_page(
        request: Request,
        decl_id: str,
        error: str = "",
        user: staff.StaffUser = Depends(section("declarations")),  # noqa: B008
    ) -> Response:
        decl = office.declaration(engine, decl_id)
        if decl is None:
            raise Refused(404, "not_found")
        form = office.assisted_form(engine, decl["event_id"]) if decl.get("event_id") else None
        with engine.begin() as conn:  # opening a person's declaration is a look-up to trace
            staff.audit(conn, user.name, "open", f"declaration:{decl_id}", {})
        return render(
            request,
            "declaration.html",
            user,
            d=decl,
            form=form,
            error=error,
            risk=office.risk(engine, decl, form),
            labels=FORM_LABELS,
        )

    @router.post("/declarations/{decl_id}/review")
    def review(decl_id: str, got: tuple = Depends(checked("declarations"))) -> Response:
        user, form = got
        approve = form.get("action") == "approve"
        try:
            office.review(engine, decl_id, approve, form.get("reason", ""), user.name)
        except office.OfficeError as exc:
            return back(f"/declarations/{decl_id}", error=exc.code)
        return back("/declarations", done="done_approved" if approve else "done_rejected")

    # --- zones ---------------------------------------------------------------------------
    def zone_list(request: Request, user: staff.StaffUser, **notes: Any) -> Response:
        rows = office.listing(engine, "epidemic_zone", limit=1000)
        return render(request, "zones.html", user, rows=rows, **_form_notes(notes))

    @router.get("/zones")
    def zones(
        request: Request,
        error: str = "",
        done: str = "",
        user: staff.StaffUser = Depends(section("zones")),  # noqa: B008
    ) -> Response:
        return zone_list(request, user, error=error, done=done)

    @router.post("/zones")
    def zone_save(request: Request, got: tuple = Depends(checked("zones"))) -> Response:
        user, f = got
        fields = ("id", "area_code", "name", "active_from", "active_to")
        try:
            office.save_zone(engine, user.name, *(f.get(k, "") for k in fields))
        except office.OfficeError as exc:
            return refused_form(partial(zone_list, request, user), exc, f)
        return back("/zones", done="saved")

    # --- operators ----------------------------------------------------------------------
    @router.get("/operators")
    def operators(
        request: Request,
        error: str = "",
        done: str = "",
        checkpoint: str = "",
        page: int = Depends(page_number),
        user: staff.StaffUser = Depends(section("operators")),  # noqa: B008
    ) -> Response:
        return operator_list(request, user, checkpoint, page, error=error, done=done)

    def operator_list(
        request: Request, user: staff.StaffUser, checkpoint: str = "", page: int = 0, **notes: Any
    ) -> Response:
        page = max(page, 0)
        where = [office.field(engine, "checkpoint_id") == checkpoint] if checkpoint else []
        found = office.listing(engine, "operator", where, PAGE + 1, page * PAGE)
        rows = [office.public_operator(d) for d in found[:PAGE]]
        return render(
            request,
            "operators.html",
            user,
            rows=rows,
            roles=office.OPERATOR_ROLES,
            checkpoint=checkpoint,
            page=page,
            more=len(found) > PAGE,
            **_form_notes(notes),
        )

    @router.post("/operators")
    def operator_add(request: Request, got: tuple = Depends(checked("operators"))) -> Response:
        user, f = got
        fields = ("id", "name", "role", "checkpoint", "pin")
        try:
            office.add_operator(engine, user.name, *(f.get(k, "") for k in fields))
        except office.OfficeError as exc:
            return refused_form(partial(operator_list, request, user), exc, f)
        return back("/operators", done="saved")

    @router.post("/operators/{operator_id}")
    def operator_change(operator_id: str, got: tuple = Depends(checked("operators"))) -> Response:
        user, f = got
        action = f.get("action", "")
        change = {"pin": f.get("pin", "")} if action == "pin" else {"active": action == "enable"}
        return saved(
            "/operators",
            lambda: office.change_operator(engine, user.name, operator_id, **change),
        )

    # --- kiosks -------------------------------------------------------------------------
    @router.get("/kiosks")
    def kiosk_list(
        request: Request,
        user: staff.StaffUser = Depends(section("kiosks")),  # noqa: B008
    ) -> Response:
        return render(request, "kiosks.html", user, rows=office.kiosk_rows(engine), code=None)

    @router.post("/kiosks/pair")
    def kiosk_pair(request: Request, got: tuple = Depends(checked("kiosks"))) -> Response:
        user, _f = got
        code = admin.new_pairing_code(engine)
        with engine.begin() as conn:
            staff.audit(conn, user.name, "pairing_code", "kiosks", {})
        url = str(request.base_url).rstrip("/")
        qr = segno.make(f"{url} {code}", error="m").svg_data_uri(scale=5)
        return render(
            request, "kiosks.html", user, rows=office.kiosk_rows(engine), code=code, qr=qr, url=url
        )

    @router.post("/kiosks/{kiosk_id}/revoke")
    def kiosk_revoke(kiosk_id: str, got: tuple = Depends(checked("kiosks"))) -> Response:
        user, _f = got
        office.revoke_kiosk(engine, user.name, kiosk_id)
        return back("/kiosks")

    # --- vehicles -----------------------------------------------------------------------
    @router.get("/vehicles")
    def vehicles(
        request: Request,
        error: str = "",
        done: str = "",
        page: int = Depends(page_number),
        line: str = "",
        problem: str = "",
        count: str = "",
        user: staff.StaffUser = Depends(section("vehicles")),  # noqa: B008
    ) -> Response:
        return vehicle_list(
            request, user, page, error=error, done=done, line=line, problem=problem, count=count
        )

    def vehicle_list(
        request: Request,
        user: staff.StaffUser,
        page: int = 0,
        line: str = "",
        problem: str = "",
        count: str = "",
        column: str = "",
        **notes: Any,
    ) -> Response:
        page = max(page, 0)
        rows = office.listing(engine, "vehicle", limit=PAGE + 1, offset=page * PAGE)
        # a pasted line's column to correct, named as the paste hint names it
        named = dict(office.VEHICLE_COLUMNS)
        column = csv_columns.name("vehicles", column, lang_of(request)) if column in named else ""
        return render(
            request,
            "vehicles.html",
            user,
            rows=rows[:PAGE],
            more=len(rows) > PAGE,
            page=page,
            kinds=office.VEHICLE_KINDS,
            columns=office.VEHICLE_COLUMNS,
            checks=office.vehicle_checks(engine),
            line=line,
            problem=problem,
            count=count,
            column=column,
            **_form_notes(notes),
        )

    @router.post("/vehicles")
    def vehicle_save(request: Request, got: tuple = Depends(checked("vehicles"))) -> Response:
        user, f = got
        try:
            office.save_vehicle(engine, user.name, f)
        except office.OfficeError as exc:
            return refused_form(partial(vehicle_list, request, user), exc, f)
        return back("/vehicles", done="saved")

    @router.post("/vehicles/import")
    def vehicle_import(request: Request, got: tuple = Depends(checked("vehicles"))) -> Response:
        user, f = got
        try:
            count = office.import_vehicles(engine, user.name, f.get("csv", ""))
        except office.OfficeError as exc:
            # the pasted list stays in its box, to correct the line named
            response = vehicle_list(
                request,
                user,
                error=exc.code,
                line=str(exc.params.get("line", "")),
                problem=str(exc.params.get("problem", "")),
                column=str(exc.params.get("column", "")),
                typed={"csv": f.get("csv", "")},
            )
            response.status_code = 400
            return response
        return back("/vehicles", done="imported_rows", count=str(count))

    # --- markets and cards ---------------------------------------------------------------
    @router.get("/markets")
    def markets(
        request: Request,
        error: str = "",
        done: str = "",
        user: staff.StaffUser = Depends(section("markets")),  # noqa: B008
    ) -> Response:
        return market_list(request, user, error=error, done=done)

    def market_list(request: Request, user: staff.StaffUser, **notes: Any) -> Response:
        rows = office.listing(engine, "market", limit=1000)
        return render(
            request,
            "markets.html",
            user,
            rows=rows,
            kinds=list(cards.DAY_KINDS),
            **_form_notes(notes),
        )

    @router.post("/markets")
    def market_save(request: Request, got: tuple = Depends(checked("markets"))) -> Response:
        user, f = got
        try:
            cards.save_market(engine, user.name, f)
        except office.OfficeError as exc:
            return refused_form(partial(market_list, request, user), exc, f)
        return back("/markets", done="saved")

    @router.get("/cards")
    def card_list(
        request: Request,
        error: str = "",
        done: str = "",
        q: str = "",
        page: int = Depends(page_number),
        user: staff.StaffUser = Depends(section("cards")),  # noqa: B008
    ) -> Response:
        return card_page(request, user, q, page, error=error, done=done)

    def card_page(
        request: Request, user: staff.StaffUser, q: str = "", page: int = 0, **notes: Any
    ) -> Response:
        page = max(page, 0)
        where = (
            [
                func.lower(office.field(engine, "household_head")).contains(
                    q.lower(), autoescape=True
                )
            ]
            if q
            else []
        )
        rows = office.listing(engine, "market_card", where, PAGE + 1, page * PAGE)
        markets = office.listing(engine, "market", limit=1000)
        return render(
            request,
            "cards.html",
            user,
            rows=rows[:PAGE],
            more=len(rows) > PAGE,
            page=page,
            markets=markets,
            q=q,
            **_form_notes(notes),
        )

    @router.post("/cards")
    def card_issue(request: Request, got: tuple = Depends(checked("cards"))) -> Response:
        user, f = got
        try:
            doc = cards.issue_card(engine, user.name, f)
        except office.OfficeError as exc:
            return refused_form(partial(card_page, request, user), exc, f)
        return back("/cards", done="card_issued", q=doc["household_head"])

    @router.post("/cards/{card_id}")
    def card_change(card_id: str, got: tuple = Depends(checked("cards"))) -> Response:
        user, f = got
        number = whole_number(card_id, MAX_ID)
        try:
            if f.get("action") == "reissue":
                doc = cards.reissue_card(engine, user.name, number)
                return back("/cards", done="card_issued", q=doc["household_head"])
            cards.revoke_card(engine, user.name, number)
        except office.OfficeError as exc:
            return back("/cards", error=exc.code)
        return back("/cards", done="saved")

    @router.post("/cards-print")
    def card_print(got: tuple = Depends(checked("cards"))) -> Response:
        user, f = got
        ids = [whole_number(x, MAX_ID) for x in f.get("card", "").split(",") if x.strip()]
        chosen = cards.printable(engine, ids)
        if not chosen:
            return back("/cards", error="nothing_to_print")
        out = io.BytesIO()
        cards.cards_pdf(chosen, out)
        with engine.begin() as conn:
            staff.audit(
                conn, user.name, "card_print", "cards", {"cards": [c["card_id"] for c in chosen]}
            )
        return Response(
            out.getvalue(),
            media_type="application/pdf",
            headers={
                "Content-Disposition": 'attachment; filename="the-di-cho.pdf"',
                "Cache-Control": "no-store",
            },
        )

    @router.get("/kiosks/poster.pdf")
    def poster(
        checkpoint: str,
        name: str = "",
        url: str = "",
        user: staff.StaffUser = Depends(section("kiosks")),  # noqa: B008
    ) -> Response:
        if not checkpoint.strip():
            raise Refused(400, "checkpoint_needed")
        text_ = url.strip() or POSTER_URL
        if len(text_) > POSTER_URL_MOST:
            raise Refused(400, "poster_url_too_long", param="url", box="poster_url")
        out = io.BytesIO()
        cards.checkpoint_poster(checkpoint.strip(), name.strip(), text_, out)
        with engine.begin() as conn:
            staff.audit(conn, user.name, "poster", f"checkpoint:{checkpoint.strip()}", {})
        return Response(
            out.getvalue(),
            media_type="application/pdf",
            headers={
                "Content-Disposition": 'attachment; filename="chot.pdf"',
                "Cache-Control": "no-store",
            },
        )

    # --- staff accounts and the audit trail ---------------------------------------------
    @router.get("/users")
    def users(
        request: Request,
        error: str = "",
        done: str = "",
        user: staff.StaffUser = Depends(section("users")),  # noqa: B008
    ) -> Response:
        return render(
            request,
            "users.html",
            user,
            rows=staff.users(engine),
            roles=staff.ROLES,
            error=error,
            done=done,
        )

    @router.post("/users")
    def user_add(got: tuple = Depends(checked("users"))) -> Response:
        user, f = got
        return saved(
            "/users",
            lambda: staff.add_user(
                engine,
                f.get("name", "").strip(),
                f.get("role", ""),
                f.get("password", ""),
                actor=user.name,
            ),
            staff.StaffError,
        )

    @router.post("/users/{name}")
    def user_change(name: str, got: tuple = Depends(checked("users"))) -> Response:
        user, f = got
        active = f.get("action") == "enable"
        return saved(
            "/users",
            lambda: staff.set_user(engine, name, user.name, active=active),
            staff.StaffError,
        )

    @router.get("/audit")
    def audit_page(
        request: Request,
        actor: str = "",
        action: str = "",
        target: str = "",
        page: int = Depends(page_number),
        user: staff.StaffUser = Depends(section("audit")),  # noqa: B008
    ) -> Response:
        page = max(page, 0)
        lang = lang_of(request)
        # the stored target, or the words the page shows for it (audit_shown.target_filter)
        also, kinds = audit_shown.target_filter(target, lang)
        # the stored actor, or the words the page shows for it (audit_shown.actor_filter)
        actors, actor_like = audit_shown.actor_filter(actor, lang)
        query = staff.audit_query(
            actor.strip(),
            action,
            target.strip(),
            also=also,
            kinds=kinds,
            actors=actors,
            actor_like=actor_like,
        )
        query = query.limit(PAGE + 1).offset(page * PAGE)
        with engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        for r in rows:
            r["who"] = audit_shown.actor_words(r["actor"] or "", lang)
            r["action_words"] = audit_shown.action_words(r["action"], lang)
            r["target"] = audit_shown.target_words(r["target"] or "", r["action"], lang)
            r["detail"] = audit_shown.detail_text(r["detail"], lang)
        return render(
            request,
            "audit.html",
            user,
            rows=rows[:PAGE],
            more=len(rows) > PAGE,
            page=page,
            actor=actor,
            action=action,
            target=target,
            actions=[(a, audit_shown.action_words(a, lang)) for a in staff.ACTIONS],
        )

    # --- CSV exports: streamed, UTF-8 with BOM (kiosk_server/exports.py) -------------------
    def export_spec(name: str, user: staff.StaffUser) -> exports.Export:
        spec = exports.EXPORTS.get(name)
        if spec is None:
            raise Refused(404, "not_found")
        if not user.may(spec.section):
            raise Refused(403, "forbidden")
        return spec

    @router.get("/export/{name}.csv")
    def export(
        name: str,
        request: Request,
        user: staff.StaffUser = Depends(current),  # noqa: B008
    ) -> Response:
        spec = export_spec(name, user)
        exports.audit_export(engine, user.name, spec)
        stamp = datetime.now(VIETNAM).strftime("%Y%m%d-%H%M")
        return StreamingResponse(
            exports.csv_chunks(engine, spec),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"',
                "Cache-Control": "no-store",
            },
        )

    @router.get("/export/{name}")
    def export_page(
        name: str,
        request: Request,
        user: staff.StaffUser = Depends(current),  # noqa: B008
    ) -> Response:
        """How many rows the file will hold, before the download starts: the file is streamed
        as it is written, so the browser can show the bytes received but not a total."""
        spec = export_spec(name, user)
        return render(request, "export.html", user, name=name, rows=exports.count(engine, spec))

    # --- CSV imports: the upload's progress streamed into the page ----------------------
    def import_kind(name: str, user: staff.StaffUser) -> str:
        if name not in IMPORT_COLUMNS:
            raise Refused(404, "not_found")
        if not user.may(name):
            raise Refused(403, "forbidden")
        return name

    @router.get("/import/{name}")
    def import_page(
        name: str,
        request: Request,
        user: staff.StaffUser = Depends(current),  # noqa: B008
    ) -> Response:
        import_kind(name, user)
        columns = imports.columns_shown(name, lang_of(request))
        return render(request, "import.html", user, name=name, running=False, columns=columns)

    @router.post("/import/{name}")
    async def import_run(
        name: str,
        request: Request,
        user: staff.StaffUser = Depends(current),  # noqa: B008
    ) -> Response:
        """All rows or none, as `kiosk-server import`. The page is sent as the import runs: a
        progress bar at each phase and each half second, then the outcome (a plain page, no
        script: the browser shows each part as it comes)."""
        import_kind(name, user)
        # refused on its declared length before a byte is read: the file would be spooled whole
        # to a temporary file, then copied, before its CSRF token could be looked at
        declared = request.headers.get("content-length", "")
        if not (declared.isascii() and declared.isdigit()):
            raise Refused(411, "refused")  # a browser always says how long a form is
        if int(declared) > MAX_UPLOAD:
            raise Refused(413, "upload_too_large")
        form = await request.form(max_files=1, max_fields=4)
        upload = form.get("file")
        if not staff.same_secret(str(form.get("csrf", "")), user.csrf):
            raise Refused(403, "csrf")
        if upload is None or isinstance(upload, str):
            raise Refused(400, "csv_file_needed")
        path = await run_in_threadpool(imports.save_upload, upload.file)
        lang = lang_of(request)
        page = env.get_template("import.html").render(
            t=lambda key: text(key, lang),
            lang=lang,
            user=user,
            path=request.url.path,
            query="",
            name=name,
            running=True,
            file=upload.filename or "",
        )
        head, tail = page.split("<!--PROGRESS-->")
        return StreamingResponse(
            imports.stream(engine, user.name, name, path, upload.filename or "", head, tail, lang),
            media_type="text/html; charset=utf-8",
            headers={**_page_headers(), "X-Accel-Buffering": "no"},  # a proxy must not hold it
        )

    tracing_pages.add_routes(router, engine, render, section, checked, Refused)
    hospital_pages.add_routes(router, engine, render, section, checked, back)
    app.include_router(router)


# a form field's label where its name is not its label's key
BOX_LABELS = {"market_id": "market"}


def _form_notes(notes: dict[str, Any]) -> dict[str, Any]:
    """A list page's notes: what was done or refused, and after a refusal what was typed and
    the box it names (`box` its label's key, `bad` the field's name)."""
    typed = notes.get("typed") or {}
    return {
        "error": notes.get("error", ""),
        "done": notes.get("done", ""),
        "typed": typed,
        "box": notes.get("box", ""),
        "bad": notes.get("bad", ""),
    }


def _page_headers() -> dict[str, str]:
    return {
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
        "style-src 'self'; form-action 'self'; frame-ancestors 'none'",
    }


def _client_address(request: Request) -> str:
    """The address a sign-in is counted and known by (sign_in_guard.client_key). uvicorn names
    a client behind a proxy on this machine by X-Forwarded-For, anyone else by the connection's
    own address (README, "Serving kiosks over TLS")."""
    return client_key(request.client.host if request.client else "")


def _from_this_machine(request: Request) -> bool:
    """A client on the server itself, asking for it by a name of this machine: a page elsewhere
    whose name its DNS then points at 127.0.0.1 (rebinding) makes a browser here a loopback
    client, but its requests still carry the page's own name as their Host."""
    return (
        request.client is not None
        and is_loopback(request.client.host)
        and is_loopback(request.url.hostname or "")
    )


def _safe_next(target: str) -> str:
    """Only a path on this server: a crafted link must not send a signed-in user elsewhere."""
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 33 for c in target)  # browsers drop tabs and newlines: "/\t/evil"
    ):
        return "/"
    return target


def _came_from(request: Request) -> str:
    """The page of this server the refused request came from (its path and query), or "" when
    there is none to go back to: another site's, or the refused page itself."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or referer.path == request.url.path:
        return ""
    target = referer.path + ("?" + referer.query if referer.query else "")
    return "" if _safe_next(target) == "/" and target != "/" else target


def _masked_query(q: str) -> str:
    """A search as the trail keeps it: an ID number masked as everywhere else (a CMND keeps 2
    and 2 of its 9 digits), a name not at all."""
    q = q.strip()
    return mask_id(q) if q.isdigit() else "name"
