"""`kiosk-server`: serve protocol v1, and the administrator's commands.

Every command accepts --data-dir (default: $KIOSK_SERVER_DATA_DIR or the user data directory)
and --db URL (default: SQLite in the data directory; PostgreSQL: postgresql+psycopg://...).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

from kiosk.cli_args import add_shared_options
from kiosk_server import __version__
from sync.addresses import is_loopback

if TYPE_CHECKING:
    from sqlalchemy import Engine

SHUTDOWN_SECONDS = 5  # a stop waits this long for requests under way (uvicorn waits for ever)

_COMMON_OPTIONS = {
    "--data-dir": {
        "type": Path,
        "help": "server files (default: $KIOSK_SERVER_DATA_DIR or the user data directory)",
    },
    "--db": {"help": "database URL (default: sqlite:///DATA_DIR/server.db, or $KIOSK_SERVER_DB)"},
}


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    add_shared_options(parser, top, _COMMON_OPTIONS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk-server", description="Central server for checkpoint kiosks."
    )
    parser.add_argument("--version", action="version", version=f"kiosk-server {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="serve sync protocol v1 over HTTP")
    _common(serve, top=False)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--certfile", type=Path, help="TLS certificate chain (PEM): serve HTTPS")
    serve.add_argument("--keyfile", type=Path, help="the certificate's private key (PEM)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (PostgreSQL only; SQLite takes one)",
    )
    for name, text in (
        ("pair", "print a one-time pairing code for a new kiosk"),
        ("demo", "fill the server with the kiosk demo's data"),
        ("kiosks", "list paired kiosks"),
        ("rotate-key", "start signing with a new key; kiosks learn it by sync"),
    ):
        _common(sub.add_parser(name, help=text), top=False)
    revoke = sub.add_parser("revoke", help="revoke a kiosk's credential (a stolen kiosk)")
    _common(revoke, top=False)
    revoke.add_argument("kiosk_id")
    revoke_key = sub.add_parser("revoke-key", help="withdraw a leaked signing key everywhere")
    _common(revoke_key, top=False)
    revoke_key.add_argument("key_id", type=int)
    remove_dsc = sub.add_parser("remove-dsc", help="withdraw an HC1 signer certificate everywhere")
    _common(remove_dsc, top=False)
    remove_dsc.add_argument("which", help="its fingerprint (8+ hex digits) or key id (base64)")
    imp = sub.add_parser("import", help="import approvals from CSV (all rows or none)")
    _common(imp, top=False)
    imp.add_argument(
        "kind",
        choices=[
            "declarations",
            "vehicles",
            "cards",
            "zones",
            "markets",
            "checkpoints",
            "dsc",
            "hcert-rules",
        ],
        help="CSV kinds; dsc: HC1 signer certificates (PEM bundle, DER or JSON list); "
        "hcert-rules: the HC1 rule set (JSON)",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--checkpoint", default="default", help="hcert-rules: for this checkpoint id only"
    )
    _rules_parsers(sub)
    token = sub.add_parser("issue-token", help="print a signed personal declaration QR text")
    _common(token, top=False)
    token.add_argument("declaration_id", type=int)
    token.add_argument("subject_id")
    _tracing_commands(sub)
    from kiosk_server.office_cli import add_commands

    add_commands(sub, _common)
    return parser


def _rules_parsers(sub: argparse._SubParsersAction) -> None:
    """Directive 82's settings and lists (kiosk_server/rules_lists.py)."""
    setting = sub.add_parser(
        "setting", help="publish a rule setting for every kiosk, with its source"
    )
    _common(setting, top=False)
    setting.add_argument(
        "key",
        help="zone_lookback_days, freight_max_stay_hours, market_last_odd_day.<market id>",
    )
    setting.add_argument("value")
    setting.add_argument("--source", required=True, help="the directive's part, or whose choice")
    for name, text in (
        ("settings", "list the rule settings in force, with their sources"),
        ("overdue-freight", "freight still inside past its allowed stay"),
    ):
        _common(sub.add_parser(name, help=text), top=False)
    hand = sub.add_parser("handovers", help="the checkpoints' quarantine handover lists")
    _common(hand, top=False)
    hand.add_argument("--status", choices=["waiting", "handed_over", "absent"])


