"""`kiosk-server demo`: the very demo data `kiosk demo` makes, served for kiosks to pull.

It runs the kiosk's own demo seeding into a scratch database and publishes every cached table
from it, and adopts the demo signing key, so the kiosk demo's manifest (samples, plates, cards,
PINs) holds for a kiosk that got its data by sync. That key is public: a server holding it
refuses `issue-token` and serves only on loopback until `rotate-key` withdraws it.
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
from kiosk_server.db import now, signing_keys, upsert_entities

__all__ = ["demo_key", "load_demo"]


def load_demo(engine: Engine, data_dir: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        store = Store.open(scratch / "kiosk.db")
        try:
            manifest = seed(store, scratch, write_feed=False)
            with store.engine.connect() as conn:
                for kind, (table, key, _dt, _d) in PULLED.items():
                    rows = [
                        {k: jsonable(v) for k, v in r._mapping.items()}
                        for r in conn.execute(select(table))
                    ]
                    upsert_entities(engine, kind, [(str(r[key]), r) for r in rows])
        finally:
            store.close()
            forget_key(scratch)  # the scratch kiosk's database key goes with it
        sealed = keys.seal(demo_key(), DEMO_KEY_ID, keys.passphrase(engine))
        with engine.begin() as conn:
            conn.execute(delete(signing_keys).where(signing_keys.c.key_id == DEMO_KEY_ID))
            conn.execute(
                signing_keys.insert().values(
                    key_id=DEMO_KEY_ID, private_pem=sealed, valid_from=now() - timedelta(days=365)
                )
            )
        target = data_dir / "demo"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(manifest.parent, target)
    return target / "manifest.json"
