"""The HC1 trust store in the cache: signer certificates (DSCs) by key id, the checkpoint's rule
set, and when the trust list was last brought up to date (docs/storage.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from kiosk.storage.audit import AuditRecord, write_audit
from kiosk.storage.database import translate_errors
from kiosk.storage.models import HcertRules, HcertSigner, SyncState
from kiosk.storage.timeutil import from_db, to_db

_SIGNER = HcertSigner.__table__
_RULES = HcertRules.__table__
_STATE = SyncState.__table__
MANUAL_UPDATE_KEY = "hcert_trust_manual_at"  # a supervisor's `kiosk trust add`


@dataclass(frozen=True)
class SignerRow:
    fingerprint: str
    kid: str  # base64
    country: str
    not_before: datetime
    not_after: datetime
    cert_der: bytes


class HcertTrust:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def signers(self, kid: str) -> list[SignerRow]:
        query = select(_SIGNER).where(_SIGNER.c.kid == kid).order_by(_SIGNER.c.not_after.desc())
        with translate_errors(), self.engine.connect() as conn:
            return [
                SignerRow(
                    r.fingerprint,
                    r.kid,
                    r.country,
                    from_db(r.not_before),
                    from_db(r.not_after),
                    r.cert_der,
                )
                for r in conn.execute(query)
            ]

    def add_signer(self, row: SignerRow, at: datetime, source: str = "manual") -> None:
        self.add_signers([row], at, source)

    def add_signers(
        self,
        rows: list[SignerRow],
        at: datetime,
        source: str = "manual",
        audit: Sequence[AuditRecord] = (),
    ) -> None:
        """All in one transaction, with their audit rows: a file's certificates are added whole
        or not at all."""
        values = [
            {
                "fingerprint": row.fingerprint,
                "kid": row.kid,
                "country": row.country,
                "not_before": to_db(row.not_before),
                "not_after": to_db(row.not_after),
                "cert_der": row.cert_der,
                "source": source,
            }
            for row in rows
        ]
        with translate_errors(), self.engine.begin() as conn:
            if values:
                conn.execute(insert(_SIGNER).prefix_with("OR REPLACE"), values)
            conn.execute(
                insert(_STATE)
                .prefix_with("OR REPLACE")
                .values(key=MANUAL_UPDATE_KEY, value=at.isoformat())
            )
            for entry in audit:
                write_audit(conn, entry)

    def rules_json(self, checkpoint_id: str) -> str | None:
        """The checkpoint's own rule set, else the server's default, else None."""
        query = select(_RULES.c.key, _RULES.c.rules_json).where(
            _RULES.c.key.in_([checkpoint_id, "default"])
        )
        with translate_errors(), self.engine.connect() as conn:
            found = dict(conn.execute(query).all())
        return found.get(checkpoint_id) or found.get("default")

    def put_rules(self, key: str, rules_json: str, at: datetime) -> None:
        with translate_errors(), self.engine.begin() as conn:
            conn.execute(
                insert(_RULES)
                .prefix_with("OR REPLACE")
                .values(key=key, rules_json=rules_json, updated_at=to_db(at))
            )

    def updated_at(self) -> datetime | None:
        """When the trust list was last brought up to date: the last complete sync (which pulls
        every signer change) or a certificate added by hand, whichever is later."""
        query = select(_STATE.c.value).where(_STATE.c.key.in_(["last_sync", MANUAL_UPDATE_KEY]))
        with translate_errors(), self.engine.connect() as conn:
            values = list(conn.execute(query).scalars())
        moments = [datetime.fromisoformat(v) for v in values if v]
        return max(moments) if moments else None
