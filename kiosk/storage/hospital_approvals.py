"""Hospitals' approvals of out-of-province patients in the local cache (directive 82/CV-BCĐ
I.6), pulled from the server by sync (kind `hospital_approval`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select

from kiosk.storage.database import translate_errors
from kiosk.storage.models import HospitalApproval

_HOSP = HospitalApproval.__table__


@dataclass(frozen=True)
class HospitalApprovalRow:
    id: int
    subject_id: str
    masked_name: str
    hospital: str
    appointment_date: date
    entry_from: date
    entry_to: date
    status: str  # approved or revoked


class HospitalApprovals:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def for_subject(self, subject_id: str) -> list[HospitalApprovalRow]:
        """Every approval the server sent for this ID number, newest appointment first."""
        query = (
            select(_HOSP)
            .where(_HOSP.c.subject_id == subject_id)
            .order_by(_HOSP.c.appointment_date.desc(), _HOSP.c.id.desc())
        )
        with translate_errors(), self.engine.connect() as conn:
            return [HospitalApprovalRow(**r._mapping) for r in conn.execute(query)]
