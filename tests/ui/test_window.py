"""Window behaviour beyond the workday walk: tree drag-and-drop, delete with undo, errors, state."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QSettings
from PySide6.QtWidgets import QMessageBox

from app.services import evidence, measures, problems
from db.session import Database
from tests.conftest import make_pdf
from tests.ui.conftest import wait_jobs
from ui.main_window import MainWindow
from ui.models.problem_table import MIME_PROBLEMS


def test_tree_drop_moves_problem_and_undo_moves_back(window: MainWindow, db: Database,
                                                     seeded: dict[str, int]) -> None:
    window.reload_rounds(seeded["round"])
    mime = QMimeData()
    mime.setData(MIME_PROBLEMS, str(seeded["p3"]).encode())
    aspect = window.tree_model.index(0, 0)
    assert window.tree_model.index(0, 0, aspect).data() == "1. 制度不健全。"  # the aspect's own problem first
    item = window.tree_model.index(1, 0, aspect)
    assert item.data().startswith("（一）理论学习不深入")
    window.tree_model.dropMimeData(mime, window.tree_model.supportedDropActions(), -1, 0, item)
    assert problems.get_problem(db, seeded["p3"]).category_id == seeded["item"]
    assert [p.text for p in problems.list_problems(db, seeded["round"])][-1] == "制度不健全。"
    window.undo_action.trigger()
    assert problems.get_problem(db, seeded["p3"]).category_id == seeded["aspect"]
    assert window.tree_model.index(0, 0).data().endswith("（0/3）")


def test_delete_problem_and_undo_restores_everything(window: MainWindow, db: Database, seeded: dict[str, int],
                                                     tmp_path: Path) -> None:
    measures.add_measure(db, seeded["p1"], "措施一")
    measures.log_progress(db, seeded["p1"], "进展一")
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    window.reload_rounds(seeded["round"])
    window.select_problem(seeded["p1"])
    window.actions["delete_problem"].trigger()
    assert [p.text for p in problems.list_problems(db, seeded["round"])] == ["制度不健全。", "研讨不深入。"]
    window.undo_action.trigger()
    rows = problems.list_problems(db, seeded["round"])
    assert [p.text for p in rows] == ["制度不健全。", "学习计划性不强。", "研讨不深入。"]
    restored = rows[1]
    assert (restored.measure_count, restored.evidence_count, restored.departments) == (1, 1, "办公室")
    assert [e.note for e in measures.list_progress(db, restored.id)] == ["进展一"]


def test_refused_edit_is_shown_not_raised(window: MainWindow, db: Database, seeded: dict[str, int],
                                          messages: list[tuple[str, str]]) -> None:
    window.reload_rounds(seeded["round"])
    window.select_problem(seeded["p1"])
    window.editor.form.text.set_text("   ")
    window.editor.form._save("text", "   ")
    assert any("不能为空" in text for _k, text in messages)
    assert problems.get_problem(db, seeded["p1"]).text == "学习计划性不强。"


def test_layout_and_last_round_are_remembered(qtbot: Any, db: Database, seeded: dict[str, int],
                                              tmp_path: Path) -> None:
    from app.services import rounds

    other = rounds.create_round(db, seeded["unit"], "另一轮")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(db, settings=settings)
    qtbot.addWidget(w)
    w.show()
    w.reload_rounds(seeded["round"])
    w.split.setSizes([200, 900])
    w.close()
    settings.sync()
    assert settings.value("geometry") is not None and settings.value("split_sizes") is not None
    w2 = MainWindow(db, settings=settings)
    qtbot.addWidget(w2)
    assert w2.round_id == seeded["round"] != other.id  # not simply the newest round


def test_empty_database_guides_the_user(window: MainWindow) -> None:
    assert window.round_id is None
    assert "新建巡察轮次" in window.statusBar().currentMessage()
    assert not window.actions["new_problem"].isEnabled()


def test_attach_error_is_a_chinese_message(qtbot: Any, window: MainWindow, seeded: dict[str, int], tmp_path: Path,
                                           messages: list[tuple[str, str]], db: Database) -> None:
    window.reload_rounds(seeded["round"])
    empty = tmp_path / "空扫描.pdf"
    empty.write_bytes(b"")
    window.problem_tools.attach_files(seeded["p1"], [make_pdf(tmp_path / "ok.pdf"), empty])
    wait_jobs(qtbot, window)
    assert any("0 字节" in text for kind, text in messages if kind == "warning")
    assert [e.original_name for e in evidence.list_evidence(db, seeded["p1"])] == ["ok.pdf"]
    window.undo_action.trigger()  # the good file's attachment is undoable
    assert evidence.list_evidence(db, seeded["p1"]) == []
    assert QMessageBox  # message boxes were answered by the fixture


def test_measure_delete_undo_and_reorder(window: MainWindow, db: Database, seeded: dict[str, int],
                                         monkeypatch: Any) -> None:
    from app.services import measures as measure_service

    m1 = measure_service.add_measure(db, seeded["p1"], "措施一", owner="陈静")
    measure_service.add_measure(db, seeded["p1"], "措施二")
    window.reload_rounds(seeded["round"])
    window.select_problem(seeded["p1"])
    pane = window.editor.measures
    pane.view.selectRow(0)
    pane.shift(1)
    assert [m.text for m in measure_service.list_measures(db, seeded["p1"])] == ["措施二", "措施一"]
    pane.view.selectRow(1)
    pane.delete_selected()
    assert [m.text for m in measure_service.list_measures(db, seeded["p1"])] == ["措施二"]
    window.undo_action.trigger()
    back = measure_service.list_measures(db, seeded["p1"])
    assert [(m.text, m.owner) for m in back] == [("措施二", ""), ("措施一", "陈静")] and m1


def test_full_disk_and_permission_messages() -> None:
    from ui.errors import message_for

    assert "磁盘空间已满" in message_for(OSError(28, "No space left on device"))
    assert "没有权限" in message_for(PermissionError(13, "Permission denied", "/x"))


def test_a_filter_that_hides_the_problem_being_edited_closes_it(window: MainWindow, db: Database,
                                                                seeded: dict[str, int]) -> None:
    window.reload_rounds(seeded["round"])
    window.select_problem(seeded["p1"])
    window.filters.search.setText("学习计划")  # p1 stays: still edited, still current
    assert window.editor.row is not None and window.editor.row.id == seeded["p1"]
    assert window.table.current_problem() is not None
    window.filters.search.setText("研讨")  # only p2 is left
    assert window.proxy.rowCount() == 1 and window.editor.row is None
    assert not window.tree.selectionModel().hasSelection()
    window.filters.clear()
    window.select_problem(seeded["p2"])
    assert window.editor.row is not None and window.editor.row.id == seeded["p2"]


def test_clearing_the_filters_hides_the_search_boxs_clear_button(qtbot: Any, window: MainWindow,
                                                                 seeded: dict[str, int]) -> None:
    """QA: after 清除筛选 the search box is empty and its ⊗ button goes (it hides on the box's own textChanged)."""
    from PySide6.QtWidgets import QToolButton

    window.reload_rounds(seeded["round"])
    search = window.filters.search
    [button] = search.findChildren(QToolButton)
    search.setText("研讨")
    qtbot.waitUntil(lambda: button.isVisible())
    applied: list[str] = []
    window.filters.changed.connect(lambda: applied.append(search.text()))
    window.filters.clear()
    assert search.text() == "" and window.proxy.rowCount() == 3
    assert applied == [""]                      # the filter is applied once, not once per widget
    qtbot.waitUntil(lambda: not button.isVisible())


def test_choosing_a_problem_far_down_brings_the_tree_to_it(window: MainWindow, db: Database,
                                                           seeded: dict[str, int], monkeypatch: Any) -> None:
    """The tree hands rows over in chunks; a problem chosen in the table is fetched, selected and scrolled to."""
    from ui.models import round_tree
    from ui.models.round_tree import ID_ROLE

    monkeypatch.setattr(round_tree, "CHUNK", 5)
    for i in range(60):
        problems.create_problem(db, seeded["round"], f"未分类问题{i}。")
    window.reload_rounds(seeded["round"])
    last = problems.list_problems(db, seeded["round"])[59]
    window.select_problem(last.id)
    current = window.tree.currentIndex()
    assert current.data(ID_ROLE) == last.id
    assert window.tree.viewport().rect().intersects(window.tree.visualRect(current))
