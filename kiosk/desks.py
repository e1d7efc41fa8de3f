"""Which role's desk judges a text given on the command line: one entry for `kiosk check`.

The window knows the desk from the screen; the CLI knows it from the input: a plate goes to the
police desk, a market-day card to the market gate, anything else to the medic's desk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk import tokens
from kiosk.checker import PersonDesk
from kiosk.market_gate import CardDesk
from kiosk.result import RoleResult
from kiosk.settings import Settings
from kiosk.storage import Store
from kiosk.vehicles import VehicleDesk


def check_text(
    store: Store,
    conf: Settings,
    *,
    id_text: str | None = None,
    payload: str | None = None,
    plate: str | None = None,
    kind: str | None = None,
    vehicle_entry: str | None = None,
    source: str = "cli",
    clock: Callable[[], datetime] | None = None,
) -> RoleResult:
    """The verdict for exactly one of an ID number, a scanned text or a plate; recorded before
    it is returned, as of `clock()` if given (`kiosk check --at`). Raises InputError (nothing
    recorded) for what no desk can use. An HC1 (EU DCC) code goes to the medic's desk. `kind`
    names an unregistered plate's kind; `vehicle_entry` groups a person under the coach or car
    they came in."""
    who: dict[str, Any] = {"checkpoint_id": conf.checkpoint_id, "operator_id": conf.operator_id}
    if clock is not None:
        who["clock"] = clock
    if plate is not None:
        return VehicleDesk(store, **who).check_plate(plate, source, kind)
    if payload is not None and tokens.token_type(payload.strip()) == tokens.TYPE_MARKET_CARD:
        return CardDesk(store, market_id=conf.market_id, **who).check_card(payload, source)
    medic = PersonDesk(store, vehicle_entry_id=vehicle_entry, **who)
    if payload is not None:
        return medic.check_payload(payload, source)
    return medic.check_id(id_text or "", source)
