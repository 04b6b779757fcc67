"""The round read once into plain rows, and the numbering scheme every composer formats through."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.numbering_scheme import NumberingScheme, NumberStyle, default_scheme, format_number
from app.services import evidence, measures, rounds, status
from app.services.snapshot import read_snapshot
from db.session import Database
from tests.conftest import TODAY, make_pdf


def test_snapshot_holds_the_tree_and_every_child_row(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    m = measures.add_measure(db, seeded["p1"], "修订学习计划", owner="办公室")
    measures.log_progress(db, seeded["p1"], "已起草", dt.date(2024, 6, 1), measure_id=m)
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"], seeded["p3"]])
    status.request_extension(db, seeded["p2"], dt.date(2024, 7, 1), "需要协调")
    rounds.set_redactions(db, seeded["round"], {"王五": "王某"})
    snap = read_snapshot(db, seeded["round"], TODAY)

    assert [n.row.text for n in snap.walk()] == ["政治建设方面", "理论学习不深入"]
    assert (snap.depth, snap.count_by_depth()) == (2, [1, 1])
    aspect = snap.categories[0]
    assert [p.text for p in aspect.problems] == ["制度不健全。"]
    assert [p.text for p in aspect.children[0].problems] == ["学习计划性不强。", "研讨不深入。"]
    assert [p.text for p in aspect.all_problems()] == ["制度不健全。", "学习计划性不强。", "研讨不深入。"]
    assert snap.loose == [] and len(snap.problems) == 3
    assert [x.text for x in snap.measures[seeded["p1"]]] == ["修订学习计划"]
    assert snap.progress[seeded["p1"]][0].measure_id == m
    assert {p for p, rows in snap.evidence.items() if rows} == {seeded["p1"], seeded["p3"]}
    assert snap.extensions[seeded["p2"]][0].reason == "需要协调"
    assert snap.redactions == {"王五": "王某"}
    assert snap.unit.signature == "中共某区行政审批服务局党组"
    assert "王局长" in snap.person_names() and "李副局长" in snap.person_names()
    assert snap.scheme == default_scheme("A")


def test_a_round_keeps_its_numbering_scheme(db: Database, seeded: dict[str, int]) -> None:
    scheme = NumberingScheme((NumberStyle.CN_PAREN, NumberStyle.AR_DOT), NumberStyle.AR_HALF_PAREN, True)
    rounds.update_round(db, seeded["round"], numbering=scheme.to_json())
    assert read_snapshot(db, seeded["round"], TODAY).scheme == scheme
    with pytest.raises(Exception, match="编号方式"):
        rounds.update_round(db, seeded["round"], numbering="{not json")


@pytest.mark.parametrize("style, n, text", [
    ("一、", 12, "十二、"), ("（一）", 3, "（三）"), ("1.", 7, "7."), ("1)", 37, "37)"), ("（1）", 60, "（60）"),
    ("问题一：", 23, "问题二十三："), ("①", 2, "②"), ("1、", 4, "4、")])
def test_number_styles(style: str, n: int, text: str) -> None:
    assert format_number(style, n) == text


def test_scheme_levels_and_restart_rule() -> None:
    s = NumberingScheme((NumberStyle.CN_PAREN, NumberStyle.AR_DOT), NumberStyle.AR_PAREN, True)
    assert [s.category_prefix(d, 2) for d in (1, 2)] == ["（二）", "2."]
    assert s.category_style(3) not in (NumberStyle.CN_PAREN, NumberStyle.AR_DOT, NumberStyle.AR_PAREN)
    assert s.gbt_restart  # （1） counted across groups would break GB/T 9704's restart rule
    assert not NumberingScheme((NumberStyle.CN_PAREN,), NumberStyle.PROBLEM_CN, True).gbt_restart
    assert NumberingScheme.from_json("", "B") == default_scheme("B")
    assert NumberingScheme.from_json(s.to_json()) == s
