"""Directive 82's settings and lists between kiosk and server (issue 11), against a real server
process: settings come down with their sources, vehicle entries and handovers go up, and the
server's lists show them."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.checker import PersonDesk
from kiosk.storage.rule_settings import FREIGHT_MAX_STAY_HOURS, ZONE_LOOKBACK_DAYS, market_key
from kiosk.vehicles import VehicleDesk
from kiosk_server import rules_lists
from sync import engine as sync_engine


def _server_cli(server, *args: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk_server",
            "--data-dir",
            str(server.data_dir),
            "--db",
            server.db_url,
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_settings_published_on_the_server_reach_the_kiosk_with_their_source(server, kiosk_store):
    """Seed 000 part III.4.b names no look-back period and III.2.a no number of hours: the
    server publishes both, with where they come from, and every kiosk follows after a sync."""
    listed = {s["key"]: s for s in _server_cli(server, "settings")}
    assert listed[ZONE_LOOKBACK_DAYS]["value"] == "14" and listed[ZONE_LOOKBACK_DAYS]["default"]
    assert "project choice" in str(listed[ZONE_LOOKBACK_DAYS]["source"])
    assert listed[market_key(2)]["value"] == "even"  # the demo's An Cựu market
    _server_cli(server, "setting", FREIGHT_MAX_STAY_HOURS, "6", "--source", "Công văn Sở GTVT")
    with pytest.raises(rules_lists.BadSetting):
        rules_lists.set_setting(server.engine, ZONE_LOOKBACK_DAYS, "two weeks", "x")
    with pytest.raises(rules_lists.BadSetting):
        rules_lists.set_setting(server.engine, ZONE_LOOKBACK_DAYS, "21", " ")
    with pytest.raises(rules_lists.BadSetting):
        rules_lists.set_setting(server.engine, "market_last_odd_day.1", "sometimes", "x")
    sync_engine.run_cycle(kiosk_store, sync_engine.client_for(kiosk_store))
    got = kiosk_store.rule_settings.get(FREIGHT_MAX_STAY_HOURS)
    assert (got.value, got.source) == ("6", "Công văn Sở GTVT")
    assert kiosk_store.rule_settings.get(market_key(2)).value == "even"


def test_overstaying_freight_and_the_handover_list_reach_the_server(server, kiosk_store):
    """Seed 000 part III.2.a (freight leaves right after delivering) and III.4.b (quarantine):
    what each checkpoint recorded shows in the server's lists, and a later exit or status
    change replaces what was sent."""
    client = sync_engine.client_for(kiosk_store)
    sync_engine.run_cycle(kiosk_store, client)
    now = datetime.now(UTC)
    earlier = VehicleDesk(
        kiosk_store,
        checkpoint_id="chot-test",
        operator_id="p",
        clock=lambda: now - timedelta(hours=14),
    )
    earlier.check_plate("43B-055.66", "typed", "coach")  # let in too, but not freight
    from kiosk.storage.models import VehicleEntry
    from kiosk.storage.timeutil import to_db

    table = VehicleEntry.__table__
    with kiosk_store.engine.begin() as conn:  # two freight entries 14 h old, never left
        for plate in ("75C-123.45", "75R-012.34"):
            conn.execute(
                table.insert().values(
                    event_id=str(uuid.uuid4()),
                    plate_key=plate.replace("-", "").replace(".", ""),
                    plate_display=plate,
                    kind="freight",
                    registration_id=None,
                    checkpoint_id="chot-test",
                    operator_id="p",
                    entered_at=to_db(now - timedelta(hours=14)),
                )
            )
    medic = PersonDesk(kiosk_store, checkpoint_id="chot-test", operator_id="m")
    assert medic.check_id("079088003456", "typed").reason == "epidemic_zone"
    assert medic.check_id("046090006789", "typed").reason == "exposure_quarantine"
    sync_engine.run_cycle(kiosk_store, client)
    overdue = rules_lists.overdue_freight(server.engine, datetime.now(UTC))
    assert [o["plate"] for o in overdue] == ["75C-123.45", "75R-012.34"]
    assert VehicleDesk(kiosk_store, checkpoint_id="c", operator_id="p").record_exit("75C-123.45")
    waiting = rules_lists.handovers(server.engine, "waiting")
    assert {h["name"] for h in waiting} == {"Đặng Văn Ệ", "Nguyễn Thị Thu Hà"}
    assert {h["id_number"] for h in waiting} == {"079088003456", "046090006789"}
    first = kiosk_store.handovers.listing()[0]
    kiosk_store.handovers.set_status(first.event_id, "absent", "m", datetime.now(UTC))
    sync_engine.run_cycle(kiosk_store, client)
    assert [o["plate"] for o in _server_cli(server, "overdue-freight")] == ["75R-012.34"]
    statuses = {h["name"]: h["status"] for h in _server_cli(server, "handovers")}
    assert statuses[first.full_name] == "absent" and "waiting" in statuses.values()
    assert kiosk_store.replica.pending_count() == 0
