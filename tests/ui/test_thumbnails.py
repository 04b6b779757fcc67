"""Evidence thumbnails: every one the same size, the page on a card with an edge (a white page on a white list
shows its shape), made in the background and cached; one cached in the older form is made again."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QImage

from tests.conftest import make_pdf
from ui.thumbnails import SIZE, ThumbnailCache


def _made(qtbot: Any, cache: ThumbnailCache, sha: str, path: Path, kind: str) -> QImage:
    with qtbot.waitSignal(cache.signals.ready, timeout=20000):
        cache.icon(sha, path, kind)
    image = QImage(str(cache.file_for(sha)))
    assert not image.isNull()
    return image


def test_a_pdf_page_and_a_wide_photo_are_cards_of_one_size(qtbot: Any, tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path / "data")
    pdf = _made(qtbot, cache, "a" * 64, make_pdf(tmp_path / "纪要.pdf"), "pdf")
    photo_path = tmp_path / "照片.jpg"
    wide = QImage(900, 300, QImage.Format.Format_RGB32)
    wide.fill(QColor("#3060a0"))
    assert wide.save(str(photo_path))
    photo = _made(qtbot, cache, "b" * 64, photo_path, "jpeg")
    for image in (pdf, photo):
        assert image.size() == SIZE
        assert image.pixelColor(0, 0).alpha() == 0  # outside the card: the list's own background
    # The PDF page (A4, 3:4 like the card) fills the card but its edge: a grey line, then white paper.
    edge_x = next(x for x in range(SIZE.width()) if pdf.pixelColor(x, SIZE.height() // 2).alpha() == 255)
    assert pdf.pixelColor(edge_x, SIZE.height() // 2).name() == "#9a9a9a"
    assert pdf.pixelColor(edge_x + 3, SIZE.height() // 2).name() == "#ffffff"
    # The wide photo is centred, with room above and below it.
    assert photo.pixelColor(SIZE.width() // 2, 10).alpha() == 0
    shown = photo.pixelColor(SIZE.width() // 2, SIZE.height() // 2)
    assert abs(shown.red() - 0x30) + abs(shown.green() - 0x60) + abs(shown.blue() - 0xa0) <= 9  # JPEG's rounding


def test_a_thumbnail_cached_in_the_older_form_is_made_again(qtbot: Any, tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path / "data")
    cache.folder.mkdir(parents=True)
    old = cache.folder / f"{'c' * 64}.png"
    QImage(96, 128, QImage.Format.Format_RGB32).save(str(old))
    image = _made(qtbot, cache, "c" * 64, make_pdf(tmp_path / "a.pdf"), "pdf")
    assert image.size() == SIZE and not old.exists()
