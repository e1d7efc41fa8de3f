"""The verdict rules, in one place: facts about a scan in, one verdict and one reason code out.

Order matters: a problem with the code itself outranks anything the cache says, a refusal
outranks a warning, and a warning outranks an approval (an approved person who comes from an
epidemic zone still goes to 21-day quarantine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from kiosk.clock import local, local_day


class Verdict(StrEnum):
    ALLOW = "allow"
    ATTENTION = "attention"
    DENY = "deny"


REASON_VERDICTS: dict[str, Verdict] = {
    "approved": Verdict.ALLOW,
    "pending": Verdict.ATTENTION,
    "not_found": Verdict.ATTENTION,
    "epidemic_zone": Verdict.ATTENTION,
    "symptoms": Verdict.ATTENTION,
    "signed_not_cached": Verdict.ATTENTION,
    "rejected": Verdict.DENY,
    "expired": Verdict.DENY,
    "forged": Verdict.DENY,
    "unknown_key": Verdict.DENY,
    "unreadable": Verdict.DENY,
    "id_inconsistent": Verdict.DENY,
    # directive 82/CV-BCĐ III.4.b, III.5.b: declared exposure means 21 days + PCR
    "exposure_quarantine": Verdict.ATTENTION,
    # an unsigned code (CCCD QR, personal QR) naming someone else than the declaration it matched
    "code_name_differs": Verdict.ATTENTION,
    # police: vehicles (kiosk/vehicles.py)
    "vehicle_approved": Verdict.ALLOW,
    "vehicle_pending": Verdict.ATTENTION,
    "vehicle_transit": Verdict.ATTENTION,
    "vehicle_outside_window": Verdict.DENY,
    "vehicle_rejected": Verdict.DENY,
    # unregistered vehicles by kind (directive 82/CV-BCĐ II.2, III.1-III.4, IV.5)
    "vehicle_kind_needed": Verdict.ATTENTION,
    "freight_approved": Verdict.ALLOW,
    "freight_not_registered": Verdict.DENY,
    "coach_passengers_declare": Verdict.ATTENTION,
    "car_occupants_declare": Verdict.ATTENTION,
    "delegation_not_registered": Verdict.DENY,
    # market managers: market-day cards (kiosk/market_gate.py)
    "card_valid": Verdict.ALLOW,
    "card_wrong_day": Verdict.DENY,
    "card_wrong_time": Verdict.DENY,
    "card_wrong_market": Verdict.DENY,
    "card_already_today": Verdict.DENY,
    "card_quota_used": Verdict.DENY,
    "card_revoked": Verdict.DENY,
    "card_expired": Verdict.DENY,
    "card_typed": Verdict.ATTENTION,  # a number typed by hand: its days are on the printed card
    "card_unknown": Verdict.DENY,
    # EU DCC (HC1) vaccine passports (kiosk/hcert/)
    "hc1_valid_vaccination": Verdict.ALLOW,
    "hc1_valid_test": Verdict.ALLOW,
    "hc1_valid_recovery": Verdict.ALLOW,
    "not_hc1": Verdict.DENY,
    "hc1_damaged": Verdict.DENY,
    "hc1_unknown_signer": Verdict.DENY,
    "hc1_signature_invalid": Verdict.DENY,
    "hc1_signer_expired": Verdict.DENY,
    "hc1_expired": Verdict.DENY,
    "hc1_issued_future": Verdict.DENY,
    "hc1_test_positive": Verdict.DENY,
    "hc1_test_too_old": Verdict.DENY,
    "hc1_vaccination_not_valid": Verdict.DENY,
    "hc1_recovery_outside": Verdict.DENY,
    "hc1_kind_not_accepted": Verdict.DENY,
    # assistants: a queued assisted declaration is pending until the server approves it
    "declaration_queued": Verdict.ATTENTION,
    "declaration_quarantine": Verdict.ATTENTION,
    # directive 82/CV-BCĐ I.6: a patient from another province enters on the hospital's
    # approval, which stands in for the declaration's (hospital_decision below)
    "hospital_approved": Verdict.ALLOW,
    "hospital_not_yet": Verdict.DENY,
    "hospital_expired": Verdict.DENY,
    "hospital_revoked": Verdict.DENY,
}

SYMPTOMS = ("fever", "cough", "sore_throat", "breathless")
EXPOSURES = ("epidemic_zone", "contact")  # came from an epidemic zone; contact with a case


@dataclass(frozen=True)
class DeclarationFacts:
    status: str  # 'approved', 'pending' or 'rejected'
    valid_until: datetime
    symptoms: tuple[str, ...] = ()
    exposure: tuple[str, ...] = ()  # of EXPOSURES, as the person declared


@dataclass(frozen=True)
class HospitalFacts:
    """A hospital's approval for a patient from another province (directive 82/CV-BCĐ I.6)."""

    hospital: str
    appointment: date
    entry_from: date  # local days, both inclusive
    entry_to: date
    revoked: bool = False
    masked_name: str = ""  # as the server masked it: the screen's only name for this person


