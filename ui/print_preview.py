"""打印预览: the real pages of an exported PDF, printed through Qt's print dialog."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QPaintEngine, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

MAX_DPI = 300
PREVIEW_DPI = 200  # the preview shows a page at ~100 dpi: twice that keeps zooming in sharp, scaling down clean


class PdfPrinter:
    """Paints a PDF's pages onto a printer (or the preview), each page fitted to the paper."""

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
            engine = painter.paintEngine()
            preview = engine is not None and engine.type() == QPaintEngine.Type.Picture
            dpi = PREVIEW_DPI if preview else min(printer.resolution(), MAX_DPI)
            first, last = printer.fromPage() or 1, printer.toPage() or self.doc.pageCount()
            for index in range(first - 1, min(last, self.doc.pageCount())):
                if index > first - 1:
                    printer.newPage()
                self.paint_page(painter, index, dpi, QRectF(painter.viewport()))
        finally:
            painter.end()

    def paint_page(self, painter: QPainter, index: int, dpi: int, target: QRectF | QRect) -> None:
        """One page rendered at `dpi`, fitted into `target`. The preview shows it much smaller than it
        was rendered: scaled without smoothing, thin strokes of the characters fell between the pixels
        kept (issue 10, item 10), hence the smooth transform."""
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        size = self.doc.pagePointSize(index)
        image = self.doc.render(index, QSize(int(size.width() / 72 * dpi), int(size.height() / 72 * dpi)))
        target = QRectF(target)
        scale = min(target.width() / image.width(), target.height() / image.height())
        w, h = image.width() * scale, image.height() * scale
        painter.drawImage(QRectF(target.x() + (target.width() - w) / 2, target.y() + (target.height() - h) / 2, w, h),
                          image)


def preview_pdf(pdf: Path, parent: Any = None) -> int:
    """Show the preview dialog; the user prints from it. Returns the dialog's result."""
    printer_source = PdfPrinter(pdf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setDocName(pdf.stem)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("打印预览")
    dialog.resize(1000, 800)
    dialog.paintRequested.connect(printer_source.paint)
    return dialog.exec()
