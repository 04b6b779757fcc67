"""File dialogs that open where the clerk last was (or in the Documents folder), never in the program's
own folder. The folder is kept in the window's QSettings (a per-machine preference)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QSplitter, QTreeView, QWidget

KEY = "last_folder"


def settings_for(widget: QWidget | None) -> QSettings:
    """The window's settings for a dialog opened from it (the window keeps them), else the program's."""
    while widget is not None:
        found = getattr(widget, "settings", None)
        if isinstance(found, QSettings):
            return found
        widget = widget.parentWidget()
    return QSettings()


def start_folder(settings: QSettings) -> Path:
    last = settings.value(KEY, "", type=str)
    if last and Path(last).is_dir():
        return Path(last)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def remember(settings: QSettings, path: str | Path) -> None:
    p = Path(path)
    settings.setValue(KEY, str(p if p.is_dir() else p.parent))


def _run(parent: QWidget | None, settings: QSettings, title: str, start: str, filters: str,
         mode: QFileDialog.FileMode, save: bool = False) -> list[Path]:
    """A file dialog big enough for long names and dates (Qt's own dialog opens small), with the
    filters named without their list of patterns; the system's dialog where there is one."""
    dialog = QFileDialog(parent, title, start, filters)
    dialog.setFileMode(mode)
    dialog.setOption(QFileDialog.Option.HideNameFilterDetails)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    dialog.resize(960, 600)
    for splitter in dialog.findChildren(QSplitter):  # Qt's own dialog: room for the places' names
        splitter.setSizes([200, 760])
    for view in dialog.findChildren(QTreeView):  # … and for the names and the whole date
        header = view.header()
        for column, width in ((0, 340), (1, 90), (2, 90), (3, 190)):
            header.resizeSection(column, width)
    if not dialog.exec():
        return []
    chosen = [Path(n) for n in dialog.selectedFiles()]
    if chosen:
        remember(settings, chosen[0])
    return chosen


def open_files(parent: QWidget | None, settings: QSettings, title: str, filters: str) -> list[Path]:
    return _run(parent, settings, title, str(start_folder(settings)), filters, QFileDialog.FileMode.ExistingFiles)


def open_file(parent: QWidget | None, settings: QSettings, title: str, filters: str) -> Path | None:
    chosen = _run(parent, settings, title, str(start_folder(settings)), filters, QFileDialog.FileMode.ExistingFile)
    return chosen[0] if chosen else None


def save_file(parent: QWidget | None, settings: QSettings, title: str, file_name: str, filters: str) -> Path | None:
    """`file_name` alone starts in the last folder; a whole path starts where it points."""
    start = Path(file_name) if Path(file_name).is_absolute() and Path(file_name).parent.is_dir() \
        else start_folder(settings) / Path(file_name).name
    chosen = _run(parent, settings, title, str(start), filters, QFileDialog.FileMode.AnyFile, save=True)
    return chosen[0] if chosen else None


def folder(parent: QWidget | None, settings: QSettings, title: str, current: str = "") -> Path | None:
    start = current if current and Path(current).is_dir() else str(start_folder(settings))
    chosen = _run(parent, settings, title, start, "", QFileDialog.FileMode.Directory)
    return chosen[0] if chosen else None
