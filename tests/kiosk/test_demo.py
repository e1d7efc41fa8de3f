"""The demo manifest is a contract: every sample and ID gets the verdict it promises."""

import json

import pytest

from kiosk.app.demo import seed
from kiosk.checker import PersonDesk
from kiosk.errors import InputError
from kiosk.market_gate import CardDesk
from kiosk.storage import Store
from kiosk.vehicles import VehicleDesk
from scanner.pipeline import decode_image_file


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo")
    store = Store.open(data / "kiosk.db")
    path = seed(store, data, write_feed=False)
    assert path == data / "demo" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    yield store, data, manifest
    store.close()


def test_the_manifest_lists_every_sample_image_and_no_feed(demo):
    _store, data, manifest = demo
    assert manifest["format"] == "kiosk-demo-manifest/1"
    assert manifest["demo_feed"] is None
    assert not (data / "demo" / "demo-feed.mp4").exists()
    files = sorted(s["file"] for s in manifest["samples"])
    assert files == sorted(p.name for p in (data / "demo").glob("*.png"))
    # the samples cover every verdict and the identity-code kinds a checkpoint meets
    assert {s["verdict"] for s in manifest["samples"]} == {"allow", "attention", "deny"}
    assert {s["payload"][:4] == "CK1:" for s in manifest["samples"]} == {True, False}


def test_every_sample_gets_the_promised_verdict(demo):
    store, _data, manifest = demo
    checker = PersonDesk(store, checkpoint_id="c", operator_id="o")
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
    vietnamese = [s for s in manifest["samples"] if not s["payload"].isascii()]
    assert vietnamese, "no sample carries a Vietnamese name: the check below proves nothing"
    for sample in manifest["samples"]:
        result = decode_image_file(data / "demo" / sample["file"])
        assert result.error is None
        assert [c.text for c in result.codes] == [sample["payload"]], sample["file"]
        assert all(c.utf8 for c in result.codes)


def test_demo_plates_and_cards_get_their_promised_verdicts(demo):
    store, _data, manifest = demo
    police = VehicleDesk(store, checkpoint_id="c", operator_id="o")
    for entry in manifest["plates"]:
        result = police.check_plate(entry["plate"])
        assert (result.verdict.value, result.reason) == (entry["verdict"], entry["reason"])
        assert list(result.suggestions) == entry.get("suggestions", [])
    gate = CardDesk(store, market_id=manifest["market_id"], checkpoint_id="c", operator_id="o")
    for entry in manifest["cards"]:
        result = gate.check_card(entry["payload"])
        assert (result.verdict.value, result.reason) == (entry["verdict"], entry["reason"]), entry[
            "name"
        ]


def test_a_market_card_shown_to_the_medic_is_sent_to_the_market_screen(demo):
    store, _data, manifest = demo
    with pytest.raises(InputError) as err:
        PersonDesk(store, checkpoint_id="c", operator_id="o").check_payload(
            manifest["cards"][0]["payload"], "camera"
        )
    assert err.value.code == "market_card_here"


def test_seeding_again_keeps_every_promise(tmp_path):
    store = Store.open(tmp_path / "kiosk.db")
    try:
        first = json.loads(seed(store, tmp_path, write_feed=False).read_text(encoding="utf-8"))
        again = json.loads(seed(store, tmp_path, write_feed=False).read_text(encoding="utf-8"))
        assert [s["file"] for s in again["samples"]] == [s["file"] for s in first["samples"]]
        checker = PersonDesk(store, checkpoint_id="c", operator_id="o")
        for old in first["samples"]:  # codes printed from the first run still work
            result = checker.check_payload(old["payload"], "cli")
            assert (result.verdict.value, result.reason) == (old["verdict"], old["reason"])
    finally:
        store.close()
