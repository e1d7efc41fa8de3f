"""Sync protocol v1 over HTTP (FastAPI). The OpenAPI document is docs/openapi.json.

No `from __future__ import annotations` here: FastAPI reads the annotations of the route
functions, which refer to names local to create_app.
"""

import json
import logging
import os
import secrets
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi
from pydantic import AfterValidator, AwareDatetime, BaseModel, Field
from sqlalchemy import Engine, select, update

from kiosk_server import __version__, bodies
from kiosk_server.db import changes, digest, events, kiosks, now, open_db, pairing_codes
from kiosk_server.office import intake_assisted, record_push, retire_same_name
from kiosk_server.pairing_guard import PER_ADDRESS, PairingGuard
from kiosk_server.sql import insert_ignore
from kiosk_server.tracing import record_events

PROTOCOL = 1
# kiosk.storage.replica.INT64_MAX, not imported: that would load the kiosk's whole storage stack
# (ORM models, Alembic) into every server process, 25 MiB and 1.5 s for one number
INT64_MAX = 2**63 - 1
MAX_PAGE = 10_000
MAX_BATCH = 5_000
FIRST_YEAR, LAST_YEAR = 2020, 2100  # no checkpoint recorded anything outside these
# What an event sent again may change, by kind: an entry its exit (once), a handover its status.
MUTABLE_FIELDS = {
    "market_entry": ("exited_at",),
    "vehicle_entry": ("exited_at",),
    "handover": ("status", "status_at"),
}
SET_ONCE = ("market_entry", "vehicle_entry")
log = logging.getLogger("kiosk_server.security")


def _plausible(moment: datetime) -> datetime:
    """A time a kiosk recorded: with its zone (else it is read seven hours wrong somewhere),
    within the years kiosks exist, and kept as the instant it names (stored in UTC)."""
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, year 9999 west of it: no instant at all
        utc = None
    if utc is None or not FIRST_YEAR <= utc.year <= LAST_YEAR:
        raise ValueError(f"a time between {FIRST_YEAR} and {LAST_YEAR}")
    return utc


Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]
EventId = Annotated[str, Field(min_length=8, max_length=36, pattern=r"^[0-9A-Za-z_-]+$")]


class PairRequest(BaseModel):
    protocol: Literal[1]
    code: str = Field(min_length=6, max_length=40)
    kiosk_name: str = Field(min_length=1, max_length=120)  # printable: it is shown and logged


class PairAnswer(BaseModel):
    protocol: Literal[1] = 1
    kiosk_id: str
    credential: str


class Change(BaseModel):
    seq: int
    kind: str
    key: str
    op: Literal["upsert", "delete"]
    data: dict | None


class ChangesAnswer(BaseModel):
    protocol: Literal[1] = 1
    cursor: int
    has_more: bool
    changes: list[Change]


class Event(BaseModel):
    event_id: EventId
    kind: Literal[
        "scan", "market_entry", "assisted_declaration", "audit", "vehicle_entry", "handover"
    ]
    occurred_at: Moment
    data: dict[str, Any]


class EventBatch(BaseModel):
    protocol: Literal[1]
    batch_id: str = Field(max_length=64)
    sent_at: Moment
    events: list[Event] = Field(max_length=MAX_BATCH)


class RefusedEvent(BaseModel):
    event_id: str
    error: Literal["event_conflict"]


class PushAnswer(BaseModel):
    protocol: Literal[1] = 1
    stored: int
    duplicates: int
    refused: list[RefusedEvent] = []
    clock_skew_seconds: float


def _body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The request body in the OpenAPI document: bodies are read by bodies.read_model, after
    the credential, so FastAPI does not see them as parameters."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


