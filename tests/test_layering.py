"""House rule: ui → app → db. db/ and app/ never import Qt widgets or ui/."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

FORBIDDEN = ("PySide6.QtWidgets", "PySide6.QtGui", "ui")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_never_imports_widgets_or_ui() -> None:
    bad = []
    for folder in ("app", "db"):
        for path in (ROOT / folder).rglob("*.py"):
            for name in _imports(path):
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                    bad.append(f"{path.relative_to(ROOT)}: {name}")
    assert bad == []


def test_db_never_imports_app() -> None:
    bad = [f"{p.relative_to(ROOT)}: {n}" for p in (ROOT / "db").rglob("*.py") for n in _imports(p)
           if n == "app" or n.startswith("app.")]
    assert bad == []


def test_command_line_runs_without_qt() -> None:
    code = ("import sys; from app import cli; cli.build_parser(); "
            "import app.services.dashboard, app.backup, app.demo; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_core_is_mypy_clean() -> None:
    """House rule: mypy clean on app/ and db/ (the GUI is checked by its tests)."""
    out = subprocess.run([sys.executable, "-m", "mypy", "app", "db", "--ignore-missing-imports",
                          "--follow-imports=silent", "--no-error-summary"], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:]
