"""Round snapshots built in memory, for composer tests at sizes no test should write through the services."""
from __future__ import annotations

import datetime as dt

from app.dto import FiguresRow, NoticeSettingsRow, UnitRow
from app.ledger_rows import CategoryRow, ProblemRow, RoundRow, Warning
from app.numbering_scheme import default_scheme
from app.services.snapshot import CategoryNode, RoundSnapshot
from db.enums import Status


def problem_row(pid: int, number: int, category_id: int | None, text: str, narrative: str = "") -> ProblemRow:
    return ProblemRow(id=pid, round_id=1, number=number, number_in_category=number, category_id=category_id,
                      category_path=(), text=text, title="", leaders="", departments="", persons="", deadline=None,
                      effective_deadline=None, long_term=False, status=Status.DONE, evidence_count=0,
                      measure_count=0, days_left=None, warning=Warning.NONE, narrative=narrative)


def synthetic_snapshot(count: int, style: str = "A") -> RoundSnapshot:
    """One 方面 holding `count` problems, each with a narrative."""
    rows = [problem_row(i, i, 1, f"第{i}个问题。", f"已整改{i}。") for i in range(1, count + 1)]
    node = CategoryNode(CategoryRow(1, 1, None, 0, "一个方面", 1, 1), 1, [], rows)
    r = RoundRow(1, 1, "某局", "测试", "常规巡察", "区委", "区委第一巡察组", None, None, None, None, "", "", "", "", "",
                 None, 20, 10, style)
    return RoundSnapshot(
        round=r, unit=UnitRow(1, "某局", "中共某局党组", "", "", "", "", ""),
        settings=NoticeSettingsRow(1, "中共某局党组关于巡察整改情况的通报", "根据区委统一部署，开展巡察。", "", "", "", "",
                                   "", dt.date(2024, 1, 1)),
        figures=FiguresRow(), scheme=default_scheme(style), today=dt.date(2024, 1, 1), categories=[node], loose=[],
        problems=rows, measures={}, progress={}, evidence={}, extensions={}, reviews={}, regulations=[],
        redactions={}, directory_names=[])
