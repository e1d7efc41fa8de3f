"""Signing keys at rest: sealed with a passphrase that is not in the database.

A private key is stored as `kiosk-server-key/1$<salt>$<nonce>$<ciphertext>` (URL-safe base64):
the PKCS#8 key encrypted with AES-256-GCM, under a key derived from the passphrase with scrypt
(n=2^15, r=8, p=1: 32 MiB and about 0.1 s a try), its key id bound as associated data so that a
sealed key moved to another row does not open. A copy of the database alone (a backup, a
PostgreSQL dump) therefore gives no signing key.

The passphrase comes from $KIOSK_SERVER_KEY_PASSPHRASE, else from the file named by
$KIOSK_SERVER_KEY_PASSPHRASE_FILE, else from `key-passphrase` beside the SQLite database (or,
with PostgreSQL, in the data directory), which a new server creates with a random passphrase.
A passphrase file anyone but its owner can read is refused. Keep a copy of it apart from the
database backups: without it the keys are lost (rotate-key then starts a new one). Only the
administrator's commands (`rotate-key`, `issue-token`, `demo`, `serve`'s start) open keys; the
processes answering kiosks never do.
"""

from __future__ import annotations

import base64
import functools
import os
import secrets
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import Engine

FORMAT = "kiosk-server-key/1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
PASSPHRASE_FILE = "key-passphrase"


class KeyError_(RuntimeError):
    """The signing keys cannot be opened: no passphrase, a wrong one, or an unsafe file."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@functools.lru_cache(maxsize=32)
def _derive(secret: bytes, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(secret)


def seal(key: Ed25519PrivateKey, key_id: int, secret: bytes) -> str:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_derive(secret, salt)).encrypt(nonce, pem, str(key_id).encode())
    return "$".join((FORMAT, _b64(salt), _b64(nonce), _b64(sealed)))


def is_sealed(stored: str) -> bool:
    return stored.startswith(FORMAT + "$")


def unseal(stored: str, key_id: int, secret: bytes) -> Ed25519PrivateKey:
    """A sealed key; a plain PEM (a database from before sealing) is read as it is."""
    if is_sealed(stored):
        _format, salt, nonce, sealed = stored.split("$")
        try:
            pem = AESGCM(_derive(secret, _unb64(salt))).decrypt(
                _unb64(nonce), _unb64(sealed), str(key_id).encode()
            )
        except InvalidTag:
            raise KeyError_(
                f"the key passphrase does not open signing key {key_id}: is it the one the key "
                "was sealed with ($KIOSK_SERVER_KEY_PASSPHRASE or the passphrase file)?"
            ) from None
    else:
        pem = stored.encode()
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def passphrase_file(engine: Engine) -> Path:
    named = os.environ.get("KIOSK_SERVER_KEY_PASSPHRASE_FILE")
    if named:
        return Path(named)
    if engine.dialect.name == "sqlite" and engine.url.database:
        return Path(engine.url.database).resolve().parent / PASSPHRASE_FILE
    data_dir = os.environ.get("KIOSK_SERVER_DATA_DIR")
    if data_dir:
        return Path(data_dir) / PASSPHRASE_FILE
    raise KeyError_(
        "no key passphrase: set KIOSK_SERVER_KEY_PASSPHRASE or KIOSK_SERVER_KEY_PASSPHRASE_FILE"
    )


def passphrase(engine: Engine) -> bytes:
    given = os.environ.get("KIOSK_SERVER_KEY_PASSPHRASE")
    if given:
        return given.encode()
    path = passphrase_file(engine)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = path.stat().st_mode
        if stat.S_IMODE(mode) & 0o077:
            raise KeyError_(
                f"{path} can be read by others (mode {stat.S_IMODE(mode):o}): chmod 600 it"
            ) from None
        secret = path.read_bytes().strip()
        if not secret:
            raise KeyError_(f"{path} is empty") from None
        return secret
    with os.fdopen(fd, "w") as f:  # a new server: its own random passphrase
        secret_text = secrets.token_urlsafe(32)
        f.write(secret_text + "\n")
    return secret_text.encode()
