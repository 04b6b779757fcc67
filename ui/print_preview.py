"""打印预览: the exported PDF's real pages, then printed through Qt's print dialog.

The pages are shown by QPdfView, which has PDFium draw them at the size shown, as a PDF reader does.
(Qt's own print preview shows a picture of pages rendered for the printer and scaled down pixel by
pixel: thin strokes of the characters went missing, issue 10 item 10.) Printing renders each page
at the printer's resolution, where nothing is scaled down.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

MAX_DPI = 300


class PdfPrinter:
    """Paints a PDF's pages onto a printer, each page fitted to the paper."""

    def __init__(self, pdf: Path) -> None:
        self.doc = QPdfDocument(None)
        self.doc.load(str(pdf))
        if self.doc.status() != QPdfDocument.Status.Ready:
            raise OSError(f"无法打开 PDF：{pdf}")

    def page_count(self) -> int:
        return self.doc.pageCount()

    def paint(self, printer: QPrinter) -> None:
        painter = QPainter(printer)
        try:
            dpi = min(printer.resolution(), MAX_DPI)
            first, last = printer.fromPage() or 1, printer.toPage() or self.doc.pageCount()
            for index in range(first - 1, min(last, self.doc.pageCount())):
                if index > first - 1:
                    printer.newPage()
                self.paint_page(painter, index, dpi, QRectF(painter.viewport()))
        finally:
            painter.end()

    def paint_page(self, painter: QPainter, index: int, dpi: int, target: QRectF | QRect) -> None:
        """One page rendered at `dpi`, fitted into `target` (smoothly, should the two differ)."""
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        size = self.doc.pagePointSize(index)
        image = self.doc.render(index, QSize(int(size.width() / 72 * dpi), int(size.height() / 72 * dpi)))
        target = QRectF(target)
        scale = min(target.width() / image.width(), target.height() / image.height())
        w, h = image.width() * scale, image.height() * scale
        painter.drawImage(QRectF(target.x() + (target.width() - w) / 2, target.y() + (target.height() - h) / 2, w, h),
                          image)


class PrintPreviewDialog(QDialog):
    def __init__(self, pdf: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("打印预览"))
        self.resize(1000, 820)
        self.source = PdfPrinter(pdf)
        self.pdf, self.name = pdf, pdf.stem
        self.view = QPdfView(self)
        self.view.setDocument(self.source.doc)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setPageSpacing(12)
        bar = QHBoxLayout()
        for label, slot in ((self.tr("适合页面"), lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView)),
                            (self.tr("适合宽度"), lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)),
                            (self.tr("放大"), lambda: self.zoom(1.25)), (self.tr("缩小"), lambda: self.zoom(0.8))):
            button = QPushButton(label)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("共 %d 页") % self.source.page_count()))
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        bar.addWidget(self.print_button)
        bar.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)

    def zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.1, min(current * factor, 8.0)))

    def print_(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)
        printer.setDocName(self.name)
        printer.setFromTo(1, self.source.page_count())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印"))
        if dialog.exec():
            self.source.paint(printer)
            self.accept()


def preview_pdf(pdf: Path, parent: Any = None) -> int:
    """Show the preview; the clerk prints from it. Returns the dialog's result. The PDF is let go of
    when the dialog closes (Windows keeps an open file from being deleted)."""
    dialog = PrintPreviewDialog(pdf, parent)
    try:
        return dialog.exec()
    finally:
        dialog.view.setDocument(None)
        dialog.source.doc.close()
        dialog.deleteLater()
