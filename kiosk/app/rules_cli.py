"""`kiosk` commands for directive 82's lists: a vehicle's exit, freight past its allowed stay,
and the quarantine handover list (printed as a PDF, statuses set)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import messages
from kiosk.errors import InputError

if TYPE_CHECKING:
    from kiosk.settings import Settings
    from kiosk.storage import Store

RULES_COMMANDS = ("vehicle-exit", "overdue-freight", "handovers")


def add_rules_commands(sub: argparse._SubParsersAction) -> None:
    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
        p.add_argument("--lang", choices=messages.LANGUAGES, default=argparse.SUPPRESS)

    leave = sub.add_parser("vehicle-exit", help="record that a vehicle left; print JSON")
    common(leave)
    leave.add_argument("--plate", required=True)
    overdue = sub.add_parser(
        "overdue-freight",
        help="freight still inside past its allowed stay (a server setting); JSON lines",
    )
    common(overdue)
    hand = sub.add_parser(
        "handovers", help="the quarantine handover list: JSON lines, a PDF, or set a status"
    )
    common(hand)
    hand.add_argument("--pdf", type=Path, help="write the printable list here")
    hand.add_argument(
        "--set",
        nargs=2,
        metavar=("ID", "STATUS"),
        help="mark one person (id from the list) handed_over or absent",
    )


def run_rules_command(store: Store, conf: Settings, args: argparse.Namespace) -> int:
    from kiosk.vehicles import VehicleDesk

    who = {"checkpoint_id": conf.checkpoint_id, "operator_id": conf.operator_id}
    try:
        if args.command == "vehicle-exit":
            row = VehicleDesk(store, **who).record_exit(args.plate)
            if row is None:
                raise InputError("no_open_entry")
            print(
                json.dumps(
                    {
                        "entry_id": row.event_id,
                        "plate": row.plate_display,
                        "kind": row.kind,
                        "entered_at": row.entered_at.isoformat(),
                        "exited_at": row.exited_at.isoformat() if row.exited_at else None,
                    },
                    ensure_ascii=False,
                )
            )
        elif args.command == "overdue-freight":
            rows, hours = VehicleDesk(store, **who).overdue_freight()
            for r in rows:
                print(
                    json.dumps(
                        {
                            "entry_id": r.event_id,
                            "plate": r.plate_display,
                            "entered_at": r.entered_at.isoformat(),
                            "max_stay_hours": hours,
                        },
                        ensure_ascii=False,
                    )
                )
        else:
            _handovers(store, conf, args)
    finally:
        store.close()
    return 0


def _handovers(store: Store, conf: Settings, args: argparse.Namespace) -> None:
    now = datetime.now(UTC)
    if args.set:
        event_id, status = args.set
        if status not in ("handed_over", "absent", "waiting"):
            raise InputError("handover_unknown")
        if not store.handovers.set_status(event_id, status, conf.operator_id, now):
            raise InputError("handover_unknown")
    rows = store.handovers.listing()
    if args.pdf:
        from kiosk.handover_list import write_handover_pdf

        write_handover_pdf(args.pdf, rows, conf.checkpoint_id, now)
        print(json.dumps({"pdf": str(args.pdf), "people": len(rows)}, ensure_ascii=False))
        return
    for r in rows:  # the quarantine team's list: full identities, as on the printed page
        print(
            json.dumps(
                {
                    "id": r.event_id,
                    "name": r.full_name,
                    "id_number": r.id_number,
                    "phone": r.phone,
                    "origin": r.origin,
                    "referred_at": r.referred_at.isoformat(),
                    "reason": r.reason,
                    "status": r.status,
                },
                ensure_ascii=False,
            )
        )
