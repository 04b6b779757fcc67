"""The bound evidence volume: pages, outline and contents match the data; JPEG passes through; cancel."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pikepdf import PdfImage
from PIL import Image
from pypdf import PdfReader

from app.exporting.evidence_volume import Cancelled, write_evidence_volume
from app.services import evidence, problems
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


@pytest.mark.parametrize("system", ["linux", "win32"])  # copied by the kernel (sendfile), or in chunks
def test_jpeg_is_embedded_without_re_encoding(db: Database, seeded: dict[str, int], attached: dict[str, Path],
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system: str) -> None:
    if system != sys.platform:
        monkeypatch.setattr(sys, "platform", system)
    out = write_evidence_volume(db, seeded["round"], tmp_path / "v.pdf")
    data = out.read_bytes()
    assert attached["jpg"].read_bytes() in data
    with pikepdf.open(out) as pdf:  # the image whole, read back through the file's own structure
        assert pdf.check_pdf_syntax() == []  # qpdf finds every object where the cross-reference says
        [image] = [PdfImage(obj) for page in pdf.pages for obj in page.get_images().values()
                   if obj.Filter == pikepdf.Name.DCTDecode]
        assert image.obj.read_raw_bytes() == attached["jpg"].read_bytes()


@pytest.mark.parametrize("mode, space", [("L", "/DeviceGray"), ("RGB", "/DeviceRGB"), ("CMYK", "/DeviceCMYK")])
def test_each_jpeg_keeps_its_size_and_colours(db: Database, seeded: dict[str, int], tmp_path: Path,
                                              mode: str, space: str) -> None:
    """The image's dictionary is written from what the plan read (no second opening): its size, colour space
    and, for an Adobe CMYK scan, the inverted /Decode; the page shows the scan's own colours."""
    scan = tmp_path / f"扫描{mode}.jpg"
    colour = {"L": 90, "RGB": (200, 40, 30), "CMYK": (10, 200, 30, 0)}[mode]
    Image.new(mode, (333, 517), colour).save(scan, quality=95)  # type: ignore[arg-type]
    evidence.attach_evidence(db, scan, [seeded["p1"]])
    out = write_evidence_volume(db, seeded["round"], tmp_path / "v.pdf")
    assert scan.read_bytes() in out.read_bytes()  # the file's own bytes
    with pikepdf.open(out) as pdf:
        [image] = [PdfImage(obj) for page in pdf.pages for obj in page.get_images().values()]
        assert (image.width, image.height, str(image.obj.ColorSpace)) == (333, 517, space)
        assert ("/Decode" in image.obj) == (mode == "CMYK")
        shown = image.as_pil_image().convert("RGB").getpixel((166, 258))
    expected = Image.open(scan).convert("RGB").getpixel((166, 258))
    assert all(abs(a - b) <= 6 for a, b in zip(shown, expected, strict=True)), (shown, expected)


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


# -- issue 11, items 17–18 -------------------------------------------------------------------------------
def _pdftext(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                          text=True).stdout


def _annotated_rotated_pdf(path: Path) -> Path:
    import pikepdf

    make_pdf(path, pages=2, text="rotated")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0].obj
        page.Rotate = 90
        note = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, Rect=[100, 600, 300, 700],
                                  C=[1, 0, 0], F=4, Contents=pikepdf.String("批注"))
        page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))
        pdf.save(path)
    return path


def _form_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.acroForm.textfield(name="who", value="filled in by hand", x=72, y=700, width=200, height=20)
    c.showPage()
    c.save()
    return path


def _owner_locked(path: Path, user: str = "") -> Path:
    import pikepdf

    plain = make_pdf(path.with_suffix(".plain.pdf"), text="locked")
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner-secret", user=user,
                                                     allow=pikepdf.Permissions(extract=False)))
    return path


