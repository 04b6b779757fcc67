"""Use cases on a real SQLite file: every entity, the rules, derived numbers and figures."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.dto import Warning
from app.errors import NotFound, RuleViolation, ValidationError
from app.services import categories, dashboard, evidence, measures, problems, registry, rounds, status
from db.models import Status
from db.session import Database
from tests.conftest import TODAY, make_pdf


def numbers(db: Database, round_id: int) -> list[tuple[int, str]]:
    return [(p.number, p.text) for p in problems.list_problems(db, round_id, TODAY)]


# -- units and rounds ---------------------------------------------------------------
def test_round_defaults_and_generated_opening(db: Database, seeded: dict[str, int]) -> None:
    r = rounds.get_round(db, seeded["round"])
    assert (r.warn_yellow_days, r.warn_red_days, r.kind, r.layout_style) == (20, 10, "常规巡察", "A")
    n = rounds.get_notice_settings(db, r.id)
    assert n.title == "中共某区行政审批服务局党组关于区委第三巡察组巡察反馈意见整改情况的通报"
    assert n.opening.startswith("根据区委统一部署，2024年3月1日至4月30日，区委第三巡察组对中共某区行政审批服务局党组进行了巡察。")
    assert "2024年5月10日，区委第三巡察组向中共某区行政审批服务局党组反馈了巡察意见。" in n.opening
    assert n.signature == "中共某区行政审批服务局党组"


def test_look_back_round_links_to_earlier_problems(db: Database, seeded: dict[str, int]) -> None:
    later = rounds.create_round(db, seeded["unit"], "回头看", kind="巡察“回头看”", earlier_round_id=seeded["round"])
    assert "巡察“回头看”" in rounds.get_notice_settings(db, later.id).title
    p = problems.create_problem(db, later.id, "整改不彻底。")
    problems.update_problem(db, p, earlier_problem_id=seeded["p1"])
    assert problems.get_problem(db, p).earlier_problem_id == seeded["p1"]
    other = rounds.create_round(db, seeded["unit"], "无关轮次")
    q = problems.create_problem(db, other.id, "别的问题。")
    with pytest.raises(ValidationError):
        problems.update_problem(db, p, earlier_problem_id=q)
    with pytest.raises(RuleViolation):
        rounds.delete_round(db, seeded["round"])


def test_round_validation(db: Database, seeded: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="结束日期早于开始日期"):
        rounds.update_round(db, seeded["round"], inspection_end=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="红色预警"):
        rounds.update_round(db, seeded["round"], warn_red_days=30)
    with pytest.raises(ValidationError, match="不能为空"):
        rounds.create_round(db, seeded["unit"], "   ")
    with pytest.raises(ValidationError, match="无效"):
        rounds.update_round(db, seeded["round"], feedback_date="下周")
    assert rounds.get_round(db, seeded["round"]).inspection_end == dt.date(2024, 4, 30)  # nothing half-written


def test_unit_contact_block_and_redactions(db: Database, seeded: dict[str, int]) -> None:
    u = rounds.update_unit(db, seeded["unit"], contact_phone="0531-86000000", contact_postcode="250000",
                           contact_email="a@b.cn", contact_address="某路1号")
    assert (u.contact_phone, u.contact_postcode) == ("0531-86000000", "250000")
    assert rounds.set_redactions(db, seeded["round"], {"张三": "张某", "阳光项目": "某项目"}) == {
        "张三": "张某", "阳光项目": "某项目"}


def test_delete_round_removes_its_rows(db: Database, seeded: dict[str, int]) -> None:
    rounds.delete_round(db, seeded["round"])
    assert rounds.list_rounds(db) == []
    with db.engine.connect() as conn:
        assert conn.execute(text("select count(*) from problem")).scalar() == 0
        assert conn.execute(text("select count(*) from category")).scalar() == 0


# -- categories and numbering ----------------------------------------------------------
def test_numbering_is_derived_from_the_tree(db: Database, seeded: dict[str, int]) -> None:
    assert numbers(db, seeded["round"]) == [(1, "制度不健全。"), (2, "学习计划性不强。"), (3, "研讨不深入。")]
    problems.move_problem(db, seeded["p2"], seeded["item"], 0)
    assert numbers(db, seeded["round"])[1:] == [(2, "研讨不深入。"), (3, "学习计划性不强。")]
    rows = problems.list_problems(db, seeded["round"], TODAY)
    assert rows[1].category_path == ("政治建设方面", "理论学习不深入")
    assert [r.number_in_category for r in rows] == [1, 1, 2]


def test_category_tree_edits(db: Database, seeded: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="下级分类"):  # any depth, but never under itself
        categories.move_category(db, seeded["aspect"], seeded["item"], 0)
    second = categories.add_category(db, seeded["round"], "作风建设方面")
    first_again = categories.add_category(db, seeded["round"], "组织建设方面", index=0)
    assert [c.text for c in categories.list_categories(db, seeded["round"])] == [
        "组织建设方面", "政治建设方面", "理论学习不深入", "作风建设方面"]
    categories.rename_category(db, second.id, "作风纪律方面")
    categories.move_category(db, first_again.id, None, 5)
    rows = categories.list_categories(db, seeded["round"])
    assert [(c.text, c.level, c.number) for c in rows] == [
        ("政治建设方面", 1, 1), ("理论学习不深入", 2, 1), ("作风纪律方面", 1, 2), ("组织建设方面", 1, 3)]
    with pytest.raises(RuleViolation, match="还有问题"):
        categories.delete_category(db, seeded["item"])
    categories.delete_category(db, first_again.id)
    assert len(categories.list_categories(db, seeded["round"])) == 3


def test_merge_categories_moves_problems_after_the_targets(db: Database, seeded: dict[str, int]) -> None:
    other = categories.add_category(db, seeded["round"], "作风建设方面")
    p4 = problems.create_problem(db, seeded["round"], "作风不实。", category_id=other.id)
    categories.merge_categories(db, other.id, seeded["aspect"])
    assert [c.text for c in categories.list_categories(db, seeded["round"])] == ["政治建设方面", "理论学习不深入"]
    assert [t for _n, t in numbers(db, seeded["round"])][:2] == ["制度不健全。", "作风不实。"]
    assert problems.get_problem(db, p4).category_id == seeded["aspect"]


# -- problems and measures -----------------------------------------------------------------
def test_problem_fields_and_validation(db: Database, seeded: dict[str, int]) -> None:
    problems.update_problem(db, seeded["p1"], narrative="一是……\n二是……", progress_line="已完成整改。",
                            internal_notes="内部", sensitive=True, immediate=True, persons="张三、李四",
                            deadline="2024.7.31")
    p = problems.get_problem(db, seeded["p1"], TODAY)
    assert (p.narrative, p.deadline, p.sensitive, p.immediate) == ("一是……\n二是……", dt.date(2024, 7, 31), True, True)
    with pytest.raises(ValidationError):
        problems.update_problem(db, seeded["p1"], text="  ")
    with pytest.raises(ValidationError, match="更改状态"):
        problems.update_problem(db, seeded["p1"], status="已完成")
    with pytest.raises(NotFound):
        problems.update_problem(db, 9999, text="x")
    problems.delete_problem(db, seeded["p3"])
    assert [n for n, _t in numbers(db, seeded["round"])] == [1, 2]


def test_measures_count_and_order(db: Database, seeded: dict[str, int]) -> None:
    m1 = measures.add_measure(db, seeded["p1"], "制定学习计划", owner="办公室", deadline=dt.date(2024, 6, 30))
    m2 = measures.add_measure(db, seeded["p1"], "开展专题研讨")
    measures.add_measure(db, seeded["p2"], "建立制度")
    measures.move_measure(db, m2, 0)
    assert [m.text for m in measures.list_measures(db, seeded["p1"])] == ["开展专题研讨", "制定学习计划"]
    row = measures.update_measure(db, m1, status="已完成")
    assert row.completed_on == dt.date.today() and row.number == 2
    assert measures.update_measure(db, m1, status="整改中").completed_on is None
    assert dashboard.round_summary(db, seeded["round"], TODAY).measures == 3
    measures.delete_measure(db, m2)
    assert dashboard.round_summary(db, seeded["round"], TODAY).measures == 2


def test_progress_log_newest_first(db: Database, seeded: dict[str, int]) -> None:
    measures.log_progress(db, seeded["p1"], "召开专题会", entry_date=dt.date(2024, 5, 20), author="陈")
    e2 = measures.log_progress(db, seeded["p1"], "印发方案", entry_date=dt.date(2024, 6, 1), author="陈")
    assert [e.note for e in measures.list_progress(db, seeded["p1"])] == ["印发方案", "召开专题会"]
    measures.update_progress(db, e2, "印发整改方案")
    measures.delete_progress(db, e2)
    assert [e.note for e in measures.list_progress(db, seeded["p1"])] == ["召开专题会"]


# -- status rules, review, extension -------------------------------------------------------------
def test_done_needs_evidence_or_a_logged_reason(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    with pytest.raises(RuleViolation, match="佐证材料"):
        status.change_status(db, seeded["p1"], Status.DONE)
    assert problems.get_problem(db, seeded["p1"]).status == Status.NOT_STARTED
    assert status.change_status(db, seeded["p2"], Status.DONE, override_reason="会议纪要涉密，线下核验") \
        == Status.PENDING_REVIEW
    assert "线下核验" in measures.list_progress(db, seeded["p2"])[0].note
    evidence.attach_evidence(db, make_pdf(tmp_path / "plan.pdf"), [seeded["p1"]])
    assert status.change_status(db, seeded["p1"], Status.DONE) == Status.PENDING_REVIEW
    with pytest.raises(RuleViolation, match="审核中"):
        status.change_status(db, seeded["p1"], Status.IN_PROGRESS)
    assert status.approve_review(db, seeded["p1"], "王主任") == Status.DONE


def test_review_return_and_long_term(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    status.change_status(db, seeded["p1"], Status.DONE)
    status.return_review(db, seeded["p1"], "王主任", "请补充会议纪要")
    assert problems.get_problem(db, seeded["p1"]).status == Status.IN_PROGRESS
    status.change_status(db, seeded["p1"], Status.LONG_TERM)
    with pytest.raises(ValidationError, match="下次复查日期"):
        status.approve_review(db, seeded["p1"], "王主任")
    status.approve_review(db, seeded["p1"], "王主任", next_review_date=dt.date(2024, 12, 31))
    p = problems.get_problem(db, seeded["p1"])
    assert (p.status, p.next_review_date, p.long_term) == (Status.LONG_TERM, dt.date(2024, 12, 31), True)
    reviews = status.list_reviews(db, seeded["p1"])
    assert [(r.outcome, r.requirements) for r in reviews] == [("已退回", "请补充会议纪要"), ("已销号", "")]


def test_withdraw_review_is_the_undo_of_mark_done(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    status.change_status(db, seeded["p1"], Status.DONE)
    status.withdraw_review(db, seeded["p1"])
    assert problems.get_problem(db, seeded["p1"]).status == Status.IN_PROGRESS
    assert status.list_reviews(db, seeded["p1"]) == []


def test_extension_keeps_original_and_approved_counts(db: Database, seeded: dict[str, int]) -> None:
    ext = status.request_extension(db, seeded["p1"], dt.date(2024, 7, 31), "需等待上级批复")
    assert problems.get_problem(db, seeded["p1"], TODAY).effective_deadline == dt.date(2024, 6, 5)
    with pytest.raises(RuleViolation, match="待审批"):
        status.request_extension(db, seeded["p1"], dt.date(2024, 8, 31), "再延")
    status.decide_extension(db, ext, True, "王局长")
    p = problems.get_problem(db, seeded["p1"], TODAY)
    assert (p.deadline, p.effective_deadline, p.warning) == (dt.date(2024, 6, 5), dt.date(2024, 7, 31), Warning.GREEN)
    with pytest.raises(RuleViolation):
        status.decide_extension(db, ext, False, "王局长")
    ext2 = status.request_extension(db, seeded["p2"], dt.date(2024, 9, 1), "理由")
    status.decide_extension(db, ext2, False, "王局长")
    assert problems.get_problem(db, seeded["p2"], TODAY).effective_deadline == dt.date(2024, 6, 15)
    assert [e.decision for e in status.list_extensions(db, seeded["p2"])] == ["未批准"]


# -- warnings and dashboard ---------------------------------------------------------------------
def test_three_colour_warnings(db: Database, seeded: dict[str, int]) -> None:
    rows = {p.id: p for p in problems.list_problems(db, seeded["round"], TODAY)}
    assert (rows[seeded["p1"]].warning, rows[seeded["p1"]].days_left) == (Warning.OVERDUE, -5)
    assert (rows[seeded["p2"]].warning, rows[seeded["p2"]].days_left) == (Warning.RED, 5)
    assert rows[seeded["p3"]].warning == Warning.GREEN
    rounds.update_round(db, seeded["round"], warn_yellow_days=90, warn_red_days=3)
    rows = {p.id: p for p in problems.list_problems(db, seeded["round"], TODAY)}
    assert rows[seeded["p2"]].warning == Warning.YELLOW and rows[seeded["p3"]].warning == Warning.YELLOW
    assert [p.id for p in dashboard.overdue(db, seeded["round"], TODAY)] == [seeded["p1"]]
    assert [p.id for p in dashboard.due_within(db, seeded["round"], 7, TODAY)] == [seeded["p2"]]


def test_summary_figures_come_from_data(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    status.change_status(db, seeded["p3"], Status.IN_PROGRESS)
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    status.change_status(db, seeded["p1"], Status.LONG_TERM)
    status.approve_review(db, seeded["p1"], "王", next_review_date=dt.date(2025, 1, 1))
    registry.add_regulation(db, seeded["round"], "学习制度", "新制定", problem_ids=[seeded["p1"], seeded["p2"]])
    registry.add_regulation(db, seeded["round"], "财务制度", "修订完善")
    rounds.update_figures(db, seeded["round"], clues_transferred=6, clues_closed=3, clues_in_progress=3,
                          cases_filed=7, disciplined=5, other_handled=7, recovered_during="2.3",
                          recovered_since="27.493")
    s = dashboard.round_summary(db, seeded["round"], TODAY)
    assert (s.aspects, s.items, s.problems, s.done, s.long_term, s.in_progress, s.not_started) == (1, 1, 3, 1, 1, 1, 1)
    assert (s.regulations_new, s.regulations_revised, s.overdue, s.due_this_week) == (1, 1, 0, 1)
    assert s.figures.recovered_since == Decimal("27.493") and s.figures.cases_filed == 7
    assert s.days_left_in_period == 61
    with pytest.raises(ValidationError, match="不能多于"):
        rounds.update_figures(db, seeded["round"], clues_closed=9)
    regs = registry.list_regulations(db, seeded["round"])
    assert regs[0].problem_ids == tuple(sorted((seeded["p1"], seeded["p2"])))


def test_progress_by_department_and_leader(db: Database, seeded: dict[str, int]) -> None:
    by_dept = {g.name: g for g in dashboard.progress_by_department(db, seeded["round"], TODAY)}
    assert (by_dept["办公室"].total, by_dept["办公室"].overdue) == (2, 1)
    assert by_dept["审批科"].total == 2
    by_leader = {g.name: g.total for g in dashboard.progress_by_leader(db, seeded["round"], TODAY)}
    assert by_leader == {"王局长": 1, "李副局长": 2}
    chart = dict(dashboard.status_by_category(db, seeded["round"]))
    assert chart["政治建设方面"][Status.NOT_STARTED] == 3


# -- directory and audit -------------------------------------------------------------------------
def test_directory_of_people(db: Database) -> None:
    d = registry.add_department(db, "办公室")
    with pytest.raises(ValidationError, match="已经存在"):
        registry.add_department(db, "办公室")
    registry.add_person(db, "王建国", "局长", d, is_leader=True)
    registry.add_person(db, "陈静", "主任", d)
    assert [p[1] for p in registry.list_people(db, leaders_only=True)] == ["王建国"]
    assert registry.list_departments(db) == [(d, "办公室")]


def test_audit_log_records_every_change_and_is_read_only(db: Database, seeded: dict[str, int]) -> None:
    problems.update_problem(db, seeded["p1"], departments="人事科")
    problems.delete_problem(db, seeded["p3"])
    problems.purge_problems(db, [seeded["p3"]])
    entries = registry.read_audit(db, entity="problem")
    change = next(e for e in entries if e.action == "修改" and e.field == "departments")
    assert (change.old_value, change.new_value, change.entity_id) == ("办公室", "人事科", str(seeded["p1"]))
    assert change.user == "未署名"  # no clerk's name kept yet; never the login name
    assert any(e.action == "修改" and e.field == "deleted_at" and e.entity_id == str(seeded["p3"]) for e in entries)
    assert any(e.action == "删除" and e.entity_id == str(seeded["p3"]) for e in entries)
    assert any(e.action == "新建" and e.entity_id == str(seeded["p2"]) for e in entries)
    # The migration's triggers (one definition per dialect) refuse edits even in plain SQL.
    for sql in ("update audit_log set new_value='x'", "delete from audit_log"):
        with pytest.raises(DBAPIError, match="read-only"), db.engine.begin() as conn:
            conn.execute(text(sql))
    assert len(registry.read_audit(db, entity="problem")) == len(entries)


def test_failed_service_writes_nothing(db: Database, seeded: dict[str, int]) -> None:
    before = len(registry.read_audit(db))
    with pytest.raises(ValidationError):
        problems.create_problem(db, seeded["round"], "新问题", deadline="不是日期")
    assert len(problems.list_problems(db, seeded["round"])) == 3
    assert len(registry.read_audit(db)) == before


def test_foreign_keys_are_enforced(db: Database, seeded: dict[str, int]) -> None:
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(text("insert into measure(problem_id, position, text, owner, status) "
                          "values (9999, 0, 'x', '', '未启动')"))
