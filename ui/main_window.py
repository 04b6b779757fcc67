"""The main window: assembles the panels, owns round switching and refreshes; behaviour lives in panels."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.ledger_rows import CategoryRow, ProblemRow
from db.session import Database
from ui.actions import ActionRegistry, ActionSpec
from ui.commands import Undo
from ui.errors import message_for, show_error
from ui.models.problem_table import ROW_ROLE, ProblemFilterProxy, ProblemTableModel
from ui.models.round_tree import ID_ROLE, KIND_ROLE, PROBLEM, RoundTreeModel
from ui.multi_user import MultiUser
from ui.panels.filter_bar import FilterBar
from ui.panels.ledger_view import LedgerView
from ui.panels.problem_editor import ProblemEditor
from ui.problem_tools import ProblemTools
from ui.services import load_all, reading
from ui.window_actions import ViewActions, window_actions
from ui.window_state import restore_layout, save_layout
from ui.window_tools import WindowTools
from ui.workers import TaskRunner

if TYPE_CHECKING:
    from app.services.reading import FirstScreen
    from ui.loading import Loaded
    from ui.panels.dashboard import DashboardPanel
    from ui.panels.inbox import InboxPanel
    from ui.thumbnails import ThumbnailCache

APP_TITLE = "巡察整改台账"
# Problems read for the first screen of a big round (the table shows a few dozen, the tree a chunk of
# `ui.models.round_tree.CHUNK` per category); the rest are read on the runner's thread right after.
FIRST_SCREEN = 200


class MainWindow(QMainWindow):
    def __init__(self, db: Database, runner: TaskRunner | None = None, settings: QSettings | None = None,
                 quick_start: bool = False) -> None:
        """`quick_start`: the first screen is read without the fields it does not show, and
        `load_in_background` or `finish_loading` (one must follow, see `ui.app.show_window`) adds them."""
        super().__init__()
        self._quick_pending = quick_start
        self._rows_complete = True
        self.db = db
        self.runner = runner or TaskRunner(self)
        self.settings = settings or QSettings()
        self.round_id: int | None = None
        self.title_note = ""  # e.g. 演示数据: shown in the title beside the round
        self.undo = Undo(db, self.refresh, lambda exc: show_error(self, exc))
        self._thumbs: ThumbnailCache | None = None
        self._cats: list[CategoryRow] = []
        self.tools = WindowTools(self)
        self.problem_tools = ProblemTools(self)

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
        self._partial: FirstScreen | None = None  # the first screen, while the rest of a big round is read
        self._round_rows: dict[int, Any] = {}
        self._directory: dict[str, list[str]] = {}
        self._dashboard_stale = True
        # The search index is rebuilt when the event loop is idle after each reload, once the rest is loaded.
        self._loaded = False
        self._loading = False   # `load_in_background` under way
        self._closing = False
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
        self.actions = ActionRegistry(self, self._action_specs(), self._extra_actions())
        self.multi_user = MultiUser(self)  # accounts and roles, other clerks' changes, the server's menu items
        self._restore_layout()
        self.reload_rounds(self.settings.value("last_round", None, type=int))

    def finish_loading(self) -> None:
        """What the first screen did not need, loaded at once on the GUI thread: the services with SQLAlchemy
        and the ORM, and the search index, so the first edit or search is quick. The program's start does
        this off the GUI thread instead (`load_in_background`)."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._quick_pending = False
            if self._partial is not None:
                self.refresh()  # the whole round, with its details
            self._complete_rows()
            load_all()
            self.db.start_engine()
            self.table_model.haystacks()
            self._loaded = True
            self.table.start_fitting()
            self.directory_changed()  # the editor's names now include the directory's
        finally:
            QApplication.restoreOverrideCursor()

    def load_in_background(self) -> None:
        """`finish_loading` without freezing the painted window (the program's start, `ui.app.show_window`).

        On the runner's thread (`ui.loading`): SQLAlchemy, the ORM and the services are imported, the engine
        made, the fields the first screen left out, the search index and the directory read, all into new
        objects. Back on the GUI thread `_loaded_in_background` puts them in place, a few milliseconds. Rows
        replaced meanwhile (another round, an edit) are left alone; a window closed meanwhile takes nothing;
        an error is shown as any other (`show_error`), and the rest then loads when first wanted."""
        if self._loaded or self._loading:
            return
        from ui import loading

        self._loading = True
        self._quick_pending = False  # rows read from now on come with their details
        job = loading.rest_of_start(self.db, self._rows, self.round_id, self._rows_complete,
                                    self._partial is not None)
        held = loading.hold_collection()

        def done(loaded: loading.Loaded | None) -> None:
            loading.release_collection(held)
            self._loaded_in_background(loaded)

        def failed(exc: BaseException) -> None:
            loading.release_collection(held)
            self._loading = False
            if not self._closing:
                self.table.start_fitting()
                show_error(self, exc, self.tr("加载未完成"))

        self.runner.run(None, self.tr("正在加载"), job, done, failed)

    def _loaded_in_background(self, loaded: Loaded | None) -> None:
        """On the GUI thread: take what `load_in_background` read, if the window still wants it."""
        self._loading = False
        if loaded is None or self._closing or self._loaded:  # closed, or `finish_loading` did it all meanwhile
            return
        self._directory = loaded.directory
        self.table.start_fitting()  # while the table still holds the first screen: laid out again at once
        if loaded.whole is not None and loaded.rows is self._rows:
            self.editor.flush()  # what is being typed is saved first (a save reads the round again, as any)
        whole = loaded.whole if loaded.rows is self._rows else None  # the first screen, still: the whole round
        if whole is not None:
            self._take_whole_round(whole[0], whole[1], loaded.haystack)  # with the directory's names
        elif loaded.rows is self._rows:  # the same rows (in any order): their details and search index
            if not self._rows_complete:
                reading.apply_details(self._rows, loaded.details)
                self.table_model.details_added()
                self._rows_complete = True
            self.table_model.take_haystack(loaded.haystack)
            if self.proxy.text:  # searched meanwhile, when the narratives were not there to be found
                self.proxy.set_filters()
                self._after_filter()
        else:  # rows read since (already with their details): indexed when the event loop is idle, as after any
            self._index_later.start()
        if whole is None:
            self._update_names()  # the directory's names with the round's
        self._loaded = True

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
        p = self.problem_tools
        self.tree_model.problems_dropped.connect(p.move_problems)
        self.tree_model.files_dropped.connect(p.attach_files)
        self.table.files_dropped.connect(p.attach_files)
        self.editor.files_dropped.connect(p.attach_files)
        self.editor.choose_files_requested.connect(p.choose_files)
        self.editor.status_requested.connect(self.tools.change_status)
        self.filters.changed.connect(self._after_filter)

    def _action_specs(self) -> list[ActionSpec | None]:
        return window_actions(self.tools, self.problem_tools, ViewActions(
            quit=self.close, find=self.focus_search, refresh=self.refresh,
            ledger=lambda: self.pages.setCurrentIndex(0), dashboard=lambda: self.pages.setCurrentIndex(1),
            clear_filters=self.filters.clear,
            inbox=lambda: self.inbox_dock.setVisible(not self.inbox_dock.isVisible())))

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
        self._round_rows = {r.id: r for r in rows}
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

    def update_title(self) -> None:
        """The round in the title (Qt adds the program's name after it: see `ui.app.make_application`)."""
        r = self._round_rows.get(self.round_id) if self.round_id is not None else None
        parts = [p for p in (r.title if r else "", self.title_note) if p]
        self.setWindowTitle(" — ".join(parts) if parts else APP_TITLE)
        self.editor.set_default_deadline(r.rectification_end if r else None)

    def _round_chosen(self, index: int) -> None:
        self.set_round(self.round_combo.itemData(index))

    def set_round(self, round_id: int | None) -> None:
        self.editor.flush()
        self.undo.stack.clear()  # commands belong to the round they were made in
        self.round_id = round_id
        if round_id is not None:
            self.settings.setValue("last_round", round_id)
        if hasattr(self, "actions"):  # the first round is opened before the actions are made
            self.actions.set_round_open(round_id is not None)
        self.update_title()
        self.refresh()
        if round_id is None:
            self.statusBar().showMessage(self.tr("还没有巡察轮次：请用“文件 → 新建巡察轮次”（Ctrl+N）开始。"))

    # -- refresh and selection ------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the round from the database, keeping the selected problem and scroll position."""
        current = self.table.current_problem()
        keep = current.id if current else None
        self._partial = None
        if self.round_id is None:
            self._rows, self._cats = [], []
            self.table_model.set_rows([])
            self.tree_model.set_round([], [])
            self.editor.show_problem(None)
            self._update_counts()
            return
        try:
            if self._quick_pending:  # the program's start: the first problems only, the rest in the background
                first = reading.read_first_screen(self.db, self.round_id, FIRST_SCREEN)
                cats, rows = first.categories, first.rows
                self._partial = None if first.complete else first
            else:
                cats, rows = reading.read_round(self.db, self.round_id)
        except Exception as exc:
            self.statusBar().showMessage(message_for(exc))
            return
        self._show_rows(cats, rows, keep, complete=not self._quick_pending)

    def _show_rows(self, cats: list[CategoryRow], rows: list[ProblemRow], keep: int | None,
                   complete: bool, haystack: dict[int, str] | None = None, tree: bool = True) -> None:
        """Put the round's rows in the table, the tree (unless not `tree`: see `_take_whole_round`), the
        filters and the editor's names; `keep` stays selected if it is still there. `haystack`: their
        search index, made already (by problem id)."""
        self.table_model.set_rows(rows, haystack)
        if self._loaded:
            self._index_later.start()
        if tree:
            self._show_tree(cats, rows)
        self.filters.set_choices(rows)
        self._rows, self._cats = rows, cats
        self._update_names()
        self._rows_complete = complete
        self._dashboard_stale = True
        if self.pages.currentWidget() is self._dashboard_page:
            self._update_dashboard()
        self._update_counts()
        if keep is not None and self.table_model.row_for(keep) is not None:
            self.select_problem(keep)
        else:
            self.editor.show_problem(None)

    def _show_tree(self, cats: list[CategoryRow], rows: list[ProblemRow]) -> None:
        self.tree_model.set_round(cats, rows, self._partial.tally if self._partial is not None else None)
        for index in self.tree_model.category_indexes():  # expandAll would visit every problem too
            self.tree.expand(index)

    def _take_whole_round(self, cats: list[CategoryRow], rows: list[ProblemRow], haystack: dict[int, str]) -> None:
        """The whole round read in the background replaces the first screen: what the clerk selected and
        the problem at the top of the table and of the tree stay as they were. The tree follows the table
        at the next turn of the event loop: each laid out again on its own, the window never stands still
        for both at once. (Meanwhile the tree shows the first screen's problems with the round's counts.)"""
        current = self.table.current_problem()
        table_top = self.table.indexAt(QPoint(0, 0)).data(ROW_ROLE)
        self._partial = None
        self._show_rows(cats, rows, current.id if current else None, complete=True, haystack=haystack, tree=False)
        row = self.table_model.row_for(table_top.id) if table_top is not None and current is None else None
        if row is not None:
            self.table.scrollTo(self.proxy.mapFromSource(self.table_model.index(row, 0)),
                                QTreeView.ScrollHint.PositionAtTop)
        QTimer.singleShot(0, self, lambda: self._take_whole_tree(cats, rows))

    def _take_whole_tree(self, cats: list[CategoryRow], rows: list[ProblemRow]) -> None:
        if self._rows is not rows:  # read again meanwhile: the tree was made with the newer rows
            return
        top = self.tree.indexAt(QPoint(0, 0))
        top_id = top.data(ID_ROLE) if top.data(KIND_ROLE) == PROBLEM else None
        scrolled = self.tree.verticalScrollBar().value()
        self._show_tree(cats, rows)
        current = self.table.current_problem()
        if current is not None:
            self._follow_in_tree(current.id)
        elif top_id is not None:
            self.tree.scrollTo(self.tree_model.index_of_problem(top_id), QTreeView.ScrollHint.PositionAtTop)
        else:  # a category at the top: the categories before it are the same, so is the scroll
            self.tree.verticalScrollBar().setValue(scrolled)

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
            panel.show_warning.connect(lambda w: self._filter_from_dashboard(warning=w))
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
        if self._partial is not None:  # the first screen of a big round: the count is the round's
            self.counts.setText(self.tr("显示 %d / 共 %d 个问题（其余正在读取）") % (shown, self._partial.total))
        else:
            self.counts.setText(self.tr("显示 %d / 共 %d 个问题") % (shown, total))

    def _filter_from_dashboard(self, **kwargs: Any) -> None:
        self.filters.show_only(**kwargs)
        self.pages.setCurrentIndex(0)

    def focus_search(self) -> None:
        self.pages.setCurrentIndex(0)
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    # -- what the command handlers may ask (ui/host.py) --------------------------------------------
    def widget(self) -> QWidget:
        return self

    def selected_problems(self) -> list[ProblemRow]:
        return self.table.selected_problems()

    def current_problem(self) -> ProblemRow | None:
        return self.table.current_problem()

    def current_category(self) -> tuple[int, str] | None:
        index = self.tree.currentIndex()
        if not index.isValid() or index.data(KIND_ROLE) == PROBLEM:
            return None
        return int(index.data(ID_ROLE)), str(index.data(Qt.ItemDataRole.ToolTipRole) or index.data())

    def category_choices(self) -> list[tuple[int | None, str]]:
        choices: list[tuple[int | None, str]] = [(c.id, "　" * (c.level - 1) + c.text) for c in self._cats]
        return choices + [(None, self.tr("（不属于任何分类）"))]

    def show_message(self, text: str, ms: int = 0) -> None:
        self.statusBar().showMessage(text, ms)

    def flush_edits(self) -> None:
        self.editor.flush()

    def directory_changed(self) -> None:
        """The directory of people and departments is read again (after its dialog; once loaded)."""
        from ui.loading import directory_names

        self._directory = directory_names(self.db)
        self._update_names()

    def _update_names(self) -> None:
        """The names the editor offers: those used in the round and those of the directory."""
        self.editor.form.set_names(self._rows, self._directory)

    def files_assigned(self, paths: list[Path]) -> None:
        inbox = self._inbox.folder() if self._inbox is not None else None
        if inbox is not None:
            mine = [p for p in paths if Path(p).parent == inbox]
            if mine:
                self.inbox.assigned(mine)

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
        self.problem_tools.attach_files(row.id, paths)

    # -- window state -------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        if not restore_layout(self, self.settings, {"split": self.split, "right": self.right}):
            self.resize(1400, 860)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.editor.flush()
        self.runner.shutdown()
        save_layout(self, self.settings, {"split": self.split, "right": self.right})
        if self._thumbs is not None:
            QTimer.singleShot(0, self._thumbs.wait)
        super().closeEvent(event)
