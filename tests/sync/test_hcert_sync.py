"""HC1 signer certificates and the rule set: imported on the server, pulled by a kiosk,
used offline."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from kiosk.hcert.checker import HcertChecker
from kiosk.hcert.rules import RuleSet
from kiosk_server import hcert_admin
from kiosk_server.db import entities
from sync import engine as sync_engine
from tests.kiosk.hcert.vectors import dgc, hc1, make_dsc, pcr_test


def _server_cli(server, *args):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk_server",
            "--data-dir",
            server.data_dir,
            "--db",
            server.db_url,
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_dscs_and_the_rule_set_come_down_and_verify_offline(server, kiosk_store, tmp_path):
    now = datetime.now(UTC)
    es = make_dsc("ES256", not_before=now - timedelta(days=30), not_after=now + timedelta(days=30))
    ps = make_dsc("PS256", not_before=now - timedelta(days=30), not_after=now + timedelta(days=30))
    bundle = tmp_path / "trust-list.pem"
    bundle.write_bytes(es.pem + ps.pem)
    done = _server_cli(server, "import", "dsc", bundle)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"

    checker = HcertChecker(kiosk_store, checkpoint_id="chot-test", operator_id="o")
    code = hc1(es, iat=now - timedelta(days=1), exp=now + timedelta(days=20))
    assert checker.check(code, "camera").reason == "hc1_unknown_signer"  # before the sync
    sync_engine.run_cycle(kiosk_store, sync_engine.client_for(kiosk_store))
    server.stop()  # offline from here on
    assert checker.check(code, "camera").reason == "hc1_valid_vaccination"
    ps_code = hc1(ps, iat=now - timedelta(days=1), exp=now + timedelta(days=20))
    assert checker.check(ps_code, "camera").reason == "hc1_valid_vaccination"
    status = checker.trust_status(datetime.now(UTC))
    assert status.stale is False and status.updated_at is not None


def test_a_checkpoint_rule_set_set_on_the_server_applies_at_that_checkpoint(
    server, kiosk_store, tmp_path
):
    now = datetime.now(UTC)
    es = make_dsc("ES256", not_before=now - timedelta(days=30), not_after=now + timedelta(days=30))
    der = tmp_path / "dsc.der"
    der.write_bytes(es.der)
    assert hcert_admin.import_dsc(server.engine, der) == 1
    rules = tmp_path / "rules.json"
    rules.write_text(RuleSet(test_max_hours=24).to_json())
    done = _server_cli(server, "import", "hcert-rules", rules, "--checkpoint", "chot-test")
    assert done.returncode == 0, done.stderr
    sync_engine.run_cycle(kiosk_store, sync_engine.client_for(kiosk_store))
    test = hc1(
        es,
        body=dgc(pcr_test(sc=now - timedelta(hours=30))),
        iat=now - timedelta(hours=29),
        exp=now + timedelta(days=2),
    )
    here = HcertChecker(kiosk_store, checkpoint_id="chot-test", operator_id="o")
    elsewhere = HcertChecker(kiosk_store, checkpoint_id="another", operator_id="o")
    assert here.check(test, "camera").reason == "hc1_test_too_old"
    assert elsewhere.check(test, "camera").reason == "hc1_valid_test"  # built-in 72 hours


def test_a_bad_trust_list_or_rule_set_is_refused_whole(server, tmp_path):
    good = make_dsc("ES256")
    mixed = tmp_path / "mixed.json"
    encoded = base64.b64encode(good.der).decode()
    entries = [
        {"kid": "AAAAAAAAAAA=", "country": "VN", "certificate": encoded},
        {"kid": "AAAAAAAAAAA=", "country": "VN", "certificate": "bm90IGEgY2VydA=="},
    ]
    mixed.write_text(json.dumps(entries))
    done = _server_cli(server, "import", "dsc", mixed)
    assert done.returncode == 2 and "entry 2" in done.stderr
    rules = tmp_path / "rules.json"
    rules.write_text('{"version": 1, "test_hours": 72}')
    done = _server_cli(server, "import", "hcert-rules", rules)
    assert done.returncode == 2 and "test_hours" in done.stderr
    with server.engine.connect() as conn:
        count = conn.execute(
            select(func.count()).where(entities.c.kind.in_(["hcert_signer", "hcert_rules"]))
        ).scalar()
    assert count == 0


def test_a_withdrawn_dsc_is_deleted_on_every_kiosk_and_a_new_pairing_forgets_the_old_servers(
    server, kiosk_store, tmp_path
):
    now = datetime.now(UTC)
    valid = {"not_before": now - timedelta(days=30), "not_after": now + timedelta(days=30)}
    leaked, kept, own = make_dsc("ES256", **valid), make_dsc("ES256", **valid), make_dsc(**valid)
    bundle = tmp_path / "trust-list.pem"
    bundle.write_bytes(leaked.pem + kept.pem)
    assert hcert_admin.import_dsc(server.engine, bundle) == 2
    own_file = tmp_path / "own.der"
    own_file.write_bytes(own.der)
    from kiosk.hcert.commands import trust_add

    trust_add(kiosk_store, own_file, "supervisor-1")  # a supervisor's own, by hand
    client = sync_engine.client_for(kiosk_store)
    sync_engine.run_cycle(kiosk_store, client)
    checker = HcertChecker(kiosk_store, checkpoint_id="chot-test", operator_id="o")

    def reason(dsc):
        code = hc1(dsc, iat=now - timedelta(days=1), exp=now + timedelta(days=20))
        return checker.check(code, "camera").reason

    assert {reason(leaked), reason(kept), reason(own)} == {"hc1_valid_vaccination"}
    done = _server_cli(server, "remove-dsc", leaked.signer().kid)
    assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr
    assert _server_cli(server, "remove-dsc", "nothing-like-it").returncode == 2
    sync_engine.run_cycle(kiosk_store, client)
    assert reason(leaked) == "hc1_unknown_signer"
    assert reason(kept) == "hc1_valid_vaccination"

    from kiosk_server import admin

    sync_engine.pair(
        kiosk_store, server.url, admin.new_pairing_code(server.engine), "chot-test", again=True
    )
    assert reason(kept) == "hc1_unknown_signer"  # until the new server's list comes down
    assert reason(own) == "hc1_valid_vaccination"  # the supervisor's own stays
    sync_engine.run_cycle(kiosk_store, sync_engine.client_for(kiosk_store))
    assert reason(kept) == "hc1_valid_vaccination"
