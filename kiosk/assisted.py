"""The assistant's desk: a declaration typed for a person without a smartphone ("khai hộ").

Drafts are saved as the operator types, so a failed validation or a closed window loses
nothing; `review` gives the declaration as it would be saved, to read back to the person; a
valid form is then queued for the central server in one transaction, and only after that is its
receipt PDF written, with the QR the person shows at the next checkpoint (a receipt that cannot
be written loses no declaration: the window can still print it).
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
from kiosk.receipts import ReceiptContent, receipt_content, write_receipt
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
    receipt: Path | None  # the PDF; None when the disk refused it (the declaration is saved)
    content: ReceiptContent  # what the receipt says, to print it again on any paper


class DeclarationDesk:
    """The assistant's desk: validates an assisted declaration, queues it, writes its receipt."""

    def __init__(
        self,
        store: Store,
        *,
        operator_id: str,
        checkpoint_id: str,
        receipts_dir: Path,
        paper: str = "a5",
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.operator_id = operator_id
        self.checkpoint_id = checkpoint_id
        self.receipts_dir = receipts_dir
        self.paper = paper  # the receipt PDF's paper: 'a5' or 'roll80' (settings.json)
        self.clock = clock

    @property
    def draft_key(self) -> str:
        return f"assisted:{self.operator_id}"

    def save_draft(self, form: dict[str, object]) -> None:
        self.store.outbox.save_draft(self.draft_key, form, self.clock())

    def draft(self) -> dict[str, object]:
        return self.store.outbox.draft(self.draft_key) or {}

    def review(self, form: dict[str, object]) -> tuple[AssistedDeclaration | None, dict[str, str]]:
        """The declaration as it would be saved, to read back to the person, or the form's
        problems; nothing is recorded but the draft."""
        self.save_draft(form)
        return validate(form, local_day(self.clock()))

    def submit(self, form: dict[str, object]) -> tuple[DeclarationResult | None, dict[str, str]]:
        """(result, {}) or (None, {field: error code}); an invalid form is kept as a draft and
        nothing is recorded."""
        now = self.clock()
        decl, errors = validate(form, local_day(now))
        if decl is None:
            self.save_draft(form)
            return None, errors
        # Directive 82/CV-BCĐ III.4.b: who came from an epidemic zone (or met a case) goes to 21
        # days of concentrated quarantine and a PCR test: said here, at once, and on the receipt.
        quarantine = bool(decl.exposure)
        status = messages.STATUS_QUARANTINE if quarantine else messages.STATUS_QUEUED
        receipt_no = new_receipt_no()
        # The declaration is committed first: a receipt the disk refuses loses nothing, and the
        # window prints the receipt from `content` without any file (ui/receipt_printing.py).
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
        content = receipt_content(
            decl,
            receipt_no,
            now,
            self.checkpoint_id,
            messages.text(status, "vi"),
            messages.text(status, "en"),
        )
        receipt = self._write_receipt(content)
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
            receipt=receipt,
            content=content,
        )
        return result, {}

    def _write_receipt(self, content: ReceiptContent) -> Path | None:
        """The receipt PDF, or None when the disk refuses it (said by the window)."""
        final = self.receipts_dir / f"bien-nhan-{content.receipt_no}.pdf"
        partial = final.with_suffix(".pdf.part")  # a viewer never opens half a file
        try:
            write_receipt(partial, content, self.paper)
            partial.replace(final)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            return None
        return final
