"""The medic's desk: one scan or typed ID, from text to a recorded verdict (the code the window
and the CLI share)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk import tokens
from kiosk.clock import local_day
from kiosk.errors import InputError
from kiosk.ids import agrees_with, parse_id
from kiosk.payloads import Payload, classify
from kiosk.privacy import mask_id, remask_id
from kiosk.provinces import area_name
from kiosk.result import RoleResult
from kiosk.rules import DeclarationFacts, Facts, HospitalFacts, decide
from kiosk.storage import DeclarationRow, ScanRecord, Store, TracedIdentity
from kiosk.storage.handovers import Referral
from kiosk.storage.repository import fold_name


@dataclass(frozen=True)
class Person:
    """What the checkpoint knows of the person; the view decides how much of it to show."""

    id_number: str | None = None
    masked_id: str | None = None
    name: str | None = None
    birth_date: date | None = None


@dataclass(frozen=True)
class PersonResult(RoleResult):
    payload_kind: str  # token, typed_id, cccd_qr, personal_qr, ...
    person: Person | None = None
    # what an unsigned code printed when it disagrees with the declaration (code_name_differs):
    # the medic sees both names, any other role sees them masked
    on_code: Person | None = None
    vehicle_entry_id: str | None = None  # the coach or car this person came in


# Verdicts that send the person to concentrated quarantine: each puts them on the handover list
# (directive 82/CV-BCĐ III.4.b, III.5.b).
QUARANTINE_REASONS = ("epidemic_zone", "exposure_quarantine")


def _now() -> datetime:
    return datetime.now(UTC)


class PersonDesk:
    """The medic's check of a person: a scanned code or a typed CMND/CCCD number."""

    def __init__(
        self,
        store: Store,
        *,
        checkpoint_id: str,
        operator_id: str,
        clock: Callable[[], datetime] = _now,
        vehicle_entry_id: str | None = None,
        direction: str = "in",
    ) -> None:
        """`vehicle_entry_id`: the coach or car whose occupants are being checked (the police
        desk's entry); each scan is recorded under it. InputError if this kiosk has no such
        entry."""
        self.store = store
        self.checkpoint_id = checkpoint_id
        self.operator_id = operator_id
        self.clock = clock
        if vehicle_entry_id is not None and store.vehicle_entries.get(vehicle_entry_id) is None:
            raise InputError("vehicle_entry_unknown")
        self.vehicle_entry_id = vehicle_entry_id
        self.direction = direction

    def check_payload(self, text: str, source: str) -> PersonResult:
        """Any scanned or typed text. Raises InputError (nothing recorded) if it is not usable."""
        now = self.clock()
        payload = classify(text, local_day(now))
        if payload.kind == "token" and tokens.token_type(payload.text) == tokens.TYPE_MARKET_CARD:
            raise InputError("market_card_here")
        if payload.kind == "hcert":  # an EU DCC vaccine passport: its own checker
            from kiosk.hcert.checker import HcertChecker

            who = {"checkpoint_id": self.checkpoint_id, "operator_id": self.operator_id}
            return HcertChecker(self.store, **who).check(payload.text, source, now)
        return self._evaluate(payload, source, now)

    def check_id(self, text: str, source: str) -> PersonResult:
        """A typed CMND/CCCD number only. Raises InputError (nothing recorded) if invalid."""
        now = self.clock()
        if not text.strip():
            raise InputError("empty_input")
        pid = parse_id(text.strip(), local_day(now))
        return self._evaluate(Payload("typed_id", text, person_id=pid), source, now)

    def _evaluate(self, payload: Payload, source: str, now: datetime) -> PersonResult:
        on_code = None
        if payload.kind == "token":
            facts, decl, person = self._token_facts(payload.text, now)
        else:
            facts, decl, person, on_code = self._id_facts(payload, now)
        decision = decide(facts, now)
        referral = None
        if decl is not None and decision.reason in QUARANTINE_REASONS:
            referral = self.store.handovers.referral_rows(
                Referral(
                    decl.full_name,
                    decl.subject_id,
                    decl.phone,
                    decision.params.get("zone") or area_name(decl.origin_area),
                    decision.reason,
                ),
                checkpoint_id=self.checkpoint_id,
                operator_id=self.operator_id,
                at=now,
            )
        subject_ref = (
            mask_id(person.id_number)
            if person and person.id_number
            else (remask_id(person.masked_id) if person and person.masked_id else "")
        )
        # Committed before anything is shown: a verdict on screen always has its row on disk.
        event_id = self.store.record_scan(
            ScanRecord(
                checkpoint_id=self.checkpoint_id,
                operator_id=self.operator_id,
                source=source,
                payload_kind=payload.kind,
                subject_ref=subject_ref,
                declaration_id=decl.id if decl else None,
                verdict=decision.verdict.value,
                reason=decision.reason,
                scanned_at=now,
                vehicle_entry_id=self.vehicle_entry_id,
                direction=self.direction,
                identity=_identity_as_read(payload, person),
            ),
            extra=referral,
        )
        if person is not None and not person.name and facts.hospital:
            # known only by a hospital's approval: its name as the server masked it (the full
            # name stays on the server); not in the traced identity, which is what was read
            person = replace(person, name=facts.hospital[0].masked_name or None)
        return PersonResult(
            decision.verdict,
            decision.reason,
            event_id,
            now,
            payload_kind=payload.kind,
            person=person,
            on_code=on_code if decision.reason == "code_name_differs" else None,
            vehicle_entry_id=self.vehicle_entry_id,
            params=decision.params,
            source=source,
        )

    def _token_facts(
        self, text: str, now: datetime
    ) -> tuple[Facts, DeclarationRow | None, Person | None]:
        def public_key_for(key_id: int, at: datetime) -> Ed25519PublicKey | None:
            raw = self.store.trusted_key(key_id, at)
            return Ed25519PublicKey.from_public_bytes(raw) if raw else None

        try:
            token = tokens.verify(text, public_key_for, now)
        except tokens.TokenError as exc:
            return Facts(token_problem=exc.code), None, None
        decl = self.store.declaration_by_id(token.declaration_id)
        if decl is not None and decl.subject_id != token.subject_id:
            return Facts(token_problem="forged"), None, None
        person = _person(decl) if decl else Person(id_number=token.subject_id)
        facts = self._declaration_facts(decl, now, signed_not_cached=decl is None)
        return self._with_hospital(facts, token.subject_id), decl, person

    def _id_facts(
        self, payload: Payload, now: datetime
    ) -> tuple[Facts, DeclarationRow | None, Person | None, Person]:
        pid = payload.person_id
        printed = Person(
            id_number=pid.number if pid else None,
            masked_id=payload.masked_id,
            name=payload.name,
            birth_date=payload.birth_date,
        )
        if pid is not None and not agrees_with(pid, payload.birth_date, payload.sex):
            return Facts(id_inconsistent=True), None, printed, printed
        if pid is not None:
            decl = self.store.declaration_for_subject(pid.number)
        elif payload.masked_id and payload.birth_date and payload.name:
            decl = self.store.declaration_for_masked(
                payload.masked_id, payload.birth_date, payload.name
            )
        else:
            decl = None
        person = _person(decl) if decl else printed
        facts = self._declaration_facts(decl, now)
        if decl is not None and _differs(printed, decl):
            facts = replace(facts, name_differs=True)
        subject = decl.subject_id if decl else (pid.number if pid else None)
        return self._with_hospital(facts, subject), decl, person, printed

    def _with_hospital(self, facts: Facts, subject_id: str | None) -> Facts:
        """The hospitals' approvals for this ID number (directive 82/CV-BCĐ I.6)."""
        rows = self.store.hospital_approvals.for_subject(subject_id) if subject_id else []
        if not rows:
            return facts
        hospital = tuple(
            HospitalFacts(
                r.hospital,
                r.appointment_date,
                r.entry_from,
                r.entry_to,
                revoked=r.status == "revoked",
                masked_name=r.masked_name,
            )
            for r in rows
        )
        return replace(facts, hospital=hospital)

    def _declaration_facts(
        self, decl: DeclarationRow | None, now: datetime, signed_not_cached: bool = False
    ) -> Facts:
        if decl is None:
            return Facts(signed_not_cached=signed_not_cached)
        areas = [a for a in (decl.origin_area, *decl.travel_areas) if a]
        return Facts(
            declaration=DeclarationFacts(
                decl.status, decl.valid_until, decl.symptoms, decl.exposure
            ),
            epidemic_zone=self.store.epidemic_zone_for(areas, local_day(now)),
        )


def _identity_as_read(payload: Payload, person: Person | None) -> TracedIdentity | None:
    """What the server needs to trace this person: the full number when known (from the code,
    the typist or the matched declaration), else the national QR's identifier, with the name
    and birth date. A scan whose code could not be read at all has none."""
    if person is None and payload.qr_id is None:
        return None
    return (
        TracedIdentity(
            id_number=person.id_number if person else None,
            qr_id=payload.qr_id,
            full_name=person.name if person else payload.name,
            birth_date=person.birth_date if person else payload.birth_date,
        )
        or None
    )


def _person(decl: DeclarationRow) -> Person:
    return Person(id_number=decl.subject_id, name=decl.full_name, birth_date=decl.birth_date)


def _differs(printed: Person, decl: DeclarationRow) -> bool:
    """An unsigned code (CCCD QR, national personal QR) anyone can print: its name or birth date
    must be the declaration's, or it may be someone else's number on a made-up code. Names are
    compared folded (the personal QR prints them in capitals without diacritics)."""
    if printed.name and fold_name(printed.name) != fold_name(decl.full_name):
        return True
    return printed.birth_date is not None and printed.birth_date != decl.birth_date
