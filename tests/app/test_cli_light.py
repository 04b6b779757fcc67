"""Commands that only read load neither SQLAlchemy nor the ORM models (issue 16 items 2 and 7): each runs in
a fresh process, which reports what it imported."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.services import rounds
from db.session import Database

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT.parent / "shared" / "samples" / "huangpi_2024.txt"
RUN = """
import json, sys
from app.cli import run
code = run(sys.argv[1:])
print(json.dumps({"code": code, "orm": "db.models" in sys.modules, "sqlalchemy": "sqlalchemy" in sys.modules}))
"""


def _loaded(*args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", RUN, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.fixture
def ledger(db: Database) -> Path:
    unit = rounds.create_unit(db, "某局")
    rounds.create_round(db, unit.id, "第一轮")
    db.close()
    return db.path


@pytest.mark.sqlite_only  # a server ledger is reached through SQLAlchemy's engine (psycopg) by design
def test_list_reads_through_the_plain_path(ledger: Path) -> None:
    for what in (["rounds"], ["rounds", "--json"], ["problems", "--round", "1"]):
        assert _loaded("list", *what, "--db", str(ledger)) == {"code": 0, "orm": False, "sqlalchemy": False}


@pytest.mark.skipif(not SAMPLE.exists(), reason="the shared samples are not beside the project")
def test_a_dry_run_parses_without_the_orm(tmp_path: Path) -> None:
    got = _loaded("import", str(SAMPLE), "--dry-run", "--db", str(tmp_path / "none.sqlite"))
    assert got == {"code": 0, "orm": False, "sqlalchemy": False}
    assert not (tmp_path / "none.sqlite").exists()
