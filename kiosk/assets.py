"""Where files shipped with the kiosk live: assets/ in a checkout, or inside the bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def assets_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller (kiosk.spec)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "assets"
