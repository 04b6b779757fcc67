"""Evidence thumbnails: first page of PDFs and TIFFs, images scaled; made in the background, cached on disk."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from app.evidence_store import MAX_IMAGE_PIXELS

SIZE = QSize(120, 160)
_EDGE = 4          # room around the page on its card, for the shadow
_CACHE = "v2"      # the cards' form: thumbnails cached in an older one are made again


def on_card(page: QImage) -> QImage:
    """The page on a card of the thumbnail's size: on white paper with a grey edge and a slight shadow,
    centred. A white page then shows its shape on the white list, and every thumbnail takes the same room."""
    room = QSize(SIZE.width() - 2 * _EDGE, SIZE.height() - 2 * _EDGE)
    if page.width() > room.width() or page.height() > room.height():
        page = page.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    card = QImage(SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    card.fill(Qt.GlobalColor.transparent)
    x, y = (SIZE.width() - page.width()) // 2, (SIZE.height() - page.height()) // 2
    painter = QPainter(card)
    painter.fillRect(x + 2, y + 2, page.width(), page.height(), QColor(0, 0, 0, 50))
    painter.fillRect(x, y, page.width(), page.height(), Qt.GlobalColor.white)
    painter.drawImage(x, y, page)
    painter.setPen(QColor("#9a9a9a"))
    painter.drawRect(x, y, page.width() - 1, page.height() - 1)
    painter.end()
    return card


def render_thumbnail(path: Path, file_type: str) -> QImage | None:
    if file_type == "pdf":
        from PySide6.QtPdf import QPdfDocument

        doc = QPdfDocument(None)
        doc.load(str(path))
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() == 0:
            return None
        page = doc.pagePointSize(0)
        scale = min(SIZE.width() / max(page.width(), 1), SIZE.height() / max(page.height(), 1))
        image = doc.render(0, QSize(int(page.width() * scale), int(page.height() * scale)))
        doc.close()
        return image if not image.isNull() else None
    if file_type in ("jpeg", "png", "tiff", "bmp"):
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        size = reader.size()
        if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
            return None  # unknown or too many pixels to decode (a decompression bomb): the generic icon
        reader.setScaledSize(size.scaled(SIZE, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()  # the first frame of a multi-page TIFF
        return image if not image.isNull() else None
    return None


class _Job(QRunnable):
    def __init__(self, cache: ThumbnailCache, sha: str, path: Path, file_type: str) -> None:
        super().__init__()
        self.cache, self.sha, self.path, self.file_type = cache, sha, path, file_type

    def run(self) -> None:
        try:
            image = render_thumbnail(self.path, self.file_type)
            if image is not None:
                on_card(image).save(str(self.cache.file_for(self.sha)), "PNG")
                (self.cache.folder / f"{self.sha}.png").unlink(missing_ok=True)  # the older form's
        except Exception:  # a broken file just keeps its generic icon
            image = None
        self.cache.signals.ready.emit(self.sha)


class _Signals(QObject):
    ready = Signal(str)


class ThumbnailCache:
    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "thumbs"
        self.signals = _Signals()
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)  # PDFium is not thread-safe
        self._pending: set[str] = set()
        self.signals.ready.connect(self._pending.discard)

    def file_for(self, sha: str) -> Path:
        """Where the thumbnail is written (the folder made if need be)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self._cached(sha)

    def _cached(self, sha: str) -> Path:
        return self.folder / f"{sha}.{_CACHE}.png"

    def icon(self, sha: str, path: Path | None, file_type: str) -> QIcon:
        """The cached thumbnail, or a generic icon while one is made (`ready` is emitted then).
        `path` None: a file that must not be read (its stored path leaves the store)."""
        cached = self._cached(sha)
        if path is not None and cached.exists():
            return QIcon(QPixmap(str(cached)))
        if file_type in ("pdf", "jpeg", "png", "tiff", "bmp") and sha not in self._pending and path is not None \
                and path.exists():
            self._pending.add(sha)
            self.pool.start(_Job(self, sha, path, file_type))
        # Imported here: QStyle's Python type (hundreds of enum members) takes 15 ms to make, not wanted at start.
        from PySide6.QtWidgets import QStyle

        return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def wait(self) -> None:
        self.pool.waitForDone()
