"""An HC1 code, from text to a recorded verdict: decode, signature, dates, the rule set.

Like the other desks, the scan and its audit row are committed (Store.record_scan) before the
verdict is shown; the scan log gets a hash of the certificate identifier, never the holder's name.
The medic's desk (kiosk.checker.PersonDesk) hands an HC1 text here.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kiosk.checker import Person, PersonResult
from kiosk.clock import local, utc_now
from kiosk.hcert import decode, present, verify
from kiosk.hcert.rules import DEFAULT, RuleSet, entry, judge
from kiosk.rules import REASON_VERDICTS
from kiosk.storage import ScanRecord, Store

STALE_AFTER = timedelta(hours=48)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrustStatus:
    updated_at: datetime | None
    stale: bool

    def to_json(self) -> dict[str, object]:
        when = self.updated_at.isoformat() if self.updated_at else None
        return {"updated_at": when, "stale": self.stale}


@dataclass(frozen=True)
class HcertResult(PersonResult):
    """The medic's result with what an HC1 code says of its holder and itself; `viewer_role`
    (the operator's role when it was checked) decides how much of the holder `to_json` shows."""

    holder: present.Holder | None = None
    essentials: dict[str, str] = field(default_factory=dict)
    trust: TrustStatus = TrustStatus(None, True)
    viewer_role: str = ""

    def to_json(self, role: str | None = None) -> dict[str, object]:
        """The four keys every role answers, then the holder, the certificate and the trust
        list, masked for `role` (default: the operator who checked)."""
        role = self.viewer_role if role is None else role
        out: dict[str, object] = dict(super().to_json())
        if self.holder is not None:
            out["holder"] = present.masked_holder(self.holder, role)
        if self.essentials:
            out["certificate"] = present.masked_essentials(self.essentials, role)
        out["trust_list"] = self.trust.to_json()
        return out

    def shown(self, role: str) -> present.Shown:
        """What a screen shows under the reason, masked for `role` (words: ui/)."""
        stale = None
        if self.trust.stale:
            when = self.trust.updated_at
            stale = f"{local(when):%d/%m/%Y %H:%M}" if when else "—"
        holder = present.masked_holder(self.holder, role) if self.holder else None
        values = present.masked_essentials(self.essentials, role)
        return present.shown(holder, values, stale)


def role_of(store: Store, operator_id: str) -> str:
    """Who checks decides how much of the holder the JSON shows (kiosk.privacy)."""
    row = store.accounts.get(operator_id)
    return row.role if row is not None and row.active else ""


class HcertChecker:
    def __init__(
        self,
        store: Store,
        *,
        checkpoint_id: str,
        operator_id: str,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.checkpoint_id = checkpoint_id
        self.operator_id = operator_id
        self.clock = clock

    def rules(self) -> RuleSet:
        text = self.store.hcert.rules_json(self.checkpoint_id)
        if text is None:
            return DEFAULT
        try:
            return RuleSet.from_json(text)
        except ValueError as exc:  # the server validates; a kiosk never stops checking on it
            log.warning("HC1 rule set unusable, built-in rules apply: %s", exc)
            return DEFAULT

    def trust_status(self, now: datetime) -> TrustStatus:
        updated = self.store.hcert.updated_at()
        return TrustStatus(updated, updated is None or now - updated > STALE_AFTER)

    def check(self, text: str, source: str, now: datetime | None = None) -> HcertResult:
        now = now or self.clock()
        reason, params, holder, values, ref = self.evaluate(text, now)
        verdict = REASON_VERDICTS[reason]
        event_id = self.store.record_scan(
            ScanRecord(
                checkpoint_id=self.checkpoint_id,
                operator_id=self.operator_id,
                source=source,
                payload_kind="hcert",
                subject_ref=ref,
                declaration_id=None,
                verdict=verdict.value,
                reason=reason,
                scanned_at=now,
                action="lookup_hcert",
            )
        )
        person = Person(name=holder.name, birth_date=holder.birth_day()) if holder else None
        return HcertResult(
            verdict,
            reason,
            event_id,
            now,
            payload_kind="hcert",
            person=person,
            params=params,
            source=source,
            holder=holder,
            essentials=values,
            trust=self.trust_status(now),
            viewer_role=role_of(self.store, self.operator_id),
        )

    def evaluate(
        self, text: str, now: datetime
    ) -> tuple[str, dict[str, str], present.Holder | None, dict[str, str], str]:
        try:
            cert = decode.decode(text)
        except decode.HcertError as exc:
            return exc.code, {}, None, {}, ""
        holder = present.holder_of(cert.dgc)
        try:
            kind, item = entry(cert.dgc)
        except ValueError:
            return "hc1_damaged", {}, None, {}, ""
        values = present.essentials(kind, item, cert.issuer, cert.expires)
        uvci = str(item.get("ci", ""))
        ref = f"uvci:{hashlib.sha256(uvci.encode()).hexdigest()[:12]}" if uvci else ""
        try:
            verify.check_signature(cert, self.store.hcert.signers, now)
        except verify.VerifyError as exc:
            # nothing an unverified code says of its holder is shown as if it were true
            return exc.code, exc.params, None, {}, ref
        try:
            verify.check_dates(cert, now)
            judged = judge(cert.dgc, self.rules(), now)
        except verify.VerifyError as exc:
            return exc.code, exc.params, holder, values, ref
        except ValueError:
            return "hc1_damaged", {}, holder, values, ref
        return judged.reason, judged.params, holder, values, ref
