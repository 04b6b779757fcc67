"""回收站: deleted problems and measures (restore, or delete for good) and removed evidence (restore, empty)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListView,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.ask import confirm_destructive
from ui.errors import attempt, show_error
from ui.services import evidence, measures, problems
from ui.widgets import add_buttons
from ui.workers import TaskRunner


def _list() -> tuple[QListView, QStringListModel]:
    model = QStringListModel()
    view = QListView()
    view.setModel(model)
    view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
    view.setWordWrap(True)
    return view, model


class RecycleBinDialog(QDialog):
    def __init__(self, db: Database, parent: Any = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner or TaskRunner()
        self.setWindowTitle(self.tr("回收站"))
        self.resize(760, 460)
        self.tabs = QTabWidget()

        page = QWidget()
        self.deleted_view, self.deleted_model = _list()
        self.deleted_model.setParent(self)
        row = QHBoxLayout()
        add_buttons(row, ((self.tr("恢复所选"), self.restore_deleted), (self.tr("彻底删除所选…"), self.purge_deleted)))
        lay = QVBoxLayout(page)
        lay.addWidget(self.deleted_view)
        lay.addLayout(row)
        self.tabs.addTab(page, self.tr("问题与措施"))

        page = QWidget()
        self.files_view, self.files_model = _list()
        self.files_model.setParent(self)
        row = QHBoxLayout()
        add_buttons(row, ((self.tr("恢复所选"), self.restore_files), (self.tr("清空佐证材料回收站…"), self.empty_files)))
        lay = QVBoxLayout(page)
        lay.addWidget(self.files_view)
        lay.addLayout(row)
        self.tabs.addTab(page, self.tr("佐证材料"))

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)
        outer.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.deleted = problems.deleted_problems(self.db) + measures.deleted_measures(self.db)
        self.deleted_model.setStringList([self._describe(d) for d in self.deleted])
        self.files = [r for r in evidence.recycle_bin(self.db) if r.removed_at]
        self.files_model.setStringList([f"{r.original_name}　（移除于 {r.removed_at:%Y-%m-%d %H:%M}）"
                                        for r in self.files if r.removed_at])

    def _describe(self, d: problems.DeletedRow) -> str:
        text = f"{d.text[:60]}{'…' if len(d.text) > 60 else ''}"
        where = self.tr("%1，删除于 %2").replace("%1", d.where).replace("%2", f"{d.deleted_at:%Y-%m-%d %H:%M}")
        if d.number is None:
            return f"{d.kind}　{text}　（{where}）"
        place = self.tr("原第 %1 号").replace("%1", str(d.number))
        if d.category:
            place += self.tr("，%1").replace("%1", d.category)
        return f"{d.kind}（{place}）　{text}　（{where}）"

    def _chosen(self, view: QListView) -> list[int]:
        return sorted(i.row() for i in view.selectionModel().selectedRows())

    def _run(self, fn: Any, *args: Any) -> None:
        attempt(self, lambda: fn(self.db, *args))
        self.refresh()

    # -- problems and measures --------------------------------------------------------------------
    def _split(self) -> tuple[list[int], list[int]]:
        chosen = [self.deleted[i] for i in self._chosen(self.deleted_view)]
        return [d.id for d in chosen if d.kind == "问题"], [d.id for d in chosen if d.kind != "问题"]

    def restore_deleted(self) -> None:
        problem_ids, measure_ids = self._split()
        if problem_ids:
            self._run(problems.restore_problems, problem_ids)
        for mid in measure_ids:
            self._run(measures.restore_measure, mid)

    def purge_deleted(self) -> None:
        problem_ids, measure_ids = self._split()
        if not problem_ids and not measure_ids:
            return
        if not confirm_destructive(self, self.windowTitle(), self.tr(
                "彻底删除所选的 %d 项？其措施、进展记录和审核记录将永久删除，不能恢复（操作日志中留有记录）。")
                % (len(problem_ids) + len(measure_ids))):
            return
        if problem_ids:
            self._run(problems.purge_problems, problem_ids)
        if measure_ids:
            self._run(measures.purge_measures, measure_ids)

    # -- evidence -------------------------------------------------------------------------------------
    def restore_files(self) -> None:
        for i in self._chosen(self.files_view):
            self._run(evidence.restore_evidence, self.files[i].link_id)

    def empty_files(self) -> None:
        if not confirm_destructive(self, self.windowTitle(),
                                   self.tr("清空后，不再被任何问题引用的文件将被永久删除。继续？")):
            return
        def done(n: int) -> None:
            QMessageBox.information(self, self.windowTitle(), self.tr("已清空，删除了 %d 个文件。") % n)
            self.refresh()

        # A job under the write lock, off the GUI thread: an attach of the same file waits for it.
        self.runner.run(self, self.tr("正在清空回收站"),
                        lambda progress, cancelled: evidence.empty_recycle_bin(self.db, progress), done,
                        lambda exc: (show_error(self, exc), self.refresh()))
