"""A measure's facts in a ledger cell: what the export writes, the import reads back as it was."""
from __future__ import annotations

import datetime as dt
import itertools

from app.dto import MeasureRow
from app.exporting.compose_ledger import measure_text
from app.importing.ledger_xlsx import measure_facts
from app.measure_facts import Facts, facts_text, read_facts
from db.enums import Status


def test_every_combination_reads_back_as_written() -> None:
    for owner, deadline, status in itertools.product(("", "张三", "李四、王五"), (None, dt.date(2024, 6, 30)), Status):
        text = facts_text(owner, deadline, status)
        assert read_facts(text) == Facts(owner, deadline, status), text


def test_the_ledgers_cell_goes_through_the_import() -> None:
    row = MeasureRow(id=1, problem_id=2, number=3, text="制定学习计划（含专题研讨）", owner="陈静",
                     deadline=dt.date(2024, 5, 20), status=Status.IN_PROGRESS, completed_on=None)
    cell = measure_text(row)
    assert cell == "3.制定学习计划（含专题研讨）（责任人：陈静；时限：2024年5月20日；整改中）"
    read = measure_facts(cell.split(".", 1)[1])
    assert (read.text, read.owner, read.deadline, read.status) == (
        "制定学习计划（含专题研讨）", "陈静", dt.date(2024, 5, 20), Status.IN_PROGRESS)


def test_a_bracket_of_the_measures_own_wording_is_kept_as_written() -> None:
    for text in ("建立台账（每月更新）", "约谈（责任人：张三；每周一次）", "整改（时限：下个月）", "（已完成）"):
        read = measure_facts(text)
        assert (read.text, read.owner, read.deadline, read.status) == (text, "", None, None), text
