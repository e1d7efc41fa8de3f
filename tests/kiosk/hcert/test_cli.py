"""`kiosk trust add` and `kiosk check --payload 'HC1:...' [--at]`, run as processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.storage import Store

from .vectors import dgc, hc1, make_dsc, vaccination

pytestmark = pytest.mark.slow  # each test starts Python

AT = datetime(2021, 9, 1, 8, 0, tzinfo=UTC)


def _kiosk(data_dir, *args):
    env = {**os.environ, "KIOSK_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", data_dir, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture(scope="module")
def dsc():
    return make_dsc(
        "PS256", not_before=AT - timedelta(days=100), not_after=AT + timedelta(days=300)
    )


def test_trust_add_then_check_as_of_another_moment(tmp_path, dsc):
    pem = tmp_path / "dsc.pem"
    pem.write_bytes(dsc.pem)
    done = _kiosk(tmp_path, "trust", "add", pem)
    assert done.returncode == 0, done.stderr
    added = json.loads(done.stdout)
    assert added["added"][0]["country"] == "VN"
    assert added["trust_list"]["stale"] is False

    code = hc1(
        dsc,
        iat=AT - timedelta(days=10),
        exp=AT + timedelta(days=200),
        body=dgc(vaccination(dt="2021-07-20")),
    )
    done = _kiosk(tmp_path, "check", "--payload", code, "--at", "2021-09-01T08:00:00Z")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out)[:4] == ["verdict", "reason", "message_vi", "message_en"]
    assert (out["verdict"], out["reason"]) == ("allow", "hc1_valid_vaccination")
    # the default operator is no signed-up medic here: the holder is masked
    assert out["holder"] == {"name": "Nguyễn T** N*** B***", "birth_date": "1990"}
    assert out["certificate"]["dose"] == "2/2"
    # today its signer's certificate (valid to mid-2022) has lapsed, and that is what is said
    done = _kiosk(tmp_path, "check", "--payload", code)
    assert json.loads(done.stdout)["reason"] == "hc1_signer_expired"

    store = Store.open(tmp_path / "kiosk.db")
    try:
        store.accounts.put("medic-7", "Y tá Hoa", "medic")
        trail = store.audit_trail()
    finally:
        store.close()
    assert [r["action"] for r in trail][:3] == ["lookup_hcert", "lookup_hcert", "trust_add"]
    at = "2021-09-01T15:00+07:00"
    done = _kiosk(tmp_path, "check", "--payload", code, "--at", at, "--operator", "medic-7")
    out = json.loads(done.stdout)
    assert out["holder"] == {"name": "Nguyễn Thị Ngọc Bích", "birth_date": "1990-05-17"}


def test_a_bad_certificate_file_or_moment_is_one_line_exit_2_and_changes_nothing(tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    done = _kiosk(tmp_path, "--lang", "en", "trust", "add", junk)
    assert done.returncode == 2
    assert done.stderr.startswith("Unusable signer certificate file, nothing added")
    assert len(done.stderr.strip().splitlines()) == 1
    done = _kiosk(tmp_path, "trust", "status")
    assert json.loads(done.stdout) == {"trust_list": {"updated_at": None, "stale": True}}
    done = _kiosk(tmp_path, "check", "--payload", "HC1:ABC", "--at", "yesterday")
    assert done.returncode == 2 and "--at" in done.stderr


def test_at_applies_to_the_other_kinds_of_check_too(tmp_path):
    assert _kiosk(tmp_path, "demo", "--no-feed").returncode == 0
    today = json.loads(_kiosk(tmp_path, "check", "--id", "046085001234").stdout)
    assert today["reason"] == "approved"
    later = _kiosk(tmp_path, "check", "--id", "046085001234", "--at", "2099-01-01T00:00:00Z")
    assert json.loads(later.stdout)["reason"] == "expired"
    store = Store.open(tmp_path / "kiosk.db")
    try:
        (last,) = store.audit_trail(limit=1)
    finally:
        store.close()
    assert last["at"].year == 2099  # the row says which moment the check was made as of
