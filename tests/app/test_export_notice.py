"""The notice as .docx and .pdf: content in order, GB/T 9704 checker, grid, fonts, public version, round trip."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.exporting.blocks import LayoutOptions
from app.exporting.compose_notice import NoticeOptions, compose_notice
from app.exporting.docx_writer import write_docx
from app.exporting.hygiene import fix_text
from app.exporting.linebreak import NO_END, NO_START
from app.exporting.pdf_writer import BLOCK_W, LEFT, write_pdf
from app.importing.commit import commit_notice
from app.importing.parser import parse_notice
from app.importing.readers import read_document
from app.services import categories, measures, problems, rounds, status
from db.models import Status
from db.session import Database
from tests.conftest import ROOT, SAMPLES

CHECKER = ROOT.parent / "shared" / "tools" / "check_docx_gbt9704.py"
NAMES = ("huangpi_2024", "shizhong_2022", "panlongcheng_2022")


def load_sample(db: Database, name: str) -> int:
    return commit_notice(db, parse_notice((SAMPLES / f"{name}.txt").read_text(encoding="utf-8")))


def checker(path: Path) -> str:
    out = subprocess.run([sys.executable, str(CHECKER), str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout
    return out.stdout


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    text = re.sub(r"^\s*\u2014 \d+ \u2014\s*$", "", out.stdout, flags=re.M)  # page numbers
    return re.sub(r"\s+", "", text)


def clean(text: str) -> str:
    return re.sub(r"\s+", "", fix_text(text)[0])


def in_order(haystack: str, needles: list[str]) -> None:
    pos = 0
    for n in needles:
        found = haystack.find(n, pos)
        assert found >= 0, f"not found after {pos}: {n!r}"
        pos = found + len(n)


@pytest.mark.parametrize("name", NAMES)
def test_sample_exports_hold_every_problem_in_order(db: Database, tmp_path: Path, name: str) -> None:
    rid = load_sample(db, name)
    composed = compose_notice(db, rid, NoticeOptions(today=dt.date(2024, 7, 1)))
    docx = write_docx(composed.document, tmp_path / f"{name}.docx")
    pdf = write_pdf(composed.document, tmp_path / f"{name}.pdf")
    assert "0 failed" in checker(docx)

    rows = problems.list_problems(db, rid)
    style = rounds.get_round(db, rid).layout_style
    docx_text = re.sub(r"\s+", "", read_document(docx))
    pdf_flat = pdf_text(pdf)
    expected: list[str] = []
    for i, p in enumerate(rows, 1):
        head = f"问题{_cn(i)}：" if style == "B" else f"{i}."
        expected.append(head + clean(p.text)[:12] if style == "B" else head)
        expected.append(clean(p.narrative.splitlines()[0])[:24])
    in_order(docx_text, expected)
    in_order(pdf_flat, expected)
    sig = rounds.get_notice_settings(db, rid)
    assert pdf_flat.endswith(sig.signature + f"{sig.sign_date.year}年{sig.sign_date.month}月{sig.sign_date.day}日")


def _cn(n: int) -> str:
    from app.numerals import to_chinese

    return to_chinese(n)


@pytest.mark.parametrize("name", NAMES)
def test_pdf_fonts_embedded_grid_and_line_breaks(db: Database, tmp_path: Path, name: str) -> None:
    rid = load_sample(db, name)
    pdf = write_pdf(compose_notice(db, rid).document, tmp_path / "n.pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts), fonts

    # Text positions as poppler reads them: one <word> per run of glyphs, grouped into lines by y.
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    full_lines = 0
    for page_xml in xml.split("<page ")[1:]:
        lines: dict[float, list[tuple[float, float, str]]] = {}
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                             page_xml):
            x0, y, x1, text = float(m.group(1)), round(float(m.group(2))), float(m.group(3)), m.group(4)
            if y < 745:  # the text block ends 262 mm from the top; the page number is below it
                lines.setdefault(y, []).append((x0, x1, text))
        assert len(lines) <= 22
        for row in lines.values():
            row.sort()
            text = "".join(t for _a, _b, t in row).replace("&amp;", "&")
            assert row[0][0] >= LEFT - 1 and row[-1][1] <= LEFT + BLOCK_W + 1, text
            assert text[0] not in NO_START, text
            assert text[-1] not in NO_END, text
            if all(not ch.isascii() for ch in text):
                assert len(text) <= 28, text
                full_lines += len(text) == 28
    assert full_lines > 10  # justified lines of 28 characters


def test_public_version_hides_internal_and_redacts(db: Database, tmp_path: Path) -> None:
    rid = load_sample(db, "shizhong_2022")
    first = problems.list_problems(db, rid)[0]
    problems.update_problem(db, first.id, internal_notes="内部：张小明负责，勿外传", persons="张小明",
                            narrative="张小明同志牵头整改。\n" + first.narrative)
    measures.log_progress(db, first.id, "进展：已约谈", author="王科长")
    rounds.set_redactions(db, rid, {"张小明": "张某"})
    public = compose_notice(db, rid, NoticeOptions(public=True))
    text = public.document.plain_text()
    assert "张小明" not in text and "张某同志牵头整改" in text and "勿外传" not in text and "已约谈" not in text
    docx = write_docx(public.document, tmp_path / "public.docx")
    assert "张小明" not in read_document(docx)
    internal = compose_notice(db, rid, NoticeOptions(public=False)).document.plain_text()
    assert "勿外传" in internal and "张小明" in internal and "已约谈" in internal


def test_hygiene_changes_are_listed_and_can_be_refused() -> None:
    text, changes = fix_text('按照"放管服"要求,2022年05月20日(周五)召开会议:电话8:30开始')
    assert text == "按照“放管服”要求，2022年5月20日（周五）召开会议：电话8:30开始"
    assert {c.rule for c in changes} == {"引号", "标点", "日期", "括号"}
    kept, _ = fix_text("要求,会议", refused=("标点",))
    assert kept == "要求,会议"


@pytest.mark.parametrize("options", [LayoutOptions(page_numbers="outside", bold_level3=False, mirror_margins=True),
                                     LayoutOptions()])
def test_layout_options_still_pass_the_checker(db: Database, tmp_path: Path, options: LayoutOptions) -> None:
    rid = load_sample(db, "huangpi_2024")
    doc = compose_notice(db, rid, NoticeOptions(layout=options)).document
    assert "0 failed" in checker(write_docx(doc, tmp_path / "n.docx"))
    write_pdf(doc, tmp_path / "n.pdf")


def _three_level_round(db: Database, style: str) -> int:
    unit = rounds.create_unit(db, "某局", signature="中共某局党组")
    r = rounds.create_round(db, unit.id, f"版式{style}", inspection_group="区委第二巡察组", deciding_body="区委",
                            inspection_start=dt.date(2024, 3, 1), inspection_end=dt.date(2024, 4, 30),
                            feedback_date=dt.date(2024, 5, 20), layout_style=style)
    rounds.update_notice_settings(db, r.id, part_one="一、整改工作开展情况\n（一）加强领导。成立领导小组。",
                                  part_three="三、下一步工作打算\n持续巩固整改成果。", sign_date=dt.date(2024, 9, 1))
    texts = {}
    for a in range(2):
        aspect = categories.add_category(db, r.id, f"第{a + 1}个方面的问题")
        for g in range(2):
            group = categories.add_category(db, r.id, f"方面{a + 1}的第{g + 1}项", parent_id=aspect.id) \
                if style == "C" else aspect
            for k in range(2):
                text = f"方面{a + 1}项{g + 1}的问题{k + 1}，学习不够深入。"
                pid = problems.create_problem(db, r.id, text, category_id=group.id,
                                              narrative=f"一是建立制度{a}{g}{k}。\n二是开展培训{a}{g}{k}。",
                                              progress_line="已完成整改，长期坚持。" if style == "C" else "")
                status.import_status(db, pid, Status.LONG_TERM if style == "C" else Status.DONE, "测试")
                texts[pid] = text
    return r.id


@pytest.mark.parametrize("style", ["A", "B", "C"])
def test_round_trip_through_word(db: Database, tmp_path: Path, style: str) -> None:
    rid = _three_level_round(db, style)
    docx = write_docx(compose_notice(db, rid).document, tmp_path / f"{style}.docx")
    assert "0 failed" in checker(docx)
    parsed = parse_notice(read_document(docx))
    assert parsed.layout_style == style
    original = problems.list_problems(db, rid)
    back = parsed.all_problems()
    # Style A writes 关于“…”的问题, which by convention drops the text's closing 。
    strip = (lambda t: t.rstrip("。")) if style == "A" else (lambda t: t)
    assert [strip(fix_text(p.text)[0]) for p in original] == [p.text for p in back]
    assert [p.narrative.splitlines() for p in original] == [p.narrative for p in back]
    assert [w.message for w in parsed.warnings] == []
    cats = categories.list_categories(db, rid)
    assert [c.text for c in parsed.categories] == [c.text for c in cats if c.level == 1]
    if style == "C":
        assert [[g.text for g in c.children] for c in parsed.categories] == [
            [c.text for c in cats if c.parent_id == top.id] for top in cats if top.level == 1]
        assert all(p.progress_line == "已完成整改，长期坚持。" and p.status == Status.LONG_TERM for p in back)
    f = parsed.facts
    assert (f.signature, f.sign_date, f.inspection_group, f.feedback_date) == (
        "中共某局党组", dt.date(2024, 9, 1), "区委第二巡察组", dt.date(2024, 5, 20))
    rid2 = commit_notice(db, parsed)
    assert len(problems.list_problems(db, rid2)) == len(original)


def test_single_hygiene_change_can_be_refused() -> None:
    text = "会议,并且(周五)开会,讨论"
    _fixed, changes = fix_text(text)
    first_comma = next(c for c in changes if c.rule == "标点")
    kept, rest = fix_text(text, refused=(first_comma.key,))
    assert kept == "会议,并且（周五）开会，讨论" and first_comma.key not in {c.key for c in rest}


def test_fonts_chosen_in_settings_come_first(db: Database, tmp_path: Path) -> None:
    from app.errors import ValidationError
    from app.exporting.font_settings import choose, load_chosen
    from app.exporting.fonts import resolve_all

    kai = ROOT / "resources" / "fonts" / "gkai00mp.ttf"
    choose(db.data_dir, "body", kai)
    chosen = load_chosen(db.data_dir)
    assert resolve_all(chosen)["body"].path == kai
    bad = tmp_path / "x.otf"
    bad.write_bytes(b"OTTO")
    with pytest.raises(ValidationError, match="TrueType"):
        choose(db.data_dir, "title", bad)
    choose(db.data_dir, "body", None)
    assert load_chosen(db.data_dir) == {}


def test_bundled_fonts_are_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.exporting.fonts as fonts

    monkeypatch.setattr(fonts, "_fc_lookup", lambda family: None)   # a machine with no Chinese fonts
    monkeypatch.setattr(fonts, "_windows_dirs", lambda: [])
    got = fonts.resolve_all()
    assert got["body"].path.name == "gbsn00lp.ttf" and got["heading2"].path.name == "gkai00mp.ttf"
    assert got["title"].fake_bold and "随程序附带" in got["body"].name


def test_word_pagination_hints(db: Database, tmp_path: Path) -> None:
    """Run-in headings do not chain to the next paragraph; the last text goes with the 署名."""
    from docx import Document

    rid = load_sample(db, "huangpi_2024")
    doc = Document(str(write_docx(compose_notice(db, rid).document, tmp_path / "n.docx")))
    paras = [p for p in doc.paragraphs]
    run_in = [p for p in paras if p.text.startswith("（一）提高思想认识。局党组")]
    assert run_in and run_in[0].paragraph_format.keep_with_next is False
    sign = next(i for i, p in enumerate(paras) if p.text == "中共武汉市黄陂区行政审批局党组")
    assert all(p.paragraph_format.keep_with_next for p in paras[sign - 3:sign])
    assert paras[sign - 3].text.startswith("欢迎广大干部群众")