class StrictTransport:
    """Over TLS (the server's own certificate, or a proxy that says X-Forwarded-Proto https),
    every answer tells the browser to use TLS for a year: a back-office page reached once over
    HTTPS is then never asked for over plain HTTP, where a café's network could read the
    session cookie. An ASGI wrapper rather than an HTTP middleware: the exports and the import's
    progress stream, and must go on streaming."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), HSTS]
            await send(message)

        await self.app(scope, receive, sending)


HSTS = (b"strict-transport-security", b"max-age=31536000")


def create_app(db_url: str) -> FastAPI:
    engine = open_db(db_url)
    app = FastAPI(
        title="Checkpoint kiosk central server",
        version=__version__,
        description="Sync protocol v1: see docs/sync-protocol.md.",
        # nothing served about the routes: the document is committed (docs/openapi.json) for
        # those who build a client, and a stranger probing the server learns nothing from it
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(StrictTransport)
    app.state.engine = engine
    guard = PairingGuard(int(os.environ.get("KIOSK_SERVER_PAIR_TRIES", PER_ADDRESS)))
    _log_to_stderr()

    def kiosk_id(authorization: Annotated[str | None, Header()] = None) -> str:
        return authenticate(engine, authorization)

    async def event_batch(request: Request, kiosk: Annotated[str, Depends(kiosk_id)]) -> EventBatch:
        return await bodies.read_model(request, EventBatch, bodies.EVENTS)

    async def pair_request(request: Request) -> PairRequest:
        address = request.client.host if request.client else "?"
        wait = guard.admit(address)
        if wait:
            raise HTTPException(
                429, {"error": "too_many_tries"}, headers={"Retry-After": str(int(wait) + 1)}
            )
        body = await bodies.read_model(request, PairRequest, bodies.PAIR)
        request.state.address = address
        return body

    @app.get("/v1/health")
    def health() -> dict[str, object]:
        return {"protocol": PROTOCOL, "status": "ok"}

    @app.post("/v1/pair", response_model=PairAnswer, openapi_extra=_body_doc(PairRequest))
    def pair(request: Request, body: Annotated[PairRequest, Depends(pair_request)]) -> PairAnswer:
        try:
            return PairAnswer(**pair_kiosk(engine, body.code, body.kiosk_name))
        except HTTPException:
            guard.failed(request.state.address)
            raise

    @app.get("/v1/changes", response_model=ChangesAnswer)
    def pull(
        kiosk: Annotated[str, Depends(kiosk_id)],
        cursor: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 5000,
    ) -> Response:
        return Response(page_json(engine, cursor, limit), media_type="application/json")

    @app.post("/v1/events", response_model=PushAnswer, openapi_extra=_body_doc(EventBatch))
    def push(
        kiosk: Annotated[str, Depends(kiosk_id)],
        body: Annotated[EventBatch, Depends(event_batch)],
        request: Request,
    ) -> PushAnswer:
        return store_events(engine, kiosk, body, request.headers.get("user-agent", ""))

    from kiosk_server.web import install  # the back office, on the same process and database

    install(app, engine)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schemas = doc.setdefault("components", {}).setdefault("schemas", {})
            for model in (PairRequest, EventBatch):
                found = model.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(found.pop("$defs", {}))
                schemas[model.__name__] = found
            doc["components"]["schemas"] = dict(sorted(schemas.items()))
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _log_to_stderr() -> None:
    """Security events (refused pairings, refused events) as one line each on stderr, where
    uvicorn writes too; once, however many apps a process makes."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s kiosk-server %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def authenticate(engine: Engine, authorization: str | None) -> str:
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, {"error": "bad_credential"})
    with engine.begin() as conn:
        row = conn.execute(
            select(kiosks.c.id, kiosks.c.revoked).where(
                kiosks.c.credential_hash == digest(authorization[7:])
            )
        ).first()
        if row is None:
            raise HTTPException(401, {"error": "bad_credential"})
        if row.revoked:
            raise HTTPException(401, {"error": "credential_revoked"})
        conn.execute(update(kiosks).where(kiosks.c.id == row.id).values(last_seen=now()))
    return str(row.id)


def pair_kiosk(engine: Engine, code: str, name: str) -> dict[str, str]:
    with engine.begin() as conn:
        hit = conn.execute(
            update(pairing_codes)
            .where(
                pairing_codes.c.code_hash == digest(code),
                pairing_codes.c.used.is_(False),
                pairing_codes.c.expires_at > now(),
            )
            .values(used=True)
        )
        if hit.rowcount != 1:
            raise HTTPException(403, {"error": "pairing_code_invalid"})
        credential = secrets.token_urlsafe(32)
        kiosk = str(uuid.uuid4())
        conn.execute(
            kiosks.insert().values(
                id=kiosk,
                name=name,
                revoked=False,
                credential_hash=digest(credential),
                paired_at=now(),
            )
        )
        retire_same_name(conn, name, keep=kiosk)
    return {"kiosk_id": kiosk, "credential": credential}


