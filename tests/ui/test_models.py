"""Qt models checked with qtmodeltester, and the filters a clerk uses."""
from __future__ import annotations

import datetime as dt
from typing import Any

from app.services import measures, problems, status
from db.models import Status
from db.session import Database
from tests.conftest import TODAY
from ui.models.problem_table import ProblemFilterProxy, ProblemTableModel
from ui.models.round_tree import RoundTreeModel
from ui.panels.dashboard import GroupProgressTableModel
from ui.panels.measures_pane import MeasureTableModel


def test_models_pass_qtmodeltester(qapp: Any, qtmodeltester: Any, db: Database, seeded: dict[str, int]) -> None:
    from app.services import categories, dashboard

    rows = problems.list_problems(db, seeded["round"], TODAY)
    table = ProblemTableModel()
    table.set_rows(rows)
    qtmodeltester.check(table)
    proxy = ProblemFilterProxy()
    proxy.setSourceModel(table)
    qtmodeltester.check(proxy)
    tree = RoundTreeModel()
    tree.set_round(categories.list_categories(db, seeded["round"]), rows)
    qtmodeltester.check(tree)
    measures.add_measure(db, seeded["p1"], "措施")
    m = MeasureTableModel()
    m.set_rows(measures.list_measures(db, seeded["p1"]))
    qtmodeltester.check(m)
    g = GroupProgressTableModel()
    g.set_rows(dashboard.progress_by_department(db, seeded["round"], TODAY))
    qtmodeltester.check(g)


def test_filters(db: Database, seeded: dict[str, int]) -> None:
    status.change_status(db, seeded["p3"], Status.IN_PROGRESS)
    table = ProblemTableModel()
    table.set_rows(problems.list_problems(db, seeded["round"], TODAY))
    proxy = ProblemFilterProxy()
    proxy.setSourceModel(table)

    def shown() -> list[str]:
        return [proxy.index(i, ProblemTableModel.TEXT).data() for i in range(proxy.rowCount())]

    assert len(shown()) == 3
    proxy.set_filters(text="研讨")
    assert shown() == ["研讨不深入。"]
    proxy.set_filters(text="政治建设")  # the category path is searched too
    assert len(shown()) == 3
    proxy.clear_filters()
    proxy.set_filters(department="审批科")
    assert shown() == ["制度不健全。", "研讨不深入。"]
    proxy.clear_filters()
    proxy.set_filters(leader="王局长")
    assert shown() == ["学习计划性不强。"]
    proxy.clear_filters()
    proxy.set_filters(overdue_only=True)
    assert shown() == ["学习计划性不强。"]
    proxy.clear_filters()
    proxy.set_filters(due_within=7)
    assert shown() == ["研讨不深入。"]
    proxy.clear_filters()
    proxy.set_filters(status=Status.IN_PROGRESS)
    assert shown() == ["制度不健全。"]
    proxy.clear_filters()
    proxy.set_filters(no_evidence=True)
    assert len(shown()) == 3


def test_table_shows_warning_text_and_extension_mark(db: Database, seeded: dict[str, int]) -> None:
    ext = status.request_extension(db, seeded["p2"], dt.date(2024, 7, 1), "等待批复")
    status.decide_extension(db, ext, True, "王")
    table = ProblemTableModel()
    table.set_rows(problems.list_problems(db, seeded["round"], TODAY))
    texts = {table.index(r, 1).data(): (table.index(r, ProblemTableModel.DAYS).data(),
                                       table.index(r, ProblemTableModel.DEADLINE).data()) for r in range(3)}
    assert texts["学习计划性不强。"] == ("逾期5天", "2024-06-05")
    assert texts["研讨不深入。"] == ("剩21天", "2024-07-01（延）")


