"""Directive 82's settings and lists on the server: the rule settings kiosks pull (each with its
source), freight vehicles still inside past their allowed stay, and the quarantine handover
lists the checkpoints pushed. The same functions back `kiosk-server` and the tests."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from kiosk.market_cards import LAST_ODD_DAY_CHOICES
from kiosk.storage.rule_settings import (
    DEFAULTS,
    FREIGHT_MAX_STAY_HOURS,
    MARKET_LAST_ODD_DAY,
    Setting,
)
from kiosk_server.db import entities, events, upsert_entities

KIND = "setting"  # the pulled kind (docs/sync-protocol.md)


class BadSetting(ValueError):
    pass


def set_setting(engine: Engine, key: str, value: str, source: str) -> Setting:
    """Publishes a setting for every kiosk's next pull. Raises BadSetting for an unknown key or
    a value the kiosks could not use; a setting without a source is refused too: every rule
    says where it comes from."""
    family, _, market = key.partition(".")
    if family not in DEFAULTS or (family == MARKET_LAST_ODD_DAY) != bool(market):
        raise BadSetting(f"unknown setting {key!r}: one of {', '.join(known_keys())}")
    if family == MARKET_LAST_ODD_DAY:
        if not market.isdigit() or value not in LAST_ODD_DAY_CHOICES:
            raise BadSetting(f"{key}: 'odd' or 'even', for a market number")
    elif not value.isdigit() or not 0 < int(value) <= 10_000:
        raise BadSetting(f"{key}: a whole number above 0")
    if not source.strip():
        raise BadSetting("say where the value comes from (--source)")
    upsert_entities(engine, KIND, [(key, {"key": key, "value": value, "source": source})])
    return Setting(key, value, source)


def known_keys() -> list[str]:
    return [k if k != MARKET_LAST_ODD_DAY else f"{k}.<market id>" for k in DEFAULTS]


def settings(engine: Engine) -> list[dict[str, object]]:
    """Every setting in force: the published ones, and the defaults nobody changed."""
    with engine.connect() as conn:
        published = {
            r.key: json.loads(r.data)
            for r in conn.execute(
                select(entities.c.key, entities.c.data).where(entities.c.kind == KIND)
            )
        }
    out: list[dict[str, object]] = []
    for key, default in DEFAULTS.items():
        if key in published:
            out.append({**published.pop(key), "default": False})
        else:
            out.append(
                {"key": key, "value": default.value, "source": default.source, "default": True}
            )
    out.extend({**v, "default": False} for _k, v in sorted(published.items()))
    return out


def max_stay(engine: Engine) -> timedelta:
    with engine.connect() as conn:
        data = conn.execute(
            select(entities.c.data).where(
                entities.c.kind == KIND, entities.c.key == FREIGHT_MAX_STAY_HOURS
            )
        ).scalar()
    value = json.loads(data)["value"] if data else DEFAULTS[FREIGHT_MAX_STAY_HOURS].value
    return timedelta(hours=int(value))


def _pushed(engine: Engine, kind: str) -> list[tuple[str, dict[str, object]]]:
    query = select(events.c.kiosk_id, events.c.data).where(events.c.kind == kind)
    with engine.connect() as conn:
        return [(r.kiosk_id, json.loads(r.data)) for r in conn.execute(query)]


def overdue_freight(engine: Engine, now: datetime) -> list[dict[str, object]]:
    """Freight let in at any checkpoint, with no exit recorded, for longer than it may stay."""
    stay = max_stay(engine)
    out = []
    for kiosk, d in _pushed(engine, "vehicle_entry"):
        if d.get("kind") != "freight" or d.get("exited_at"):
            continue
        entered = datetime.fromisoformat(str(d["entered_at"]))
        if now - entered > stay:
            out.append(
                {
                    "plate": d["plate_display"],
                    "entered_at": entered.isoformat(),
                    "checkpoint_id": d["checkpoint_id"],
                    "kiosk_id": kiosk,
                    "hours_inside": round((now - entered).total_seconds() / 3600, 1),
                    "max_stay_hours": int(stay.total_seconds() // 3600),
                }
            )
    return sorted(out, key=lambda r: str(r["entered_at"]))


def handovers(engine: Engine, status: str | None = None) -> list[dict[str, object]]:
    """The quarantine handover lists of every checkpoint, oldest referral first: full
    identities, for the health authority's staff (the server is their system)."""
    rows = [
        {
            "name": d["full_name"],
            "id_number": d["id_number"],
            "phone": d["phone"],
            "origin": d["origin"],
            "referred_at": d["referred_at"],
            "checkpoint_id": d["checkpoint_id"],
            "reason": d["reason"],
            "status": d["status"],
            "status_at": d["status_at"],
        }
        for _kiosk, d in _pushed(engine, "handover")
        if status is None or d.get("status") == status
    ]
    return sorted(rows, key=lambda r: str(r["referred_at"]))
