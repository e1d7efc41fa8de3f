"""The `kiosk` command: the window, and the commands other tools and tests rely on.

Contract (keep stable; see README): `kiosk [--data-dir D]` opens the window; `kiosk demo`;
`kiosk check --id N | --payload TEXT` prints one JSON verdict and exits 0, or one line on stderr
and exit 2 for input that is neither an ID nor a code; `kiosk decode IMAGE...` prints JSON lines.
Exit 3: the environment failed (disk full, database unusable); the message says what to do.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__, messages, settings
from kiosk.errors import EnvironmentProblem, InputError

if TYPE_CHECKING:
    from kiosk.storage import Store

EXIT_INPUT = 2
EXIT_ENVIRONMENT = 3
EXIT_SYNC = 4  # the server could not be reached, refused us, or answered nonsense


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    # SUPPRESS on the sub-parsers keeps a value given before the command name.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        help="where the database, settings and demo files live "
        "(default: $KIOSK_DATA_DIR or the user data directory)",
    )
    parser.add_argument(
        "--lang",
        choices=messages.LANGUAGES,
        default=default,
        help="language of messages: vi (default) or en",
    )


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
    parser.add_argument("--operator", help="operator id recorded with every scan")
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

    pair = sub.add_parser("pair", help="pair this kiosk with a central server, once")
    _common(pair, top=False)
    pair.add_argument("url", help="the server, e.g. https://kiosk.tthue.gov.vn")
    pair.add_argument("code", help="the one-time code from `kiosk-server pair`")
    pair.add_argument(
        "--again",
        action="store_true",
        help="pair a kiosk that is already paired (a new server, or a revoked credential)",
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

    decode = sub.add_parser("decode", help="decode QR codes in image files; one JSON line each")
    _common(decode, top=False)
    decode.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
        if args.command == "check":
            return _check(data_dir, conf, args.id, args.payload, args.plate)
        from ui.app import run_window  # Qt is loaded only for the window

        return run_window(data_dir, conf, fullscreen=args.fullscreen)
    except InputError as exc:
        line = messages.error_text(exc.code, lang, **exc.params)
        if exc.params.get("suggestions"):  # near misses go on the same line: one line, always
            plates = ", ".join(exc.params["suggestions"])  # type: ignore[arg-type]
            line += " " + messages.ui_text("near_misses", lang, plates=plates)
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


def _check(
    data_dir: Path,
    conf: settings.Settings,
    id_text: str | None,
    payload: str | None,
    plate: str | None,
) -> int:
    from kiosk import tokens
    from kiosk.checker import Checker
    from kiosk.market_gate import MarketGate
    from kiosk.vehicles import VehicleChecker

    who = {"checkpoint_id": conf.checkpoint_id, "operator_id": conf.operator_id}
    store = _open_store(data_dir)
    try:
        if plate is not None:
            result = VehicleChecker(store, **who).check_plate(plate, source="cli")
        elif payload is not None and tokens.token_type(payload.strip()) == tokens.TYPE_MARKET_CARD:
            gate = MarketGate(store, market_id=conf.market_id, **who)
            result = gate.check_card(payload, source="cli")
        elif payload is not None:
            result = Checker(store, **who).check_payload(payload, source="cli")
        else:
            result = Checker(store, **who).check_id(id_text or "", source="cli")
    finally:
        store.close()
    print(json.dumps(result.to_json(), ensure_ascii=False))
    return 0


def _sync_command(data_dir: Path, conf: settings.Settings, args: argparse.Namespace) -> int:
    from sync import engine
    from sync.protocol import SyncError

    store = _open_store(data_dir)
    try:
        if args.command == "pair":
            kiosk_id = engine.pair(
                store, args.url, args.code, conf.checkpoint_id, again=args.again
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
    from kiosk.demo import seed

    store = _open_store(data_dir)
    try:
        manifest = seed(store, data_dir, write_feed=write_feed)
    finally:
        store.close()
    print(json.dumps({"manifest": str(manifest)}, ensure_ascii=False))
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
