"""A viewer for evidence: pages through PDFs (QtPdf) and images (multi-page TIFF too), zoom and rotate."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QKeySequence, QPixmap, QShortcut, QTransform
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout


class PageSource:
    """Pages of one file as images, whatever the file is."""

    def __init__(self, path: Path, file_type: str) -> None:
        self.path, self.file_type = path, file_type
        self.pdf: QPdfDocument | None = None
        if file_type == "pdf":
            self.pdf = QPdfDocument(None)
            self.pdf.load(str(path))
            if self.pdf.status() != QPdfDocument.Status.Ready:
                raise OSError(f"无法打开 PDF：{path.name}")
            self.count = self.pdf.pageCount()
        else:
            reader = QImageReader(str(path))
            self.count = max(reader.imageCount(), 1)
            if not reader.canRead():
                raise OSError(f"无法显示“{path.name}”（不是图片或 PDF）")

    def render(self, index: int, scale: float) -> QImage:
        if self.pdf is not None:
            size = self.pdf.pagePointSize(index)
            return self.pdf.render(index, QSize(int(size.width() * scale * 96 / 72),
                                                int(size.height() * scale * 96 / 72)))
        reader = QImageReader(str(self.path))
        reader.setAutoTransform(True)
        reader.jumpToImage(index)
        image = reader.read()
        if scale != 1.0 and not image.isNull():
            image = image.scaled(int(image.width() * scale), int(image.height() * scale),
                                 Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        return image


class EvidenceViewer(QDialog):
    def __init__(self, path: Path, file_type: str, title: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 1000)
        self.source = PageSource(path, file_type)
        self.page, self.zoom, self.rotation = 0, 1.0 if file_type == "pdf" else 0.5, 0
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.label)
        scroll.setWidgetResizable(True)
        self.status = QLabel()
        bar = QHBoxLayout()
        for text, slot, key in ((self.tr("上一页"), lambda: self.go(-1), "PgUp"),
                                (self.tr("下一页"), lambda: self.go(1), "PgDown"),
                                (self.tr("放大"), lambda: self.scale(1.25), "Ctrl++"),
                                (self.tr("缩小"), lambda: self.scale(0.8), "Ctrl+-"),
                                (self.tr("向左旋转"), lambda: self.rotate(-90), "Ctrl+L"),
                                (self.tr("向右旋转"), lambda: self.rotate(90), "Ctrl+R")):
            b = QPushButton(text)
            b.clicked.connect(slot)
            b.setToolTip(key)
            QShortcut(QKeySequence(key), self, activated=slot)
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.status)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(scroll, 1)
        self.show_page()

    def go(self, step: int) -> None:
        self.page = max(0, min(self.source.count - 1, self.page + step))
        self.show_page()

    def scale(self, factor: float) -> None:
        self.zoom = max(0.1, min(6.0, self.zoom * factor))
        self.show_page()

    def rotate(self, degrees: int) -> None:
        self.rotation = (self.rotation + degrees) % 360
        self.show_page()

    def show_page(self) -> None:
        image = self.source.render(self.page, self.zoom)
        if self.rotation:
            image = image.transformed(QTransform().rotate(self.rotation))
        self.label.setPixmap(QPixmap.fromImage(image))
        self.status.setText(self.tr("第 %d / %d 页　%d%%") % (self.page + 1, self.source.count, round(self.zoom * 100)))
