"""A viewer for evidence: pages through PDFs (QtPdf) and images (multi-page TIFF too), zoom and rotate."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QKeySequence, QPixmap, QShortcut, QTransform
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout

from app.errors import EvidenceError
from app.evidence_store import MAX_IMAGE_PIXELS, check_image_size

MAX_SHOWN_PIXELS = 40_000_000  # one page as shown, whatever the zoom: about 160 MB of image


class PageSource:
    """Pages of one file as images, whatever the file is."""

    def __init__(self, path: Path, file_type: str) -> None:
        self.path, self.file_type = path, file_type
        self.pdf: QPdfDocument | None = None
        if file_type == "pdf":
            self.pdf = QPdfDocument(None)
            self.pdf.load(str(path))
            if self.pdf.status() != QPdfDocument.Status.Ready:
                if self.pdf.error() == QPdfDocument.Error.IncorrectPassword:
                    raise EvidenceError(f"PDF 文件“{path.name}”有打开密码，无法在程序中查看。")
                raise EvidenceError(f"无法打开 PDF“{path.name}”，文件可能已损坏。")
            self.count = self.pdf.pageCount()
        else:
            reader = QImageReader(str(path))
            if not reader.canRead():
                raise EvidenceError(f"无法显示“{path.name}”（不是图片或 PDF，或文件已损坏）。")
            self.count = max(reader.imageCount(), 1)
            size = QImageReader(str(path)).size()
            check_image_size(size.width(), size.height(), path.name,  # before any pixel is decoded
                             "无法在程序中查看。可以用“用系统程序打开”查看它。")

    def render(self, index: int, scale: float) -> QImage:
        if self.pdf is not None:
            size = self.pdf.pagePointSize(index)
            w, h = size.width() * scale * 96 / 72, size.height() * scale * 96 / 72
            shrink = min(1.0, (MAX_SHOWN_PIXELS / max(w * h, 1.0)) ** 0.5)
            return self.pdf.render(index, QSize(max(int(w * shrink), 1), max(int(h * shrink), 1)))
        reader = QImageReader(str(self.path))
        reader.setAutoTransform(True)
        reader.jumpToImage(index)
        size = reader.size()
        if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
            return QImage()  # a later frame of a TIFF too large to decode: shown blank, not decoded
        w, h = size.width() * scale, size.height() * scale
        shrink = min(1.0, (MAX_SHOWN_PIXELS / max(w * h, 1.0)) ** 0.5)
        if scale * shrink < 1.0:  # decode straight to the size shown
            reader.setScaledSize(QSize(max(int(w * shrink), 1), max(int(h * shrink), 1)))
            return reader.read()
        image = reader.read()
        if scale != 1.0 and not image.isNull():
            image = image.scaled(int(w * shrink), int(h * shrink),
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
