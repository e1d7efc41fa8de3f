"""The back office's `kiosk-server` commands: staff accounts, kiosk operators, the review
queue. Secrets (passwords, PINs) are read from standard input, never from the command line,
where `ps` and the shell history would keep them."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from pathlib import Path

from sqlalchemy import Engine

from kiosk_server import hospital, office, staff
from kiosk_server.office_db import ROLES


def add_commands(sub: argparse._SubParsersAction, common) -> None:
    user = sub.add_parser("user", help="staff accounts of the back office")
    common(user, top=False)
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_sub.add_parser("add", help="add an account; the password comes from stdin")
    common(add, top=False)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    password = user_sub.add_parser(
        "password", help="set an account's password from stdin; its open sessions end"
    )
    common(password, top=False)
    password.add_argument("name")

    operator = sub.add_parser("operator", help="kiosk operators (they reach kiosks by sync)")
    common(operator, top=False)
    op_sub = operator.add_subparsers(dest="operator_command", required=True, metavar="ACTION")
    op_add = op_sub.add_parser("add", help="add an operator; the PIN comes from stdin")
    common(op_add, top=False)
    op_add.add_argument("operator_id")
    op_add.add_argument("--role", required=True, choices=office.OPERATOR_ROLES)
    op_add.add_argument("--checkpoint", required=True)
    op_add.add_argument("--name", default="", help="display name (default: the id)")

    decls = sub.add_parser("declarations", help="declarations as JSON lines")
    common(decls, top=False)
    decls.add_argument("--pending", action="store_true", help="the review queue only")
    decls.add_argument("--limit", type=int, default=1000)
    hosp = sub.add_parser(
        "hospital-approvals",
        help="hospitals' approvals of out-of-province patients (directive 82 I.6), as CSV",
    )
    common(hosp, top=False)
    hosp_sub = hosp.add_subparsers(dest="hospital_command", required=True, metavar="ACTION")
    hosp_imp = hosp_sub.add_parser("import", help="import a CSV (all rows or none)")
    common(hosp_imp, top=False)
    hosp_imp.add_argument("file", type=Path)
    hosp_exp = hosp_sub.add_parser("export", help="every approval as CSV (UTF-8 with BOM)")
    common(hosp_exp, top=False)
    hosp_exp.add_argument("--out", type=Path, help="write here instead of standard output")
    from kiosk_server.exports import EXPORTS

    export = sub.add_parser(
        "export", help="a back-office list as CSV (UTF-8 with BOM), as the web exports it"
    )
    common(export, top=False)
    export.add_argument("name", choices=list(EXPORTS))
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    for verb in ("approve", "reject"):
        p = sub.add_parser(verb, help=f"{verb} a declaration; kiosks learn it at their next sync")
        common(p, top=False)
        p.add_argument("declaration_id")
        p.add_argument("--reason", default="")


def _secret(prompt: str) -> str:
    """Twice on a terminal (a typo is caught), one line from a pipe."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt + ": ")
        if getpass.getpass(prompt + " (again): ") != first:
            raise ValueError("the two entries differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def export_csv(engine: Engine, name: str, out: Path | None, actor: str) -> None:
    """The file the web's export gives, to a file or standard output; progress on stderr."""
    from kiosk_server import exports
    from kiosk_server.progress import Progress

    spec = exports.EXPORTS[name]
    exports.audit_export(engine, actor, spec)  # first: the audit file holds its own line
    progress = Progress(f"export {name}", exports.count(engine, spec))
    # a file only its owner reads: exports hold full identities
    opened = (
        os.fdopen(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
        if out
        else contextlib.nullcontext(sys.stdout.buffer)
    )
    with opened as f:
        for chunk in exports.csv_chunks(engine, spec, progress):
            f.write(chunk)
    progress.finish()


def run(engine: Engine, args: argparse.Namespace) -> int | None:
    """The command's exit status, or None when it is not one of ours."""
    actor = "cli"
    office.enable_folding(engine)
    try:
        if args.command == "user" and args.user_command == "password":
            staff.set_user(engine, args.name, actor, password=_secret("new password"))
            print(json.dumps({"user": args.name, "password": "changed"}))
        elif args.command == "user":
            staff.add_user(engine, args.name, args.role, _secret("password"), actor)
            print(json.dumps({"user": args.name, "role": args.role}))
        elif args.command == "operator":
            office.add_operator(
                engine,
                actor,
                args.operator_id,
                args.name or args.operator_id,
                args.role,
                args.checkpoint,
                _secret("PIN"),
            )
            print(
                json.dumps(
                    {"operator": args.operator_id, "role": args.role, "checkpoint": args.checkpoint}
                )
            )
        elif args.command == "declarations":
            rows = (
                office.pending_declarations(engine, args.limit)
                if args.pending
                else office.listing(engine, "declaration", limit=args.limit)
            )
            for d in rows:
                print(json.dumps(d, ensure_ascii=False))
        elif args.command in ("approve", "reject"):
            d = office.review(
                engine, args.declaration_id, args.command == "approve", args.reason, actor
            )
            print(json.dumps({"id": d["id"], "status": d["status"]}))
        elif args.command == "hospital-approvals":
            return _hospital(engine, args, actor)
        elif args.command == "export":
            export_csv(engine, args.name, args.out, actor)
        else:
            return None
    except (staff.StaffError, office.OfficeError, ValueError) as exc:
        print(f"{args.command}: {getattr(exc, 'code', exc)}", file=sys.stderr)
        return 2
    return 0


def _hospital(engine: Engine, args: argparse.Namespace, actor: str) -> int:
    """`import` prints how many rows it wrote, like `kiosk-server import`; a bad row stops it
    with its line, nothing written. `export` writes what `import` reads back."""
    if args.hospital_command == "import":
        try:
            text = args.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{args.file}: {exc}", file=sys.stderr)
            return 2
        try:
            print(hospital.import_csv(engine, actor, text))
        except office.OfficeError as exc:
            where = f", line {exc.params['line']}" if "line" in exc.params else ""
            problem = f": {exc.params['problem']}" if "problem" in exc.params else ""
            print(f"{args.file.name}{where}: {exc.code}{problem}", file=sys.stderr)
            return 2
        return 0
    export_csv(engine, "hospital", args.out, actor)  # the web's export, one writer
    return 0
