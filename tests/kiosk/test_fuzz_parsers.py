"""Property tests for every parser a stranger's bytes reach (issue 14): payloads, ID numbers,
plates, base45, CK1 tokens, market cards, the server's sync answers. Whatever comes in, each
answers or refuses with its own error type: never another exception, never a hang."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import base45, market_cards, tokens
from kiosk.errors import InputError
from kiosk.ids import parse_id
from kiosk.payloads import classify, text_from_bytes
from kiosk.plates import one_typo_away, parse_plate
from sync.protocol import ProtocolError, read_page, read_pairing, read_push

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key()


def trusted(_key_id: int, _at: datetime):
    return PUBLIC


# text the readers actually produce: QR text, reader lines, typed input, and the pieces of
# each format, so that examples reach past the first check
pieces = st.sampled_from(
    [
        "|",
        "CK1:",
        "046085001234",
        "046085",
        "0460******34",
        "20/11/1990",
        "1990-11-20",
        "Nam",
        "Nữ",
        "75C-123.45",
        "75C",
        "51F",
        ".",
        "-",
        " ",
        "\ufeff",
        "\0",
        "\ud800",
        "9" * 30,
    ]
)
texty = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=12).map("".join),
)


@FUZZ
@given(texty)
def test_classify_answers_or_refuses_with_an_input_error(text):
    try:
        payload = classify(text, today=NOW.date())
    except InputError:
        return
    assert payload.kind in ("token", "typed_id", "personal_qr", "cccd_qr")


@FUZZ
@given(st.binary(max_size=400))
def test_reader_bytes_are_text_or_an_input_error(raw):
    with contextlib.suppress(InputError):
        assert isinstance(text_from_bytes(raw), str)


@FUZZ
@given(st.one_of(st.text(max_size=20), st.text("0123456789 .-", max_size=16)))
def test_an_id_number_parses_or_is_an_input_error(text):
    with contextlib.suppress(InputError):
        parse_id(text, today=NOW.date())


@FUZZ
@given(st.one_of(texty, st.text("0123456789ABCDEFGHKLMNPSTUVXYZ-. ", max_size=14)))
def test_a_plate_parses_or_is_an_input_error(text):
    try:
        plate = parse_plate(text)
    except InputError:
        return
    assert plate.key
    one_typo_away(plate.key)  # the suggestions for a plate not registered


@FUZZ
@given(st.binary(max_size=200))
def test_base45_round_trips(data):
    assert base45.decode(base45.encode(data)) == data


@FUZZ
@given(st.one_of(st.text(base45.ALPHABET, max_size=120), st.text(max_size=60)))
def test_base45_decodes_or_raises_its_value_error(text):
    with contextlib.suppress(ValueError):
        base45.decode(text)


ck1_text = st.one_of(
    st.text(base45.ALPHABET, max_size=500).map(lambda t: "CK1:" + t),
    st.binary(min_size=0, max_size=200).map(lambda b: "CK1:" + base45.encode(b)),
    texty,
)


@FUZZ
@given(ck1_text)
def test_any_ck1_text_verifies_or_is_a_token_error(text):
    for check in (tokens.verify, market_cards.verify_card):
        try:
            check(text, trusted, NOW)
        except tokens.TokenError as exc:
            assert exc.code in ("unreadable", "unknown_key", "forged", "expired")
    tokens.token_type(text)  # never raises


u32 = st.integers(0, 2**32 - 1)


def signed(kind: int, body: bytes, issued: int, expires: int, key_id: int = 1) -> str:
    """A text with a good signature over whatever it carries: what a leaked or buggy issuer
    could make, so the parsing after the signature is fuzzed too."""
    signed_part = tokens.HEADER.pack(kind, key_id, issued, expires) + body
    return tokens.PREFIX + base45.encode(
        signed_part + KEY.sign(tokens.PREFIX.encode() + signed_part)
    )


@FUZZ
@given(st.binary(min_size=14, max_size=14), u32, u32)
def test_a_signed_declaration_with_any_body_verifies_or_is_a_token_error(body, issued, expires):
    try:
        token = tokens.verify(signed(tokens.TYPE_DECLARATION, body, issued, expires), trusted, NOW)
    except tokens.TokenError:
        return
    assert token.subject_id.isdigit() and len(token.subject_id) in (9, 12)


card_bodies = st.builds(
    market_cards._BODY.pack,
    st.integers(0, 2**64 - 1),
    u32,
    st.integers(0, 0xFFFF),
    st.integers(0, 0xFFFF),
    st.sampled_from(sorted(market_cards.RULE_NAMES)) | st.integers(0, 255),  # mostly a rule
    st.one_of(st.integers(0, 2**64 - 1), st.integers(0, 40)),
    st.one_of(st.integers(0, 0xFFFF), st.integers(0, 1500), st.just(market_cards.NO_SLOT)),
    st.one_of(st.integers(0, 0xFFFF), st.integers(0, 1500)),
    st.integers(0, 255),
    st.integers(0, 255),
)


@FUZZ
@given(card_bodies, st.dates(date(2020, 1, 1), date(2100, 12, 31)))
def test_a_signed_market_card_with_any_rules_is_judged_or_is_a_token_error(body, day):
    """What the market gate does with a card, on any day: no crash, whatever the issuer set."""
    issued = int((NOW - timedelta(days=1)).timestamp())
    text = signed(tokens.TYPE_MARKET_CARD, body, issued, issued + 86400 * 30)
    try:
        card = market_cards.verify_card(text, trusted, NOW)
    except tokens.TokenError:
        return
    market_cards.allowed_on(card, day)
    market_cards.describe_days(card, day, "vi")
    if card.rules.max_entries and card.rules.period_days:  # as the gate asks it
        first, last = market_cards.period_of(card, max(day, card.valid_from))
        assert first <= last


# --- the server's answers, as the kiosk's sync client reads them -----------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
change = st.fixed_dictionaries(
    {},
    optional={
        "seq": json_values,
        "kind": st.sampled_from(["declaration", "trusted_key", "market_card", "x"]) | json_values,
        "key": json_values,
        "op": st.sampled_from(["upsert", "delete"]) | json_values,
        "data": json_values,
    },
)
page = st.fixed_dictionaries(
    {},
    optional={
        "protocol": st.sampled_from([1, 2, "1"]) | json_values,
        "cursor": st.integers(-1, 2**64) | json_values,
        "has_more": st.booleans() | json_values,
        "changes": st.lists(change, max_size=5) | json_values,
        "stored": st.integers(-1, 2**64) | json_values,
        "duplicates": st.integers(-1, 10) | json_values,
        "refused": st.lists(st.fixed_dictionaries({"event_id": json_values})) | json_values,
        "clock_skew_seconds": st.floats() | json_values,
        "kiosk_id": st.text(max_size=40) | json_values,
        "credential": st.text(min_size=30, max_size=50) | json_values,
    },
)


@FUZZ
@given(st.one_of(page, json_values), st.integers(0, 2**63 - 1), st.integers(0, 6))
def test_any_server_answer_is_read_or_is_a_protocol_error(body, after, sent):
    for read in (lambda b: read_page(b, after), lambda b: read_push(b, sent), read_pairing):
        with contextlib.suppress(ProtocolError):
            read(body)


@pytest.fixture(scope="module")
def replica(tmp_path_factory):
    from kiosk.storage import Store

    store = Store.open(tmp_path_factory.mktemp("fuzz") / "kiosk.db")
    yield store.replica
    store.close()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(change, max_size=4))
def test_a_page_the_kiosk_cannot_use_changes_nothing(replica, changes):
    """Pages come through read_page first: only its survivors reach the database."""
    try:
        checked = read_page({"protocol": 1, "cursor": 7, "has_more": False, "changes": changes}, 0)
    except ProtocolError:
        return
    before = replica.state("cursor")
    try:
        replica.apply_page(checked.changes, 7)
    except ValueError:  # the sync engine's protocol_error
        assert replica.state("cursor") == before
    else:
        assert replica.state("cursor") == "7"
        replica.set_state({"cursor": "0"})
