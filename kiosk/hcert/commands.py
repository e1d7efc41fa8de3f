"""`kiosk trust ...` and the HC1 parts of `kiosk check`: the command line's side of kiosk/hcert."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kiosk.clock import utc_now
from kiosk.errors import InputError
from kiosk.hcert.checker import HcertChecker
from kiosk.hcert.trust import TrustFileError, read_trust_file
from kiosk.storage import Store
from kiosk.storage.audit import AuditRecord
from kiosk.storage.hcert import SignerRow


def parse_moment(text: str) -> datetime:
    """`--at 2021-09-01T08:00:00Z`: a moment with its zone, or InputError."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError("at_malformed") from None
    if moment.tzinfo is None:
        raise InputError("at_malformed")
    return moment


def fixed_clock(text: str) -> Callable[[], datetime]:
    """`kiosk check --at MOMENT`: every desk's clock stopped at that moment."""
    moment = parse_moment(text)
    return lambda: moment


def trust_add(store: Store, path: Path, operator_id: str) -> dict[str, object]:
    """A supervisor adds signer certificates by hand (PEM, DER, PEM bundle or JSON list):
    all of the file or none, each in the audit trail."""
    try:
        signers = read_trust_file(path.read_bytes())
    except (OSError, TrustFileError) as exc:
        raise InputError("trust_file_bad", detail=str(exc)) from None
    now = utc_now()
    rows = [
        SignerRow(s.fingerprint, s.kid, s.country, s.not_before, s.not_after, s.cert_der)
        for s in signers
    ]
    audit = [
        AuditRecord(operator_id, "supervisor", "trust_add", s.fingerprint[:16], s.country, now)
        for s in signers
    ]
    store.hcert.add_signers(rows, now, audit=audit)
    return {
        "added": [
            {"kid": s.kid, "country": s.country, "not_after": s.not_after.isoformat()}
            for s in signers
        ],
        **trust_status(store),
    }


def trust_status(store: Store) -> dict[str, object]:
    checker = HcertChecker(store, checkpoint_id="", operator_id="")
    return {"trust_list": checker.trust_status(utc_now()).to_json()}
