"""The server's side of HC1 (EU DCC): signer certificates from a trust-list file, and the rule
set per checkpoint; both go to kiosks through the change feed (docs/sync-protocol.md)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, delete, select

from kiosk.hcert.rules import RuleSet
from kiosk.hcert.trust import TrustFileError, read_trust_file
from kiosk_server.db import changes, entities, lock_changes, now, upsert_entities


class HcertImportError(ValueError):
    pass


def import_dsc(engine: Engine, path: Path) -> int:
    """Every certificate of the file (PEM bundle, DER, JSON list) or none."""
    try:
        signers = read_trust_file(path.read_bytes())
    except TrustFileError as exc:
        raise HcertImportError(f"{path}: {exc}") from None
    rows = [(s.fingerprint, s.to_wire()) for s in signers]
    return upsert_entities(engine, "hcert_signer", rows, atomic=True)


def set_rules(engine: Engine, path: Path, checkpoint: str = "default") -> int:
    """The rule set of one checkpoint (or the default), checked before any kiosk sees it."""
    text = path.read_text(encoding="utf-8")
    try:
        rules = RuleSet.from_json(text)
    except ValueError as exc:
        raise HcertImportError(f"{path}: {exc}") from None
    if not 0 < len(checkpoint) <= 40:
        raise HcertImportError("a checkpoint id has 1 to 40 characters")
    doc = {"key": checkpoint, "rules_json": rules.to_json(), "updated_at": now().isoformat()}
    return upsert_entities(engine, "hcert_rules", [(checkpoint, doc)], atomic=True)


def remove_dsc(engine: Engine, which: str) -> int:
    """A withdrawn signer certificate (a leaked key, a mistaken import), named by its
    fingerprint (or a prefix of 8 hex digits or more) or its key id (base64): gone from the
    server, and a delete in every kiosk's next pull. Returns how many were removed."""
    which = which.strip()
    with engine.begin() as conn:
        lock_changes(conn)
        rows = conn.execute(
            select(entities.c.key, entities.c.data).where(entities.c.kind == "hcert_signer")
        ).all()
        gone = [
            r.key
            for r in rows
            if (len(which) >= 8 and r.key.startswith(which.lower()))
            or json.loads(r.data).get("kid") == which
        ]
        for key in gone:
            conn.execute(
                delete(entities).where(entities.c.kind == "hcert_signer", entities.c.key == key)
            )
            conn.execute(
                changes.insert().values(kind="hcert_signer", key=key, op="delete", data=None)
            )
    return len(gone)
