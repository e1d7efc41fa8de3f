"""A CSV upload imported from the back office (the rows `kiosk-server import` reads, all or
none), its progress sent into the page while it runs: each step is a paragraph with a
`<progress>` bar, and the style sheet shows only the last one. No script, no polling; a
browser draws a page as its parts arrive."""

from __future__ import annotations

import os
import queue
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from markupsafe import escape
from sqlalchemy import Engine

from kiosk_server import admin, csv_columns, staff
from kiosk_server.web.i18n import text

# what each kind's file holds (the importer's columns; * marks the ones it needs)
IMPORT_COLUMNS = {
    "declarations": ("id*", "subject_id*", "full_name*", "birth_date*", "sex*", "status*",
                     "valid_until*", "phone", "origin_area", "travel_areas", "symptoms",
                     "declared_by_proxy"),
    "vehicles": ("id*", "plate*", "kind*", "status*", "valid_from*", "valid_to*", "business",
                 "driver_name", "driver_phone"),
    "cards": ("card_id*", "household_head*", "market_id*", "phone", "revoked"),
    "zones": ("id*", "area_code*", "name*", "active_from*", "active_to"),
    "markets": ("id*", "name*"),
}


def columns_shown(kind: str, lang: str) -> str:
    """The file's columns as the page in `lang` names them (the importer takes either name)."""
    return ", ".join(
        csv_columns.name(kind, c.rstrip("*"), lang) + ("*" if c.endswith("*") else "")
        for c in IMPORT_COLUMNS[kind]
    )


EVERY = 0.5  # seconds between two progress steps sent
_LINE = re.compile(r"line (\d+): (.*)")


def save_upload(source: BinaryIO) -> Path:
    """The upload copied to a private file a piece at a time (memory stays flat), so the
    import outlives the request's own temporary file."""
    fd, name = tempfile.mkstemp(prefix="office-import-", suffix=".csv")  # mode 0600
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    return Path(name)


def stream(
    engine: Engine,
    actor: str,
    name: str,
    path: Path,
    filename: str,
    head: str,
    tail: str,
    lang: str,
) -> Iterator[bytes]:
    steps: queue.Queue = queue.Queue()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            count = admin.import_csv(
                engine, name, path, lambda phase, done, total: steps.put((phase, done, total))
            )
            with engine.begin() as conn:
                staff.audit(conn, actor, "import", name, {"rows": count})
            outcome["count"] = count
        except (admin.ImportError_, OSError, UnicodeDecodeError, ValueError) as exc:
            outcome["error"] = str(exc)
        finally:
            steps.put(None)

    worker = threading.Thread(target=work, name="office-import", daemon=True)
    started = time.monotonic()
    try:
        yield head.encode()
        worker.start()
        shown, phase = 0.0, ""
        while (step := steps.get()) is not None:
            at = time.monotonic()
            if at - shown >= EVERY or step[0] != phase:  # each phase shows from its start
                shown, phase = at, step[0]
                yield _step(step, at - started, lang).encode()
        worker.join()
        yield (_outcome(outcome, filename, lang) + tail).encode()
    finally:  # the browser may have gone: the import still ends (all or none), then the file
        if worker.is_alive():
            worker.join()
        path.unlink(missing_ok=True)


def _n(value: int, lang: str) -> str:
    return f"{value:,}".replace(",", "." if lang == "vi" else ",")


def _step(step: tuple[str, int, int], seconds: float, lang: str) -> str:
    phase, done, total = step
    rate = int(done / max(seconds, 1e-3))
    return (
        f'<p class="step"><progress value="{done}" max="{max(total, 1)}"></progress> '
        f"{escape(text('import_' + phase, lang))}: {_n(done, lang)} / {_n(total, lang)} "
        f"{escape(text('rows', lang))}, {_n(rate, lang)} {escape(text('rows_per_s', lang))}</p>\n"
    )


def _outcome(outcome: dict[str, object], filename: str, lang: str) -> str:
    if "count" in outcome:
        done = text("import_done", lang).format(count=_n(int(str(outcome["count"])), lang))
        return f'<p class="step ok" role="status">{escape(done)}</p>\n'
    found = _LINE.search(str(outcome.get("error", "")))
    if found:
        said = text("import_bad_line", lang).format(line=found.group(1), why=found.group(2))
    else:
        said = text("import_bad_file", lang)
    return f'<p class="step error" role="alert">{escape(filename)}: {escape(said)}</p>\n'
