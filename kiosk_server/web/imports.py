"""A CSV upload imported from the back office (the rows `kiosk-server import` reads, all or
none), its progress sent into the page while it runs: each step is a paragraph with a
`<progress>` bar, and the style sheet shows only the last one. No script, no polling; a
browser draws a page as its parts arrive."""

from __future__ import annotations

import os
import queue
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

IMPORT_COLUMNS = admin.IMPORT_COLUMNS  # the importer's own list, the page shows it


def columns_shown(kind: str, lang: str) -> str:
    """The file's columns as the page in `lang` names them (the importer takes either name)."""
    return ", ".join(
        csv_columns.name(kind, c.rstrip("*"), lang) + ("*" if c.endswith("*") else "")
        for c in IMPORT_COLUMNS[kind]
    )


EVERY = 0.5  # seconds between two progress steps sent


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
        except admin.ImportError_ as exc:
            outcome["refused"] = exc
        except (OSError, ValueError):  # the file gone or unreadable: nothing more to say
            outcome["error"] = True
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
    refused = outcome.get("refused")
    if isinstance(refused, admin.ImportError_):
        said_ = said(refused, lang, filename)
    else:
        said_ = f"{filename}: {text('import_bad_file', lang)}"
    return f'<p class="step error" role="alert">{escape(said_)}</p>\n'


def said(refused: admin.ImportError_, lang: str, filename: str = "") -> str:
    """A refused import in `lang`: the file (`filename`, an upload's own name, else the one
    read), its line and column (named as the import page names it), the rule to follow, and
    that nothing was imported. The command line prints it in English: one text for both,
    translated here, at the edge."""
    where = []
    if refused.line:
        where.append(text("import_line", lang).format(line=_n(refused.line, lang)))
    if refused.column:
        column = csv_columns.name(refused.kind, refused.column, lang)
        where.append(text("in_column", lang).format(column=column))
    rule = text(refused.rule, lang).format(**refused.params)
    if refused.params.get("unknown"):
        rule += " " + text("import_unknown_columns", lang).format(names=refused.params["unknown"])
    head = f"{', '.join(where)}: " if where else ""
    return f"{filename or refused.filename}: {head}{rule} {text('import_nothing', lang)}"
