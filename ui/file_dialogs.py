"""File dialogs that open where the clerk last was (or in the Documents folder), never in the program's
own folder. The folder is kept in the window's QSettings (a per-machine preference)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

KEY = "last_folder"


def start_folder(settings: QSettings) -> Path:
    last = settings.value(KEY, "", type=str)
    if last and Path(last).is_dir():
        return Path(last)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def remember(settings: QSettings, path: str | Path) -> None:
    p = Path(path)
    settings.setValue(KEY, str(p if p.is_dir() else p.parent))


def open_files(parent: QWidget | None, settings: QSettings, title: str, filters: str) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder(settings)), filters)
    if names:
        remember(settings, names[0])
    return [Path(n) for n in names]


def open_file(parent: QWidget | None, settings: QSettings, title: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder(settings)), filters)
    if name:
        remember(settings, name)
    return Path(name) if name else None


def save_file(parent: QWidget | None, settings: QSettings, title: str, file_name: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder(settings) / file_name), filters)
    if name:
        remember(settings, name)
    return Path(name) if name else None


def folder(parent: QWidget | None, settings: QSettings, title: str, current: str = "") -> Path | None:
    start = current if current and Path(current).is_dir() else str(start_folder(settings))
    name = QFileDialog.getExistingDirectory(parent, title, start)
    if name:
        remember(settings, name)
    return Path(name) if name else None
