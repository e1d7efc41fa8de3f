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
    assert manifest["demo_feeds"] is None
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
        result = police.check_plate(entry["plate"], "typed", entry.get("kind"))
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


def test_every_manifest_example_gets_its_verdict_through_kiosk_check(tmp_path, capsys):
    """Issue 11's done-when: the demo seeds an example of every vehicle kind (seed 000 parts
    II.2-II.3, III.1-III.4) and of every person rule (seed 000 I.2, III.4-III.5; seed 004 II),
    and `kiosk check` gives each the verdict the manifest promises."""
    from kiosk.app.cli import main

    assert main(["--data-dir", str(tmp_path), "demo", "--no-feed"]) == 0
    manifest = json.loads((tmp_path / "demo" / "manifest.json").read_text(encoding="utf-8"))
    capsys.readouterr()
    examples = (
        [(["--payload", s["payload"]], s) for s in manifest["samples"]]
        + [(["--id", e["id"]], e) for e in manifest["ids"]]
        + [
            (["--plate", p["plate"], *(["--kind", p["kind"]] if "kind" in p else [])], p)
            for p in manifest["plates"]
        ]
        + [(["--payload", c["payload"]], c) for c in manifest["cards"]]
    )
    reasons = set()
    for args, expected in examples:
        assert main(["--data-dir", str(tmp_path), "check", *args]) == 0, args
        answer = json.loads(capsys.readouterr().out)
        assert (answer["verdict"], answer["reason"]) == (expected["verdict"], expected["reason"]), (
            args
        )
        reasons.add(answer["reason"])
    assert {
        "freight_not_registered",
        "freight_approved",
        "vehicle_transit",
        "coach_passengers_declare",
        "car_occupants_declare",
        "vehicle_approved",
        "delegation_not_registered",
        "exposure_quarantine",
        "code_name_differs",
        "expired",
    } <= reasons
    # freight past its stay is listed, as the manifest says
    assert main(["--data-dir", str(tmp_path), "overdue-freight"]) == 0
    listed = [json.loads(line)["plate"] for line in capsys.readouterr().out.splitlines()]
    assert listed == manifest["overdue_freight"]
    # the people referred to quarantine by those checks form the handover list
    assert main(["--data-dir", str(tmp_path), "handovers"]) == 0
    names = {json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()}
    assert {"Đặng Văn Ệ", "Nguyễn Thị Thu Hà", "Lê Văn Cường"} <= names
