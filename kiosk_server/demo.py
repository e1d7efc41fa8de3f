"""`kiosk-server demo`: the very demo data `kiosk demo` makes, served for kiosks to pull.

It runs the kiosk's own demo seeding into a scratch database and publishes every cached table
from it, and adopts the demo signing key, so the kiosk demo's manifest (samples, plates, cards,
PINs) holds for a kiosk that got its data by sync. That key is public: a server holding it
refuses `issue-token` and serves only on loopback until `rotate-key` withdraws it. A server
that holds a key of its own (rotated, or made at its first start) keeps it: the demo never
takes the public key back, nor publishes it as trusted again; the demo's signed samples then
fail to verify, which is the point of having rotated.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, select

from kiosk.app.demo import DEMO_KEY_ID, demo_key, seed
from kiosk.storage import Store
from kiosk.storage.keys import forget_key
from kiosk.storage.replica import PULLED, jsonable
from kiosk_server import keys
from kiosk_server.db import meta, now, signing_keys, upsert_entities

__all__ = ["demo_key", "load_demo"]


def holds_own_key(engine: Engine) -> bool:
    """Whether this server made a signing key of its own: every key it makes takes an id from
    `last_key_id`, and any key stored that is not the public demo one is its own too."""
    demo = demo_key().public_key().public_bytes_raw()
    secret = keys.passphrase(engine)
    with engine.connect() as conn:
        if int(conn.execute(select(meta.c.value).where(meta.c.key == "last_key_id")).scalar() or 0):
            return True
        for r in conn.execute(select(signing_keys.c.key_id, signing_keys.c.private_pem)):
            try:
                held = keys.unseal(r.private_pem, r.key_id, secret)
            except keys.KeyError_:
                return True  # a key this passphrase cannot open is not the demo's either
            if held.public_key().public_bytes_raw() != demo:
                return True
    return False


def load_demo(engine: Engine, data_dir: Path) -> Path:
    own_key = holds_own_key(engine)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        store = Store.open(scratch / "kiosk.db")
        try:
            manifest = seed(store, scratch, write_feed=False)
            with store.engine.connect() as conn:
                for kind, (table, key, _dt, _d) in PULLED.items():
                    if kind == "trusted_key" and own_key:
                        continue  # the server publishes its own keys, never the demo's again
                    rows = [
                        {k: jsonable(v) for k, v in r._mapping.items()}
                        for r in conn.execute(select(table))
                    ]
                    upsert_entities(engine, kind, [(str(r[key]), r) for r in rows])
        finally:
            store.close()
            forget_key(scratch)  # the scratch kiosk's database key goes with it
        if not own_key:
            sealed = keys.seal(demo_key(), DEMO_KEY_ID, keys.passphrase(engine))
            with engine.begin() as conn:
                conn.execute(delete(signing_keys).where(signing_keys.c.key_id == DEMO_KEY_ID))
                conn.execute(
                    signing_keys.insert().values(
                        key_id=DEMO_KEY_ID,
                        private_pem=sealed,
                        valid_from=now() - timedelta(days=365),
                    )
                )
        target = data_dir / "demo"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(manifest.parent, target)
    return target / "manifest.json"