@dataclass(frozen=True)
class Facts:
    token_problem: str | None = None  # TokenError code: unreadable, unknown_key, forged, expired
    id_inconsistent: bool = False
    declaration: DeclarationFacts | None = None
    signed_not_cached: bool = False
    epidemic_zone: str | None = None  # name of the zone the person comes from or went through
    name_differs: bool = False  # an unsigned code's name or birth date is not the declaration's
    hospital: tuple[HospitalFacts, ...] = ()  # the approvals hospitals gave this ID number


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reason: str
    params: dict[str, str] = field(default_factory=dict)


def decision(reason: str, **params: str) -> Decision:
    return Decision(REASON_VERDICTS[reason], reason, params)


def decide(facts: Facts, now: datetime) -> Decision:
    if facts.token_problem:
        return decision(facts.token_problem)
    if facts.id_inconsistent:
        return decision("id_inconsistent")
    decl = facts.declaration
    if decl is not None and decl.status == "rejected":
        return decision("rejected")
    # where the declaration does not let the person in (none, pending, expired), a hospital's
    # approval does, on its days (I.6); it never outranks a refusal, a suspect code or a warning
    hospital = hospital_decision(facts.hospital, local_day(now))
    if decl is not None and decl.valid_until <= now:
        return hospital or decision("expired", date=f"{local(decl.valid_until):%d/%m/%Y}")
    if facts.name_differs:
        return decision("code_name_differs")
    if facts.epidemic_zone:
        return decision("epidemic_zone", zone=facts.epidemic_zone)
    if decl is not None and decl.exposure:
        return decision("exposure_quarantine", exposure=",".join(decl.exposure))
    if decl is not None and decl.symptoms:
        return decision("symptoms", symptoms=",".join(decl.symptoms))
    if decl is None and facts.signed_not_cached:
        # a valid code for a declaration not synced yet: only an allowing approval says more
        if hospital is not None and hospital.verdict == Verdict.ALLOW:
            return hospital
        return decision("signed_not_cached")
    if decl is None:
        return hospital or decision("not_found")
    if decl.status == "pending":
        return hospital or decision("pending")
    if decl.status == "approved":
        return decision("approved", date=f"{local(decl.valid_until):%d/%m/%Y}")
    raise ValueError(f"unknown declaration status {decl.status!r}")


def hospital_decision(approvals: tuple[HospitalFacts, ...], today: date) -> Decision | None:
    """The approval that speaks for today: one whose days include today lets the person in;
    else the next one to come, a revoked one, the last one that ended, each saying why not.
    None when no hospital approved this person."""
    live = [a for a in approvals if not a.revoked]
    for a in sorted(live, key=lambda a: a.appointment):
        if a.entry_from <= today <= a.entry_to:
            return decision("hospital_approved", hospital=a.hospital, date=f"{a.appointment:%d/%m}")
    coming = sorted((a for a in live if a.entry_from > today), key=lambda a: a.entry_from)
    if coming:
        a = coming[0]
        window = f"{a.entry_from:%d/%m}–{a.entry_to:%d/%m}"
        return decision("hospital_not_yet", hospital=a.hospital, window=window)
    revoked = [a for a in approvals if a.revoked]
    if revoked:
        a = max(revoked, key=lambda a: a.appointment)
        return decision("hospital_revoked", hospital=a.hospital, date=f"{a.appointment:%d/%m}")
    if live:
        a = max(live, key=lambda a: a.entry_to)
        return decision("hospital_expired", hospital=a.hospital, date=f"{a.entry_to:%d/%m}")
    return None
