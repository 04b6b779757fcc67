"""A data folder that cannot be written (a read-only mount), and the audit trigger's refusal, in words."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db.errors import AuditAppendOnly, ReadOnly, translate_sqlite_error
from db.session import open_database
from tests.conftest import ROOT

PROBE = r"""
import os, sys
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from db.session import open_database
from app.services import rounds
db = open_database(sys.argv[1])
assert db.read_only, "not read-only"
print("ROUNDS", [r.title for r in rounds.list_rounds(db)])
try:
    rounds.create_unit(db, "新单位")
except Exception as exc:
    print("WRITE", type(exc).__name__, exc)
from ui.app import make_application, show_window
from ui.main_window import MainWindow
app = make_application([])
window = MainWindow(db, quick_start=True)
show_window(window)
print("WINDOW", window.isVisible())
"""


def _can_mount() -> bool:
    if os.name == "nt" or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


def _read_only_run(folder: Path, commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Each command run with `folder` mounted read-only (in a private mount namespace: nothing to undo)."""
    out = []
    for cmd in commands:
        script = f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && exec "$@"'
        out.append(subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *cmd], cwd=ROOT, capture_output=True,
                                  text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)}))
    return out


@pytest.mark.skipif(not _can_mount(), reason="needs a private mount namespace (unshare -m) for a read-only mount")
def test_a_read_only_data_folder_is_said_in_words_and_the_ledger_still_opens(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = data / "ledger.sqlite"
    py, main = sys.executable, "main.py"
    assert subprocess.run([py, main, "demo", "--db", str(db)], cwd=ROOT, capture_output=True).returncode == 0
    scan = tmp_path / "scan.txt"
    scan.write_text("扫描件", encoding="utf-8")
    before = sorted(p.name for p in data.iterdir())
    listing, attach, check, new, probe = _read_only_run(data, [
        [py, main, "list", "rounds", "--db", str(db)],
        [py, main, "attach", str(scan), "--round", "1", "--problem", "1", "--db", str(db)],
        [py, main, "check", "--db", str(db)],
        [py, main, "list", "rounds", "--db", str(data / "another.sqlite")],
        [py, "-c", PROBE, str(db)],
    ])
    assert listing.returncode == 0 and "区委第五巡察组" in listing.stdout, listing.stderr
    assert attach.returncode == 1 and "只读" in attach.stderr and "Errno" not in attach.stderr, attach.stderr
    assert check.returncode == 0, check.stdout + check.stderr
    assert new.returncode == 1 and "只读" in new.stderr and "Errno" not in new.stderr, new.stderr
    assert "WRITE ReadOnly 数据库文件是只读的" in probe.stdout and "WINDOW True" in probe.stdout, probe.stderr
    assert sorted(p.name for p in data.iterdir()) == before


def test_the_audit_trigger_is_a_rule_not_a_read_only_file(tmp_path: Path) -> None:
    from sqlalchemy import text

    with open_database(tmp_path / "ledger.sqlite") as db:
        from app.services import rounds

        rounds.create_unit(db, "单位")
        with pytest.raises(AuditAppendOnly, match="审计日志只能追加"):
            with db.transaction() as s:
                s.execute(text("update audit_log set user = '改过的人'"))
        with pytest.raises(AuditAppendOnly):
            with db.transaction() as s:
                s.execute(text("delete from audit_log"))
    assert isinstance(translate_sqlite_error(Exception("attempt to write a readonly database")), ReadOnly)