def page_json(engine: Engine, cursor: int, limit: int) -> str:
    """Built from the stored JSON text as it is: re-parsing a 5,000-row page costs more than
    the database read."""
    query = (
        select(changes.c.seq, changes.c.kind, changes.c.key, changes.c.op, changes.c.data)
        .where(changes.c.seq > cursor)
        .order_by(changes.c.seq)
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    parts = [
        f'{{"seq":{r.seq},"kind":{json.dumps(r.kind)},"key":{json.dumps(r.key)},'
        f'"op":"{r.op}","data":{r.data if r.data is not None else "null"}}}'
        for r in rows
    ]
    last = rows[-1].seq if rows else cursor
    return (
        f'{{"protocol":{PROTOCOL},"cursor":{last},"has_more":{json.dumps(len(rows) == limit)},'
        f'"changes":[{",".join(parts)}]}}'
    )


def store_events(engine: Engine, kiosk: str, batch: EventBatch, agent: str = "") -> PushAnswer:
    """Stored events never change: the same event again is a duplicate; a market entry sent
    again may add its exit fields, once; anything else under a known id is refused and logged
    (a kiosk rewriting or erasing what it recorded, or another kiosk's id)."""
    received = now()
    skew = (received - batch.sent_at).total_seconds()
    first: dict[str, Event] = {}
    repeats: list[Event] = []
    for e in batch.events:
        (repeats if e.event_id in first else []).append(e)
        first.setdefault(e.event_id, e)
    refused: list[str] = []
    duplicates = 0
    with engine.begin() as conn:
        stored = (
            {
                r.event_id: r
                for r in conn.execute(
                    select(
                        events.c.event_id,
                        events.c.kiosk_id,
                        events.c.kind,
                        events.c.occurred_at,
                        events.c.data,
                    ).where(events.c.event_id.in_(list(first)))
                )
            }
            if first
            else {}
        )
        fresh = [e for e in first.values() if e.event_id not in stored]
        if fresh:
            inserted = conn.execute(
                insert_ignore(engine, events, ["event_id"]).returning(events.c.event_id),
                [
                    {
                        "event_id": e.event_id,
                        "kiosk_id": kiosk,
                        "kind": e.kind,
                        "occurred_at": e.occurred_at,
                        "received_at": received,
                        "clock_skew_seconds": skew,
                        "data": json.dumps(e.data, ensure_ascii=False),
                    }
                    for e in fresh
                ],
            )
            # scan_log and declarations, for tracing: only what this transaction inserted (a
            # concurrent push of the same batch inserted the rest)
            new = set(inserted.scalars())
            record_events(conn, kiosk, [e for e in fresh if e.event_id in new])
        for e in [*[e for e in first.values() if e.event_id in stored], *repeats]:
            old = stored.get(e.event_id)
            if old is None:  # the same id twice in this batch: compare with the first
                base = first[e.event_id]
                old_kiosk, old_kind, old_at = kiosk, base.kind, base.occurred_at
                old_data = base.data
            else:
                old_kiosk, old_kind, old_at = old.kiosk_id, old.kind, _utc(old.occurred_at)
                old_data = json.loads(old.data)
            same_entry = old_kiosk == kiosk and old_kind == e.kind and old_at == e.occurred_at
            if same_entry and old_data == e.data:
                duplicates += 1
            elif (
                same_entry
                and old is not None
                and ((change := _allowed_change(e.kind, old_data, e.data)) is not None)
            ):
                duplicates += 1
                conn.execute(
                    update(events)
                    .where(events.c.event_id == e.event_id, events.c.kiosk_id == kiosk)
                    .values(data=json.dumps({**old_data, **change}, ensure_ascii=False))
                )
            else:
                refused.append(e.event_id)
                log.warning(
                    "event %s refused: kiosk %s sent it with other content than was stored",
                    e.event_id,
                    kiosk,
                )
        # assisted declarations become pending declarations for the review queue
        intake_assisted(
            conn, kiosk, [(e.event_id, e.data) for e in fresh if e.kind == "assisted_declaration"]
        )
        record_push(conn, kiosk, agent, skew, len(fresh))
    return PushAnswer(
        stored=len(fresh),
        duplicates=duplicates,
        refused=[RefusedEvent(event_id=i, error="event_conflict") for i in refused],
        clock_skew_seconds=skew,
    )


def _allowed_change(kind: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    """What an event sent again may change (a market or vehicle entry's exit, once; a handover's
    status), everything else as stored; None when it changes anything else."""
    fields = MUTABLE_FIELDS.get(kind)
    if fields is None:
        return None
    if kind in SET_ONCE and any(old.get(k) is not None for k in fields):
        return None
    rest = [k for k in {*old, *new} if k not in fields]
    if any(old.get(k) != new.get(k) for k in rest):
        return None
    return {k: new.get(k) for k in fields}


def _utc(moment: datetime) -> datetime:
    """SQLite gives back the UTC times it stored without their zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
