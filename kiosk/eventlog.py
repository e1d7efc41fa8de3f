"""The kiosk's JSON-lines event log (one object a line), read by people and by end-to-end tests.

Never pass a full ID number, a name or a key here: callers log masked references and codes only.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path


class EventLog:
    def __init__(self, path: Path | None) -> None:
        self._logger = logging.getLogger(f"kiosk.events.{id(self)}")
        self._logger.propagate = False
        self._logger.setLevel(logging.INFO)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(path, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(message)s"))
            self._logger.addHandler(handler)

    def write(self, event: str, **fields: object) -> None:
        record = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event}
        record.update(fields)
        self._logger.info(json.dumps(record, ensure_ascii=False, default=str))

    def close(self) -> None:
        for handler in list(self._logger.handlers):
            handler.close()
            self._logger.removeHandler(handler)
