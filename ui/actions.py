"""One registry of the window's actions: text, shortcut, menu place, and the slot they trigger."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar


@dataclass(frozen=True)
class ActionSpec:
    key: str
    menu: str
    text: str
    slot: Callable[[], None]
    shortcut: QKeySequence.StandardKey | str | None = None
    toolbar: bool = False
    tip: str = ""


MENUS = ("文件", "编辑", "视图", "设置", "帮助")


def build_actions(window: QMainWindow, specs: list[ActionSpec | None], extra: dict[str, list[QAction]]
                  ) -> dict[str, QAction]:
    """Create the actions, put them in the menu bar (None = separator) and the toolbar."""
    menus: dict[str, QMenu] = {}
    bar = window.menuBar()
    for name in MENUS:
        menus[name] = bar.addMenu(window.tr(name))
    toolbar = QToolBar(window.tr("工具栏"))
    toolbar.setObjectName("main_toolbar")
    window.addToolBar(toolbar)
    actions: dict[str, QAction] = {}
    last_menu = MENUS[0]
    for spec in specs:
        if spec is None:
            menus[last_menu].addSeparator()
            continue
        action = QAction(window.tr(spec.text), window)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setStatusTip(window.tr(spec.tip))
        action.triggered.connect(spec.slot)
        menus[spec.menu].addAction(action)
        if spec.toolbar:
            toolbar.addAction(action)
        actions[spec.key] = action
        last_menu = spec.menu
        for extra_action in extra.get(spec.key, []):
            menus[spec.menu].addAction(extra_action)
    return actions
