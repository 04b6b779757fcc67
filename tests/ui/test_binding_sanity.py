"""Guards against a known binding bug: PySide6 6.12.0 dropped a reference to None on every
QStandardItem.data() call for an unset role, which crashed the program on Python 3.11 after
a few thousand calls (the round tree of a large round makes that many)."""
from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem


def test_item_data_keeps_none_alive(qapp: Any) -> None:
    item = QStandardItem("x")
    before = sys.getrefcount(None)
    for _ in range(200):
        item.data(Qt.ItemDataRole.UserRole + 9)
    assert sys.getrefcount(None) >= before - 5
