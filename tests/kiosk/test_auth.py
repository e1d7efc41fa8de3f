from datetime import timedelta

import pytest

from kiosk.auth import Authenticator, SignInError, check_pin, hash_pin
from tests.kiosk.conftest import Clock


@pytest.fixture
def auth(store):
    clock = Clock()
    a = Authenticator(store, clock)
    a.add_operator("p1", "Thiếu úy Bảo", "police", "2468")
    return a, clock


def test_pins_are_salted_slow_hashes_never_stored_plain(store, auth):
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first != second and "2468" not in first and first.startswith("argon2id$")
    assert check_pin("2468", first) and not check_pin("2469", first)
    assert "2468" not in (store.accounts.get("p1").pin_hash or "")


def test_right_pin_opens_the_roles_screens(auth):
    a, _ = auth
    session = a.sign_in("p1", "2468")
    assert session.role == "police" and session.screens == ("police",)


def test_wrong_pin_says_how_many_tries_are_left(auth):
    a, _ = auth
    with pytest.raises(SignInError) as err:
        a.sign_in("p1", "0000")
    assert err.value.code == "pin_wrong" and err.value.params["left"] == 4


def test_five_wrong_pins_lock_sign_in_even_for_the_right_pin_then_unlock(store, auth):
    a, clock = auth
    for _ in range(5):
        with pytest.raises(SignInError):
            a.sign_in("p1", "0000")
    with pytest.raises(SignInError) as err:
        a.sign_in("p1", "2468")
    assert err.value.code == "locked"
    again = Authenticator(store, clock)  # a restarted kiosk remembers the lock
    with pytest.raises(SignInError):
        again.sign_in("p1", "2468")
    clock.now += timedelta(minutes=6)
    assert again.sign_in("p1", "2468").operator_id == "p1"


def test_a_wrong_pin_after_a_lock_locks_again_and_says_so(auth):
    a, clock = auth
    for _ in range(5):
        with pytest.raises(SignInError):
            a.sign_in("p1", "0000")
    clock.now += timedelta(minutes=6)
    with pytest.raises(SignInError) as err:
        a.sign_in("p1", "0000")
    assert err.value.code == "locked"  # not "4 tries left", which the next try would belie
    with pytest.raises(SignInError) as err:
        a.sign_in("p1", "2468")
    assert err.value.code == "locked"
    clock.now += timedelta(minutes=6)
    assert a.sign_in("p1", "2468").operator_id == "p1"


def test_sign_in_attempts_are_in_the_audit_trail(store, auth):
    a, _ = auth
    with pytest.raises(SignInError):
        a.sign_in("p1", "1357")
    a.sign_in("p1", "2468")
    outcomes = [r["outcome"] for r in store.audit_trail() if r["action"] == "sign_in"]
    assert outcomes == ["ok", "wrong_pin"]


def test_unknown_operator_and_malformed_pin_are_refused(auth):
    a, _ = auth
    with pytest.raises(SignInError) as err:
        a.sign_in("nobody", "1234")
    assert err.value.code == "unknown_operator"
    with pytest.raises(SignInError) as err:
        hash_pin("12a4")
    assert err.value.code == "pin_format"


def test_the_real_pin_hash_is_argon2id_at_256_mib(monkeypatch):
    monkeypatch.delenv("KIOSK_TESTS_ONLY_FAST_PIN_HASH")
    stored = hash_pin("2468")
    scheme, t, m, p, _salt, _digest = stored.split("$")
    assert (scheme, int(t), int(m), int(p)) == ("argon2id", 3, 256 * 1024, 1)
    assert check_pin("2468", stored) and not check_pin("2469", stored)


def test_an_old_scrypt_hash_still_signs_in_and_is_replaced(store, auth):
    auth, _clock = auth
    import base64
    import hashlib

    salt = b"s" * 16
    digest = hashlib.scrypt(b"1357", salt=salt, dklen=32, n=2**14, r=8, p=1)
    encoded = [base64.b64encode(v).decode() for v in (salt, digest)]
    old = "$".join(["scrypt", "16384", "8", "1", *encoded])
    store.accounts.put("old1", "Old", "medic", old)
    assert auth.sign_in("old1", "1357").operator_id == "old1"
    assert store.accounts.get("old1").pin_hash.startswith("argon2id$")
    assert auth.sign_in("old1", "1357").operator_id == "old1"
