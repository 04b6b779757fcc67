"""The program's start loads the rest (ORM, services, details, search index, directory) on the runner's real
thread: the rows the window shows change only on the GUI thread, and a switched round, a sorted table, a
closed window or an error meanwhile are handled."""
from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from app.services import categories, problems, reading, registry, rounds
from db.errors import DatabaseLocked
from db.session import Database
from ui.main_window import MainWindow
from ui.models.problem_table import ROW_ROLE, ProblemTableModel

NARRATIVE = "学习计划已印发，按月开展集中学习。"


class Gate:
    """Holds the loading job inside `name` until `open()` (a call on the GUI thread goes straight through)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
        self.reached, self._go = threading.Event(), threading.Event()
        original: Callable[..., Any] = getattr(module, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is threading.main_thread():
                return original(*args, **kwargs)
            self.reached.set()
            assert self._go.wait(20), "the test never let the loading job go on"
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, held)

    def open(self) -> None:
        self._go.set()


@pytest.fixture
def quick(qtbot: Any, db: Database, seeded: dict[str, int], tmp_path: Path,
          messages: list[tuple[str, str]]) -> Iterator[MainWindow]:
    """The window as the program opens it: the first screen without the details, shown."""
    problems.update_problem(db, seeded["p1"], narrative=NARRATIVE, internal_notes="请办公室跟进")
    registry.add_person(db, "周主任", is_leader=True)
    w = quick_window(qtbot, db, seeded["round"], tmp_path)
    yield w
    w.runner.shutdown()


def quick_window(qtbot: Any, db: Database, round_id: int, tmp_path: Path) -> MainWindow:
    """The window as the program opens it on `round_id` (`ui.app.open_window`), shown."""
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("last_round", round_id)
    w = MainWindow(db, settings=settings, quick_start=True)
    qtbot.addWidget(w)
    w.show()
    return w


def row_of(w: MainWindow, problem_id: int) -> Any:
    row = w.table_model.row_for(problem_id)
    assert row is not None
    return w.table_model.problem_at(row)


def found(w: MainWindow, text: str) -> list[int]:
    w.filters.search.setText(text)
    ids = [w.proxy.index(i, 0).data(ROW_ROLE).id for i in range(w.proxy.rowCount())]
    w.filters.search.setText("")
    return ids


def test_the_rest_loads_on_the_worker_and_the_rows_change_only_on_the_gui_thread(
        quick: MainWindow, qtbot: Any, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch,
        messages: list[tuple[str, str]]) -> None:
    gate = Gate(monkeypatch, registry, "list_people")  # after the details and the search index are made
    p1 = row_of(quick, seeded["p1"])
    quick.load_in_background()
    assert gate.reached.wait(20)  # on a thread other than the GUI's (see `Gate`)
    qtbot.wait(50)  # the event loop runs meanwhile: the window is not frozen, and the shown rows are untouched
    assert (p1.narrative, p1.internal_notes) == ("", "") and not quick._loaded
    assert not gc.isenabled()  # held while the job runs (see `ui.loading`)
    gate.open()
    qtbot.waitUntil(lambda: quick._loaded)
    assert row_of(quick, seeded["p1"]) is p1  # the same rows, given their details
    assert (p1.narrative, p1.internal_notes) == (NARRATIVE, "请办公室跟进")
    assert quick.table_model._haystack is not None  # the index made on the worker was taken
    assert found(quick, "按月开展集中学习") == [seeded["p1"]]
    assert "周主任" in quick._directory["leaders"]
    assert quick.runner.idle and messages == [] and gc.isenabled()  # the collector, held meanwhile, runs again


def test_a_search_typed_meanwhile_finds_the_narratives_once_they_are_read(
        quick: MainWindow, qtbot: Any, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch, registry, "list_people")
    quick.load_in_background()
    assert gate.reached.wait(20)
    quick.filters.search.setText("按月开展集中学习")
    assert quick.proxy.rowCount() == 0  # the narratives are not read yet
    gate.open()
    qtbot.waitUntil(lambda: quick._loaded)
    assert quick.proxy.rowCount() == 1 and quick.proxy.index(0, 0).data(ROW_ROLE).id == seeded["p1"]
    assert quick.counts.text() == "显示 1 / 共 3 个问题"


def test_a_table_sorted_meanwhile_gets_its_search_index_in_its_own_order(
        quick: MainWindow, qtbot: Any, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch, registry, "list_people")
    quick.load_in_background()
    assert gate.reached.wait(20)
    quick.table_model.sort(ProblemTableModel.DEADLINE, Qt.SortOrder.DescendingOrder)  # p3, p2, p1 now
    gate.open()
    qtbot.waitUntil(lambda: quick._loaded)
    assert quick.table_model.problem_at(2).id == seeded["p1"]
    assert found(quick, "按月开展集中学习") == [seeded["p1"]]
    assert found(quick, "制度不健全") == [seeded["p3"]]


def test_a_round_switched_meanwhile_keeps_its_own_rows(quick: MainWindow, qtbot: Any, db: Database,
                                                       seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch,
                                                       messages: list[tuple[str, str]]) -> None:
    other = rounds.create_round(db, seeded["unit"], "2025年区委巡察", rectification_end=dt.date(2025, 8, 1))
    aspect = categories.add_category(db, other.id, "作风建设方面")
    p9 = problems.create_problem(db, other.id, "督查检查过多。", category_id=aspect.id, narrative="已合并检查事项。")
    first = row_of(quick, seeded["p1"])
    gate = Gate(monkeypatch, reading, "read_details")
    quick.load_in_background()
    assert gate.reached.wait(20)
    quick.reload_rounds(other.id)  # the clerk picks another round while the rest still loads
    assert quick.round_id == other.id
    gate.open()
    qtbot.waitUntil(lambda: quick._loaded)
    assert first.narrative == ""  # the old round's rows were left alone
    assert row_of(quick, p9).narrative == "已合并检查事项。"  # read with their details after the start
    assert found(quick, "合并检查") == [p9]
    quick.reload_rounds(seeded["round"])
    assert row_of(quick, seeded["p1"]).narrative == NARRATIVE and found(quick, "按月开展") == [seeded["p1"]]
    assert messages == []


def test_finish_loading_meanwhile_does_it_all_and_the_late_results_are_dropped(
        quick: MainWindow, qtbot: Any, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch, registry, "list_people")
    quick.load_in_background()
    assert gate.reached.wait(20)
    quick.load_in_background()  # a second call while one is under way does nothing
    quick.finish_loading()
    assert quick._loaded and row_of(quick, seeded["p1"]).narrative == NARRATIVE
    index = quick.table_model.haystacks()
    gate.open()
    qtbot.waitUntil(lambda: quick.runner.idle)
    assert quick.table_model.haystacks() is index


def test_closing_the_window_meanwhile_takes_nothing(quick: MainWindow, qtbot: Any, seeded: dict[str, int],
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    messages: list[tuple[str, str]]) -> None:
    gate = Gate(monkeypatch, reading, "read_details")
    p1 = row_of(quick, seeded["p1"])
    quick.load_in_background()
    assert gate.reached.wait(20)
    threading.Timer(0.2, gate.open).start()  # closing waits for the job: it goes on from another thread
    quick.close()
    assert quick.runner.idle and not quick._loaded and p1.narrative == "" and messages == [] and gc.isenabled()


@pytest.mark.parametrize("error, shown", [
    (DatabaseLocked(), str(DatabaseLocked())),
    (RuntimeError("坏了"), "程序遇到了一个意外错误"),
])
def test_an_error_while_loading_is_shown_and_the_window_still_works(
        quick: MainWindow, qtbot: Any, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch,
        messages: list[tuple[str, str]], error: Exception, shown: str) -> None:
    def broken(*_args: Any) -> Any:
        raise error

    original = reading.read_details
    monkeypatch.setattr(reading, "read_details", broken)
    quick.load_in_background()
    qtbot.waitUntil(lambda: quick.runner.idle)
    assert len(messages) == 1 and messages[0][0] == "warning" and shown in messages[0][1]
    assert not quick._loaded and not quick._loading and gc.isenabled()
    monkeypatch.setattr(reading, "read_details", original)
    quick.select_problem(seeded["p1"])  # what was not loaded is loaded when wanted, as before
    assert quick.editor.row is not None and quick.editor.row.narrative == NARRATIVE
    assert found(quick, "按月开展") == [seeded["p1"]]
