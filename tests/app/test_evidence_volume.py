"""The bound evidence volume: pages, outline and contents match the data; JPEG passes through; cancel."""
from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from app.exporting.evidence_volume import Cancelled, write_evidence_volume
from app.services import evidence
from db.session import Database
from tests.conftest import make_pdf


@pytest.fixture
def attached(db: Database, seeded: dict[str, int], tmp_path: Path) -> dict[str, Path]:
    files = {"pdf": make_pdf(tmp_path / "纪要.pdf", pages=3), "jpg": tmp_path / "扫描件.jpg",
             "tif": tmp_path / "照片.tif", "docx": tmp_path / "制度.docx"}
    Image.new("RGB", (620, 877), (250, 250, 240)).save(files["jpg"], quality=85)
    frames = [Image.new("L", (300, 400), c) for c in (30, 220)]
    frames[0].save(files["tif"], save_all=True, append_images=frames[1:])
    with zipfile.ZipFile(files["docx"], "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    evidence.attach_evidence(db, files["pdf"], [seeded["p1"]])
    evidence.attach_evidence(db, files["jpg"], [seeded["p1"]])
    evidence.attach_evidence(db, files["tif"], [seeded["p2"]])
    evidence.attach_evidence(db, files["docx"], [seeded["p2"], seeded["p3"]])
    return files


def test_volume_pages_outline_and_contents(db: Database, seeded: dict[str, int], attached: dict[str, Path],
                                           tmp_path: Path) -> None:
    out = write_evidence_volume(db, seeded["round"], tmp_path / "汇编.pdf", include_hashes=True)
    reader = PdfReader(str(out))
    # cover 1 + contents 1 + 3 dividers + pdf 3 + jpeg 1 + tiff 2 + appendix 1
    assert len(reader.pages) == 1 + 1 + 3 + 3 + 1 + 2 + 1
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    children = [[x.title for x in o] for o in reader.outline if isinstance(o, list)]
    assert top[:2] == ["封面", "目录"] and top[-1] == "附录：文件校验值（SHA-256）"
    assert [t.split(".")[0] for t in top[2:5]] == ["1", "2", "3"]  # the problems, in ledger order
    assert top[2].startswith("1. 制度不健全") and top[3].startswith("2. 学习计划性不强")
    assert children == [["纪要.pdf", "扫描件.jpg"], ["照片.tif"]]  # Word files have no pages to point at
    pages = {o.title: reader.get_destination_page_number(o) for o in reader.outline if not isinstance(o, list)}
    assert pages[top[2]] == 2 and pages[top[3]] == 3 and pages[top[4]] == 3 + 1 + 3 + 1
    contents = reader.pages[1].extract_text()
    assert "附件（电子文件）" in contents and "纪要.pdf" in contents and "（无佐证材料）" not in contents
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "— 12 —" in text and evidence.list_evidence(db, seeded["p1"])[0].sha256 in text
    assert attached["pdf"].exists()


def test_jpeg_is_embedded_without_re_encoding(db: Database, seeded: dict[str, int], attached: dict[str, Path],
                                              tmp_path: Path) -> None:
    out = write_evidence_volume(db, seeded["round"], tmp_path / "v.pdf")
    data = out.read_bytes()
    assert attached["jpg"].read_bytes() in data


def test_selection_and_cancel(db: Database, seeded: dict[str, int], attached: dict[str, Path], tmp_path: Path) -> None:
    out = write_evidence_volume(db, seeded["round"], tmp_path / "one.pdf", problem_ids=[seeded["p2"]])
    assert len(PdfReader(str(out)).pages) == 1 + 1 + 1 + 2
    target = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        write_evidence_volume(db, seeded["round"], target, cancelled=lambda: True)
    assert not target.exists() and not list(tmp_path.glob(".~*"))


def test_a_category_only(db: Database, seeded: dict[str, int], attached: dict[str, Path], tmp_path: Path) -> None:
    out = write_evidence_volume(db, seeded["round"], tmp_path / "item.pdf", category_id=seeded["item"])
    reader = PdfReader(str(out))
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert [t.split(".")[0] for t in titles[2:]] == ["2", "3"]  # the 项's two problems, not the 方面's own


def test_size_limit_is_a_machine_setting(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    from app import local_settings
    from app.errors import EvidenceError, ValidationError

    local_settings.set_value(db.data_dir, "max_evidence_mb", 1)
    big = tmp_path / "big.jpg"
    Image.effect_noise((1500, 1500), 80).convert("RGB").save(big, quality=100)
    assert big.stat().st_size > 1024 * 1024
    with pytest.raises(EvidenceError, match="1 MB 的上限"):
        evidence.attach_evidence(db, big, [seeded["p1"]])
    with pytest.raises(ValidationError):
        local_settings.set_value(db.data_dir, "max_evidence_mb", 0)
