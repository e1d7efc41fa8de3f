"""`kiosk-server demo`: the very demo data `kiosk demo` makes, served for kiosks to pull.

It runs the kiosk's own demo seeding into a scratch database and publishes every cached table
from it, and adopts the demo signing key, so the kiosk demo's manifest (samples, plates, cards,
PINs) holds for a kiosk that got its data by sync.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from sqlalchemy import Engine, delete, select

from kiosk.app.demo import DEMO_KEY_ID, seed
from kiosk.storage import Store
from kiosk.storage.keys import forget_key
from kiosk.storage.replica import PULLED, jsonable
from kiosk_server.db import now, signing_keys, upsert_entities


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
        pem = (scratch / "demo" / "issuer-key.pem").read_text()
        with engine.begin() as conn:
            conn.execute(delete(signing_keys).where(signing_keys.c.key_id == DEMO_KEY_ID))
            conn.execute(
                signing_keys.insert().values(
                    key_id=DEMO_KEY_ID, private_pem=pem, valid_from=now() - timedelta(days=365)
                )
            )
        assert serialization.load_pem_private_key(pem.encode(), password=None)
        target = data_dir / "demo"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(manifest.parent, target)
    return target / "manifest.json"
