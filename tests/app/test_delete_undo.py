"""Deleting softly and putting back whole; purges and cascades in the audit log; the batch services undo uses."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from app import local_settings
from app.errors import NotFound, RuleViolation, ValidationError
from app.services import categories, dashboard, evidence, measures, problems, registry, rounds, status
from app.services.snapshot import read_snapshot
from db.models import Status
from db.session import Database
from tests.conftest import TODAY, make_pdf


def _table(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _everything_of(db: Database, pid: int) -> dict[str, list[tuple[object, ...]]]:
    """Every row that belongs to a problem, as stored."""
    return {t: _table(db, f"select * from {t} where problem_id = {pid} order by 1, 2")
            for t in ("measure", "progress_entry", "evidence_link", "extension", "review", "regulation_link")}


@pytest.fixture
def pending_with_extension(db: Database, seeded: dict[str, int], tmp_path: Path) -> int:
    """Issue 10 item 3: a problem 待销号 with an approved extension, a measure that progress and evidence name."""
    pid = seeded["p2"]
    m1 = measures.add_measure(db, pid, "制定学习计划")
    m2 = measures.add_measure(db, pid, "开展专题研讨", owner="李四")
    measures.log_progress(db, pid, "计划已印发", dt.date(2024, 6, 1), measure_id=m1)
    evidence.attach_evidence(db, make_pdf(tmp_path / "计划.pdf"), [pid], measure_id=m1)
    evidence.attach_evidence(db, make_pdf(tmp_path / "纪要.pdf", text="minutes"), [pid], measure_id=m2)
    ext = status.request_extension(db, pid, dt.date(2024, 7, 31), "需要等上级文件")
    status.decide_extension(db, ext, True, "王局长")
    registry.add_regulation(db, seeded["round"], "学习制度", problem_ids=[pid, seeded["p1"]])
    status.change_status(db, pid, Status.DONE)
    assert problems.get_problem(db, pid).status == Status.PENDING_REVIEW
    return pid


def test_delete_then_restore_brings_back_every_row(db: Database, seeded: dict[str, int],
                                                  pending_with_extension: int) -> None:
    pid, rid = pending_with_extension, seeded["round"]
    before = _everything_of(db, pid)
    numbers = [(r.id, r.number) for r in problems.list_problems(db, rid)]

    problems.delete_problems(db, [pid])
    assert pid not in [r.id for r in problems.list_problems(db, rid)]
    assert [r.number for r in problems.list_problems(db, rid)] == [1, 2]
    snap = read_snapshot(db, rid, TODAY)
    assert pid not in [p.id for p in snap.problems]
    assert all(pid not in reg.problem_ids for reg in snap.regulations)
    assert dashboard.round_summary(db, rid, TODAY).measures == 0
    assert [d.id for d in problems.deleted_problems(db)] == [pid]
    with pytest.raises(NotFound):
        problems.update_problem(db, pid, title="改")
    with pytest.raises(NotFound):
        status.approve_review(db, pid, "王局长")

    problems.restore_problems(db, [pid])
    assert _everything_of(db, pid) == before
    assert [(r.id, r.number) for r in problems.list_problems(db, rid)] == numbers
    row = problems.get_problem(db, pid)
    assert row.status == Status.PENDING_REVIEW and row.effective_deadline == dt.date(2024, 7, 31)
    assert status.approve_review(db, pid, "王局长") == Status.DONE  # no dead end
    assert problems.deleted_problems(db) == []


def test_purge_audits_every_row_the_cascade_removes(db: Database, seeded: dict[str, int],
                                                    pending_with_extension: int) -> None:
    pid = pending_with_extension
    doomed = {t: len(rows) for t, rows in _everything_of(db, pid).items()}
    assert all(doomed.values())
    problems.delete_problems(db, [pid])
    with pytest.raises(RuleViolation):
        problems.purge_problems(db, [seeded["p1"]])  # not in the bin
    problems.purge_problems(db, [pid])
    assert all(not rows for rows in _everything_of(db, pid).values())
    audit = registry.read_audit(db, limit=10000)
    for table, count in doomed.items():
        gone = [a for a in audit if a.entity == table and a.action == "删除"]
        assert len(gone) == count, table
        assert all(json.loads(a.old_value or "{}")["problem_id"] == str(pid) for a in gone)
    assert any(a.entity == "problem" and a.action == "删除" and a.entity_id == str(pid) for a in audit)


def test_round_delete_audits_each_child_row(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    rid = seeded["round"]
    measures.add_measure(db, seeded["p1"], "措施")
    measures.log_progress(db, seeded["p1"], "进展")
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    rounds.update_figures(db, rid, disciplined=2)
    rounds.update_notice_settings(db, rid, part_one="一、基本情况")
    rounds.set_redactions(db, rid, {"张三": "张某"})
    registry.add_regulation(db, rid, "学习制度", problem_ids=[seeded["p1"]])
    status.request_extension(db, seeded["p2"], dt.date(2024, 12, 1), "等文件")
    status.change_status(db, seeded["p3"], Status.DONE, override_reason="已整改")
    tables = ("problem", "category", "measure", "progress_entry", "evidence_link", "notice_settings",
              "round_figures", "regulation", "regulation_link", "extension", "review", "redaction_term")
    counts = {t: _table(db, f"select count(*) from {t}")[0][0] for t in tables}
    rounds.delete_round(db, rid)
    audit = registry.read_audit(db, limit=10000)
    assert all(counts.values())
    for t in tables:
        assert _table(db, f"select count(*) from {t}")[0][0] == 0
        assert len([a for a in audit if a.entity == t and a.action == "删除"]) == counts[t], t


def test_category_delete_purges_its_deleted_problems(db: Database, seeded: dict[str, int]) -> None:
    with pytest.raises(RuleViolation, match="还有问题"):
        categories.delete_category(db, seeded["item"])
    problems.delete_problems(db, [seeded["p1"], seeded["p2"]])
    categories.delete_category(db, seeded["item"])
    assert problems.deleted_problems(db) == []
    gone = {a.entity_id for a in registry.read_audit(db, entity="problem") if a.action == "删除"}
    assert gone == {str(seeded["p1"]), str(seeded["p2"])}


def test_measure_delete_restore_and_purge(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    pid = seeded["p1"]
    a, b, c = (measures.add_measure(db, pid, t) for t in ("甲", "乙", "丙"))
    note = measures.log_progress(db, pid, "乙已完成", measure_id=b)
    evidence.attach_evidence(db, make_pdf(tmp_path / "乙.pdf"), [pid], measure_id=b)
    measures.delete_measure(db, b)
    assert [(m.number, m.text) for m in measures.list_measures(db, pid)] == [(1, "甲"), (2, "丙")]
    measures.move_measure(db, c, 0)
    measures.restore_measure(db, b)
    assert [m.text for m in measures.list_measures(db, pid)] == ["丙", "甲", "乙"]
    measures.delete_measure(db, b)
    assert [d.id for d in measures.deleted_measures(db)] == [b]
    measures.purge_measures(db, [b])
    assert [m.id for m in measures.list_measures(db, pid)] == [c, a]
    # What named the measure stays with the problem, as the clerk saw it after the delete.
    assert [(e.id, e.measure_id) for e in measures.list_progress(db, pid)] == [(note, None)]
    assert [(e.original_name, e.measure_id) for e in evidence.list_evidence(db, pid)] == [("乙.pdf", None)]
    assert any(x.entity == "measure" and x.action == "删除" for x in registry.read_audit(db, entity="measure"))


def test_move_problems_in_one_go_and_back(db: Database, seeded: dict[str, int]) -> None:
    rid = seeded["round"]
    def order() -> list[tuple[int, int | None]]:
        return [(r.id, r.category_id) for r in problems.list_problems(db, rid)]
    start = order()
    before = problems.move_problems(db, [seeded["p1"], seeded["p2"]], seeded["aspect"], 0)
    assert order() == [(seeded["p1"], seeded["aspect"]), (seeded["p2"], seeded["aspect"]),
                       (seeded["p3"], seeded["aspect"])]
    problems.place_problems(db, before)
    assert order() == start
    # Within one category, dropping before the 3rd shown problem puts it there (the moved one not counted).
    p4 = problems.create_problem(db, rid, "第四个", category_id=seeded["item"])
    problems.move_problems(db, [seeded["p1"]], seeded["item"], 2)
    assert [r.id for r in problems.list_problems(db, rid) if r.category_id == seeded["item"]] == [
        seeded["p2"], seeded["p1"], p4]
    with pytest.raises(ValidationError):
        other = rounds.create_round(db, seeded["unit"], "另一轮")
        problems.move_problems(db, [seeded["p1"]], categories.add_category(db, other.id, "方面").id, 0)


def test_status_change_reverts_whole(db: Database, seeded: dict[str, int]) -> None:
    pid = seeded["p1"]
    change = status.set_status(db, pid, Status.LONG_TERM, override_reason="会议已开，纪要未印发")
    row = problems.get_problem(db, pid)
    assert (row.status, row.long_term) == (Status.PENDING_REVIEW, True)
    assert change.review_id is not None and change.note_id is not None
    status.revert_status(db, change)
    row = problems.get_problem(db, pid)
    assert (row.status, row.long_term) == (Status.NOT_STARTED, False)
    assert status.list_reviews(db, pid) == [] and measures.list_progress(db, pid) == []
    change = status.set_status(db, pid, Status.DONE, override_reason="理由")
    status.return_review(db, pid, "王局长", "补充会议纪要")
    with pytest.raises(RuleViolation):
        status.revert_status(db, change)  # decided since: the return stands
    [note] = [e.note for e in measures.list_progress(db, pid) if "退回" in e.note]
    assert "补充会议纪要" in note and "王局长" in note
    returned = status.last_return(db, pid)
    assert returned is not None and returned.requirements == "补充会议纪要"


def test_attach_files_batch_and_its_undo(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    pid = seeded["p1"]
    good = [make_pdf(tmp_path / f"{n}.pdf", text=n) for n in ("a", "b")]
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    seen: list[tuple[int, int]] = []
    batch = evidence.attach_files(db, [*good, empty], pid, progress=lambda d, t, _n: seen.append((d, t)))
    assert [r.original_name for r in batch.results] == ["a.pdf", "b.pdf"]
    assert [name for name, _msg in batch.refused] == ["空.pdf"] and "空文件" in batch.refused[0][1]
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert len(batch.link_ids) == 2
    evidence.remove_links(db, batch.link_ids)
    assert evidence.list_evidence(db, pid) == []
    evidence.restore_links(db, batch.link_ids)
    assert len(evidence.list_evidence(db, pid)) == 2
    again = evidence.attach_files(db, good, pid)
    assert again.link_ids == () and all(r.already_stored for r in again.results)
    cancelled = evidence.attach_files(db, [make_pdf(tmp_path / "c.pdf", text="c")], pid, cancelled=lambda: True)
    assert cancelled.cancelled and len(evidence.list_evidence(db, pid)) == 2
    assert len(list((db.data_dir / "evidence").glob("??/*"))) == 2


def test_the_clerks_name_signs_notes_and_the_audit_log(db: Database, seeded: dict[str, int]) -> None:
    assert local_settings.clerk_name(db.data_dir) == ""
    with pytest.raises(ValidationError):
        local_settings.set_clerk_name(db.data_dir, "   ")
    assert local_settings.set_clerk_name(db.data_dir, " 张 三 ") == "张 三"
    db.clerk = local_settings.clerk_name(db.data_dir)
    entry = measures.log_progress(db, seeded["p1"], "已召开专题会")
    assert [e.author for e in measures.list_progress(db, seeded["p1"]) if e.id == entry] == ["张 三"]
    assert {a.user for a in registry.read_audit(db, entity="progress_entry")} == {"张 三"}
    assert local_settings.load(db.data_dir)["max_evidence_mb"] == 300  # other settings kept


def test_recycle_bin_tells_each_problems_number_and_category(db: Database, seeded: dict[str, int]) -> None:
    """QA: the recycle bin names the 序号 a deleted problem had and its category, so the clerk knows it."""
    numbers = {p.id: p.number for p in problems.list_problems(db, seeded["round"])}
    before = dict(numbers)
    for minute, key in enumerate(("p1", "p3", "p2")):  # the 2nd of 3, then the 1st of 2, then the only one
        problems.delete_problems(db, [seeded[key]])
        with db.engine.begin() as conn:  # stamps are to the second: these deletions a minute apart
            conn.execute(text("update problem set deleted_at = :at where id = :id"),
                         {"at": dt.datetime(2024, 6, 1, 9, minute), "id": seeded[key]})
    bin_ = {d.id: (d.number, d.category) for d in problems.deleted_problems(db)}
    assert bin_ == {seeded["p1"]: (before[seeded["p1"]], "理论学习不深入"),
                    seeded["p3"]: (before[seeded["p3"]], "政治建设方面"),
                    seeded["p2"]: (1, "理论学习不深入")}
    problems.restore_problems(db, [seeded["p1"], seeded["p2"], seeded["p3"]])
    assert {p.id: p.number for p in problems.list_problems(db, seeded["round"])} == before
