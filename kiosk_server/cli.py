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

from platformdirs import user_data_dir

from kiosk_server import __version__


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        help="server files (default: $KIOSK_SERVER_DATA_DIR or the user data directory)",
    )
    parser.add_argument(
        "--db",
        default=default,
        help="database URL (default: sqlite:///DATA_DIR/server.db, or $KIOSK_SERVER_DB)",
    )


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
    imp = sub.add_parser("import", help="import approvals from CSV (all rows or none)")
    _common(imp, top=False)
    imp.add_argument("kind", choices=["declarations", "vehicles", "cards", "zones", "markets"])
    imp.add_argument("file", type=Path)
    token = sub.add_parser("issue-token", help="print a signed personal declaration QR text")
    _common(token, top=False)
    token.add_argument("declaration_id", type=int)
    token.add_argument("subject_id")
    from kiosk_server.office_cli import add_commands

    add_commands(sub, _common)
    return parser


def db_url(args: argparse.Namespace) -> tuple[str, Path]:
    data_dir = args.data_dir or Path(
        os.environ.get("KIOSK_SERVER_DATA_DIR")
        or user_data_dir("checkpoint-kiosk-server", appauthor=False)
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    return args.db or os.environ.get(
        "KIOSK_SERVER_DB"
    ) or f"sqlite:///{data_dir}/server.db", data_dir


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    url, data_dir = db_url(args)
    if args.command == "serve":
        import uvicorn

        if args.workers > 1 and url.startswith("sqlite"):
            print("several workers need PostgreSQL: SQLite serves one process", file=sys.stderr)
            return 2
        os.environ["KIOSK_SERVER_DB"] = url
        from sqlalchemy.engine import make_url

        shown = make_url(url).render_as_string(hide_password=True)
        print(
            f"kiosk-server {__version__}: serving http://{args.host}:{args.port} "
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
        )
        return 0
    from kiosk_server import admin
    from kiosk_server.db import open_db

    engine = open_db(url)
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
        except admin.UnknownDeclaration as exc:
            print(str(exc), file=sys.stderr)
            return 2
    elif args.command == "import":
        try:
            print(admin.import_csv(engine, args.kind, args.file))
        except (admin.ImportError_, OSError) as exc:
            print(str(exc), file=sys.stderr)
            return 2
    elif args.command == "demo":
        from kiosk_server.demo import load_demo

        print(json.dumps({"manifest": str(load_demo(engine, data_dir))}))
    return 0