def _rules_command(engine: Engine, args: argparse.Namespace) -> int:
    from kiosk_server import rules_lists
    from kiosk_server.db import now

    if args.command == "setting":
        try:
            rules_lists.set_setting(engine, args.key, args.value, args.source)
        except rules_lists.BadSetting as exc:
            print(str(exc), file=sys.stderr)
            return 2
        return 0
    if args.command == "settings":
        rows = rules_lists.settings(engine)
    elif args.command == "overdue-freight":
        rows = rules_lists.overdue_freight(engine, now())
    else:
        rows = rules_lists.handovers(engine, args.status)
    for row in rows:
        print(json.dumps(row, default=str, ensure_ascii=False))


def _tracing_commands(sub: argparse._SubParsersAction) -> None:
    """issue 10: trace, stats, report (kiosk_server/tracing.py, stats.py, reports.py)."""
    from datetime import date

    day = date.fromisoformat
    trace = sub.add_parser(
        "trace", help="places and times a person was scanned, and who was there (audited)"
    )
    _common(trace, top=False)
    trace.add_argument("id_number", help="CMND/CCCD number, or the national QR's 18 digits")
    trace.add_argument("--from", dest="start", type=day, required=True, help="YYYY-MM-DD")
    trace.add_argument("--to", dest="end", type=day, required=True, help="YYYY-MM-DD")
    trace.add_argument("--overlap-minutes", type=int, default=15, help="either side (15)")
    trace.add_argument("--level", type=int, choices=(1, 2), default=1, help="2: F1s' contacts")
    trace.add_argument("--format", choices=("json", "csv", "pdf"), default="json")
    trace.add_argument("--out", type=Path, help="file to write (default: standard output)")
    stats = sub.add_parser("stats", help="the province's numbers (audited)")
    _common(stats, top=False)
    stats.add_argument("--from", dest="start", type=day, required=True, help="YYYY-MM-DD")
    stats.add_argument("--to", dest="end", type=day, required=True, help="YYYY-MM-DD")
    stats.add_argument("--by", choices=("day", "hour", "district", "checkpoint"), default="day")
    stats.add_argument("--format", choices=("json", "csv"), default="json")
    stats.add_argument("--out", type=Path, help="file to write (default: standard output)")
    report = sub.add_parser("report", help="the province's daily report as PDF")
    _common(report, top=False)
    report.add_argument("kind", choices=("daily",))
    report.add_argument("--date", type=day, required=True, help="YYYY-MM-DD")
    report.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    report.add_argument("--lang", choices=("vi", "en"), default="vi")


