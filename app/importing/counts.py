"""The source's own counts ("指出存在3个大方面5项问题", "反馈的37个问题"): kept as stated, compared with the tree.

A mismatch is a warning at the line that states the count; the exported counts sentence uses the
confirmed tree, never these figures.
"""
from __future__ import annotations

from app.importing import facts as F
from app.importing.lines import Line
from app.importing.model import ParsedNotice, Statistics
from app.importing.numbering import normalise
from db.enums import Status

NAMES = {"aspects": "方面", "items": "项", "problems": "问题"}


def read_figures(prose: list[Line], notice: ParsedNotice) -> None:
    """The statistics stated in the prose, each with the line that first states it."""
    F.read_statistics(normalise("\n".join(ln.text for ln in prose)), notice.statistics)
    for name in ("aspects", "items", "problems"):
        value = getattr(notice.statistics, name)
        if value is None:
            continue
        for ln in prose:
            probe = Statistics()
            F.read_statistics(normalise(ln.text), probe)
            if getattr(probe, name) == value:
                notice.stated_lines[name] = ln.no
                break


def check_counts(notice: ParsedNotice) -> None:
    stats, problems = notice.statistics, notice.all_problems()
    by_depth = notice.category_counts()
    if stats.problems is not None and problems and stats.problems != len(problems):
        notice.warn(notice.stated_lines.get("problems", 0),
                    f"原文称有 {stats.problems} 个问题，导入的是 {len(problems)} 个，请核对。")
    if by_depth:  # a flat list states the feedback's grouping, not the notice's: nothing to compare
        if stats.aspects is not None and stats.aspects != by_depth[0]:
            notice.warn(notice.stated_lines.get("aspects", 0),
                        f"原文称有 {stats.aspects} 个方面，导入的是 {by_depth[0]} 个，请核对。")
        items = by_depth[1] if len(by_depth) > 1 else None
        if stats.items is not None and items is not None and stats.items != items:
            notice.warn(notice.stated_lines.get("items", 0),
                        f"原文称有 {stats.items} 项，导入的是 {items} 项，请核对。")
        elif stats.items is not None and items is None and stats.problems is None and stats.items != len(problems):
            notice.warn(notice.stated_lines.get("items", 0),
                        f"原文称有 {stats.items} 项问题，导入的是 {len(problems)} 个问题，请核对。")
    if stats.in_progress and stats.done and not any(p.status == Status.IN_PROGRESS for p in problems):
        notice.warn(0, f"通报称 {stats.in_progress} 个问题正在整改，但未指明是哪一个；已全部按“已完成”导入，请核对状态。")
