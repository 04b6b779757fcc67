"""A big round's first screen: the window paints its first problems with the round's counts, then takes the
whole round read on the runner's real thread, keeping what the clerk selected, scrolled, searched or typed.
The seeded round stands in for a big one: the first screen is made two problems long (reading order: p3
directly under the 方面, then p1 and p2 under its 项)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor

from app.services import problems, reading, registry
from db.session import Database
from tests.ui.test_load_in_background import Gate, quick_window
from ui import main_window
from ui.main_window import MainWindow
from ui.models.problem_table import ROW_ROLE


@pytest.fixture
def big(qtbot: Any, db: Database, seeded: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        messages: list[tuple[str, str]]) -> Iterator[MainWindow]:
    """The window as the program opens a round longer than its first screen, shown."""
    problems.update_problem(db, seeded["p2"], narrative="研讨记录已归档。")
    monkeypatch.setattr(main_window, "FIRST_SCREEN", 2)
    w = quick_window(qtbot, db, seeded["round"], tmp_path)
    yield w
    w.runner.shutdown()


def shown_ids(w: MainWindow) -> list[int]:
    return [w.proxy.index(i, 0).data(ROW_ROLE).id for i in range(w.proxy.rowCount())]


def test_the_first_screen_shows_the_first_problems_and_the_rounds_counts(
        big: MainWindow, qtbot: Any, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch,
        messages: list[tuple[str, str]]) -> None:
    assert shown_ids(big) == [seeded["p3"], seeded["p1"]]
    assert [r.number for r in big.table_model.rows()] == [1, 2]
    assert big.counts.text() == "显示 2 / 共 3 个问题（其余正在读取）"
    top = big.tree_model.index(0, 0)
    assert top.data().endswith("（0/3）")  # the 方面 counts all three problems, not the two shown
    gate = Gate(monkeypatch, registry, "list_people")
    big.load_in_background()
    assert gate.reached.wait(20)
    qtbot.wait(50)
    assert big.table_model.rowCount() == 2 and not big._loaded  # still the first screen meanwhile
    gate.open()
    qtbot.waitUntil(lambda: big._loaded)
    assert shown_ids(big) == [seeded["p3"], seeded["p1"], seeded["p2"]]
    assert [r.number for r in big.table_model.rows()] == [1, 2, 3]
    assert big.counts.text() == "显示 3 / 共 3 个问题"
    assert big.tree_model.index(0, 0).data().endswith("（0/3）")
    assert big.table_model.rows()[2].narrative == "研讨记录已归档。"  # with the details, and searched
    big.filters.search.setText("研讨记录")
    assert shown_ids(big) == [seeded["p2"]]
    assert big.table_model._haystack is not None and messages == []


def test_the_selected_problem_stays_selected_and_a_search_typed_meanwhile_finds_the_rest(
        big: MainWindow, qtbot: Any, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    big.select_problem(seeded["p1"])
    gate = Gate(monkeypatch, registry, "list_people")
    big.load_in_background()
    assert gate.reached.wait(20)
    big.filters.search.setText("研讨")  # p2, which the first screen does not hold
    assert shown_ids(big) == []
    big.filters.search.setText("")
    big.select_problem(seeded["p1"])
    big.filters.search.setText("不")  # 学习计划性不强 and 制度不健全 now; 研讨不深入 once the rest is read
    assert shown_ids(big) == [seeded["p3"], seeded["p1"]]
    gate.open()
    qtbot.waitUntil(lambda: big._loaded)
    assert shown_ids(big) == [seeded["p3"], seeded["p1"], seeded["p2"]]
    assert big.current_problem() is not None and big.current_problem().id == seeded["p1"]
    assert big.editor.row is not None and big.editor.row.id == seeded["p1"]
    assert big.editor.row is big.table_model.problem_at(big.table_model.row_for(seeded["p1"]))
    assert big.counts.text() == "显示 3 / 共 3 个问题"


def test_text_typed_meanwhile_is_saved_not_lost(big: MainWindow, qtbot: Any, db: Database,
                                                seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch,
                                                messages: list[tuple[str, str]]) -> None:
    big.select_problem(seeded["p1"])
    gate = Gate(monkeypatch, registry, "list_people")
    big.load_in_background()
    assert gate.reached.wait(20)
    box = big.editor.form.text
    box.moveCursor(QTextCursor.MoveOperation.End)
    box.insertPlainText("补充")  # as an input method commits it; saved after a pause, after the whole round arrives
    gate.open()
    qtbot.waitUntil(lambda: big._loaded)
    assert problems.get_problem(db, seeded["p1"]).text == "学习计划性不强。补充"
    assert big.editor.form.text.toPlainText() == "学习计划性不强。补充"
    assert big.table_model.rowCount() == 3 and messages == []


def test_an_edit_or_finish_loading_meanwhile_reads_the_whole_round_and_the_late_one_is_dropped(
        big: MainWindow, qtbot: Any, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch, reading, "read_round")
    big.load_in_background()
    assert gate.reached.wait(20)
    big.finish_loading()  # as when an action wants everything at once
    assert big.table_model.rowCount() == 3 and big.counts.text() == "显示 3 / 共 3 个问题"
    rows = big.table_model.rows_view()
    gate.open()
    qtbot.waitUntil(lambda: big.runner.idle)
    assert big.table_model.rows_view() is rows  # the late whole round is not taken over the newer one


def test_a_refresh_meanwhile_reads_the_whole_round(big: MainWindow, qtbot: Any, seeded: dict[str, int],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch, reading, "read_round")
    big.load_in_background()
    assert gate.reached.wait(20)
    big.refresh()  # another clerk's change, an undo …: the round is read again, whole
    assert big.table_model.rowCount() == 3 and big.counts.text() == "显示 3 / 共 3 个问题"
    rows = big.table_model.rows_view()
    gate.open()
    qtbot.waitUntil(lambda: big._loaded)
    assert big.table_model.rows_view() is rows
    assert big.table_model.problem_at(2).narrative == "研讨记录已归档。"


def test_where_the_clerk_scrolled_stays_when_the_rest_arrives(qtbot: Any, db: Database, seeded: dict[str, int],
                                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               messages: list[tuple[str, str]]) -> None:
    for i in range(60):
        problems.create_problem(db, seeded["round"], f"未分类问题{i}。")
    monkeypatch.setattr(main_window, "FIRST_SCREEN", 40)
    w = quick_window(qtbot, db, seeded["round"], tmp_path)
    try:
        assert w.table_model.rowCount() == 40 and w.counts.text() == "显示 40 / 共 63 个问题（其余正在读取）"
        bar = w.table.verticalScrollBar()
        assert bar.maximum() > 0
        bar.setValue(bar.maximum())  # the clerk scrolled to the end of what is there
        qtbot.wait(20)  # and the table has laid itself out again
        at = bar.value()
        top = w.table.indexAt(w.table.viewport().rect().topLeft()).row()
        assert top > 20
        w.load_in_background()
        qtbot.waitUntil(lambda: w._loaded)
        assert w.table_model.rowCount() == 63 and bar.maximum() > at
        assert w.table.indexAt(w.table.viewport().rect().topLeft()).row() == top  # the same problem at the top
        assert messages == []
    finally:
        w.runner.shutdown()
