"""The layering the design card fixes: only ui/ imports Qt, so the core runs without a display.

Which package may import which is the import-linter contract in pyproject.toml (`lint-imports`,
run by `make test`); these tests check what it cannot see: the command line really runs without
Qt, and the scripts and benchmarks outside the packages keep Qt to the screenshot script.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_command_line_checks_without_loading_qt(tmp_path):
    code = (
        "import sys; from kiosk.app.cli import main; "
        f"rc = main(['--data-dir', {str(tmp_path)!r}, 'check', '--id', '046085001234']); "
        "assert rc == 0, rc; assert 'PySide6' not in sys.modules, 'Qt was loaded'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_outside_the_packages_only_the_screenshot_scripts_load_qt():
    qt_users = {
        str(path.relative_to(ROOT))
        for folder in ("scripts", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if "PySide6" in _imports(path)
    }
    assert qt_users <= {"scripts/screenshot.py", "scripts/screenshot_setup.py"}
