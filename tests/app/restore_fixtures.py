"""A ledger, a backup of an earlier state of it, and a folder outside the data folder to watch."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.backup import write_backup
from app.services import evidence, problems, rounds
from db.session import open_database
from tests.conftest import make_pdf
from tests.crafted import read_members, tree


@dataclass
class Live:
    root: Path
    db_path: Path
    archive: Path          # a good backup of an earlier state of the ledger
    outside: Path          # files beside the data folder that a crafted backup must never reach
    sha_a: str             # the evidence file in both the backup and the ledger
    sha_b: str             # the evidence file attached after the backup

    @property
    def data(self) -> Path:
        return self.db_path.parent

    def members(self) -> dict[str, bytes]:
        return read_members(self.archive)

    def snapshot(self) -> tuple[dict[str, str], dict[str, str]]:
        return tree(self.data), tree(self.outside)


def build_template(root: Path) -> None:
    data, outside = root / "data", root / "outside"
    outside.mkdir(parents=True)
    (outside / "victim.txt").write_text("不能被删除或覆盖的文件", encoding="utf-8")
    (root / "victim.txt").write_text("数据文件夹旁边的文件", encoding="utf-8")
    db = open_database(data / "ledger.sqlite")
    try:
        unit = rounds.create_unit(db, "某区行政审批服务局")
        r = rounds.create_round(db, unit.id, "备份中的轮次")
        p1 = problems.create_problem(db, r.id, "学习计划性不强。")
        a = evidence.attach_evidence(db, make_pdf(root / "a.pdf", text="a"), [p1])
        write_backup(db, root / "good.zip")
        rounds.update_round(db, r.id, title="备份之后改过的轮次")
        b = evidence.attach_evidence(db, make_pdf(root / "b.pdf", text="b"), [p1])
    finally:
        db.close()
    (root / "shas.txt").write_text(f"{a.sha256}\n{b.sha256}\n")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    build_template(root)
    return root


@pytest.fixture
def live(template: Path, tmp_path: Path) -> Live:
    root = tmp_path / "case"
    shutil.copytree(template, root)
    sha_a, sha_b = (root / "shas.txt").read_text().split()
    return Live(root, root / "data" / "ledger.sqlite", root / "good.zip", root / "outside", sha_a, sha_b)
