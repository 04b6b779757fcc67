"""Storing an import: a tree of any depth with its numbering scheme, the stated counts, and 追加到 that keeps
the facts, parts and figures (fills what the round lacks, replaces only what the clerk accepts)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.importing.commit import commit_notice
from app.importing.ledger_xlsx import commit_ledger, read_ledger
from app.importing.merge import fact_changes, round_is_empty
from app.importing.parser import parse_notice
from app.numbering_scheme import NumberingScheme, NumberStyle
from app.services import categories, dashboard, problems, rounds
from db.models import RoundFigures, Unit
from db.session import Database
from tests.app import notice_texts as T
from tests.conftest import SAMPLES


def test_three_levels_stored_with_scheme_and_stated_counts(db: Database) -> None:
    text, e = T.three_levels(2)
    rid = commit_notice(db, parse_notice(text))
    cats = categories.list_categories(db, rid)
    assert [(c.level, c.text) for c in cats] == e.tree
    rows = problems.list_problems(db, rid)
    assert [r.text for r in rows] == [t for _n, t in e.problems]
    assert all(len(r.category_path) == 2 for r in rows)
    scheme = NumberingScheme.from_json(rounds.get_round(db, rid).numbering)
    assert (scheme.categories, scheme.problems, scheme.problems_across) == (
        (NumberStyle.CN_PAREN, NumberStyle.AR_DOT), NumberStyle.AR_HALF_PAREN, True)
    assert scheme.extra["narrative_label"] == "整改情况"
    with db.reading() as s:
        assert s.get(RoundFigures, rid).stated_problems == len(e.problems)   # type: ignore[union-attr]
    summary = dashboard.round_summary(db, rid)
    assert summary.categories_by_depth == (3, 7) and (summary.aspects, summary.items) == (3, 7)
    by_item = dashboard.status_by_category(db, rid, depth=2)
    assert len(by_item) == 7 and sum(sum(c.values()) for _n, c in by_item) == len(e.problems)
    assert by_item[0][0].startswith("贯彻落实党的路线方针政策和党中央决策部署方面 › ")


def test_no_made_up_unit_category_or_date(db: Database) -> None:
    text = "\n".join(["关于巡察整改情况的通报", "根据区委统一部署，2023年3月1日至4月30日，区委第一巡察组进行了巡察。",
                      "二、整改情况", "（一）", "1.问题甲。", "整改情况：已整改。"])
    n = parse_notice(text)
    assert n.facts.signature == "" and n.facts.sign_date is None
    assert [c.text for c in n.categories] == [""] and [p.text for p in n.all_problems()] == ["问题甲。"]
    assert [w.line for w in n.warnings if "只有序号" in w.message] == [4]
    rid = commit_notice(db, n)
    with db.reading() as s:
        names = [u.name for u in s.scalars(select(Unit))]
    assert all("未命名" not in x for x in names)
    settings = rounds.get_notice_settings(db, rid)
    assert settings.signature == "" and settings.sign_date is None


def test_any_depth_in_the_category_service(db: Database, seeded: dict[str, int]) -> None:
    third = categories.add_category(db, seeded["round"], "第三级分类", parent_id=seeded["item"])
    fourth = categories.add_category(db, seeded["round"], "第四级分类", parent_id=third.id)
    assert (third.level, fourth.level) == (3, 4)
    with pytest.raises(ValidationError, match="下级分类"):
        categories.move_category(db, seeded["aspect"], fourth.id, 0)      # never under its own descendant
    with pytest.raises(ValidationError, match="下级分类"):
        categories.merge_categories(db, seeded["item"], fourth.id)
    categories.move_category(db, third.id, None, 5)                      # a subtree moves up whole
    rows = categories.list_categories(db, seeded["round"])
    assert [(c.text, c.level) for c in rows] == [("政治建设方面", 1), ("理论学习不深入", 2), ("第三级分类", 1),
                                                 ("第四级分类", 2)]
    categories.merge_categories(db, third.id, seeded["item"])           # a merge carries sub-categories along
    assert [(c.text, c.level) for c in categories.list_categories(db, seeded["round"])] == [
        ("政治建设方面", 1), ("理论学习不深入", 2), ("第四级分类", 3)]
    assert dashboard.round_summary(db, seeded["round"]).categories_by_depth == (1, 1, 1)


def test_into_an_existing_round_fills_what_it_lacks_and_lists_what_it_would_replace(
        db: Database, seeded: dict[str, int]) -> None:
    rid = seeded["round"]
    rounds.update_notice_settings(db, rid, part_three="三、我们自己写的下一步打算")
    parsed = parse_notice((SAMPLES / "panlongcheng_2022.txt").read_text(encoding="utf-8"))
    changes = {c.key: c for c in fact_changes(db, rid, parsed)}
    assert changes["part_one"].action == "fill" and changes["clues_transferred"].action == "fill"
    assert changes["title"].action == "fill"            # the title the program generated is no clerk's text
    assert changes["part_three"].action == "replace" and changes["part_three"].current == "三、我们自己写的下一步打算"
    assert changes["inspection_start"].action == "replace"   # the round says 2024-03-01, the notice 2021-03-26
    assert changes["contact_phone"].action == "fill" and changes["numbering"].action == "fill"
    commit_notice(db, parsed, round_id=rid, replace_facts=["inspection_start"])
    settings = rounds.get_notice_settings(db, rid)
    assert settings.part_one.startswith("一、主要做法") and settings.part_three == "三、我们自己写的下一步打算"
    assert settings.sign_date == dt.date(2022, 3, 29) and settings.title == parsed.facts.title
    r = rounds.get_round(db, rid)
    assert r.inspection_start == dt.date(2021, 3, 26) and r.inspection_end == dt.date(2024, 4, 30)  # not accepted
    assert NumberingScheme.from_json(r.numbering).problems == NumberStyle.PROBLEM_CN
    figures = rounds.get_figures(db, rid)
    assert (figures.clues_transferred, figures.recovered_since) == (6, Decimal("27.493"))
    assert rounds.get_unit(db, seeded["unit"]).contact_phone == "027-61870001"
    assert len(problems.list_problems(db, rid)) == 3 + 23
    again = {c.key: c.action for c in fact_changes(db, rid, parsed)}
    assert "part_one" not in again and again["part_three"] == "replace"   # filled once, nothing left to fill


def test_replace_all_and_the_empty_round_test(db: Database, seeded: dict[str, int]) -> None:
    unit = rounds.create_unit(db, "某局", signature="中共某局党组")
    fresh = rounds.create_round(db, unit.id, "新建的轮次")
    assert round_is_empty(db, fresh.id) and not round_is_empty(db, seeded["round"])
    parsed = parse_notice((SAMPLES / "shizhong_2022.txt").read_text(encoding="utf-8"))
    commit_notice(db, parsed, round_id=fresh.id, replace_facts=["all"])
    r = rounds.get_round(db, fresh.id)
    assert (r.kind, r.index_no, r.inspection_group) == ("巡察“回头看”", "370402/2022-00150", "区委第五巡察组")
    assert rounds.get_notice_settings(db, fresh.id).signature == "中共市中区行政审批服务局党组"


def test_ledger_with_category_columns_of_three_levels(db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "方面", "项", "三级分类", "问题", "整改措施", "责任部门", "完成时限"])
    ws.append([1, "政治建设方面", "理论学习", "中心组学习", "学习计划性不强", "制定计划", "办公室", "2024年6月30日"])
    ws.append([2, "政治建设方面", "理论学习", "中心组学习", "研讨不深入", "开展研讨", "办公室", "2024年6月30日"])
    ws.append([3, "政治建设方面", "意识形态", "", "阵地管理不严", "排查阵地", "宣传科", "长期坚持"])
    ws.append([4, "从严治党方面", "", "", "主体责任不实", "签订责任书", "党办", "2024年9月30日"])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    ledger = read_ledger(path)
    assert [r.category_path for r in ledger.rows] == [
        ["政治建设方面", "理论学习", "中心组学习"], ["政治建设方面", "理论学习", "中心组学习"], ["政治建设方面", "意识形态"],
        ["从严治党方面"]]
    rid = commit_ledger(db, ledger)
    assert [(c.level, c.text) for c in categories.list_categories(db, rid)] == [
        (1, "政治建设方面"), (2, "理论学习"), (3, "中心组学习"), (2, "意识形态"), (1, "从严治党方面")]
    assert [r.category_path for r in problems.list_problems(db, rid)][2] == ("政治建设方面", "意识形态")
