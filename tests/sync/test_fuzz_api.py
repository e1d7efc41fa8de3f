"""Schemathesis against the OpenAPI document and a real server process on 127.0.0.1 (issue
14): requests made from the schema, valid and not, with and without a credential; the server
answers every one without a 5xx. Examples are bounded so the run stays within seconds."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk_server import admin
from sync.client import SyncClient
from tests.conftest import Server, free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("KIOSK_SERVER_PAIR_TRIES", "100000")  # let bodies reach the pairing parser
    tmp = tmp_path_factory.mktemp("fuzz-api")
    srv = Server(f"http://127.0.0.1:{free_port()}", f"sqlite:///{tmp}/server.db", tmp)
    srv.start()
    _kiosk, srv.credential = SyncClient(srv.url).pair(admin.new_pairing_code(srv.engine), "f")
    yield srv
    srv.stop()
    mp.undo()


# loaded when collected (the lazy, fixture-made schema of schemathesis 4 does not run on
# pytest 9: it sets a node attribute pytest no longer has)
schema = schemathesis.openapi.from_path(ROOT / "docs" / "openapi.json")


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def call(case, live, headers):
    answer = case.call(base_url=live.url, headers=headers, timeout=30)
    assert answer.status_code < 500, (case.method, case.path, answer.status_code, answer.text)


@schema.parametrize()
@FUZZ
def test_no_request_of_a_kiosk_makes_the_server_fail(case, live):
    call(case, live, {"Authorization": f"Bearer {live.credential}"})


@schema.parametrize()
@FUZZ
def test_no_request_of_a_stranger_makes_the_server_fail(case, live):
    call(case, live, {})


# Schemathesis makes requests from the schema; these aim at what the schema cannot say (the
# values no column should hold), in every place a kiosk's batch or a pairing carries text or time
hostile_text = st.sampled_from(["\ud800", "a\udfffb", "\0", "x" * 100, "𝕏", "", "ệ"]) | st.text(
    max_size=8
)
hostile_time = st.sampled_from(
    [
        "2026-11-22T08:00:00",
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+14:00",
        "2026-11-22T15:00:00+07:00",
        "2026-02-30T00:00:00Z",
        "now",
    ]
) | st.datetimes(timezones=st.just(UTC) | st.none()).map(datetime.isoformat)
hostile_number = st.sampled_from([float("nan"), float("inf"), -float("inf"), 2**63, 2**64, -1])
leaf = hostile_text | hostile_number | st.integers() | st.floats() | st.none() | st.booleans()
data = st.recursive(
    leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)
hostile_event = st.fixed_dictionaries(
    {
        "event_id": st.uuids().map(str) | hostile_text,
        "kind": st.sampled_from(["scan", "market_entry", "audit", "assisted_declaration"])
        | hostile_text,
        "occurred_at": hostile_time,
        "data": st.dictionaries(hostile_text, data, max_size=4) | data,
    }
)
hostile_batch = st.fixed_dictionaries(
    {
        "protocol": st.just(1) | hostile_number,
        "batch_id": st.uuids().map(str) | hostile_text,
        "sent_at": hostile_time,
        "events": st.lists(hostile_event, max_size=3),
    }
)


@FUZZ
@given(hostile_batch)
def test_no_value_in_a_batch_makes_the_server_fail(live, body):
    answer = requests.post(
        live.url + "/v1/events",
        data=json.dumps(body),  # NaN and lone surrogates go out as JSON writes them
        headers={"Authorization": f"Bearer {live.credential}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code < 500, (body, answer.text)


@FUZZ
@given(hostile_text, hostile_text.map(lambda t: f"3F2A-{t}-77BE") | hostile_number)
def test_no_value_in_a_pairing_makes_the_server_fail(live, name, code):
    body = {"protocol": 1, "code": code, "kiosk_name": name}
    answer = requests.post(
        live.url + "/v1/pair",
        data=json.dumps(body),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code < 500, (body, answer.text)
