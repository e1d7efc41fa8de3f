"""The police officer's check: is this vehicle approved to enter the province now?

Directive 82/CV-BCĐ part II.2-3 and III.2: freight vehicles need an approved "Đăng ký xe giao,
nhận hàng", delegations an approved "Đăng ký đoàn vào làm việc"; vehicles only passing through
must take the Huế bypass and not stop. An unregistered vehicle is a violation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kiosk.clock import local, utc_now
from kiosk.errors import InputError
from kiosk.plates import compact, one_typo_away, parse_plate
from kiosk.result import RoleResult
from kiosk.rules import Decision, decision
from kiosk.storage import ScanRecord, Store
from kiosk.storage.vehicle_registrations import VehicleRow


@dataclass(frozen=True)
class VehicleResult(RoleResult):
    plate: str  # as typed
    registration: VehicleRow | None = None
    suggestions: tuple[str, ...] = ()  # registered plates one typo away, as registered

    def to_json(self) -> dict[str, object]:
        """The four keys of every check, and the near misses when there are any: plates of
        registered vehicles, never personal, offered for the officer to look at."""
        answer = super().to_json()
        if self.suggestions:
            answer["suggestions"] = list(self.suggestions)
        return answer


def _window(reg: VehicleRow) -> str:
    fmt = "%H:%M %d/%m"
    return f"{local(reg.valid_from):{fmt}} – {local(reg.valid_to):{fmt}}"


def decide_vehicle(reg: VehicleRow | None, now: datetime) -> Decision:
    if reg is None:
        return decision("vehicle_not_registered")
    if reg.status == "rejected":
        return decision("vehicle_rejected")
    if reg.status == "pending":
        return decision("vehicle_pending")
    if reg.kind == "transit":
        return decision("vehicle_transit")
    if not reg.valid_from <= now <= reg.valid_to:
        return decision("vehicle_outside_window", window=_window(reg))
    return decision("vehicle_approved", window=_window(reg), business=reg.business)


def _best(regs: list[VehicleRow], now: datetime) -> VehicleRow | None:
    """Of several registrations of one plate, the one that speaks for now: an approval whose
    window holds now, else the newest."""
    current = [r for r in regs if r.status == "approved" and r.valid_from <= now <= r.valid_to]
    return (current or regs or [None])[0]


class VehicleDesk:
    """The police officer's check of a typed licence plate."""

    def __init__(
        self,
        store: Store,
        *,
        checkpoint_id: str,
        operator_id: str,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.vehicles = store.vehicles
        self.checkpoint_id = checkpoint_id
        self.operator_id = operator_id
        self.clock = clock

    def near_misses(self, key: str) -> tuple[str, ...]:
        regs = self.vehicles.by_keys(one_typo_away(key))
        return tuple(dict.fromkeys(r.plate_display for r in regs))

    def check_plate(self, text: str, source: str = "typed") -> VehicleResult:
        """Raises InputError('plate_malformed', suggestions=...) for what is not a plate."""
        try:
            plate = parse_plate(text)
        except InputError as exc:
            exc.params["suggestions"] = self.near_misses(compact(text))
            raise
        now = self.clock()
        reg = _best(self.vehicles.by_keys([plate.key]), now)
        suggestions = self.near_misses(plate.key) if reg is None else ()
        d = decide_vehicle(reg, now)
        event_id = self.store.record_scan(
            ScanRecord(
                checkpoint_id=self.checkpoint_id,
                operator_id=self.operator_id,
                source=source,
                payload_kind="plate",
                subject_ref=plate.key,
                declaration_id=reg.id if reg else None,
                verdict=d.verdict.value,
                reason=d.reason,
                scanned_at=now,
                screen="police",
                action="lookup_vehicle",
            )
        )
        return VehicleResult(
            d.verdict,
            d.reason,
            event_id,
            now,
            plate=plate.typed,
            registration=reg,
            suggestions=suggestions,
            params=d.params,
            source=source,
        )
