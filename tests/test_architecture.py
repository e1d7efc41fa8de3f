"""The layering the design card fixes: only ui/ imports Qt, so the core runs without a display."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAIN_PACKAGES = ("kiosk", "scanner", "sync")
FORBIDDEN = ("PySide6", "shiboken6", "ui")
# The `kiosk` command with no sub-command opens the window: its one deferred import of ui.app.
ALLOWED = {("kiosk/cli.py", "ui")}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PLAIN_PACKAGES)
def test_core_packages_never_import_qt_or_the_ui(package):
    offenders = {
        (str(path.relative_to(ROOT)), name)
        for path in (ROOT / package).rglob("*.py")
        for name in _imports(path) & set(FORBIDDEN)
    }
    assert offenders - ALLOWED == set()


def test_command_line_checks_without_loading_qt(tmp_path):
    code = (
        "import sys, kiosk.cli; "
        f"rc = kiosk.cli.main(['--data-dir', {str(tmp_path)!r}, 'check', '--id', '046085001234']); "
        "assert rc == 0, rc; assert 'PySide6' not in sys.modules, 'Qt was loaded'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_window_is_the_only_place_that_loads_qt():
    packages = ("kiosk", "kiosk_server", "scanner", "sync", "ui", "scripts", "bench")
    qt_users = {
        package
        for package in packages
        for path in (ROOT / package).rglob("*.py")
        if "PySide6" in _imports(path)
    }
    assert qt_users <= {"ui", "scripts"}
