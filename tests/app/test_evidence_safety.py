"""Evidence that must not be lost or followed: concurrent attaches, the recycle bin racing an attach,
stored paths that leave the store, strays that are not damage, leftovers of killed attaches."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import EvidenceError, LedgerError
from app.evidence_store import EvidenceStore, UnsafeStoredPath, file_sha256
from app.services import evidence
from app.services import evidence as evidence_service
from db.session import Database, open_database
from tests.conftest import make_pdf
from tests.crafted import tree


def _rows_without_file(db: Database) -> list[str]:
    report = evidence.check_store(db)
    return [f"missing {m}" for m in report.missing] + [f"altered {m}" for m in report.altered]


def test_two_threads_attach_the_same_new_file_100_times(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 9: the loser's rollback deleted the file the winner had just committed a row for."""
    failing = threading.Event()

    def before_commit() -> None:
        if failing.is_set() and threading.current_thread().name == "loser":
            raise RuntimeError("the loser's transaction fails")

    monkeypatch.setattr(evidence_service, "_before_commit", before_commit)
    outcomes: set[tuple[bool, bool]] = set()
    for i in range(100):
        src = tmp_path / f"scan-{i}.txt"
        src.write_bytes(f"第 {i} 份扫描件\n".encode() * 50)
        failing.set() if i % 2 == 0 else failing.clear()
        barrier = threading.Barrier(2)
        done: dict[str, bool] = {}

        def attach(name: str, problem: int, src: Path = src, barrier: threading.Barrier = barrier,
                   done: dict[str, bool] = done) -> None:
            barrier.wait()
            try:
                evidence.attach_evidence(db, src, [problem])
                done[name] = True
            except RuntimeError:
                done[name] = False

        threads = [threading.Thread(target=attach, name=n, args=(n, seeded[p])) for n, p in (("winner", "p1"),
                                                                                              ("loser", "p2"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert done["winner"] and done["loser"] == (i % 2 == 1)
        outcomes.add((done["winner"], done["loser"]))
        assert _rows_without_file(db) == [], f"round {i}"
    assert outcomes == {(True, True), (True, False)}
    assert len(EvidenceStore(db.data_dir).stored_files()) == 100


def test_emptying_the_bin_while_the_same_file_is_attached_again(db: Database, seeded: dict[str, int],
                                                                tmp_path: Path) -> None:
    for i in range(40):
        src = tmp_path / f"again-{i}.txt"
        src.write_bytes(f"材料 {i}\n".encode() * 40)
        first = evidence.attach_evidence(db, src, [seeded["p1"]])
        [row] = [r for r in evidence.list_evidence(db, seeded["p1"]) if r.sha256 == first.sha256]
        evidence.remove_evidence(db, row.link_id)
        barrier = threading.Barrier(2)

        def attach(src: Path = src, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            evidence.attach_evidence(db, src, [seeded["p2"]])

        def empty(barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            evidence.empty_recycle_bin(db)

        threads = [threading.Thread(target=attach), threading.Thread(target=empty)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert _rows_without_file(db) == [], f"round {i}"
        assert [r.sha256 for r in evidence.list_evidence(db, seeded["p2"]) if r.sha256 == first.sha256]


# -- paths from the database are never followed --------------------------------------------------------
@pytest.fixture
def planted(db: Database, seeded: dict[str, int], tmp_path: Path) -> tuple[int, Path]:
    """An evidence row whose stored path leads out of the data folder, in the recycle bin."""
    victim = tmp_path / "victim.txt"
    victim.write_text("数据文件夹外的文件", encoding="utf-8")
    res = evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    with db.engine.begin() as conn:  # behind the program's back, on either engine
        conn.execute(text("update evidence set stored_path = '../victim.txt' where id = :id"), {"id": res.evidence_id})
    return res.evidence_id, victim


@pytest.mark.parametrize("stored", ["../victim.txt", "/etc/passwd", "evidence/ab/../../victim.txt",
                                    "evidence\\ab\\x", "evidence/ab/" + "a" * 64, "evidence/" + "a" * 64, ""])
def test_the_resolver_refuses_every_path_that_is_not_a_stored_file(db: Database, stored: str) -> None:
    with pytest.raises(UnsafeStoredPath, match="不在佐证材料库内"):
        EvidenceStore(db.data_dir).path_of(stored)
    with pytest.raises(EvidenceError):
        evidence.evidence_path(db, stored)


def test_a_symbolic_link_in_the_store_is_not_followed_outside(db: Database, tmp_path: Path) -> None:
    sha = "ab" * 32
    target = EvidenceStore(db.data_dir).root / sha[:2] / sha
    target.parent.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("x")
    target.symlink_to(tmp_path / "secret.txt")
    with pytest.raises(UnsafeStoredPath):
        EvidenceStore(db.data_dir).path_of(f"evidence/{sha[:2]}/{sha}")


def test_a_planted_path_is_an_error_at_every_use(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                 planted: tuple[int, Path]) -> None:
    """Item 2: restored, then emptied from the recycle bin, it deleted a file outside the data folder."""
    evidence_id, victim = planted
    outside = tree(tmp_path, skip=("ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm", "xuncha-ledger.log"))
    [row] = evidence.list_evidence(db, seeded["p1"])
    with pytest.raises(EvidenceError, match="不在佐证材料库内"):  # the viewer and "open" go through this
        evidence.evidence_path(db, row.stored_path)
    from app.exporting.service import export

    with pytest.raises(LedgerError, match="不在佐证材料库内"):  # the evidence volume
        export(db, "evidence", seeded["round"], "pdf", tmp_path / "volume.pdf")
    report = evidence.check_store(db)  # the check reports it, and does not read it
    assert [u[0] for u in report.unsafe] == [evidence_id] and not report.ok
    assert "不安全" in "\n".join(report.lines())
    evidence.remove_evidence(db, row.link_id)  # the recycle bin
    evidence.empty_recycle_bin(db)
    assert victim.read_text(encoding="utf-8") == "数据文件夹外的文件"
    assert tree(tmp_path, skip=("ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm", "xuncha-ledger.log",
                                "volume.pdf")) == outside


# -- strays are not damage ------------------------------------------------------------------------------
def test_a_stray_file_is_not_damage_and_no_restore_is_advised(db: Database, seeded: dict[str, int],
                                                                tmp_path: Path) -> None:
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    stray = db.data_dir / "evidence" / "00" / ("0" * 64)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left from an older ledger")
    report = evidence.check_store(db)
    text = "\n".join(report.lines())
    assert report.ok and report.orphans and "恢复" not in text and "不影响使用" in text


def test_damage_still_reported_with_care(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    res = evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    EvidenceStore(db.data_dir).path_of(EvidenceStore.relative_for(res.sha256)).unlink()
    report = evidence.check_store(db)
    assert not report.ok and "备份之后的修改会被替换" in "\n".join(report.lines())


def test_leftovers_of_a_killed_attach_are_cleaned_at_the_next_open(tmp_path: Path) -> None:
    db = open_database(tmp_path / "ledger.sqlite")
    db.close()
    incoming = tmp_path / "evidence" / "tmp"
    incoming.mkdir(parents=True)
    dead = incoming / "incoming-999999-abc"           # a process id that is not running
    mine = incoming / f"incoming-{os.getpid()}-abc"   # this process: may be a copy in progress
    dead.write_bytes(b"half a scan")
    mine.write_bytes(b"a copy in progress")
    staging = tmp_path / "restore-999999-xyz"
    (staging / "evidence").mkdir(parents=True)
    with open_database(tmp_path / "ledger.sqlite") as again:
        assert evidence.check_store(again).ok and not evidence.check_store(again).orphans
    assert not dead.exists() and mine.exists() and not staging.exists()


def test_an_idempotent_store(db: Database, tmp_path: Path) -> None:
    src = tmp_path / "same.txt"
    src.write_bytes(b"same content")
    store = EvidenceStore(db.data_dir)
    first, second = store.put(src), store.put(src)
    assert first.relative_path == second.relative_path and first.newly_stored and not second.newly_stored
    assert file_sha256(store.path_of(first.relative_path)) == first.sha256
    assert list((store.root / "tmp").iterdir()) == []
