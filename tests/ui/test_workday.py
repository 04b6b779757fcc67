"""A clerk's day, driven through the real widgets; assertions read the database."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QInputDialog

from app.ledger_rows import Warning
from app.services import categories, evidence, measures, problems, rounds
from db.models import Status
from db.session import Database
from tests.conftest import make_pdf
from tests.ui.conftest import wait_jobs
from ui.dialogs.categories import CategoryDialog
from ui.dialogs.new_problem import NewProblemDialog
from ui.dialogs.round_wizard import RoundWizard
from ui.dialogs.status_dialog import StatusDialog
from ui.main_window import MainWindow
from ui.panels.measures_pane import MeasureDialog


def drop_files(widget: Any, pos: QPoint, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def test_a_clerks_day(qtbot: Any, window: MainWindow, db: Database, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch, messages: list[tuple[str, str]]) -> None:
    # 1. A new round through the wizard.
    wizard = RoundWizard(db, window)
    pages = [wizard.page(i) for i in wizard.pageIds()]
    assert len(pages) == 3 and all(p.title() and p.subTitle() for p in pages)  # each headed alike, with a line
    wizard.unit_name.setText("某区行政审批服务局")
    wizard.signature.setText("中共某区行政审批服务局党组")
    wizard.title.setText("2024年区委常规巡察")
    wizard.group.setText("区委第三巡察组")
    wizard.start.set_value(dt.date(2024, 3, 1))
    wizard.end.set_value(dt.date(2024, 4, 30))
    wizard.accept()
    assert wizard.round_id is not None
    window.reload_rounds(wizard.round_id)
    [r] = rounds.list_rounds(db)
    assert (r.title, r.inspection_group, r.unit_name) == ("2024年区委常规巡察", "区委第三巡察组", "某区行政审批服务局")
    assert window.round_id == r.id

    # 2. Categories through the category editor.
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("政治建设方面", True))
    dialog = CategoryDialog(window.undo, r.id, window)
    dialog.add_top()
    assert [c.text for c in categories.list_categories(db, r.id)] == ["政治建设方面"]
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("学习不深入", True))
    dialog.add_child()
    cats = categories.list_categories(db, r.id)
    assert [(c.text, c.level) for c in cats] == [("政治建设方面", 1), ("学习不深入", 2)]
    window.refresh()

    # 3. Two problems, the second under the selected item.
    window.tree.setCurrentIndex(window.tree_model.index(0, 0, window.tree_model.index(0, 0)))
    texts = iter(["理论学习计划性不强。", "专题研讨流于形式。"])

    def write(dialog: NewProblemDialog) -> int:
        dialog.edit.setPlainText(next(texts))
        return 1
    monkeypatch.setattr(NewProblemDialog, "exec", write)
    window.actions["new_problem"].trigger()
    window.actions["new_problem"].trigger()
    rows = problems.list_problems(db, r.id)
    assert [(p.number, p.text, p.category_id) for p in rows] == [
        (1, "理论学习计划性不强。", cats[1].id), (2, "专题研讨流于形式。", cats[1].id)]
    first = rows[0]
    window.select_problem(first.id)

    # 4. Owners and a deadline, saved when the field is left.
    form = window.editor.form
    form.departments.setEditText("办公室")
    form.departments.lineEdit().editingFinished.emit()
    form.leaders.setEditText("王局长")
    form.leaders.lineEdit().editingFinished.emit()
    form.deadline.set_value(dt.date.today() - dt.timedelta(days=3))
    form.deadline.edited.emit()
    p = problems.get_problem(db, first.id)
    assert (p.departments, p.leaders, p.deadline) == ("办公室", "王局长", dt.date.today() - dt.timedelta(days=3))

    # 5. A measure through its dialog, and a progress note typed with Enter.
    def fill(dlg: MeasureDialog) -> int:
        dlg.text.setPlainText("制定年度学习计划")
        dlg.owner.setText("陈静")
        return 1
    monkeypatch.setattr(MeasureDialog, "exec", fill)
    window.editor.measures.add()
    assert [m.text for m in measures.list_measures(db, first.id)] == ["制定年度学习计划"]
    window.editor.progress.note.setText("已印发学习计划")
    qtbot.keyClick(window.editor.progress.note, Qt.Key.Key_Return)
    assert [e.note for e in measures.list_progress(db, first.id)] == ["已印发学习计划"]

    # 6. Marking done without evidence is refused.
    window.select_problem(first.id)
    dlg = StatusDialog(window.undo, window.table.current_problem(), window)
    dlg.choice.setCurrentText(Status.DONE.value)
    dlg.change()
    assert "佐证材料" in dlg.feedback.text()
    assert problems.get_problem(db, first.id).status == Status.NOT_STARTED

    # 7. Two files dropped on the problem's row in the table.
    files = [make_pdf(tmp_path / "学习计划.pdf"), make_pdf(tmp_path / "会议纪要.pdf", pages=2, text="minutes")]
    row_rect = window.table.visualRect(window.proxy.mapFromSource(window.table_model.index(0, 1)))
    drop_files(window.table, row_rect.center(), files)
    wait_jobs(qtbot, window)
    assert sorted(e.original_name for e in evidence.list_evidence(db, first.id)) == ["会议纪要.pdf", "学习计划.pdf"]
    assert window.table_model.problem_at(0).evidence_count == 2

    # 8. Now done is allowed: it goes to review.
    window.select_problem(first.id)
    dlg = StatusDialog(window.undo, window.table.current_problem(), window)
    dlg.choice.setCurrentText(Status.DONE.value)
    dlg.change()
    assert problems.get_problem(db, first.id).status == Status.PENDING_REVIEW

    # 9. Undo takes the status back, then the attachment; redo puts them back.
    window.undo_action.trigger()
    assert problems.get_problem(db, first.id).status == Status.NOT_STARTED  # what it was before
    window.undo_action.trigger()
    assert evidence.list_evidence(db, first.id) == []
    window.redo_action.trigger()
    assert len(evidence.list_evidence(db, first.id)) == 2
    window.redo_action.trigger()
    assert problems.get_problem(db, first.id).status == Status.PENDING_REVIEW

    # 10. The overdue filter and the dashboard follow the data.
    window.pages.setCurrentIndex(1)  # the dashboard
    assert window.dashboard.tiles["overdue"].text() == "已逾期\n0"  # waiting for sign-off is not overdue
    assert window.dashboard.tiles["problems"].text() == "问题总数\n2"
    window.undo_action.trigger()  # back to 未启动: overdue again, and the dashboard follows
    assert window.dashboard.tiles["overdue"].text() == "已逾期\n1"
    window.dashboard.tiles["overdue"].click()  # clicking the tile filters the ledger
    assert window.pages.currentIndex() == 0 and window.filters.warning.currentData() == Warning.OVERDUE
    assert window.proxy.rowCount() == 1
    assert window.proxy.index(0, 1).data() == "理论学习计划性不强。"
    window.filters.clear()
    assert window.proxy.rowCount() == 2



def test_an_extension_for_a_problem_without_a_deadline_reads_plainly(qtbot: Any, window: MainWindow, db: Database,
                                                                      seeded: dict[str, int]) -> None:
    """Imported problems often have no 完成时限; after an approved extension the dialog said “（原 ，已批准延期）”
    and the deadline's tooltip “原时限 None，已批准延期至 …”."""
    from ui.models.problem_table import ProblemTableModel

    pid = problems.create_problem(db, seeded["round"], "未定时限的问题。")
    window.reload_rounds(seeded["round"])
    wait_jobs(qtbot, window)
    window.select_problem(pid)
    dlg = StatusDialog(window.undo, window.table.current_problem(), window)
    dlg.choice.setCurrentText(Status.IN_PROGRESS.value)
    dlg.apply_button.click()
    dlg.new_deadline.set_value(dt.date(2027, 3, 31))
    dlg.ext_reason.setText("系统建设需要招标")
    dlg.ask_button.click()
    dlg.decider.setText("刘局长")
    dlg.yes.click()
    assert "已批准延期" in dlg.feedback.text()
    shown = dlg.current.text()
    assert "原 ，" not in shown and "原无时限" in shown and "2027-03-31" in shown
    window.refresh()
    wait_jobs(qtbot, window)
    model = window.table_model
    row = next(r for r in range(model.rowCount()) if model.problem_at(r).id == pid)
    tip = model.index(row, ProblemTableModel.DEADLINE).data(Qt.ItemDataRole.ToolTipRole)
    assert "None" not in tip and tip == "原无时限，已批准延期至 2027-03-31"
