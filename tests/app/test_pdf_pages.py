"""The notice PDF cut into pages as it is laid out: the same pages as laying the whole notice out first."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.exporting.blocks import PageBreak
from app.exporting.compose_notice import NoticeOptions, compose_snapshot
from app.exporting.pdf_writer import LINES, PdfWriter
from app.importing.parser import parse_notice
from tests.app.snapshots import synthetic_snapshot

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


def _same(writer: PdfWriter) -> list[int]:
    whole = writer.paginate(writer.layout())
    streamed = list(writer.pages())
    assert streamed == whole
    return [len(p) for p in streamed]


@pytest.mark.parametrize("style", ["A", "B", "C"])
def test_a_long_notice_is_cut_alike(style: str) -> None:
    doc = compose_snapshot(synthetic_snapshot(300, style), NoticeOptions()).document
    sizes = _same(PdfWriter(doc))
    assert len(sizes) > 20 and max(sizes) <= LINES


def test_forced_breaks_and_a_kept_signature_are_cut_alike() -> None:
    doc = compose_snapshot(synthetic_snapshot(40), NoticeOptions()).document
    doc.blocks[10:10] = [PageBreak()]
    doc.blocks[25:25] = [PageBreak(), PageBreak()]
    _same(PdfWriter(doc))
    doc.blocks[:] = [b for b in doc.blocks if not isinstance(b, PageBreak)][:3]
    _same(PdfWriter(doc))
    doc.blocks[:] = []
    assert list(PdfWriter(doc).pages()) == [[]]


@pytest.mark.skipif(not SAMPLES.exists(), reason="the shared samples are not beside the project")
@pytest.mark.parametrize("sample", ["huangpi_2024.txt", "panlongcheng_2022.txt", "shizhong_2022.txt"])
def test_the_samples_are_cut_alike(sample: str, db: object) -> None:
    from app.exporting.compose_notice import compose_notice
    from app.importing.commit import commit_notice

    rid = commit_notice(db, parse_notice((SAMPLES / sample).read_text(encoding="utf-8")))  # type: ignore[arg-type]
    _same(PdfWriter(compose_notice(db, rid).document))  # type: ignore[arg-type]
