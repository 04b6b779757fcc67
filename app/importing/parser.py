"""From a notice's (or a feedback document's) text to a ParsedNotice: structure, facts, warnings.

The road: lines → head (furniture, title, opening) → ending (date, 署名, closing) → parts (where the
problems are) → tree (categories of any depth, problems) → numbering scheme and counts. Nothing is guessed
silently: every doubtful place becomes a warning with its line number.
"""
from __future__ import annotations

import re

from app.importing import furniture, reflow
from app.importing.counts import check_counts, read_figures
from app.importing.ending import read_ending
from app.importing.head import read_head
from app.importing.lines import Line, to_lines
from app.importing.model import ParsedNotice
from app.importing.numbering import ITEM, Kind, normalise
from app.importing.parts import lay_out
from app.importing.scheme import detect_scheme
from app.importing.tree import TreeBuilder
from app.numerals import to_chinese

LOST_DATE = re.compile(r"(?<![\d年])(\d{4})(\d{1,2})(\d{1,2})日|(\d{4})年(\d{3,4})日")


def parse_notice(text: str) -> ParsedNotice:
    notice = ParsedNotice()
    notice.lines, lines = to_lines(text)
    lines = reflow.split_labels(reflow.tables(reflow.unwrap(lines, notice), notice), notice)
    lines = reflow.item_problems(lines, notice)
    if not lines:
        notice.warn(0, "文件中没有文字内容。")
        return notice
    _check_dates(lines, notice)
    body = read_head(lines, notice)
    body = read_ending(body, notice) if body else body
    kept: list[Line] = []
    for ln in body:
        if furniture.anywhere(ln.text):
            notice.dropped.append((ln.no, ln.text))
        else:
            kept.append(ln)
    notice.dropped.sort()
    layout = lay_out(kept, notice)
    builder = TreeBuilder(notice, layout)
    intro = builder.build()
    notice.part_one = "\n".join(ln.text for ln in layout.part_one)
    heading = [layout.two_heading.text] if layout.two_heading else []
    notice.part_two_intro = "\n".join(heading + intro)
    notice.part_three = "\n".join(ln.text for ln in layout.part_three)
    has_progress = any(p.progress_line for p in notice.all_problems())
    depth = len(notice.category_counts())
    notice.layout_style = ("B" if layout.problem_kind == Kind.PROBLEM else
                           "C" if has_progress or depth >= 2 or layout.problem_kind == Kind.AR_PAREN else "A")
    if not layout.narratives:
        notice.warnings = [w for w in notice.warnings if "没有“整改情况”" not in w.message]
    unlabelled = sum(1 for p in notice.all_problems() if p.narrative and not p.label)
    notice.scheme = detect_scheme(builder.cat_styles, builder.problem_styles, builder.across, builder.labels,
                                  unlabelled, builder.progress_labels, notice.layout_style)
    # Style A words a short problem 关于“…”的问题; an export in the source's style does so only where it did.
    if notice.layout_style == "A" and notice.all_problems():
        notice.scheme.extra["quoted"] = "yes" if builder.quoted * 2 > len(notice.all_problems()) else "no"
    if builder.full_digits * 2 > len(notice.all_problems()):
        notice.scheme.extra["digits"] = "full"   # "１．": an export in the source's style prints them so
    first = notice.categories[0].number if notice.categories else 0
    if first > 1 and notice.part_one:  # "（三）…方面": the source numbers its 方面 on from part 一's sub-sections
        notice.scheme.extra["categories_start"] = str(first)
    if not notice.all_problems():
        notice.warn(0, "没有找到带编号的问题。")
    # Figures come from the notice's own prose, not from the problems' narratives
    # (a narrative's "13条问题线索" is not the number of problems).
    prose = _prose_lines(lines, notice, layout.part_one, layout.two_heading, layout.part_three, kept)
    read_figures(prose, notice)
    check_counts(notice)
    notice.warnings.sort(key=lambda w: w.line)
    return notice


def _prose_lines(lines: list[Line], notice: ParsedNotice, part_one: list[Line], two: Line | None,
                 part_three: list[Line], kept: list[Line]) -> list[Line]:
    opening = [ln for ln in lines if ln.text in notice.opening.split("\n")] if notice.opening else []
    intro = set(notice.part_two_intro.split("\n")) if notice.part_two_intro else set()
    two_part = [ln for ln in kept if ln.text in intro]
    return opening + part_one + two_part + part_three


def _check_dates(lines: list[Line], notice: ParsedNotice) -> None:
    for ln in lines:
        for m in LOST_DATE.finditer(normalise(ln.text)):
            notice.warn(ln.no, f"日期“{m.group(0)}”缺字，无法确定是哪一天，请核对原文。")


def split_items(paragraphs: list[str]) -> list[str]:
    """一是……；二是……。 items of a narrative, for turning into measures."""
    text = "\n".join(paragraphs)
    starts = [m.start() for m in re.finditer(rf"(?:^|(?<=[。；;！\n]))\s*({'|'.join(to_chinese(n) for n in range(1, 31))})是", text)]
    if len(starts) < 2:
        return []
    items = [text[a:b].strip().rstrip("；;") for a, b in zip(starts, starts[1:] + [len(text)], strict=True)]
    return [re.sub(r"\s+", "", i) for i in items if ITEM.match(i)]