def test_dividers_only_for_problems_with_evidence(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    scan = tmp_path / "横向照片.jpg"
    Image.new("RGB", (1200, 800), (200, 220, 240)).save(scan, quality=85)
    evidence.attach_evidence(db, scan, [seeded["p1"]])
    out = write_evidence_volume(db, seeded["round"], tmp_path / "v.pdf", include_hashes=True)
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1 + 1 + 1 + 1 + 1          # cover, contents, one divider, the photo, appendix
    contents = _pdftext(out, 2)
    assert contents.count("无") == 2 and "横向照片.jpg" in contents
    assert "— 1 —" not in _pdftext(out, 1) and "— 2 —" in contents  # the cover carries no number
    photo = reader.pages[3]
    assert float(photo.mediabox.width) > float(photo.mediabox.height)   # a landscape photo on a landscape page
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes " in f for f in fonts), fonts        # every font embedded, no Courier/Helvetica


def test_one_font_subset_for_all_dividers(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    ids = [problems.create_problem(db, seeded["round"], f"第{i}个问题，整改情况说明。") for i in range(12)]
    for i, pid in enumerate(ids):
        scan = tmp_path / f"scan{i}.jpg"
        Image.new("RGB", (300, 420), (i * 10, 200, 200)).save(scan)
        evidence.attach_evidence(db, scan, [pid])
    out = write_evidence_volume(db, seeded["round"], tmp_path / "v.pdf")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert len(PdfReader(str(out)).pages) == 2 + 12 * 2 and len(fonts) <= 5   # not one copy per divider


def test_copied_pages_keep_annotations_forms_and_rotation(db: Database, seeded: dict[str, int],
                                                          tmp_path: Path) -> None:
    rotated = _annotated_rotated_pdf(tmp_path / "批注.pdf")
    evidence.attach_evidence(db, rotated, [seeded["p1"], seeded["p3"]])
    evidence.attach_evidence(db, _form_pdf(tmp_path / "表单.pdf"), [seeded["p2"]])
    evidence.attach_evidence(db, _owner_locked(tmp_path / "加密.pdf"), [seeded["p2"]])   # owner password only
    out = write_evidence_volume(db, seeded["round"], tmp_path / "v.pdf", include_hashes=True)
    reader = PdfReader(str(out))
    # p3 (制度不健全) comes first in reading order: divider 3, its two pages 4–5.
    page = reader.pages[3]
    assert page.get("/Rotate") == 90 and page["/Annots"][0].get_object()["/Subtype"] == "/Square"
    # The number sits at the foot of the page as it is displayed, upright.
    words = subprocess.run(["pdftotext", "-bbox", "-f", "4", "-l", "4", str(out), "-"], capture_output=True,
                           text=True).stdout
    import re

    box = re.search(r'<page width="([\d.]+)" height="([\d.]+)">', words)
    num = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">4</word>', words)
    assert box and num
    height, width = float(box.group(1)), float(box.group(2))   # poppler: the unrotated size, words as displayed
    assert width > height and float(num.group(2)) > height * 0.9 and abs(float(num.group(1)) - width / 2) < 30
    fields = reader.get_fields() or {}
    assert any(str(f.get("/V")) == "filled in by hand" for f in fields.values())       # the form value is kept
    assert "locked" in subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    appendix = _pdftext(out, len(reader.pages))
    assert appendix.count("批注.pdf") == 1 and "问题1、2" in appendix  # p3 is 问题1, p1 问题2


def test_open_password_and_paths_outside_the_store_are_refused(db: Database, seeded: dict[str, int],
                                                               tmp_path: Path) -> None:
    from app.errors import LedgerError

    locked = _owner_locked(tmp_path / "打开密码.pdf", user="open-me")
    # attach_evidence refuses such a file; a file attached before that check may still be one
    stored = evidence.attach_evidence(db, make_pdf(tmp_path / "ok.pdf"), [seeded["p1"]])
    row = evidence.list_evidence(db, seeded["p1"])[0]
    target = db.data_dir / row.stored_path
    target.chmod(0o644)
    target.write_bytes(locked.read_bytes())
    with pytest.raises(LedgerError, match="打开密码"):
        write_evidence_volume(db, seeded["round"], tmp_path / "v.pdf")
    from sqlalchemy import text

    with db.engine.begin() as conn:  # behind the program's back, on either engine
        conn.execute(text("update evidence set stored_path = '../../etc/passwd' where id = :id"), {"id": row.id})
    with pytest.raises(LedgerError, match="不在佐证材料库内"):
        write_evidence_volume(db, seeded["round"], tmp_path / "v2.pdf")
    assert stored is not None and not (tmp_path / "v.pdf").exists()


def test_the_cover_carries_the_date_chosen_for_the_volume_not_the_notices(
        db: Database, seeded: dict[str, int], attached: dict[str, Path], tmp_path: Path) -> None:
    """The volume is put together on a day of its own: the notice's 成文日期 is not its date, nor is today."""
    import datetime as dt

    from app.exporting.service import export
    from app.services import rounds

    rounds.update_notice_settings(db, seeded["round"], sign_date=dt.date(2022, 5, 17))

    def cover(path: Path) -> str:
        return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                              text=True).stdout

    chosen = export(db, "evidence", seeded["round"], "pdf", tmp_path / "dated.pdf", sign_date=dt.date(2024, 7, 8))
    assert "2024年7月8日" in cover(chosen.path) and "2022年5月17日" not in cover(chosen.path)
    assert not chosen.preflight
    bare = export(db, "evidence", seeded["round"], "pdf", tmp_path / "bare.pdf")
    text = cover(bare.path)
    assert "中共某区行政审批服务局党组" in text and not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)
    assert [i.severity.value for i in bare.preflight] == ["缺少"] and "日期" in bare.preflight[0].message
