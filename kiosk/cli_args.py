"""Options that a command line accepts both before and after its command name.

Shared by `kiosk` (kiosk.app.cli) and `kiosk-server` (kiosk_server.cli); it sits in the core so
that both may import it under the layers contract (pyproject.toml).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any


def add_shared_options(
    parser: argparse.ArgumentParser, top: bool, options: Mapping[str, dict[str, Any]]
) -> None:
    """Adds each `--flag: add_argument keywords` of `options` to the top parser or a sub-parser.

    SUPPRESS on the sub-parsers keeps a value given before the command name.
    """
    default = None if top else argparse.SUPPRESS
    for flag, keywords in options.items():
        parser.add_argument(flag, default=default, **keywords)
