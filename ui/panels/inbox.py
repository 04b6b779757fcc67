"""扫描收件箱: the scanner's folder, watched; new scans appear with thumbnails, ready to drag onto
a problem or to assign to the selected one. Assigned files are copied into the store; the original
stays in the scan folder or is removed, as the user chose."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QFileSystemWatcher,
    QMimeData,
    QModelIndex,
    QSettings,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.inbox import InboxFile, scan_inbox
from ui import file_dialogs
from ui.thumbnails import ThumbnailCache

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class InboxModel(QStandardItemModel):
    """Items are files; dragging them out gives file URLs, which problems accept."""

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(i.data(PATH_ROLE))) for i in indexes if i.isValid()])
        return mime


class InboxPanel(QWidget):
    assign_requested = Signal(list)   # paths to attach to the current problem

    def __init__(self, thumbs: ThumbnailCache, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbs, self.settings = thumbs, settings
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _p: self._debounce.start())
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(400)
        self._debounce.timeout.connect(self.rescan)
        self._seen: dict[Path, tuple[int, float]] = {}
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        choose = QPushButton(self.tr("选择扫描文件夹…"))
        choose.clicked.connect(self.choose_folder)
        self.model = InboxModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(72, 96))
        self.view.setGridSize(QSize(110, 140))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QListView.DragDropMode.DragOnly)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        assign_action = QAction(self.tr("添加到当前问题"), self.view)
        assign_action.triggered.connect(self._assign)
        open_action = QAction(self.tr("用系统程序打开"), self.view)
        open_action.triggered.connect(lambda: [QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))
                                               for p in self.selected_paths()[:3]])
        self.view.addActions([assign_action, open_action])
        self.remove_after = QCheckBox(self.tr("归档后从扫描文件夹中删除原文件"))
        self.remove_after.setChecked(settings.value("inbox_remove_after", False, type=bool))
        self.remove_after.toggled.connect(lambda on: settings.setValue("inbox_remove_after", on))
        assign = QPushButton(self.tr("添加到当前问题"))
        assign.clicked.connect(self._assign)
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.rescan)
        row = QHBoxLayout()
        row.addWidget(assign)
        row.addWidget(refresh)
        lay = QVBoxLayout(self)
        lay.addWidget(self.folder_label)
        lay.addWidget(choose)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.remove_after)
        lay.addLayout(row)
        thumbs.signals.ready.connect(self._thumbnail_ready)
        folder = settings.value("inbox_folder", "", type=str)
        self.set_folder(Path(folder) if folder else None)

    def folder(self) -> Path | None:
        value = self.settings.value("inbox_folder", "", type=str)
        return Path(value) if value else None

    def choose_folder(self) -> None:
        folder = file_dialogs.folder(self, self.settings, self.tr("扫描仪保存文件的文件夹"),
                                     str(self.folder() or ""))
        if folder is not None:
            self.set_folder(folder)

    def set_folder(self, folder: Path | None) -> None:
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        if folder is None:
            self.folder_label.setText(self.tr("还没有设置扫描文件夹。"))
            self.model.clear()
            return
        self.settings.setValue("inbox_folder", str(folder))
        self.folder_label.setText(self.tr("扫描文件夹：%s") % folder)
        if folder.is_dir():
            self.watcher.addPath(str(folder))
        self._seen = {}
        self.rescan()

    def rescan(self) -> None:
        folder = self.folder()
        if folder is None:
            return
        files = scan_inbox(folder)
        ready = scan_inbox(folder, self._seen) if self._seen else files
        self._seen = {f.path: (f.size, f.mtime) for f in files}
        if len(ready) < len(files):  # something is still being written: look again shortly
            self._debounce.start()
        self.model.clear()
        for f in ready:
            self.model.appendRow(self._item(f))

    def _item(self, f: InboxFile) -> QStandardItem:
        item = QStandardItem(f.path.name)
        item.setData(f.path, PATH_ROLE)
        item.setData(f.key, PATH_ROLE + 1)
        item.setData(f.file_type, PATH_ROLE + 2)
        item.setIcon(self.thumbs.icon(f.key, f.path, f.file_type))
        item.setToolTip(f"{f.path.name}\n{f.size // 1024} KB")
        return item

    def _thumbnail_ready(self, key: str) -> None:
        for i in range(self.model.rowCount()):
            item = self.model.item(i)
            if item.data(PATH_ROLE + 1) == key:
                item.setIcon(self.thumbs.icon(key, item.data(PATH_ROLE), item.data(PATH_ROLE + 2)))

    def selected_paths(self) -> list[Path]:
        return [i.data(PATH_ROLE) for i in self.view.selectionModel().selectedIndexes()]

    def _assign(self) -> None:
        paths = self.selected_paths()
        if paths:
            self.assign_requested.emit(paths)

    def assigned(self, paths: list[Any]) -> None:
        """Called after the files were stored: remove the originals if the user chose so."""
        if self.remove_after.isChecked():
            for p in paths:
                Path(p).unlink(missing_ok=True)
        self.rescan()
