"""The window's size, docks and splitters, kept in QSettings between sessions."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter


def restore_layout(window: QMainWindow, settings: QSettings, splitters: dict[str, QSplitter]) -> bool:
    """Put the window back as it was left; False if nothing was kept (first start)."""
    geometry = settings.value("geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = settings.value("window_state")
    if state is not None:
        window.restoreState(state)
    for name, splitter in splitters.items():
        sizes = settings.value(f"{name}_sizes")
        if sizes is not None:
            splitter.restoreState(sizes)
    return geometry is not None


def save_layout(window: QMainWindow, settings: QSettings, splitters: dict[str, QSplitter]) -> None:
    settings.setValue("geometry", window.saveGeometry())
    settings.setValue("window_state", window.saveState())
    for name, splitter in splitters.items():
        settings.setValue(f"{name}_sizes", splitter.saveState())
