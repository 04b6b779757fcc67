"""佐证材料 of a problem: thumbnails, add by dialog or by dropping files, open, show in folder, remove."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from app.errors import EvidenceError
from app.evidence_store import TYPE_LABELS
from ui.ask import confirm_destructive
from ui.commands import RemoveEvidence, Undo
from ui.errors import show_error
from ui.services import evidence
from ui.thumbnails import ThumbnailCache
from ui.widgets import add_buttons

if TYPE_CHECKING:  # the rows are only named here; they load with the services
    from app.dto import EvidenceRow

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(n // 1024, 1)} KB"


class EvidencePane(QWidget):
    files_dropped = Signal(int, list)  # problem id, paths: the window attaches them off the GUI thread
    choose_requested = Signal()        # 添加文件…

    def __init__(self, undo: Undo, thumbs: ThumbnailCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo, self.thumbs = undo, thumbs
        self.problem_id: int | None = None
        self.setAcceptDrops(True)
        self.model = QStandardItemModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(96, 128))
        self.view.setGridSize(QSize(150, 190))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setWordWrap(True)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.view.doubleClicked.connect(lambda _i: self.view_selected())
        self.hint = QLabel(self.tr("把扫描件、照片或文档拖到这里，或点“添加文件…”。"))
        self.hint.setStyleSheet("color: #666")
        buttons = QHBoxLayout()
        add_buttons(buttons, ((self.tr("添加文件…"), self.choose_files), (self.tr("查看"), self.view_selected),
                            (self.tr("用系统程序打开"), self.open_selected),
                            (self.tr("在文件夹中显示"), self.show_in_folder), (self.tr("移除"), self.remove_selected)))
        lay = QVBoxLayout(self)
        lay.addWidget(self.hint)
        lay.addWidget(self.view, 1)
        lay.addLayout(buttons)
        thumbs.signals.ready.connect(self._thumbnail_ready)

    def show_problem(self, problem_id: int) -> None:
        self.problem_id = problem_id
        self.model.clear()
        store_rows = evidence.list_evidence(self.undo.db, problem_id)
        for r in store_rows:
            item = QStandardItem(r.original_name)
            item.setData(r, ROW_ROLE)
            item.setIcon(self.thumbs.icon(r.sha256, self._path(r), r.file_type))
            pages = f"，{r.page_count}页" if r.page_count else ""
            item.setToolTip(f"{r.original_name}\n{TYPE_LABELS.get(r.file_type, r.file_type)}，{_size(r.size)}{pages}"
                            + (f"\n成文日期：{r.doc_date:%Y年%m月%d日}" if r.doc_date else "")
                            + (f"\n{r.description}" if r.description else ""))
            self.model.appendRow(item)
        self.hint.setVisible(not store_rows)

    def _thumbnail_ready(self, sha: str) -> None:
        for i in range(self.model.rowCount()):
            item = self.model.item(i)
            r: EvidenceRow = item.data(ROW_ROLE)
            if r.sha256 == sha:
                item.setIcon(self.thumbs.icon(sha, self._path(r), r.file_type))

    def _path(self, r: EvidenceRow) -> Path | None:
        """The row's file, or None when its stored path leaves the store (never followed)."""
        try:
            return evidence.evidence_path(self.undo.db, r.stored_path, must_exist=False)
        except EvidenceError:
            return None

    def selected_rows(self) -> list[EvidenceRow]:
        return [self.model.itemFromIndex(i).data(ROW_ROLE) for i in self.view.selectionModel().selectedIndexes()]

    # -- actions ------------------------------------------------------------------
    def choose_files(self) -> None:
        """The window asks for the files (its file dialog opens where the clerk last was)."""
        if self.problem_id is not None:
            self.choose_requested.emit()

    def view_selected(self) -> None:
        """Page through a PDF or image inside the program; other files open in the system program."""
        from ui.viewer import EvidenceViewer

        rows = self.selected_rows()
        if not rows:
            return
        r = rows[0]
        if r.file_type not in ("pdf", "jpeg", "png", "tiff", "bmp"):
            self.open_selected()
            return
        try:
            EvidenceViewer(evidence.evidence_path(self.undo.db, r.stored_path), r.file_type, r.original_name,
                           self).exec()
        except Exception as exc:
            show_error(self, exc)

    def open_selected(self) -> None:
        for r in self.selected_rows()[:5]:
            try:
                path = evidence.evidence_path(self.undo.db, r.stored_path)
            except Exception as exc:
                show_error(self, exc)
                return
            # The store names files by hash: open a named copy so the viewer shows the real name.
            view_dir = self.undo.db.data_dir / "view"
            view_dir.mkdir(exist_ok=True)
            named = view_dir / (Path(r.original_name).name or "file")  # a name from the database: never a path
            named.write_bytes(path.read_bytes())
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(named)))

    def show_in_folder(self) -> None:
        rows = self.selected_rows()
        if rows:
            path = self._path(rows[0])
            if path is None:
                show_error(self, EvidenceError("该佐证材料登记的存放路径不在佐证材料库内，未打开。请运行“检查数据完整性”。"))
                return
            folder = path.parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def remove_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        names = "、".join(r.original_name for r in rows[:3]) + ("等" if len(rows) > 3 else "")
        if confirm_destructive(self, self.tr("移除佐证材料"),
                               self.tr("把 %s 移到回收站？可在回收站中恢复，也可撤销。") % names):
            for r in rows:
                try:
                    self.undo.execute(RemoveEvidence(self.undo, r.link_id, r.original_name))
                except Exception as exc:
                    show_error(self, exc)
                    return

    # -- drops --------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.problem_id is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and self.problem_id is not None:
            event.acceptProposedAction()
            self.files_dropped.emit(self.problem_id, paths)
