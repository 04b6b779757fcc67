"""One registry of the window's actions: text, shortcut, menu place, the slot they trigger, and whether
they need an open round.

A slot takes no arguments: `QAction.triggered` carries a `checked` flag, which is dropped here, so a
slot with a default argument (`export(what="notice")`) never receives `False` for it (issue 10, item 1).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar


@dataclass(frozen=True)
class ActionSpec:
    key: str
    menu: str                 # a menu of MENUS, or "菜单/子菜单"
    text: str
    slot: Callable[[], object]
    shortcut: QKeySequence.StandardKey | str | None = None
    toolbar: bool = False
    tip: str = ""
    needs_round: bool = False  # disabled while no round is open


MENUS = ("文件", "编辑", "视图", "设置", "帮助")


class ActionRegistry:
    """The window's actions by key, placed in the menu bar (None in the specs = separator) and toolbar."""

    def __init__(self, window: QMainWindow, specs: list[ActionSpec | None],
                 extra: dict[str, list[QAction]] | None = None) -> None:
        self.specs = {s.key: s for s in specs if s is not None}
        self.actions: dict[str, QAction] = {}
        bar = window.menuBar()
        menus: dict[str, QMenu] = {name: bar.addMenu(window.tr(name)) for name in MENUS}
        toolbar = QToolBar(window.tr("工具栏"))
        toolbar.setObjectName("main_toolbar")
        window.addToolBar(toolbar)
        last_menu = MENUS[0]
        for spec in specs:
            if spec is None:
                menus[last_menu.split("/")[0]].addSeparator()
                continue
            menu = menus.get(spec.menu)
            if menu is None:  # a submenu, made when first named
                top, sub = spec.menu.split("/", 1)
                menu = menus[spec.menu] = menus[top].addMenu(window.tr(sub))
            action = QAction(window.tr(spec.text), window)
            action.setObjectName(f"action_{spec.key}")
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            if spec.tip:
                action.setStatusTip(window.tr(spec.tip))
            action.triggered.connect(lambda _checked=False, slot=spec.slot: slot())
            menu.addAction(action)
            if spec.toolbar:
                toolbar.addAction(action)
            self.actions[spec.key] = action
            last_menu = spec.menu
            for extra_action in (extra or {}).get(spec.key, []):
                menu.addAction(extra_action)
        self.toolbar = toolbar

    def __getitem__(self, key: str) -> QAction:
        return self.actions[key]

    def set_round_open(self, open_: bool) -> None:
        for key, spec in self.specs.items():
            if spec.needs_round:
                self.actions[key].setEnabled(open_)
