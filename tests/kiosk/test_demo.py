"""The demo manifest is a contract: every sample and ID gets the verdict it promises."""

import json
from pathlib import Path

import pytest

from kiosk.checker import Checker
from kiosk.demo import seed
from kiosk.errors import InputError
from kiosk.market_gate import MarketGate
from kiosk.storage import Store
from kiosk.vehicles import VehicleChecker
from scanner.pipeline import decode_image_file


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo")
    store = Store.open(data / "kiosk.db")
    manifest = json.loads(seed(store, data, write_feed=False).read_text(encoding="utf-8"))
    yield store, data, manifest
    store.close()


def test_every_sample_gets_the_promised_verdict(demo):
    store, _data, manifest = demo
    checker = Checker(store, checkpoint_id="c", operator_id="o")
    for sample in manifest["samples"]:
        result = checker.check_payload(sample["payload"], "cli")
        assert (result.verdict.value, result.reason) == (sample["verdict"], sample["reason"]), (
            sample["file"]
        )
    for entry in manifest["ids"]:
        result = checker.check_id(entry["id"], "cli")
        assert (result.verdict.value, result.reason) == (entry["verdict"], entry["reason"])


def test_every_sample_image_decodes_to_its_exact_payload(demo):
    _store, data, manifest = demo
    for sample in manifest["samples"]:
        result = decode_image_file(data / "demo" / sample["file"])
        assert [c.text for c in result.codes] == [sample["payload"]], sample["file"]


def test_demo_plates_and_cards_get_their_promised_verdicts(demo):
    store, _data, manifest = demo
    police = VehicleChecker(store, checkpoint_id="c", operator_id="o")
    for entry in manifest["plates"]:
        result = police.check_plate(entry["plate"])
        assert (result.verdict.value, result.reason) == (entry["verdict"], entry["reason"])
        assert list(result.suggestions) == entry.get("suggestions", [])
    gate = MarketGate(store, market_id=manifest["market_id"], checkpoint_id="c", operator_id="o")
    for entry in manifest["cards"]:
        result = gate.check_card(entry["payload"])
        assert (result.verdict.value, result.reason) == (entry["verdict"], entry["reason"]), entry[
            "name"
        ]


def test_a_market_card_shown_to_the_medic_is_sent_to_the_market_screen(demo):
    store, _data, manifest = demo
    with pytest.raises(InputError) as err:
        Checker(store, checkpoint_id="c", operator_id="o").check_payload(
            manifest["cards"][0]["payload"], "camera"
        )
    assert err.value.code == "market_card_here"


def test_scan_log_and_audit_never_hold_a_full_id_number(demo):
    store, data, _manifest = demo
    Checker(store, checkpoint_id="c", operator_id="o").check_id("046085001234", "typed")
    import sqlite3

    with sqlite3.connect(Path(data) / "kiosk.db") as db:
        for table in ("scan_events", "audit_log"):
            for row in db.execute(f"SELECT * FROM {table}"):
                assert not any("046085001234" in str(v) for v in row), (table, row)
