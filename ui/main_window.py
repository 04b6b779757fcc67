"""The main window: assembles the panels, owns round switching and refreshes; behaviour lives in panels."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.actions import ActionSpec, build_actions
from ui.commands import AttachFiles, CreateProblem, DeleteProblem, MoveProblems, Undo
from ui.errors import message_for, show_error
from ui.models.problem_table import ProblemFilterProxy, ProblemTableModel
from ui.models.round_tree import ID_ROLE, KIND_ROLE, PROBLEM, RoundTreeModel
from ui.multi_user import MultiUser
from ui.panels.filter_bar import FilterBar
from ui.panels.ledger_view import LedgerView
from ui.panels.problem_editor import ProblemEditor
from ui.services import load_all, reading
from ui.window_tools import WindowTools
from ui.workers import TaskRunner

if TYPE_CHECKING:
    from ui.panels.dashboard import DashboardPanel
    from ui.panels.inbox import InboxPanel
    from ui.thumbnails import ThumbnailCache


class MainWindow(QMainWindow):
    def __init__(self, db: Database, runner: TaskRunner | None = None, settings: QSettings | None = None,
                 quick_start: bool = False) -> None:
        """`quick_start`: the first screen is read without the fields it does not show, and
        `finish_loading` (which must follow, see `ui.app.show_window`) adds them."""
        super().__init__()
        self._quick_pending = quick_start
        self._rows_complete = True
        self.db = db
        self.runner = runner or TaskRunner()
        self.settings = settings or QSettings()
        self.round_id: int | None = None
        self.setWindowTitle(self.tr("巡察整改台账"))
        self.undo = Undo(db, self.refresh, lambda exc: show_error(self, exc))
        self._thumbs: ThumbnailCache | None = None
        self.tools = WindowTools(self)

        self.round_combo = QComboBox()
        self.round_combo.setMinimumWidth(320)
        self.round_combo.currentIndexChanged.connect(self._round_chosen)
        self.table_model = ProblemTableModel(self)
        self.proxy = ProblemFilterProxy(self)
        self.proxy.setSourceModel(self.table_model)
        self.filters = FilterBar(self.proxy)
        self.table = LedgerView(self.proxy)
        self.tree_model = RoundTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setDragDropMode(QTreeView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setAcceptDrops(True)
        self.tree.setDragEnabled(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setWordWrap(True)
        self.editor = ProblemEditor(self.undo, lambda: self.thumbs)
        self._inbox: InboxPanel | None = None
        self.inbox_dock = QDockWidget(self.tr("扫描收件箱"), self)
        self.inbox_dock.setObjectName("inbox_dock")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inbox_dock)
        self.inbox_dock.hide()
        self.inbox_dock.visibilityChanged.connect(lambda visible: visible and self.inbox)
        self._dashboard: DashboardPanel | None = None  # made when its page is first shown
        self._dashboard_page = QWidget()
        QVBoxLayout(self._dashboard_page).setContentsMargins(0, 0, 0, 0)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("巡察轮次：")))
        top.addWidget(self.round_combo, 1)
        top.addStretch(2)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.table)
        self.right.addWidget(self.editor)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.tree)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([300, 1000])
        self.pages = QTabWidget()
        self.pages.addTab(self.split, self.tr("整改台账"))
        self.pages.addTab(self._dashboard_page, self.tr("仪表盘"))
        self._rows: list[Any] = []
        self._dashboard_stale = True
        # The search index is rebuilt when the event loop is idle after each reload (from `finish_loading` on).
        self._loaded = False
        self._index_later = QTimer(self)
        self._index_later.setSingleShot(True)
        self._index_later.setInterval(0)
        self._index_later.timeout.connect(self.table_model.haystacks)
        self.pages.currentChanged.connect(lambda _i: self._update_dashboard())
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        lay.addWidget(self.filters)  # a row of its own: it stays usable when the inbox dock narrows the window
        lay.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.counts = QLabel()
        self.statusBar().addPermanentWidget(self.counts)

        self._wire()
        self.actions_by_key = build_actions(self, self._action_specs(), self._extra_actions())
        self.multi_user = MultiUser(self)  # accounts and roles, other clerks' changes, the server's menu items
        self._restore_layout()
        self.reload_rounds(self.settings.value("last_round", None, type=int))

    def finish_loading(self) -> None:
        """What the first screen did not need, loaded once it is painted (`ui.app.show_window`): the
        services with SQLAlchemy and the ORM, and the search index, so the first edit or search is quick."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._quick_pending = False
            self._complete_rows()
            load_all()
            self.db.start_engine()
            self.table_model.haystacks()
            self._loaded = True
        finally:
            QApplication.restoreOverrideCursor()

    def _complete_rows(self) -> None:
        """Add the fields a quick start left out, before anything shows or searches them."""
        if not self._rows_complete and self.round_id is not None:
            reading.list_details(self.db, self.round_id, self._rows)
            self.table_model.details_added()
            self._rows_complete = True

    # -- wiring ----------------------------------------------------------------------
    def _wire(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_current())
        self.tree.selectionModel().currentChanged.connect(self._tree_clicked)
        self.tree_model.rowsInserted.connect(self._expand_inserted)
        self.tree_model.problems_dropped.connect(self.move_problems)
        self.tree_model.files_dropped.connect(self.attach_files)
        self.table.files_dropped.connect(self.attach_files)
        self.editor.files_dropped.connect(self.attach_files)
        self.editor.status_requested.connect(self.tools.change_status)
        self.filters.changed.connect(self._after_filter)

    def _action_specs(self) -> list[ActionSpec | None]:
        t = self.tools
        return [
            ActionSpec("new_round", "文件", "新建巡察轮次…", t.new_round, QKeySequence.StandardKey.New, True),
            ActionSpec("edit_round", "文件", "轮次信息…", t.edit_round),
            ActionSpec("import", "文件", "导入通报、反馈意见或台账…", t.import_file, "Ctrl+I", True),
            ActionSpec("export", "文件", "导出…", t.export, "Ctrl+E", True),
            ActionSpec("print", "文件", "打印预览…", t.print_preview, QKeySequence.StandardKey.Print),
            ActionSpec("collect", "文件", "部门填报（下发、回执、催办）…", t.collect, tip="向责任部门下发填报表、导入回执、催办"),
            ActionSpec("delete_round", "文件", "删除本轮…", t.delete_round),
            None,
            ActionSpec("backup", "文件", "备份…", t.backup, tip="把数据库和全部佐证材料备份成一个文件"),
            ActionSpec("restore", "文件", "从备份恢复…", t.restore),
            ActionSpec("safety_copies", "文件", "恢复前的安全副本…", t.safety_copies,
                       tip="列出恢复备份前自动另存的数据库，可以换回"),
            ActionSpec("check", "文件", "检查数据完整性", t.check),
            None,
            ActionSpec("quit", "文件", "退出", self.close, QKeySequence.StandardKey.Quit),
            ActionSpec("new_problem", "编辑", "新建问题", self.new_problem, "Ctrl+Shift+N", True),
            ActionSpec("delete_problem", "编辑", "删除问题…", self.delete_problem, QKeySequence.StandardKey.Delete),
            ActionSpec("status", "编辑", "更改状态 / 销号…", t.change_status, "Ctrl+D", True),
            ActionSpec("attach", "编辑", "添加佐证材料…", lambda: self.editor.evidence.choose_files(), "Ctrl+Shift+A", True),
            None,
            ActionSpec("find", "编辑", "查找", self.focus_search, QKeySequence.StandardKey.Find),
            ActionSpec("refresh", "视图", "刷新", self.refresh, QKeySequence.StandardKey.Refresh, True),
            ActionSpec("ledger", "视图", "整改台账", lambda: self.pages.setCurrentIndex(0), "Ctrl+1"),
            ActionSpec("dashboard", "视图", "仪表盘", lambda: self.pages.setCurrentIndex(1), "Ctrl+2", True),
            ActionSpec("clear_filters", "视图", "清除筛选", self.filters.clear, "Ctrl+Shift+L"),
            ActionSpec("inbox", "视图", "扫描收件箱", lambda: self.inbox_dock.setVisible(not self.inbox_dock.isVisible()),
                       "Ctrl+3", True),
            ActionSpec("unit", "设置", "单位信息与联系方式…", t.edit_unit),
            ActionSpec("directory", "设置", "人员与部门…", t.edit_directory),
            ActionSpec("categories", "设置", "问题分类…", t.edit_categories),
            ActionSpec("figures", "设置", "纪律处分与经济数据…", t.edit_figures),
            ActionSpec("regulations", "设置", "制度建设…", t.edit_regulations),
            ActionSpec("notice", "设置", "通报文本…", t.edit_notice),
            ActionSpec("recycle", "设置", "佐证材料回收站…", t.recycle_bin),
            ActionSpec("fonts", "设置", "PDF 字体…", t.edit_fonts),
            ActionSpec("size_limit", "设置", "佐证材料大小上限…", t.edit_size_limit),
            ActionSpec("about", "帮助", "关于", t.about),
        ]

    def _extra_actions(self) -> dict[str, list[Any]]:
        undo = self.undo.stack.createUndoAction(self, self.tr("撤销"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo.stack.createRedoAction(self, self.tr("重做"))
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence.StandardKey.Redo])
        self.undo_action, self.redo_action = undo, redo
        return {"attach": [undo, redo]}

    # -- rounds ----------------------------------------------------------------------------
    def reload_rounds(self, select: int | None = None) -> None:
        rows = reading.list_rounds(self.db)
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in rows:
            self.round_combo.addItem(f"{r.title}（{r.unit_name}）", r.id)
        self.round_combo.blockSignals(False)
        ids = [r.id for r in rows]
        target = select if select in ids else (ids[0] if ids else None)
        if target is not None:
            self.round_combo.blockSignals(True)
            self.round_combo.setCurrentIndex(ids.index(target))
            self.round_combo.blockSignals(False)
        self.set_round(target)

    def _round_chosen(self, index: int) -> None:
        self.set_round(self.round_combo.itemData(index))

    def set_round(self, round_id: int | None) -> None:
        self.editor.flush()
        self.undo.stack.clear()  # commands belong to the round they were made in
        self.round_id = round_id
        if round_id is not None:
            self.settings.setValue("last_round", round_id)
        for key in ("new_problem", "delete_problem", "status", "attach", "categories", "figures", "regulations",
                    "notice", "edit_round", "delete_round", "unit", "export", "print"):
            if hasattr(self, "actions_by_key"):
                self.actions_by_key[key].setEnabled(round_id is not None)
        self.refresh()
        if round_id is None:
            self.statusBar().showMessage(self.tr("还没有巡察轮次：请用“文件 → 新建巡察轮次”（Ctrl+N）开始。"))

    # -- refresh and selection ------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the round from the database, keeping the selected problem and scroll position."""
        current = self.table.current_problem()
        keep = current.id if current else None
        if self.round_id is None:
            self.table_model.set_rows([])
            self.tree_model.set_round([], [])
            self.editor.show_problem(None)
            self._update_counts()
            return
        try:
            cats, rows = reading.read_round(self.db, self.round_id, details=not self._quick_pending)
        except Exception as exc:
            self.statusBar().showMessage(message_for(exc))
            return
        self.table_model.set_rows(rows)
        if self._loaded:
            self._index_later.start()
        self.tree_model.set_round(cats, rows)
        for index in self.tree_model.category_indexes():  # expandAll would visit every problem too
            self.tree.expand(index)
        self.filters.set_choices(rows)
        self._rows = rows
        self._rows_complete = not self._quick_pending
        self._dashboard_stale = True
        if self.pages.currentWidget() is self._dashboard_page:
            self._update_dashboard()
        self._update_counts()
        if keep is not None and self.table_model.row_for(keep) is not None:
            self.select_problem(keep)
        else:
            self.editor.show_problem(None)

    def _expand_inserted(self, parent: Any, first: int, last: int) -> None:
        """Categories the tree hands over as the clerk scrolls open like those shown at first."""
        for row in range(first, last + 1):
            index = self.tree_model.index(row, 0, parent)
            if index.data(KIND_ROLE) != PROBLEM:
                self.tree.expand(index)
                for sub in range(self.tree_model.rowCount(index)):
                    child = self.tree_model.index(sub, 0, index)
                    if child.data(KIND_ROLE) != PROBLEM:
                        self.tree.expand(child)

    @property
    def dashboard(self) -> DashboardPanel:
        """The dashboard panel, made the first time it is wanted: the window opens on the ledger."""
        if self._dashboard is None:
            from ui.panels.dashboard import DashboardPanel

            panel = DashboardPanel(self.db)
            panel.show_overdue.connect(lambda: self._filter_from_dashboard(overdue=True))
            panel.show_due_week.connect(lambda: self._filter_from_dashboard(due_days=7))
            panel.show_status.connect(lambda st: self._filter_from_dashboard(status=st))
            layout = self._dashboard_page.layout()
            assert layout is not None
            layout.addWidget(panel)
            self._dashboard = panel
        return self._dashboard

    def _update_dashboard(self) -> None:
        """The dashboard is recomputed only when it is shown (cheap, but not free on a big round)."""
        if self.pages.currentWidget() is not self._dashboard_page:
            return
        if self.round_id is not None and self._dashboard_stale:
            self.dashboard.show_round(self.round_id, rows=self._rows)
            self._dashboard_stale = False

    def select_problem(self, problem_id: int) -> None:
        row = self.table_model.row_for(problem_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.table_model.index(row, 0))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        self._follow_in_tree(problem_id)
        self._complete_rows()
        self.editor.show_problem(self.table_model.problem_at(row))

    def _show_current(self) -> None:
        self.editor.flush()
        self._complete_rows()
        row = self.table.current_problem()
        self.editor.show_problem(row)
        self._follow_in_tree(row.id if row is not None else None)

    def _follow_in_tree(self, problem_id: int | None) -> None:
        """Show the problem's place in the tree, scrolled to (without the tree's own click handling)."""
        selection = self.tree.selectionModel()
        selection.blockSignals(True)
        index = self.tree_model.index_of_problem(problem_id) if problem_id is not None else None
        if index is not None and index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            selection.clear()
        selection.blockSignals(False)
        self.tree.viewport().update()

    def _after_filter(self) -> None:
        """A filter that hides the problem being edited closes it, as the table no longer shows it."""
        self._update_counts()
        shown = self.editor.row
        row = self.table_model.row_for(shown.id) if shown is not None else None
        if row is not None and not self.proxy.mapFromSource(self.table_model.index(row, 0)).isValid():
            self._show_current()

    def _tree_clicked(self, index: Any, _prev: Any) -> None:
        if index.data(KIND_ROLE) != PROBLEM:
            return
        pid = index.data(ID_ROLE)
        row = self.table_model.row_for(pid)
        if row is None:
            return
        if not self.proxy.mapFromSource(self.table_model.index(row, 0)).isValid():
            self.filters.clear()  # the clerk asked for this problem: show it even if filtered out
        self.select_problem(pid)

    def _update_counts(self) -> None:
        total, shown = self.table_model.rowCount(), self.proxy.rowCount()
        self.counts.setText(self.tr("显示 %d / 共 %d 个问题") % (shown, total))

    def _filter_from_dashboard(self, **kwargs: Any) -> None:
        self.filters.show_only(**kwargs)
        self.pages.setCurrentIndex(0)

    def focus_search(self) -> None:
        self.pages.setCurrentIndex(0)
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    # -- problem operations -------------------------------------------------------------------------
    def new_problem(self) -> None:
        if self.round_id is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, self.tr("新建问题"), self.tr("问题内容（巡察反馈原文）："))
        if not ok or not text.strip():
            return
        category = None
        current = self.table.current_problem()
        tree_index = self.tree.currentIndex()
        if tree_index.isValid() and tree_index.data(KIND_ROLE) != PROBLEM:
            category = tree_index.data(ID_ROLE)
        elif current is not None:
            category = current.category_id
        try:
            pid = self.undo.execute(CreateProblem(self.undo, self.round_id, text, category))
        except Exception as exc:
            show_error(self, exc)
            return
        self.filters.clear()
        self.select_problem(pid)
        self.statusBar().showMessage(self.tr("已新建问题，可在下方填写责任人和时限。"), 5000)

    def delete_problem(self) -> None:
        rows = self.table.selected_problems()
        if not rows:
            return
        text = "、".join(str(r.number) for r in rows)
        if QMessageBox.question(self, self.tr("删除问题"), self.tr("删除第 %s 个问题及其措施和进展记录？"
                                "（佐证材料文件仍保留，可用 Ctrl+Z 撤销）") % text) != QMessageBox.StandardButton.Yes:
            return
        for r in rows:
            try:
                self.undo.execute(DeleteProblem(self.undo, r.id))
            except Exception as exc:
                show_error(self, exc)
                return
        self.statusBar().showMessage(self.tr("已删除。按 Ctrl+Z 可撤销。"), 5000)

    def move_problems(self, ids: list[int], category_id: int | None, index: int) -> None:
        try:
            self.undo.execute(MoveProblems(self.undo, ids, category_id, index))
        except Exception as exc:
            show_error(self, exc)

    def attach_files(self, problem_id: int, paths: list[Path]) -> None:
        """Copy files into the store off the GUI thread; the result lands on the undo stack."""
        cmd = AttachFiles(self.undo, problem_id, list(paths))

        def job(progress: Any, cancelled: Any) -> Any:
            progress(0, len(paths), self.tr("正在复制……"))
            return cmd.apply()

        def done(results: Any) -> None:
            self.undo.push_applied(cmd)
            inbox = self._inbox.folder() if self._inbox is not None else None
            if inbox is not None and any(Path(p).parent == inbox for p in paths):
                self.inbox.assigned([p for p in paths if Path(p).parent == inbox])
            self.refresh()
            self.select_problem(problem_id)
            linked = sum(1 for r in results if r.already_stored)
            msg = self.tr("已添加 %d 个佐证材料") % len(results)
            if linked:
                msg += self.tr("（其中 %d 个已在库中，直接关联，未重复存储）") % linked
            self.statusBar().showMessage(msg, 8000)

        def failed(exc: BaseException) -> None:
            if cmd.results:  # the files before the bad one were attached: keep them, undoable
                cmd.links = [r.link_id for r in self._links_for(problem_id, cmd.results)]
                self.undo.push_applied(cmd)
                self.refresh()
            show_error(self, exc, self.tr("有文件未能添加"))

        self.runner.run(self, self.tr("添加佐证材料"), job, done, failed)

    @property
    def thumbs(self) -> ThumbnailCache:
        """Evidence thumbnails (made in the background), wanted once evidence is listed."""
        if self._thumbs is None:
            from ui.thumbnails import ThumbnailCache

            self._thumbs = ThumbnailCache(self.db.data_dir)
        return self._thumbs

    @property
    def inbox(self) -> InboxPanel:
        """The scan inbox, made when its dock is first shown: it watches a folder, which a clerk who
        does not scan has no use for, and it is not needed for the first screen."""
        if self._inbox is None:
            from ui.panels.inbox import InboxPanel

            self._inbox = InboxPanel(self.thumbs, self.settings)
            self._inbox.assign_requested.connect(self._assign_from_inbox)
            self.inbox_dock.setWidget(self._inbox)
        return self._inbox

    def _assign_from_inbox(self, paths: list[Path]) -> None:
        row = self.table.current_problem()
        if row is None:
            QMessageBox.information(self, self.tr("扫描收件箱"), self.tr("请先在台账中选择要添加佐证材料的问题。"))
            return
        self.attach_files(row.id, paths)

    def _links_for(self, problem_id: int, results: list[Any]) -> list[Any]:
        from app.services import evidence

        wanted = {r.evidence_id for r in results if r.new_links}
        return [r for r in evidence.list_evidence(self.db, problem_id) if r.id in wanted]

    # -- window state -------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = self.settings.value("window_state")
        if state is not None:
            self.restoreState(state)
        for name in ("split", "right"):
            sizes = self.settings.value(f"{name}_sizes")
            if sizes is not None:
                getattr(self, name).restoreState(sizes)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.flush()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("split_sizes", self.split.saveState())
        self.settings.setValue("right_sizes", self.right.saveState())
        if self._thumbs is not None:
            QTimer.singleShot(0, self._thumbs.wait)
        super().closeEvent(event)
