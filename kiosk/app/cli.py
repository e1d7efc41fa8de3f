"""The `kiosk` command: the window, and the commands other tools and tests rely on.

Contract (keep stable; see README): `kiosk [--data-dir D]` opens the window; `kiosk demo`;
`kiosk check --id N | --payload TEXT` prints one JSON verdict and exits 0, or one line on stderr
and exit 2 for input that is neither an ID nor a code; `kiosk decode IMAGE...` prints JSON lines.
Exit 3: the environment failed (disk full, database unusable); the message says what to do.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__, messages, settings
from kiosk.app.rules_cli import RULES_COMMANDS, add_rules_commands, run_rules_command
from kiosk.cli_args import add_shared_options
from kiosk.errors import EnvironmentProblem, InputError

if TYPE_CHECKING:
    from kiosk.storage import Store

EXIT_INPUT = 2
EXIT_ENVIRONMENT = 3
EXIT_SYNC = 4  # the server could not be reached, refused us, or answered nonsense


_COMMON_OPTIONS = {
    "--data-dir": {
        "type": Path,
        "help": "where the database, settings and demo files live "
        "(default: $KIOSK_DATA_DIR or the user data directory)",
    },
    "--lang": {"choices": messages.LANGUAGES, "help": "language of messages: vi (default) or en"},
    "--operator": {"help": "operator id recorded with every scan"},
}


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    add_shared_options(parser, top, _COMMON_OPTIONS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Epidemic-control checkpoint kiosk. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    _common(parser, top=True)
    parser.add_argument(
        "--camera",
        help="'auto' (webcam 0, else the demo feed), a webcam "
        "index such as 0, or a video file path",
    )
    parser.add_argument("--checkpoint", help="checkpoint id recorded with every scan")
    parser.add_argument("--fullscreen", action="store_true", help="open the window full screen")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="seed demo data; write sample QR images, manifest.json "
        "and the demo camera feed into DATA_DIR/demo",
    )
    _common(demo, top=False)
    demo.add_argument("--no-feed", action="store_true", help="skip writing the demo video")

    check = sub.add_parser("check", help="look up one ID number or code; print a JSON verdict")
    _common(check, top=False)
    what = check.add_mutually_exclusive_group(required=True)
    what.add_argument("--id", help="a CMND (9 digits) or CCCD (12 digits) number")
    what.add_argument(
        "--payload",
        help="the text of a scanned code (a personal code, a CCCD QR or a market-day card)",
    )
    what.add_argument("--plate", help="a licence plate, in any common form (75C-123.45)")
    check.add_argument(
        "--kind",
        choices=("freight", "transit", "coach", "car", "delegation"),
        help="with --plate: the vehicle's kind, which decides for a plate that is not registered",
    )
    check.add_argument(
        "--vehicle-entry",
        metavar="ENTRY_ID",
        help="with --id/--payload: the coach or car (its entry_id from --plate) the person came in",
    )
    check.add_argument(
        "--direction",
        choices=("in", "out"),
        default="in",
        help="the person enters (in, default) or leaves (out) the checkpoint's area",
    )
    check.add_argument(
        "--at",
        help="check as of this moment (ISO 8601 with its zone, e.g. 2021-09-01T08:00:00Z), "
        "for audits of past scans; the scan is recorded at that moment",
    )

    report = sub.add_parser("report", help="print a report as PDF")
    _common(report, top=False)
    report.add_argument("kind", choices=("daily",))
    report.add_argument("--date", type=_day, required=True, help="the day, YYYY-MM-DD")
    report.add_argument("--out", type=Path, required=True, help="the PDF file to write")

    trust = sub.add_parser("trust", help="the HC1 (EU DCC) trust store of signer certificates")
    _common(trust, top=False)
    trust_sub = trust.add_subparsers(dest="trust_command", required=True, metavar="ACTION")
    trust_add = trust_sub.add_parser("add", help="add signer certificates (PEM, DER, JSON list)")
    _common(trust_add, top=False)
    trust_add.add_argument("file", type=Path)
    _common(trust_sub.add_parser("status", help="when the trust list was last updated"), False)
    add_rules_commands(sub)

    pair = sub.add_parser("pair", help="pair this kiosk with a central server, once")
    _common(pair, top=False)
    pair.add_argument("url", help="the server, e.g. https://kiosk.tthue.gov.vn")
    pair.add_argument("code", help="the one-time code from `kiosk-server pair`")
    pair.add_argument(
        "--name",
        help="the name the server lists this kiosk under (default: CHECKPOINT@HOSTNAME; pairing"
        " again under the same name retires the old record)",
    )
    pair.add_argument(
        "--again",
        action="store_true",
        help="pair a kiosk that is already paired (a new server, or a revoked credential)",
    )
    pair.add_argument(
        "--insecure",
        action="store_true",
        help="allow plain http:// to another machine (a test network only)",
    )

    sync = sub.add_parser("sync", help="run one sync cycle; print a JSON summary")
    _common(sync, top=False)
    sync.add_argument(
        "--page-size",
        type=int,
        default=5000,
        help="changes pulled per request (smaller on a poor link)",
    )
    sync.add_argument(
        "--batch-size",
        type=int,
        default=1000,
        help="events pushed per request (smaller on a poor link)",
    )

    operators = sub.add_parser(
        "operators", help="the operators this kiosk holds, one JSON line each (never a PIN hash)"
    )
    _common(operators, top=False)

    health = sub.add_parser(
        "health",
        help="the data directory's health (disk, database check, last backup, encryption, "
        "unsent records): one JSON line each, as the supervisor's panel words it",
    )
    _common(health, top=False)

    backup = sub.add_parser("backup", help="make a backup of the database now (encrypted)")
    _common(backup, top=False)
    restore = sub.add_parser(
        "restore",
        help="without BACKUP: list the backups, newest first; with one (or 'latest', the newest "
        "that passes its check): bring it back as the database",
    )
    _common(restore, top=False)
    restore.add_argument("backup", nargs="?", metavar="BACKUP")

    decode = sub.add_parser("decode", help="decode QR codes in image files; one JSON line each")
    _common(decode, top=False)
    decode.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    return parser


def _day(text: str) -> date:
    return date.fromisoformat(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.umask(0o077)  # every file the kiosk writes is 0600, every folder 0700 (docs/security.md)
    data_dir: Path = args.data_dir or settings.default_data_dir()
    try:
        conf = settings.load(data_dir)
    except settings.SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ENVIRONMENT
    conf = replace(
        conf,
        **{
            k: v
            for k, v in {
                "language": args.lang,
                "camera": getattr(args, "camera", None),
                "checkpoint_id": getattr(args, "checkpoint", None),
                "operator_id": getattr(args, "operator", None),
            }.items()
            if v
        },
    )
    lang = conf.language
    try:
        if args.command == "decode":
            return _decode(args.images)
        if args.command == "demo":
            return _demo(data_dir, not args.no_feed)
        if args.command in ("pair", "sync"):
            return _sync_command(data_dir, conf, args)
        if args.command == "operators":
            return _operators(data_dir)
        if args.command == "health":
            return _health(data_dir, lang)
        if args.command in ("backup", "restore"):
            return _safekeeping(data_dir, args.command, getattr(args, "backup", None))
        if args.command == "check":
            return _check(data_dir, conf, args)
        if args.command == "report":
            return _report(data_dir, conf, args.date, args.out)
        if args.command == "trust":
            return _trust(data_dir, conf, args)
        if args.command in RULES_COMMANDS:
            return run_rules_command(_open_store(data_dir), conf, args)
        from ui.app import run_window  # Qt is loaded only for the window

        return run_window(data_dir, conf, fullscreen=args.fullscreen)
    except InputError as exc:
        line = messages.error_text(exc.code, lang, **exc.params)
        if exc.params.get("suggestions"):  # near misses go on the same line: one line, always
            plates = ", ".join(exc.params["suggestions"])  # type: ignore[arg-type]
            line += " " + messages.text(messages.NEAR_MISSES, lang, plates=plates)
        print(line, file=sys.stderr)
        return EXIT_INPUT
    except EnvironmentProblem as exc:
        print(messages.error_text(exc.code, lang), file=sys.stderr)
        return EXIT_ENVIRONMENT


def _open_store(data_dir: Path) -> Store:
    # imported here so that `kiosk decode` never loads the storage stack
    from kiosk.storage import Store

    return Store.open(data_dir / "kiosk.db")


def _operators(data_dir: Path) -> int:
    store = _open_store(data_dir)
    try:
        for o in store.accounts.everyone():
            line = {"id": o.id, "role": o.role, "checkpoint": o.checkpoint_id, "active": o.active}
            print(json.dumps(line, ensure_ascii=False))
    finally:
        store.close()
    return 0


def _check(data_dir: Path, conf: settings.Settings, args: argparse.Namespace) -> int:
    from kiosk.desks import check_text
    from kiosk.hcert.commands import fixed_clock

    # before the store: a bad --at is exit 2
    clock = fixed_clock(args.at) if args.at is not None else None
    store = _open_store(data_dir)
    try:
        result = check_text(
            store,
            conf,
            id_text=args.id,
            payload=args.payload,
            plate=args.plate,
            kind=args.kind,
            vehicle_entry=args.vehicle_entry,
            clock=clock,
            direction=args.direction,
        )
    finally:
        store.close()
    answer = result.to_json()
    entry_id = getattr(result, "entry_id", None)
    if entry_id:  # a vehicle let in: its occupants are checked under this id
        answer["entry_id"] = entry_id
    print(json.dumps(answer, ensure_ascii=False))
    return 0


def _trust(data_dir: Path, conf: settings.Settings, args: argparse.Namespace) -> int:
    from kiosk.hcert import commands as hcert_commands

    store = _open_store(data_dir)
    try:
        if args.trust_command == "add":
            out = hcert_commands.trust_add(store, args.file, conf.operator_id)
        else:
            out = hcert_commands.trust_status(store)
    finally:
        store.close()
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _report(data_dir: Path, conf: settings.Settings, day: date, out: Path) -> int:
    from kiosk.daily_report import write_daily_report

    store = _open_store(data_dir)
    try:
        numbers = write_daily_report(store, day, out, conf.language, conf.checkpoint_id)
    finally:
        store.close()
    print(json.dumps({"out": str(out), **numbers.to_json()}, ensure_ascii=False))
    return 0


def _sync_command(data_dir: Path, conf: settings.Settings, args: argparse.Namespace) -> int:
    from sync import engine
    from sync.protocol import SyncError

    store = _open_store(data_dir)
    try:
        if args.command == "pair":
            kiosk_id = engine.pair(
                store,
                args.url,
                args.code,
                args.name or engine.kiosk_name(conf.checkpoint_id),
                again=args.again,
                insecure=args.insecure,
            )
            print(json.dumps({"kiosk_id": kiosk_id}))
            return 0

        phases: list[str] = []

        def progress(phase: str, done: int, total: int) -> None:
            if phases and phases[-1] != phase:
                print(file=sys.stderr)
            phases.append(phase)
            of = f"/{total}" if total >= 0 else ""
            print(f"\r{phase}: {done}{of}", end="", file=sys.stderr, flush=True)

        summary = engine.run_cycle(
            store,
            engine.client_for(store),
            progress,
            page_size=args.page_size,
            batch_size=args.batch_size,
            keep_days=conf.retention_days,
        )
        print(file=sys.stderr)
        print(json.dumps(summary.to_json()))
        return 0
    except SyncError as exc:
        print(file=sys.stderr)
        print(
            messages.error_text(exc.code, conf.language)
            if exc.code in messages.ERRORS
            else str(exc),
            file=sys.stderr,
        )
        return EXIT_SYNC
    finally:
        store.close()


def _demo(data_dir: Path, write_feed: bool) -> int:
    from kiosk.app.demo import seed

    store = _open_store(data_dir)
    try:
        manifest = seed(store, data_dir, write_feed=write_feed)
    finally:
        store.close()
    print(json.dumps({"manifest": str(manifest)}, ensure_ascii=False))
    return 0


def _health(data_dir: Path, lang: str) -> int:
    """Exit 0 when nothing needs doing, 1 when a line says what to do."""
    from kiosk.health import check_health
    from kiosk.storage import Store

    store = Store.open(data_dir / "kiosk.db", verify=False)  # damage is a finding here
    try:
        health = check_health(store)
    finally:
        store.close()
    for line in health.lines(lang):
        print(json.dumps(line.__dict__, ensure_ascii=False))
    return 1 if health.needs_action else 0


def _safekeeping(data_dir: Path, command: str, name: str | None) -> int:
    from kiosk.storage import safekeeping

    if command == "backup":
        store = _open_store(data_dir)
        try:
            made = store.backup()
        finally:
            store.close()
        print(json.dumps(made.to_json()))
        return 0
    if name is None:
        for b in safekeeping.list_backups(data_dir):
            print(json.dumps(b.to_json()))
        return 0
    chosen = safekeeping.restore(data_dir, None if name == "latest" else name)
    print(json.dumps({"restored": chosen.to_json()}))
    return 0


def _decode(images: Sequence[Path]) -> int:
    from scanner.pipeline import decode_image_file

    failed = False
    for path in images:
        result = decode_image_file(path)
        line: dict[str, object] = {
            "file": result.file,
            "codes": [{"text": c.text, "format": c.format} for c in result.codes],
            "ms": round(result.ms, 2),
        }
        if result.error:
            failed = True
            line["error"] = result.error
        print(json.dumps(line, ensure_ascii=False))
    return EXIT_INPUT if failed else 0
