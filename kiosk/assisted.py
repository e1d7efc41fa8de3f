"""The assistant's desk: a declaration typed for a person without a smartphone ("khai hộ").

Drafts are saved as the operator types, so a failed validation or a closed window loses
nothing; a valid form is queued for the central server in one transaction and its receipt PDF
written with the QR the person shows at the next checkpoint.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kiosk import messages
from kiosk.clock import local_day, utc_now
from kiosk.declaration_form import AssistedDeclaration, validate
from kiosk.errors import EnvironmentProblem
from kiosk.receipts import write_receipt
from kiosk.result import RoleResult
from kiosk.rules import decision
from kiosk.storage import Store
from kiosk.storage.handovers import Referral
from kiosk.storage.outbox import QueuedDeclaration, new_receipt_no

PENDING_VALIDITY = timedelta(days=14)  # how long the local 'pending' record stands


@dataclass(frozen=True)
class DeclarationResult(RoleResult):
    """A queued declaration: 'attention', as the person's next scan says until it is approved."""

    declaration: AssistedDeclaration
    queued: QueuedDeclaration
    receipt: Path


class DeclarationDesk:
    """The assistant's desk: validates an assisted declaration, queues it, writes its receipt."""

    def __init__(
        self,
        store: Store,
        *,
        operator_id: str,
        checkpoint_id: str,
        receipts_dir: Path,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.operator_id = operator_id
        self.checkpoint_id = checkpoint_id
        self.receipts_dir = receipts_dir
        self.clock = clock

    @property
    def draft_key(self) -> str:
        return f"assisted:{self.operator_id}"

    def save_draft(self, form: dict[str, object]) -> None:
        self.store.outbox.save_draft(self.draft_key, form, self.clock())

    def draft(self) -> dict[str, object]:
        return self.store.outbox.draft(self.draft_key) or {}

    def submit(
        self, form: dict[str, object]
    ) -> tuple[DeclarationResult | None, dict[str, str]]:
        """(result, {}) or (None, {field: error code}); an invalid form is kept as a draft and
        nothing is recorded."""
        now = self.clock()
        decl, errors = validate(form, local_day(now))
        if decl is None:
            self.save_draft(form)
            return None, errors
        # The receipt is written first, under a temporary name: if the disk refuses it, nothing
        # is queued and the form stays, so pressing Save again cannot queue the person twice.
        # Directive 82/CV-BCĐ III.4.b: who came from an epidemic zone (or met a case) goes to 21
        # days of concentrated quarantine and a PCR test: said here, at once, and on the receipt.
        quarantine = bool(decl.exposure)
        status = messages.STATUS_QUARANTINE if quarantine else messages.STATUS_QUEUED
        receipt_no = new_receipt_no()
        final = self.receipts_dir / f"bien-nhan-{receipt_no}.pdf"
        partial = final.with_suffix(".pdf.part")
        try:
            write_receipt(
                partial,
                decl,
                receipt_no,
                now,
                self.checkpoint_id,
                messages.text(status, "vi"),
                messages.text(status, "en"),
            )
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            self.save_draft(form)
            raise EnvironmentProblem("receipt_failed") from None
        queued = self.store.outbox.queue_declaration(
            decl,
            operator_id=self.operator_id,
            checkpoint_id=self.checkpoint_id,
            at=now,
            draft_key=self.draft_key,
            valid_until=now + PENDING_VALIDITY,
            receipt_no=receipt_no,
            also=self.store.handovers.referral_rows(
                Referral(
                    decl.full_name,
                    decl.id_number,
                    decl.phone,
                    ", ".join(p for p in (decl.came_from, decl.travel_14d) if p),
                    "exposure_quarantine",
                ),
                checkpoint_id=self.checkpoint_id,
                operator_id=self.operator_id,
                at=now,
            )
            if quarantine
            else None,
        )
        partial.replace(final)
        d = (
            decision("declaration_quarantine", receipt=receipt_no, exposure=",".join(decl.exposure))
            if quarantine
            else decision("declaration_queued", receipt=receipt_no)
        )
        result = DeclarationResult(
            d.verdict,
            d.reason,
            queued.event_id,
            now,
            params=d.params,
            source="typed",
            declaration=decl,
            queued=queued,
            receipt=final,
        )
        return result, {}
