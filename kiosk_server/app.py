"""Sync protocol v1 over HTTP (FastAPI). The OpenAPI document is docs/openapi.json.

No `from __future__ import annotations` here: FastAPI reads the annotations of the route
functions, which refer to names local to create_app.
"""

import json
import secrets
import uuid
import zlib
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select, update

from kiosk_server import __version__
from kiosk_server.db import changes, digest, events, kiosks, now, open_db, pairing_codes
from kiosk_server.office import intake_assisted, record_push, retire_same_name
from kiosk_server.sql import insert_ignore

PROTOCOL = 1
MAX_PAGE = 10_000
MAX_BATCH = 5_000
MAX_BODY = 32 * 1024 * 1024  # bytes, before and after inflating: 5,000 events fit many times


class GzipRequest(Request):
    """Kiosks send gzip bodies (Content-Encoding: gzip): inflate before FastAPI reads them."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            # read as it arrives and stop at the limit: this runs before the credential is
            # checked, so a stranger's endless body must not be held in memory first
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY:
                raise HTTPException(413, {"error": "too_large"})
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > MAX_BODY:
                    raise HTTPException(413, {"error": "too_large"})
                chunks.append(chunk)
            raw = b"".join(chunks)
            if "gzip" in self.headers.get("content-encoding", ""):
                # bounded: a small gzip body can inflate to gigabytes (a "gzip bomb"), and this
                # runs before the caller's credential is checked
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                try:
                    raw = inflater.decompress(raw, MAX_BODY)
                except zlib.error:
                    raise HTTPException(400, {"error": "bad_request"}) from None
                if inflater.unconsumed_tail or not inflater.eof:
                    raise HTTPException(413, {"error": "too_large"})
            self._body = raw
        return self._body


class GzipRoute(APIRoute):
    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            return await handler(GzipRequest(request.scope, request.receive))

        return route


class PairRequest(BaseModel):
    protocol: Literal[1]
    code: str = Field(min_length=6, max_length=40)
    kiosk_name: str = Field(min_length=1, max_length=120)


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
    event_id: str = Field(min_length=8, max_length=36)
    kind: Literal["scan", "market_entry", "assisted_declaration", "audit"]
    occurred_at: datetime
    data: dict


class EventBatch(BaseModel):
    protocol: Literal[1]
    batch_id: str
    sent_at: datetime
    events: list[Event] = Field(max_length=MAX_BATCH)


class PushAnswer(BaseModel):
    protocol: Literal[1] = 1
    stored: int
    duplicates: int
    clock_skew_seconds: float


def create_app(db_url: str) -> FastAPI:
    engine = open_db(db_url)
    app = FastAPI(
        title="Checkpoint kiosk central server",
        version=__version__,
        description="Sync protocol v1: see docs/sync-protocol.md.",
    )
    app.router.route_class = GzipRoute
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.state.engine = engine

    def kiosk_id(authorization: Annotated[str | None, Header()] = None) -> str:
        return authenticate(engine, authorization)

    @app.get("/v1/health")
    def health() -> dict[str, object]:
        return {"protocol": PROTOCOL, "status": "ok"}

    @app.post("/v1/pair", response_model=PairAnswer)
    def pair(body: PairRequest) -> PairAnswer:
        return PairAnswer(**pair_kiosk(engine, body.code, body.kiosk_name))

    @app.get("/v1/changes", response_model=ChangesAnswer)
    def pull(
        kiosk: Annotated[str, Depends(kiosk_id)],
        cursor: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 5000,
    ) -> Response:
        return Response(page_json(engine, cursor, limit), media_type="application/json")

    @app.post("/v1/events", response_model=PushAnswer)
    def push(
        body: EventBatch,
        kiosk: Annotated[str, Depends(kiosk_id)],
        request: Request,
    ) -> PushAnswer:
        return store_events(engine, kiosk, body, request.headers.get("user-agent", ""))

    from kiosk_server.web import install  # the back office, on the same process and database

    install(app, engine)
    return app


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
    received = now()
    skew = (received - batch.sent_at).total_seconds()
    ids = [e.event_id for e in batch.events]
    with engine.begin() as conn:
        known = (
            set(conn.execute(select(events.c.event_id).where(events.c.event_id.in_(ids))).scalars())
            if ids
            else set()
        )
        fresh = [
            e for e in {e.event_id: e for e in batch.events}.values() if e.event_id not in known
        ]
        if fresh:
            conn.execute(
                insert_ignore(engine, events, ["event_id"]),
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
        # a market entry comes again when the household leaves: keep its newest state
        for e in batch.events:
            if e.kind == "market_entry" and e.event_id in known:
                conn.execute(
                    update(events)
                    .where(events.c.event_id == e.event_id, events.c.kiosk_id == kiosk)
                    .values(data=json.dumps(e.data, ensure_ascii=False))
                )
        # assisted declarations become pending declarations for the review queue
        intake_assisted(
            conn, kiosk, [(e.event_id, e.data) for e in fresh if e.kind == "assisted_declaration"]
        )
        record_push(conn, kiosk, agent, skew, len(fresh))
    return PushAnswer(stored=len(fresh), duplicates=len(ids) - len(fresh), clock_skew_seconds=skew)