def test_tree_hands_rows_to_the_view_a_chunk_at_a_time(qapp: Any, qtmodeltester: Any, monkeypatch: Any,
                                                      db: Database, seeded: dict[str, int]) -> None:
    """A big round is laid out as the clerk scrolls; asking for a problem reveals the rows down to it."""
    from app.services import categories
    from ui.models import round_tree

    monkeypatch.setattr(round_tree, "CHUNK", 4)
    for i in range(10):
        problems.create_problem(db, seeded["round"], f"未分类问题{i}。")
    rows = problems.list_problems(db, seeded["round"], TODAY)
    tree = RoundTreeModel()
    tree.set_round(categories.list_categories(db, seeded["round"]), rows)
    root = tree.index(-1, 0).parent()  # the invisible root
    assert tree.rowCount(root) == 4 and tree.canFetchMore(root)  # of 10 problems and the 方面 after them
    inserted: list[tuple[int, int]] = []
    tree.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    tree.fetchMore(root)
    assert tree.rowCount(root) == 8 and inserted == [(4, 7)]
    last = next(r for r in rows if r.text == "未分类问题9。")
    index = tree.index_of_problem(last.id)
    assert index.isValid() and index.data().startswith(f"{last.number}. 未分类问题9")
    assert tree.rowCount(root) == 11 and not tree.canFetchMore(root)  # down to it, and a chunk beyond
    assert tree.index(10, 0).data().startswith("一、政治建设方面")
    qtmodeltester.check(tree)


def test_filter_proxy_keeps_the_selection_with_its_problem(qapp: Any, qtmodeltester: Any, db: Database,
                                                           seeded: dict[str, int]) -> None:
    """Filtering and sorting move rows; the current row and the selection stay on the same problems."""
    from PySide6.QtCore import QItemSelectionModel, Qt

    from ui.models.problem_table import ROW_ROLE

    table = ProblemTableModel()
    table.set_rows(problems.list_problems(db, seeded["round"], TODAY))
    proxy = ProblemFilterProxy()
    proxy.setSourceModel(table)
    qtmodeltester.check(proxy)
    selection = QItemSelectionModel(proxy)
    current = lambda: selection.currentIndex().data(ROW_ROLE)  # noqa: E731
    start = proxy.mapFromSource(table.index(table.row_for(seeded["p2"]) or 0, 0))
    selection.setCurrentIndex(start, QItemSelectionModel.SelectionFlag.ClearAndSelect
                              | QItemSelectionModel.SelectionFlag.Rows)
    assert current().id == seeded["p2"] and start.row() == 2
    proxy.set_filters(department="办公室")  # p1 and p2 stay, p3 (row 0) goes: p2 moves up
    assert proxy.rowCount() == 2 and selection.currentIndex().row() == 1 and current().id == seeded["p2"]
    proxy.sort(ProblemTableModel.LEADERS, Qt.SortOrder.DescendingOrder)  # 王局长 (p1) before 李副局长 (p2)
    assert [proxy.index(i, 0).data(ROW_ROLE).id for i in range(2)] == [seeded["p1"], seeded["p2"]]
    assert current().id == seeded["p2"] and [i.row() for i in selection.selectedRows()] == [1]
    proxy.set_filters(text="学习计划")  # only p1 is left: p2's selection goes with it
    assert proxy.rowCount() == 1 and not selection.currentIndex().isValid() and not selection.selectedRows()
    proxy.clear_filters()
    assert proxy.rowCount() == 3


def test_filter_proxy_drags_the_problems_it_shows(qapp: Any, db: Database, seeded: dict[str, int]) -> None:
    from PySide6.QtCore import Qt

    from ui.models.problem_table import MIME_PROBLEMS

    table = ProblemTableModel()
    table.set_rows(problems.list_problems(db, seeded["round"], TODAY))
    proxy = ProblemFilterProxy()
    proxy.setSourceModel(table)
    proxy.set_filters(text="研讨")
    mime = proxy.mimeData([proxy.index(0, 0), proxy.index(0, 3)])
    assert bytes(mime.data(MIME_PROBLEMS).data()).decode() == str(seeded["p2"])
    assert proxy.headerData(1, Qt.Orientation.Horizontal) == "问题"
    assert proxy.flags(proxy.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