def _tracing_main(args: argparse.Namespace, engine: object) -> int:
    import getpass

    from kiosk_server import reports, tracing
    from kiosk_server.stats import FIELDS, stats

    # the server's console is the administrator's; the back office passes its signed-in staff
    try:
        operator = f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name to be had (a bare container, a service)
        operator = "cli"  # a code, as the office commands write it: the page says it in words
    staff = tracing.Staff(operator, "admin")

    def emit(data: bytes) -> None:
        if args.out:
            args.out.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()

    try:
        if args.command == "trace":
            result = tracing.trace(
                engine,  # type: ignore[arg-type]
                staff,
                args.id_number,
                args.start,
                args.end,
                args.overlap_minutes,
                args.level,
            )
            params = {
                "from": args.start,
                "to": args.end,
                "overlap": args.overlap_minutes,
                "level": args.level,
            }
            whom = str(result["subject"]["id_number"])  # type: ignore[index]
            tracing.office_trail(engine, operator, whom, params, result["contacts"])  # type: ignore[arg-type]
            if args.format == "json":
                emit(json.dumps(result, ensure_ascii=False, default=str, indent=1).encode() + b"\n")
            elif args.format == "csv":
                emit(tracing.to_csv(tracing.trace_rows(result), tracing.CSV_FIELDS))
            else:
                import tempfile

                with tempfile.TemporaryDirectory() as tmp:
                    emit(reports.trace_pdf(result, Path(tmp) / "trace.pdf").read_bytes())
        elif args.command == "stats":
            rows = stats(engine, staff, args.start, args.end, args.by)  # type: ignore[arg-type]
            if args.format == "json":
                emit(json.dumps(rows, ensure_ascii=False).encode() + b"\n")
            else:
                emit(tracing.to_csv(rows, FIELDS))
        else:
            reports.daily_report(engine, staff, args.date, args.out, args.lang)  # type: ignore[arg-type]
            print(json.dumps({"out": str(args.out)}))
    except (ValueError, tracing.Refused) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def db_url(args: argparse.Namespace) -> tuple[str, Path]:
    data_dir = args.data_dir or Path(
        os.environ.get("KIOSK_SERVER_DATA_DIR")
        or user_data_dir("checkpoint-kiosk-server", appauthor=False)
    )
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # the key passphrase file lives here; worker processes inherit it
    os.environ["KIOSK_SERVER_DATA_DIR"] = str(data_dir)
    return args.db or os.environ.get(
        "KIOSK_SERVER_DB"
    ) or f"sqlite:///{data_dir}/server.db", data_dir


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # every file the server makes (database, keys, logs, demo) is its own
    args = build_parser().parse_args(argv)
    url, data_dir = db_url(args)
    if args.command == "serve":
        import uvicorn

        if args.workers > 1 and url.startswith("sqlite"):
            print("several workers need PostgreSQL: SQLite serves one process", file=sys.stderr)
            return 2
        if (args.certfile is None) != (args.keyfile is None):
            print("--certfile and --keyfile go together", file=sys.stderr)
            return 2
        problem = _ready_to_serve(url, args.host)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        os.environ["KIOSK_SERVER_DB"] = url
        from sqlalchemy.engine import make_url

        shown = make_url(url).render_as_string(hide_password=True)
        scheme = "https" if args.certfile else "http"
        print(
            f"kiosk-server {__version__}: serving {scheme}://{args.host}:{args.port} "
            f"(database {shown}, {args.workers} worker(s)); Ctrl+C stops it",
            file=sys.stderr,
            flush=True,
        )
        uvicorn.run(
            "kiosk_server.asgi:app",
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="warning",
            access_log=False,
            ssl_certfile=args.certfile,
            ssl_keyfile=args.keyfile,
            # a browser's TLS connection left open kept a stop (Ctrl+C, systemd's SIGTERM)
            # waiting for ever: requests under way get this long to finish
            timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        )
        return 0
    from kiosk_server import keys

    try:
        return _admin(args, url, data_dir)
    except keys.KeyError_ as exc:
        print(str(exc), file=sys.stderr)
        return 2


def _import_refused(exc: Exception) -> str:
    """A refused import as the back office's English page says it (one text, translated where
    it is shown); a file that could not be opened as the system says it."""
    from kiosk_server import admin

    if isinstance(exc, admin.ImportError_):
        from kiosk_server.web.imports import said

        return said(exc, "en")
    return str(exc)


