"""Kiosk settings, declared once: typed, documented, validated, versioned (docs/storage.md).

The file is `settings.json` in the data directory. Command-line options override it for one run.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from platformdirs import user_data_dir

SCHEMA_VERSION = 1
APP_NAME = "checkpoint-kiosk"


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    checkpoint_id: str = "chot-demo-01"  # which checkpoint this kiosk stands at
    operator_id: str = "medic-demo"  # who checks from the command line; the window: who signed in
    language: str = "vi"  # 'vi' or 'en'
    camera: str = "auto"  # 'auto' (webcam 0, else the demo feed), an index, or a video path
    camera_width: int = 1280
    camera_height: int = 720
    scan_hold_seconds: float = 3.0  # a code out of view this long counts again when shown
    idle_sign_out_minutes: float = 15.0  # a session left alone this long is signed out
    market_id: int = 1  # the market whose gate this kiosk guards (market manager's screen)
    serial_port: str = ""  # a serial (USB-CDC) QR reader, e.g. /dev/ttyACM0 or COM3; "" = none
    serial_baud: int = 9600
    retention_days: int = 28  # synced records, hospital approvals after their window: kept so long
    verdict_hold_seconds: float = 2.0  # a verdict stays this long before a camera read replaces it
    # a verdict of something typed by hand (the medic's ID, the market's card number at the
    # entry or the exit), and any input error, stays this long or until the operator acts on
    # it: the operator is reading it, and a demo camera (or a queue) would otherwise replace it
    # within seconds
    typed_verdict_hold_seconds: float = 10.0
    sound_volume: float = 0.6  # verdict sounds, 0 (silent) to 1
    receipt_paper: str = "a5"  # the assistant's receipts: 'a5' or 'roll80' (80 mm printer)

    def validate(self) -> Settings:
        if self.language not in ("vi", "en"):
            raise SettingsError(f"language: {self.language!r} is not one of 'vi', 'en'")
        if not (160 <= self.camera_width <= 3840 and 120 <= self.camera_height <= 2160):
            raise SettingsError(
                f"camera_width/camera_height: {self.camera_width}x{self.camera_height},"
                " allowed between 160x120 and 3840x2160"
            )
        if not 0.5 <= self.scan_hold_seconds <= 60:
            raise SettingsError(
                f"scan_hold_seconds: {self.scan_hold_seconds}, allowed between 0.5 and 60"
            )
        if not 1 <= self.idle_sign_out_minutes <= 240:
            raise SettingsError(
                f"idle_sign_out_minutes: {self.idle_sign_out_minutes}, allowed between 1 and 240"
            )
        if not 0 <= self.verdict_hold_seconds <= 30:
            raise SettingsError(
                f"verdict_hold_seconds: {self.verdict_hold_seconds}, allowed between 0 and 30"
            )
        if not 0 <= self.typed_verdict_hold_seconds <= 60:
            raise SettingsError(
                f"typed_verdict_hold_seconds: {self.typed_verdict_hold_seconds},"
                " allowed between 0 and 60"
            )
        if not 0 <= self.sound_volume <= 1:
            raise SettingsError(f"sound_volume: {self.sound_volume}, allowed between 0 and 1")
        if self.receipt_paper not in ("a5", "roll80"):
            raise SettingsError(
                f"receipt_paper: {self.receipt_paper!r} is not one of 'a5', 'roll80'"
            )
        if self.serial_baud not in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200):
            raise SettingsError(f"serial_baud: {self.serial_baud} is not a standard baud rate")
        if not 1 <= self.retention_days <= 3650:
            raise SettingsError(
                f"retention_days: {self.retention_days}, allowed between 1 and 3650"
            )
        if not self.checkpoint_id or not self.operator_id:
            raise SettingsError("checkpoint_id and operator_id must not be empty")
        return self


def default_data_dir() -> Path:
    return Path(os.environ.get("KIOSK_DATA_DIR") or user_data_dir(APP_NAME, appauthor=False))


def load(data_dir: Path) -> Settings:
    path = data_dir / "settings.json"
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"{path}: not readable JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: expected a JSON object")
    version = raw.pop("schema_version", None)
    if version != SCHEMA_VERSION:
        raise SettingsError(
            f"{path}: schema_version {version!r}, this kiosk reads {SCHEMA_VERSION}"
        )
    known = {f.name: f for f in fields(Settings)}
    for key in raw:
        if key not in known:
            hint = difflib.get_close_matches(key, known, n=1)
            raise SettingsError(
                f"{path}: unknown setting {key!r}"
                + (f" (did you mean {hint[0]!r}?)" if hint else "")
            )
    values = {}
    for key, value in raw.items():
        kind = type(getattr(Settings(), key))
        if kind is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise SettingsError(f"{path}: {key} = {value!r}, expected {kind.__name__}")
        values[key] = value
    try:
        return Settings(**values).validate()
    except SettingsError as exc:
        raise SettingsError(f"{path}: {exc}") from None


def save(data_dir: Path, settings: Settings) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "settings.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {"schema_version": SCHEMA_VERSION, **asdict(settings)}, indent=2, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    tmp.replace(path)
