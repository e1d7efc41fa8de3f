"""The police officer's check: is this vehicle approved to enter the province now?

Directive 82/CV-BCĐ (seed 000) treats vehicles by kind:
- freight needs an approved "Đăng ký xe giao, nhận hàng" (II.2, III.2.a); unregistered freight is
  the violation; the crew leaves right after delivering, so entries and exits are recorded and
  freight inside past its allowed stay (a server setting) is listed;
- transit needs no declaration but takes the bypass "Đường tránh Huế" without stopping
  (III.1.b, III.2.b, III.4.c, IV.5);
- fixed-route coaches may enter; every passenger declares at the checkpoint (III.3.a);
- cars under 7 seats: every occupant declares at the checkpoint (III.4.a);
- delegations need an approved "Đăng ký đoàn vào làm việc" (II.3).
A registered plate is judged by its registration; an unregistered one by the kind the officer
names (one key on the police screen, `--kind` on the command line).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from kiosk.clock import local, utc_now
from kiosk.errors import InputError
from kiosk.plates import compact, one_typo_away, parse_plate, printed
from kiosk.result import RoleResult
from kiosk.rules import Decision, decision
from kiosk.storage import AuditRecord, ScanRecord, Store
from kiosk.storage.rule_settings import FREIGHT_MAX_STAY_HOURS
from kiosk.storage.vehicle_entries import VehicleEntryRow
from kiosk.storage.vehicle_registrations import VehicleRow

KINDS = ("freight", "transit", "coach", "car", "delegation")  # the police screen's keys, in order
# the kinds a registration may be of (the back office's form, its CSV and `kiosk-server
# import`): a car under 7 seats is never registered, its occupants declare (III.4.a)
REGISTERED_KINDS = tuple(k for k in KINDS if k != "car")
UNREGISTERED = {  # seed 000: II.2/III.2.a, III.1.b/III.2.b, III.3.a, III.4.a, II.3
    "freight": "freight_not_registered",
    "transit": "vehicle_transit",
    "coach": "coach_passengers_declare",
    "car": "car_occupants_declare",
    "delegation": "delegation_not_registered",
}


@dataclass(frozen=True)
class VehicleResult(RoleResult):
    plate: str  # in its printed form (kiosk.plates), however it was typed
    registration: VehicleRow | None = None
    suggestions: tuple[str, ...] = ()  # registered plates one typo away, in printed form
    kind: str | None = None  # as registered, else as the officer named it
    entry_id: str | None = None  # the vehicle entry recorded with this check, if it was let in

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


def decide_vehicle(reg: VehicleRow | None, now: datetime, kind: str | None = None) -> Decision:
    if reg is None:
        return decision(UNREGISTERED[kind] if kind else "vehicle_kind_needed")
    if reg.status == "rejected":
        return decision("vehicle_rejected")
    if reg.status == "pending":
        return decision("vehicle_pending")
    if reg.kind == "transit":
        return decision("vehicle_transit")
    if not reg.valid_from <= now <= reg.valid_to:
        return decision("vehicle_outside_window", window=_window(reg))
    if reg.kind == "freight":
        return decision("freight_approved", window=_window(reg), business=reg.business)
    return decision("vehicle_approved", window=_window(reg), business=reg.business)


def _enters(kind: str | None, d: Decision) -> bool:
    """A vehicle let into the province: its entry is recorded (transit only passes by)."""
    return kind in ("freight", "coach", "car", "delegation") and d.verdict.value != "deny"


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

    def registrations(self, keys: Iterable[str]) -> list[VehicleRow]:
        """The registrations of these compact keys, newest first, each plate in its printed
        form: the back office keeps it as its clerk typed it (`51c12345`), and the officer, the
        entry it opens and the lists that show that entry read it as it is printed."""
        return [
            replace(r, plate_display=printed(r.plate_display)) for r in self.vehicles.by_keys(keys)
        ]

    def near_misses(self, key: str) -> tuple[str, ...]:
        regs = self.registrations(one_typo_away(key))
        return tuple(dict.fromkeys(r.plate_display for r in regs))

    def check_plate(
        self, text: str, source: str = "typed", kind: str | None = None
    ) -> VehicleResult:
        """Raises InputError('plate_malformed', suggestions=...) for what is not a plate, and
        InputError('vehicle_kind_unknown') for a kind that is not one of KINDS."""
        if kind is not None and kind not in KINDS:
            raise InputError("vehicle_kind_unknown")
        try:
            plate = parse_plate(text)
        except InputError as exc:
            exc.params["suggestions"] = self.near_misses(compact(text))
            raise
        now = self.clock()
        reg = _best(self.registrations([plate.key]), now)
        suggestions = self.near_misses(plate.key) if reg is None else ()
        d = decide_vehicle(reg, now, kind)
        kind = reg.kind if reg is not None else kind
        entry_id, entry_rows = None, None
        if _enters(kind, d):
            entry_id, entry_rows = self.store.vehicle_entries.entry_rows(
                plate_key=plate.key,
                plate_display=reg.plate_display if reg else plate.display,
                kind=str(kind),
                registration_id=reg.id if reg else None,
                checkpoint_id=self.checkpoint_id,
                operator_id=self.operator_id,
                at=now,
            )
        # the scan, its audit row and the entry: one transaction, on disk before it is shown
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
            ),
            extra=entry_rows,
        )
        return VehicleResult(
            d.verdict,
            d.reason,
            event_id,
            now,
            plate=plate.display,
            registration=reg,
            suggestions=suggestions,
            kind=kind,
            entry_id=entry_id,
            params=d.params,
            source=source,
        )

    def record_exit(self, text: str) -> VehicleEntryRow | None:
        """The vehicle leaves the province: closes its open entry (None when it has none)."""
        plate = parse_plate(text)
        now = self.clock()
        row = self.store.vehicle_entries.record_exit(plate.key, now)
        self.store.audit(
            AuditRecord(
                self.operator_id,
                "police",
                "vehicle_exit",
                plate.key,
                "ok" if row else "no_open_entry",
                at=now,
            )
        )
        return row

    def overdue_freight(self) -> tuple[list[VehicleEntryRow], int]:
        """Freight inside longer than the server's allowed stay, and that stay in hours."""
        hours = self.store.rule_settings.number(FREIGHT_MAX_STAY_HOURS)
        overdue = self.store.vehicle_entries.overdue_freight(self.clock(), timedelta(hours=hours))
        return overdue, hours
