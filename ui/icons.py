"""Small drawn icons (status dots), so no image files are needed for them."""
from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from db.enums import Status

STATUS_HEX = {
    Status.NOT_STARTED: "#9e9e9e", Status.IN_PROGRESS: "#1e88e5", Status.PENDING_REVIEW: "#8e24aa",
    Status.DONE: "#43a047", Status.LONG_TERM: "#00897b",
}


@cache
def dot(hex_colour: str, size: int = 12) -> QIcon:
    pix = QPixmap(size * 2, size * 2)  # drawn at 2x: sharp on high-DPI screens
    pix.setDevicePixelRatio(2.0)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(hex_colour))
    p.setPen(QColor(hex_colour).darker(130))
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return QIcon(pix)


def status_icon(status: Status) -> QIcon:
    return dot(STATUS_HEX[status])
