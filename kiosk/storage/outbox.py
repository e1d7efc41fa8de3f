"""Drafts of forms being typed, and assisted declarations waiting for the central server."""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import Connection, Engine, delete, insert, select

from kiosk.storage.audit import AuditRecord, ExtraRows, commit_with_audit
from kiosk.storage.database import translate_errors
from kiosk.storage.models import AssistedDeclaration, Declaration, Draft
from kiosk.storage.timeutil import from_db, to_db

_DRAFT = Draft.__table__
_ASSISTED = AssistedDeclaration.__table__
_DECL = Declaration.__table__


class DeclarationRecord(Protocol):
    """What the outbox reads of a declaration: kiosk.declaration_form.AssistedDeclaration."""

    @property
    def id_number(self) -> str: ...
    @property
    def full_name(self) -> str: ...
    @property
    def birth_date(self) -> date: ...
    @property
    def sex(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def symptoms(self) -> tuple[str, ...]: ...
    @property
    def exposure(self) -> tuple[str, ...]: ...
    def to_json(self) -> dict[str, object]: ...


@dataclass(frozen=True)
class QueuedDeclaration:
    receipt_no: str
    event_id: str
    created_at: datetime
    status: str


def new_receipt_no() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(18))


class Outbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save_draft(self, key: str, data: dict[str, object], at: datetime) -> None:
        row = {
            "key": key,
            "updated_at": to_db(at),
            "data_json": json.dumps(data, ensure_ascii=False),
        }
        with translate_errors(), self.engine.begin() as conn:
            conn.execute(insert(_DRAFT).prefix_with("OR REPLACE").values(**row))

    def draft(self, key: str) -> dict[str, object] | None:
        with translate_errors(), self.engine.connect() as conn:
            raw = conn.execute(select(_DRAFT.c.data_json).where(_DRAFT.c.key == key)).scalar()
        return json.loads(raw) if raw else None

    def queue_declaration(
        self,
        decl: DeclarationRecord,
        *,
        operator_id: str,
        checkpoint_id: str,
        at: datetime,
        draft_key: str,
        valid_until: datetime,
        receipt_no: str | None = None,
        also: ExtraRows | None = None,
    ) -> QueuedDeclaration:
        """One transaction: queue it, make it known locally as pending, drop the draft, `also`
        (a place on the quarantine handover list), audit."""
        receipt_no = receipt_no or new_receipt_no()
        event_id = str(uuid.uuid4())

        def queue(conn: Connection) -> None:
            seq = conn.execute(
                insert(_ASSISTED).values(
                    event_id=event_id,
                    receipt_no=receipt_no,
                    created_at=to_db(at),
                    operator_id=operator_id,
                    checkpoint_id=checkpoint_id,
                    subject_id=decl.id_number,
                    form_json=json.dumps(decl.to_json(), ensure_ascii=False),
                    status="queued",
                )
            ).inserted_primary_key[0]
            # A local pending declaration (negative id: the server's ids are positive) lets the
            # next scan of this person's receipt say "pending" before any sync.
            conn.execute(
                insert(_DECL)
                .prefix_with("OR REPLACE")
                .values(
                    id=-int(seq),
                    subject_id=decl.id_number,
                    full_name=decl.full_name,
                    birth_date=decl.birth_date,
                    sex=decl.sex,
                    phone=decl.phone,
                    status="pending",
                    valid_until=to_db(valid_until),
                    origin_area="",
                    travel_areas="",
                    symptoms=",".join(decl.symptoms),
                    exposure=",".join(decl.exposure),
                    declared_by_proxy=True,
                    updated_at=to_db(at),
                )
            )
            conn.execute(delete(_DRAFT).where(_DRAFT.c.key == draft_key))
            if also is not None:
                also(conn)

        entry = AuditRecord(
            operator_id, "assistant", "assisted_declaration", receipt_no, "queued", at=at
        )
        commit_with_audit(self.engine, entry, extra=queue)
        return QueuedDeclaration(receipt_no, event_id, at, "queued")

    def queued(self, limit: int = 50) -> list[QueuedDeclaration]:
        query = (
            select(
                _ASSISTED.c.receipt_no,
                _ASSISTED.c.event_id,
                _ASSISTED.c.created_at,
                _ASSISTED.c.status,
            )
            .order_by(_ASSISTED.c.seq.desc())
            .limit(limit)
        )
        with translate_errors(), self.engine.connect() as conn:
            return [
                QueuedDeclaration(r.receipt_no, r.event_id, from_db(r.created_at), r.status)
                for r in conn.execute(query)
            ]
