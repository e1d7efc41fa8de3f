"""Where the database key lives, and the file modes of everything in the data directory.

The database (and its backups) is SQLCipher 4: AES-256 pages with an HMAC each, keyed with a
random 32-byte key used raw (no PBKDF2 at open: the key is random, not a passphrase). The key is
in a device key file, mode 0600, *outside* the data directory: `$KIOSK_KEY_DIR/<key_id>.key`,
by default the user config directory (`~/.config/checkpoint-kiosk/keys` on Linux). The data
directory holds only `device.json`, which names the key (its id), never the key itself.

So a copy of the data directory (a backup stick, a synced folder, a disk image of the data
partition) gives nothing away; a thief with the whole powered-off laptop whose disk is not
encrypted finds the key file too. docs/security.md weighs this against key slots unlocked by
operator PINs, and says why full-disk encryption stays the first line.
"""

from __future__ import annotations

import json
import os
import secrets
import uuid
from pathlib import Path

from platformdirs import user_config_dir

from kiosk.errors import EnvironmentProblem

APP_NAME = "checkpoint-kiosk"
KEYRING = "device.json"  # names the key; also notes a pairing and the last restore
KEYRING_FORMAT = 1
KEY_BYTES = 32
SQLITE_MAGIC = b"SQLite format 3\x00"


def key_dir() -> Path:
    return Path(os.environ.get("KIOSK_KEY_DIR") or Path(user_config_dir(APP_NAME)) / "keys")


def private_dir(path: Path) -> Path:
    """Creates `path` (and parents) and makes it 0700: nobody else on the machine reads it."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """Creates `path` empty if missing, and makes it 0600 either way."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Writes `data` atomically to a 0600 file (fsync'd, then renamed over `path`)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def is_plain_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def database_key(data_dir: Path, create: bool) -> bytes:
    """The data directory's database key. `create`: make one if this directory has none yet
    (a new kiosk). Raises EnvironmentProblem('db_key_missing') when the keyring names a key this
    machine does not hold (a data directory copied from another kiosk, a deleted key file)."""
    ring = data_dir / KEYRING
    if not ring.exists():
        if not create:
            raise EnvironmentProblem("db_key_missing")
        return _new_key(data_dir)
    try:
        meta = json.loads(ring.read_text(encoding="utf-8"))
        key_id = str(uuid.UUID(meta["key_id"]))
        if meta.get("format") != KEYRING_FORMAT:
            raise ValueError(meta.get("format"))
    except (OSError, ValueError, KeyError, TypeError):
        raise EnvironmentProblem("db_key_missing") from None
    try:
        key = (key_dir() / f"{key_id}.key").read_bytes()
    except OSError:
        raise EnvironmentProblem("db_key_missing") from None
    if len(key) != KEY_BYTES:
        raise EnvironmentProblem("db_key_missing")
    return key


def _new_key(data_dir: Path) -> bytes:
    key_id = str(uuid.uuid4())
    key = secrets.token_bytes(KEY_BYTES)
    private_dir(key_dir())
    write_private(key_dir() / f"{key_id}.key", key)  # the key first: a keyring never names a
    private_dir(data_dir)  # key that was not written
    meta = {"format": KEYRING_FORMAT, "key_id": key_id, "cipher": "sqlcipher4", "kdf": "raw"}
    write_private(data_dir / KEYRING, json.dumps(meta, indent=2).encode())
    return key


def pragma_key(key: bytes) -> str:
    """The PRAGMA that opens a SQLCipher file with a raw 32-byte key."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def device_state(data_dir: Path) -> dict[str, object]:
    """device.json's contents ({} when there is none, or it is unreadable)."""
    try:
        meta = json.loads((data_dir / KEYRING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def note(data_dir: Path, **values: object) -> None:
    """Adds `values` to device.json (a pairing, a restore): kept outside the database, so a
    lost database is noticed rather than recreated."""
    meta = device_state(data_dir)
    if not meta:
        raise EnvironmentProblem("db_key_missing")
    meta.update(values)
    write_private(data_dir / KEYRING, json.dumps(meta, indent=2, ensure_ascii=False).encode())


def forget_key(data_dir: Path) -> None:
    """Deletes the key of a scratch data directory about to be deleted (its key file would
    otherwise stay in the key folder for ever)."""
    meta = device_state(data_dir)
    if meta.get("key_id"):
        (key_dir() / f"{uuid.UUID(str(meta['key_id']))}.key").unlink(missing_ok=True)