def _admin(args: argparse.Namespace, url: str, data_dir: Path) -> int:
    from kiosk_server import admin
    from kiosk_server.db import open_db

    engine = open_db(url)
    if args.command in ("setting", "settings", "overdue-freight", "handovers"):
        return _rules_command(engine, args)
    if args.command in ("trace", "stats", "report"):
        return _tracing_main(args, engine)
    if args.command == "import" and args.kind == "checkpoints":
        from kiosk_server.tracing import import_checkpoints

        try:
            print(import_checkpoints(engine, args.file))
        except (ValueError, OSError) as exc:
            print(str(exc), file=sys.stderr)
            return 2
        return 0
    from kiosk_server.office_cli import run as run_office

    done = run_office(engine, args)
    if done is not None:
        return done
    if args.command == "pair":
        print(admin.new_pairing_code(engine))
    elif args.command == "revoke":
        if not admin.revoke(engine, args.kiosk_id):
            print(f"no kiosk {args.kiosk_id}", file=sys.stderr)
            return 2
    elif args.command == "kiosks":
        for k in admin.list_kiosks(engine):
            print(json.dumps(k, default=str, ensure_ascii=False))
    elif args.command == "revoke-key":
        if not admin.revoke_key(engine, args.key_id):
            print(f"no signing key {args.key_id}", file=sys.stderr)
            return 2
    elif args.command == "rotate-key":
        print(admin.rotate_key(engine))
    elif args.command == "issue-token":
        try:
            print(admin.issue_token(engine, args.declaration_id, args.subject_id))
        except (admin.UnknownDeclaration, admin.DemoKeyInUse) as exc:
            print(str(exc), file=sys.stderr)
            return 2
    elif args.command == "remove-dsc":
        from kiosk_server import hcert_admin

        removed = hcert_admin.remove_dsc(engine, args.which)
        if not removed:
            print(f"no signer certificate {args.which}", file=sys.stderr)
            return 2
        print(removed)
    elif args.command == "import" and args.kind in ("dsc", "hcert-rules"):
        from kiosk_server import hcert_admin

        try:
            if args.kind == "dsc":
                print(hcert_admin.import_dsc(engine, args.file))
            else:
                print(hcert_admin.set_rules(engine, args.file, args.checkpoint))
        except (hcert_admin.HcertImportError, OSError) as exc:
            print(str(exc), file=sys.stderr)
            return 2
    elif args.command == "import":
        from kiosk_server.progress import Phases

        progress = Phases(f"import {args.kind}")  # on stderr, and only on a terminal
        try:
            count = admin.import_csv(engine, args.kind, args.file, progress)
        except (admin.ImportError_, OSError) as exc:
            progress.finish()
            print(_import_refused(exc), file=sys.stderr)
            return 2
        progress.finish()
        print(count)
    elif args.command == "demo":
        from kiosk_server.demo import holds_own_key, load_demo
        from kiosk_server.demo_scans import seed_scans
        from kiosk_server.demo_staff import add_demo_staff

        manifest = load_demo(engine, data_dir)
        if holds_own_key(engine):
            print(
                "kept this server's own signing key (rotate-key): the demo's signed sample "
                "codes and cards, made with the public demo key, are refused by its kiosks",
                file=sys.stderr,
            )
        seed_scans(engine)  # a trace of a demo person finds contacts (not in load_demo: the
        # sync tests' servers load the demo and count the events kiosks push)
        accounts = add_demo_staff(engine)
        print(json.dumps({"manifest": str(manifest), "staff": accounts}))
        _tell_demo_staff(accounts)
    return 0


def _tell_demo_staff(accounts: list[dict[str, object]]) -> None:
    """For the person trying the demo, on stderr: standard output stays one JSON line."""
    print("back office: `kiosk-server serve`, then http://127.0.0.1:8765/login as", file=sys.stderr)
    for a in accounts:
        password = a["password"] or "(its password was changed)"
        print(f"  {a['user']:<12} {password}  ({a['role']})", file=sys.stderr)
    if any(a["password"] for a in accounts):
        print(
            "these passwords are public: the server serves only 127.0.0.1 until each is "
            "changed with `kiosk-server user password NAME`",
            file=sys.stderr,
        )


def _ready_to_serve(url: str, host: str) -> str | None:
    """A new server makes its own signing key; keys stored plain before are sealed; and a
    server still holding the public demo key, or a demo staff account still opened by its
    public password, serves only this machine. None, or why not."""
    from sqlalchemy import select

    from kiosk_server import admin, demo_staff, keys
    from kiosk_server.db import open_db, signing_keys

    engine = open_db(url)
    try:
        admin.seal_plain_keys(engine)
        with engine.connect() as conn:
            if conn.execute(select(signing_keys.c.key_id)).first() is None:
                admin.rotate_key(engine)
        if not is_loopback(host):
            reasons = []
            if admin.demo_key_in_use(engine):
                reasons.append(admin.DEMO_KEY_WARNING)
            opened = demo_staff.open_demo_accounts(engine)
            if opened:
                reasons.append(demo_staff.warning([a.name for a in opened]))
            if reasons:
                return f"not serving on {host}: {'; and '.join(reasons)}, or serve on 127.0.0.1"
    except keys.KeyError_ as exc:
        return str(exc)
    finally:
        engine.dispose()
    return None
