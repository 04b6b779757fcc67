"""The first screen of a big round (`reading.first_screen`): its first problems in reading order, numbered,
deadlined and warned exactly as the whole ledger numbers them, with every category's counts."""
from __future__ import annotations

import dataclasses
import datetime as dt

from app.services import categories, problems, reading, rounds, status
from db.enums import Status
from db.session import Database

TODAY = dt.date(2024, 6, 1)


def _round(db: Database) -> tuple[int, list[int]]:
    """Problems in no category, in a 方面, in its 项 and in a second 方面; one deleted, two done."""
    unit = rounds.create_unit(db, "某区审计局")
    r = rounds.create_round(db, unit.id, "2024年区委巡察")
    aspect = categories.add_category(db, r.id, "政治建设方面")
    item = categories.add_category(db, r.id, "理论学习不深入", parent_id=aspect.id)
    second = categories.add_category(db, r.id, "作风建设方面")
    made = [problems.create_problem(db, r.id, f"未分类问题{i}。", deadline=dt.date(2024, 6, 3)) for i in range(2)]
    made.append(problems.create_problem(db, r.id, "方面本身的问题。", category_id=aspect.id))
    made += [problems.create_problem(db, r.id, f"学习问题{i}。", category_id=item.id, deadline=dt.date(2024, 5, 1))
             for i in range(4)]
    made += [problems.create_problem(db, r.id, f"作风问题{i}。", category_id=second.id) for i in range(2)]
    problems.delete_problem(db, made[4])  # the second 学习问题: in the recycle bin, neither shown nor counted
    for pid in (made[3], made[8]):
        status.change_status(db, pid, Status.DONE, override_reason="会议纪要即佐证")  # 待销号 until reviewed
        assert status.approve_review(db, pid, "王局长") == Status.DONE
    return r.id, made


def test_the_first_rows_are_the_whole_ledgers_first_rows_and_the_counts_are_the_rounds(db: Database) -> None:
    round_id, made = _round(db)
    cats, whole = reading.read_round(db, round_id, TODAY, details=False)
    assert len(whole) == 8 and made[4] not in {r.id for r in whole}
    for limit in range(0, 11):  # across each category's boundary, and beyond the round
        first = reading.read_first_screen(db, round_id, limit, TODAY)
        assert first.categories == cats
        assert [dataclasses.asdict(r) for r in first.rows] == [dataclasses.asdict(r) for r in whole[:limit]]
        assert first.total == 8 and first.complete == (limit >= 8)
    first = reading.read_first_screen(db, round_id, 3, TODAY)
    by_text = {c.text: c.id for c in cats}
    assert first.tally == {None: (2, 0), by_text["政治建设方面"]: (1, 0), by_text["理论学习不深入"]: (3, 1),
                           by_text["作风建设方面"]: (2, 1)}
    learning = whole[3]  # numbered after the three before it, overdue on TODAY (deadline 2024-05-01)
    assert (learning.number, learning.number_in_category, learning.category_path) == (
        4, 1, ("政治建设方面", "理论学习不深入"))


def test_an_empty_round_is_a_complete_first_screen(db: Database) -> None:
    unit = rounds.create_unit(db, "某区审计局")
    r = rounds.create_round(db, unit.id, "空轮次")
    first = reading.read_first_screen(db, r.id, 200)
    assert (first.rows, first.total, first.tally, first.complete) == ([], 0, {}, True)
