"""The shapes real offices paste in (issue 12), each in several variants, as .txt and as .docx read back.

Web pages with their furniture; three levels of grouping with problems numbered across the notice and
lost brackets; part 一 with sub-sections, no 二、 heading, categories numbered on and no 整改情况 labels.
Each test compares the parse with what a clerk counts in the source (tests/app/notice_texts.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from app.importing.model import ParsedNotice
from app.importing.parser import parse_notice
from app.importing.readers import read_document
from app.numbering_scheme import NumberStyle
from tests.app import notice_texts as T
from tests.app.import_checks import lost_paragraphs, stored_texts, tree_of, write_docx

SHAPES: list[tuple[str, Callable[[int], tuple[str, T.Expected]], int]] = [
    (f"{fn.__name__}-{v}", fn, v) for fn in (T.web_page, T.three_levels, T.subsections) for v in range(3)]


@pytest.fixture(params=SHAPES, ids=[s[0] for s in SHAPES])
def shape(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, T.Expected, ParsedNotice]:
    _name, fn, variant = request.param
    text, expected = fn(variant)
    return text, expected, parse_notice(text)


def test_the_tree_is_the_sources(shape: tuple[str, T.Expected, ParsedNotice]) -> None:
    _text, e, n = shape
    assert tree_of(n) == e.tree
    assert [(p.number, p.text) for p in n.all_problems()] == e.problems
    assert all(p.text for p in n.all_problems())           # no placeholder problem, no empty heading
    assert n.scheme.problems_across is e.across


def test_every_paragraph_lands_somewhere(shape: tuple[str, T.Expected, ParsedNotice]) -> None:
    text, _e, n = shape
    assert lost_paragraphs(text, n) == []


def test_damage_is_warned_at_its_line(shape: tuple[str, T.Expected, ParsedNotice]) -> None:
    _text, e, n = shape
    warned = {w.line for w in n.warnings}
    assert set(e.damaged_lines) <= warned, [w for w in n.warnings]
    assert all(w.line > 0 or "正在整改" in w.message for w in n.warnings)


def test_facts_are_the_sources_and_nothing_else(shape: tuple[str, T.Expected, ParsedNotice]) -> None:
    text, e, n = shape
    assert n.facts.title == e.title
    assert n.facts.signature == e.signature or (e.signature == "" and n.facts.signature == e.title.split("关于")[0])
    assert (n.facts.sign_date.isoformat() if n.facts.sign_date else "") == e.sign_date
    if not e.sign_date:
        assert any("成文日期" in w.message and w.line for w in n.warnings)
    joined = "\n".join(stored_texts(n))
    assert "未命名" not in joined and dt.date.today().isoformat() not in joined


def test_web_page_furniture_is_dropped_and_listed() -> None:
    for variant in range(3):
        text, e = T.web_page(variant)
        n = parse_notice(text)
        assert [t for _no, t in n.dropped] == e.dropped
        data = "\n".join(stored_texts(n))
        for furniture in e.dropped:
            if furniture != e.title:
                assert furniture not in data
        assert n.part_one.startswith(e.part_one_starts)  # the 一、 heading of part 一 is part 一's, not text
        assert n.opening.startswith("根据市委统一部署")
        assert n.part_two_intro.startswith("二、")
        assert not any("缺少“二、”" in w.message for w in n.warnings)


def test_web_page_signature_from_the_title_when_the_end_has_none() -> None:
    text, e = T.web_page(2)
    n = parse_notice(text)
    assert n.facts.signature == "中共XX县自然资源和规划局党组"
    assert any("取自标题" in w.message and w.line == n.title_line for w in n.warnings)


def test_three_levels_scheme_and_progress_lines() -> None:
    for variant in range(3):
        text, e = T.three_levels(variant)
        n = parse_notice(text)
        assert n.scheme.categories == (NumberStyle.CN_PAREN, NumberStyle.AR_DOT)
        assert n.scheme.problems == NumberStyle.AR_HALF_PAREN   # "1)" and "1）" alike
        assert n.scheme.problems_across and n.scheme.extra["narrative_label"] == "整改情况"
        assert n.category_counts()[1] == sum(1 for d, _t in e.tree if d == 2)
        ps = n.all_problems()
        assert all(p.progress_line and p.narrative and p.label == "整改情况" for p in ps)
        assert {p.status.value for p in ps} >= {"已完成", "整改中"}
        long_term = [p for p in ps if "长期坚持" in p.progress_line]
        assert long_term and all(p.status.value.startswith("已完成") for p in long_term)
        two = [p for p in ps if p.number % 4 == 0]
        assert all(len(p.narrative) == 2 for p in two)  # a paragraph break of the source stays one


def test_three_levels_group_typo_is_flagged_not_guessed() -> None:
    text, e = T.three_levels(1)
    n = parse_notice(text)
    line = e.damaged_lines[0]
    [w] = [w for w in n.warnings if w.line == line]
    assert "12" in w.message and "应为1" in w.message
    second = n.categories[1].children[0]
    assert second.number == 12 and second.text == e.tree[4][1]   # kept as the source has it, for the clerk


def test_subsections_part_one_stays_narrative() -> None:
    for variant in range(3):
        text, e = T.subsections(variant)
        n = parse_notice(text)
        assert n.part_one.split("\n") == e.part_one_lines
        assert len(n.categories) == len([1 for d, _t in e.tree if d == 1]) and n.category_counts() == [len(e.tree)]
        [w] = [w for w in n.warnings if "缺少“二、”" in w.message]
        assert w.line == text.split("\n").index(next(x for x in text.split("\n") if "关于党的领导弱化方面" in x)) + 1
        assert n.part_two_intro == ""            # no heading was invented
        assert all(p.label == "" and p.narrative for p in n.all_problems())  # no label added
        assert n.scheme.extra["narrative_label"] == "" and n.scheme.problems == NumberStyle.AR_PAREN
        assert n.statistics.aspects == 4 and n.statistics.problems == len(e.problems)
        if len(e.tree) != 4:
            assert any(w.line == 2 and "4 个方面" in w.message for w in n.warnings)
        else:
            assert not any("原文称" in w.message for w in n.warnings)


@pytest.mark.parametrize("fn, variant", [(T.web_page, 0), (T.three_levels, 0), (T.subsections, 0), (T.web_page, 2)])
def test_the_same_from_a_word_file(tmp_path: Path, fn: Callable[[int], tuple[str, T.Expected]], variant: int) -> None:
    text, e = fn(variant)
    n = parse_notice(read_document(write_docx(text, tmp_path / "通报.docx")))
    assert tree_of(n) == e.tree and [(p.number, p.text) for p in n.all_problems()] == e.problems
    assert {w.line for w in n.warnings} >= set(e.damaged_lines)


def test_three_levels_copied_from_a_web_page() -> None:
    """Both failures of the first unseen notice at once: furniture around a three-level notice numbered across."""
    text, e = T.three_levels(0)
    lines = text.split("\n")
    head = ["XX区人民政府——政务公开", "欢迎来到XX区人民政府门户网站！", "首页>政府信息公开>部门信息>通知公告"]
    lines = head + lines[:1] + ["发布时间：2022-01-19 来源：区住建局 浏览次数：88"] + lines[1:-1] + ["2022119", "打印本页 关闭窗口"]
    web = "\n".join(lines)
    n = parse_notice(web)
    assert tree_of(n) == e.tree and [(p.number, p.text) for p in n.all_problems()] == e.problems
    assert [t for _l, t in n.dropped] == [*head, "发布时间：2022-01-19 来源：区住建局 浏览次数：88", "2022119", "打印本页 关闭窗口"]
    assert n.facts.title == e.title and n.facts.sign_date is None and n.facts.signature == e.signature
    assert {w.line for w in n.warnings} == {x + 4 for x in e.damaged_lines} | {len(lines) - 1}
    assert n.part_one.startswith("一、整改工作开展情况") and lost_paragraphs(web, n) == []
