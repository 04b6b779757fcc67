"""Item 5: an export or a backup aimed at the ledger's own files is refused; the ledger is untouched."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.backup import write_backup
from app.exporting.service import export
from app.paths import OutputOnLedger, refuse_ledger_output
from app.services import evidence
from db.session import Database
from tests.conftest import ROOT, make_pdf
from tests.crafted import tree

# About the desk's SQLite file and the files beside it (WAL, lock, links to it).
pytestmark = pytest.mark.sqlite_only
SKIP = ("xuncha-ledger.log", "ledger.sqlite-shm")  # readers may touch the shared-memory index; nothing else


def _targets(db: Database, sha: str) -> dict[str, Path]:
    data = db.data_dir
    beside = data / "outside"
    beside.mkdir(exist_ok=True)
    link = beside / "looks-harmless.docx"
    if not link.is_symlink():
        link.symlink_to(db.path)
    hard = beside / "hard-link.pdf"
    if not hard.exists():
        os.link(db.path, hard)
    return {
        "the database": db.path,
        "its WAL": Path(str(db.path) + "-wal"),
        "its shared memory": Path(str(db.path) + "-shm"),
        "its journal": Path(str(db.path) + "-journal"),
        "the lock file": Path(str(db.path) + ".lock"),
        "a stored evidence file": data / "evidence" / sha[:2] / sha,
        "a new file in the store": data / "evidence" / "通报.docx",
        "the store's temporary folder": data / "evidence" / "tmp" / "x.pdf",
        "a safety copy": data / "ledger.before-restore-20240610-101500.sqlite",
        "a symbolic link to the database": link,
        "a hard link to the database": hard,
        "the database by a roundabout path": data / "evidence" / ".." / "ledger.sqlite",
    }


WRITERS: dict[str, Callable[[Database, int, Path], object]] = {
    "notice docx": lambda db, r, p: export(db, "notice", r, "docx", p),
    "notice pdf": lambda db, r, p: export(db, "notice", r, "pdf", p),
    "ledger xlsx": lambda db, r, p: export(db, "ledger", r, "xlsx", p),
    "evidence volume": lambda db, r, p: export(db, "evidence", r, "pdf", p),
    "backup": lambda db, r, p: write_backup(db, p),
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_outputs_aimed_at_the_ledger_are_refused(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                 writer: str) -> None:
    res = evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    targets = _targets(db, res.sha256)
    before = tree(db.data_dir, SKIP)
    beside = tree(tmp_path, SKIP)
    for name, target in targets.items():
        with pytest.raises(OutputOnLedger, match="台账自己的数据文件"):
            WRITERS[writer](db, seeded["round"], target)
        assert tree(db.data_dir, SKIP) == before, name
    assert tree(tmp_path, SKIP) == beside
    assert db.integrity_check() == []


def test_ordinary_outputs_are_allowed(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    assert refuse_ledger_output(tmp_path / "out" / "通报.docx", db.path) == tmp_path / "out" / "通报.docx"
    assert refuse_ledger_output(db.data_dir / "通报.docx", db.path)  # the data folder itself is not forbidden
    assert refuse_ledger_output(db.data_dir / "evidence-notes.docx", db.path)
    export(db, "notice", seeded["round"], "docx", tmp_path / "通报.docx")
    write_backup(db, tmp_path / "备份.zip")


def test_the_command_line_refuses_them_too(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})

    assert cli("demo").returncode == 0
    before = tree(tmp_path, SKIP)
    for args in (("export", "notice", "--round", "1", "-o", str(db), "--format", "docx"),
                 ("export", "evidence", "--round", "1", "-o", str(db) + "-wal", "--format", "pdf"),
                 ("backup", "-o", str(db)),
                 ("backup", "-o", str(tmp_path / "evidence" / "b.zip"))):
        out = cli(*args)
        assert out.returncode == 1 and "台账自己的数据文件" in out.stderr and "Traceback" not in out.stderr, args
        assert tree(tmp_path, SKIP) == before, args
