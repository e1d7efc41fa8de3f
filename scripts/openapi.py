"""Writes docs/openapi.json from the server's own routes (tests fail when it is out of date)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from kiosk_server.app import create_app


def document() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        spec = create_app(f"sqlite:///{tmp}/openapi.db").openapi()
    return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.json")
    target.write_text(document(), encoding="utf-8")
    print(target)
