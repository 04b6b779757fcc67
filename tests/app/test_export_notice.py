"""The notice as .docx and .pdf, as a proof-reader meets it: both shared checkers on every export (the three
samples, the demo round, a three-level round numbered across), the preflight list, the counts sentence, the
numbering scheme, pagination hints, LibreOffice's rendering, and the round trip through Word."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.demo import load_demo
from app.exporting.compose_notice import ComposedNotice, NoticeOptions, compose_notice
from app.exporting.docx_writer import write_docx
from app.exporting.hygiene import fix_text
from app.exporting.pdf_writer import PdfWriter
from app.exporting.preflight import Severity
from app.exporting.service import export, notice_options
from app.importing.commit import commit_notice
from app.importing.parser import parse_notice
from app.importing.readers import read_document
from app.numbering_scheme import NumberingScheme, NumberStyle
from app.services import categories, problems, rounds, status
from db.models import Status
from db.session import Database, open_database
from tests.conftest import ROOT, SAMPLES

TOOLS = ROOT.parent / "shared" / "tools"
NAMES = ("huangpi_2024", "shizhong_2022", "panlongcheng_2022")
SOURCES = (*NAMES, "demo", "three_level")


def load_sample(db: Database, name: str, text: str | None = None) -> int:
    return commit_notice(db, parse_notice(text or (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")))


def run_checker(tool: str, path: Path, *args: str) -> str:
    out = subprocess.run([sys.executable, str(TOOLS / tool), str(path), *args], capture_output=True, text=True,
                         timeout=300)
    return out.stdout


def failures(report: str) -> list[str]:
    return [line for line in report.splitlines() if line.startswith("FAIL")]


def three_level_round(db: Database, title: str | None = None) -> int:
    """（一）方面 → 1.项 → 1) 问题 numbered across the whole notice, each with 整改进程 and 整改情况 (issue 12)."""
    unit = rounds.create_unit(db, "某区市场监管局", signature="中共某区市场监管局党组")
    scheme = NumberingScheme((NumberStyle.CN_PAREN, NumberStyle.AR_DOT), NumberStyle.AR_HALF_PAREN, True)
    r = rounds.create_round(db, unit.id, "三层分组", inspection_group="区委第四巡察组", deciding_body="区委",
                            inspection_start=dt.date(2024, 3, 1), inspection_end=dt.date(2024, 4, 30),
                            feedback_date=dt.date(2024, 5, 20), layout_style="C", numbering=scheme.to_json())
    rounds.update_notice_settings(db, r.id, part_one="一、整改工作开展情况\n（一）加强领导。成立领导小组。",
                                  part_three="三、下一步工作打算\n持续巩固整改成果。", sign_date=dt.date(2024, 9, 1),
                                  **({"title": title} if title else {}))
    for a in range(2):
        aspect = categories.add_category(db, r.id, f"落实第{a + 1}方面责任方面")
        for g in range(2):
            group = categories.add_category(db, r.id, f"第{a + 1}方面第{g + 1}项存在薄弱环节", parent_id=aspect.id)
            for k in range(2):
                pid = problems.create_problem(db, r.id, f"方面{a + 1}项{g + 1}的问题{k + 1}，学习不够深入。",
                                              category_id=group.id, progress_line="完成整改，长期坚持。",
                                              narrative=f"一是建立制度{a}{g}{k}。\n二是开展培训{a}{g}{k}。")
                status.import_status(db, pid, Status.LONG_TERM, "测试")
    return r.id


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, dict[str, int]]]:
    db = open_database(tmp_path_factory.mktemp("ledger") / "ledger.sqlite")
    ids = {name: load_sample(db, name) for name in NAMES}
    ids["demo"] = load_demo(db, dt.date(2024, 7, 1))[0]
    ids["three_level"] = three_level_round(db)
    yield db, ids
    db.close()


@pytest.fixture(scope="module")
def exported(ledger: tuple[Database, dict[str, int]],
             tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], tuple[Path, Path]]:
    """Every source, public and internal, as .docx and .pdf, written through the export service."""
    db, ids = ledger
    out = tmp_path_factory.mktemp("notices")
    files = {}
    for name in SOURCES:
        for public in (True, False):
            stem = out / f"{name}-{'public' if public else 'internal'}"
            files[(name, public)] = (export(db, "notice", ids[name], "docx", stem.with_suffix(".docx"), public=public).path,
                                     export(db, "notice", ids[name], "pdf", stem.with_suffix(".pdf"), public=public).path)
    return files


@pytest.mark.parametrize("public", [True, False], ids=["public", "internal"])
@pytest.mark.parametrize("name", SOURCES)
def test_every_notice_passes_both_checkers(exported: dict[tuple[str, bool], tuple[Path, Path]], name: str,
                                           public: bool) -> None:
    docx, pdf = exported[(name, public)]
    report = run_checker("check_docx_gbt9704.py", docx)
    assert "0 failed" in report and not failures(report), failures(report)
    source = ["--source", str(SAMPLES / f"{name}.txt")] if name in NAMES else []
    report = run_checker("check_notice_pdf.py", pdf, *source)
    assert "0 failed" in report and not failures(report), failures(report)
    if source:
        assert "PASS  成文日期 from the source" in report and "PASS  source text kept" in report


@pytest.mark.parametrize("name", NAMES)
def test_problems_in_order_and_signed_as_the_source(ledger: tuple[Database, dict[str, int]],
                                                    exported: dict[tuple[str, bool], tuple[Path, Path]],
                                                    name: str) -> None:
    db, ids = ledger
    docx, pdf = exported[(name, True)]
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                             text=True, check=True).stdout)
    text = re.sub(r"—\d+—", "", text)
    word = re.sub(r"\s+", "", read_document(docx))
    style = rounds.get_round(db, ids[name]).layout_style
    pos_pdf = pos_word = 0
    for i, p in enumerate(problems.list_problems(db, ids[name]), 1):
        head = f"问题{_cn(i)}：" if style == "B" else f"{i}."
        for hay, pos in ((text, pos_pdf), (word, pos_word)):
            found = hay.find(head, pos)
            assert found >= 0, (name, head)
            narrative = re.sub(r"\s+", "", fix_text(p.narrative.splitlines()[0])[0])[:20]
            assert hay.find(narrative, found) > found
        pos_pdf, pos_word = text.find(head, pos_pdf) + 1, word.find(head, pos_word) + 1
    sig = rounds.get_notice_settings(db, ids[name])
    assert sig.sign_date is not None
    assert text.endswith(sig.signature + f"{sig.sign_date.year}年{sig.sign_date.month}月{sig.sign_date.day}日")


def _cn(n: int) -> str:
    from app.numerals import to_chinese

    return to_chinese(n)


def test_a_problem_the_source_lost_is_listed_and_nothing_is_invented(ledger: tuple[Database, dict[str, int]]) -> None:
    db, ids = ledger
    composed = compose_notice(db, ids["huangpi_2024"])
    fourth = problems.list_problems(db, ids["huangpi_2024"])[3]
    assert fourth.text == "" and fourth.title == ""
    item = next(i for i in composed.preflight if i.problem_id == fourth.id)
    assert item.severity == Severity.WARNING and "没有问题内容" in item.message
    text = composed.document.plain_text()
    assert "4.整改情况：因部门业务系统" in text and "待补充" not in text and "原文缺少" not in text
    assert text.count("欢迎广大干部群众") == 1


def test_no_signature_and_no_date_print_nothing_and_say_so(db: Database, tmp_path: Path) -> None:
    """A source with no 署名 or 成文日期: the export prints neither, invents neither, and the preflight says so."""
    lines = (SAMPLES / "shizhong_2022.txt").read_text(encoding="utf-8").rstrip().splitlines()
    while not lines[-1].startswith("中共市中区"):
        lines.pop()
    source = tmp_path / "no_date.txt"
    source.write_text("\n".join(lines[:-1]), encoding="utf-8")
    rid = load_sample(db, "", source.read_text(encoding="utf-8"))
    rounds.update_notice_settings(db, rid, signature="", sign_date=None)
    rounds.update_unit(db, rounds.get_round(db, rid).unit_id, signature="", name="未命名单位")
    composed = compose_notice(db, rid)
    missing = [i.message for i in composed.preflight if i.severity == Severity.MISSING]
    assert any("成文日期" in m for m in missing) and any("署名" in m for m in missing)
    text = composed.document.plain_text()
    assert "未命名" not in text and not re.search(r"\d{4}年\d{1,2}月\d{1,2}日$", text)
    pdf = export(db, "notice", rid, "pdf", tmp_path / "n.pdf").path
    report = run_checker("check_notice_pdf.py", pdf, "--source", str(source))
    assert "PASS  成文日期 not invented" in report and "PASS  source text kept" in report
    assert [f.split(":")[0] for f in failures(report)] == ["FAIL  成文日期"]   # nothing to print: not publishable


def test_counts_sentence_comes_from_the_confirmed_tree(db: Database) -> None:
    unit = rounds.create_unit(db, "某局")
    r = rounds.create_round(db, unit.id, "计数", layout_style="C")
    rounds.update_notice_settings(db, r.id, part_two_intro="")
    for a in range(2):
        aspect = categories.add_category(db, r.id, f"方面{a}")
        for g in range(3 if a else 1):
            group = categories.add_category(db, r.id, f"项{a}{g}", parent_id=aspect.id)
            pid = problems.create_problem(db, r.id, f"问题{a}{g}。", category_id=group.id, narrative="已整改。")
            if g:
                status.import_status(db, pid, Status.DONE, "测试")
    composed = compose_notice(db, r.id)
    assert "巡察组反馈2个方面4项共4个具体问题，已整改完成2个，正在整改2个。" in composed.document.plain_text()
    assert any(i.severity == Severity.NOTE and "统计句" in i.message for i in composed.preflight)


def test_one_recursive_walk_numbers_a_tree_of_any_depth() -> None:
    """Three levels of categories under a two-level scheme: the levels go on in GB/T order (（一）→1.→（1）)
    and the problems take the form below their category (①)."""
    from app.ledger_rows import CategoryRow
    from app.services.snapshot import CategoryNode
    from tests.app.snapshots import problem_row, synthetic_snapshot

    snap = synthetic_snapshot(0, "C")
    rows = [problem_row(i, i, 3, f"问题{i}。", "已整改。") for i in (1, 2)]
    leaf = CategoryNode(CategoryRow(3, 1, 2, 0, "第三层", 3, 1), 3, [], rows)
    mid = CategoryNode(CategoryRow(2, 1, 1, 0, "第二层", 2, 1), 2, [leaf], [])
    snap.categories = [CategoryNode(CategoryRow(1, 1, None, 0, "第一层", 1, 1), 1, [mid], [])]
    snap.problems = rows
    text = compose_notice_from(snap).document.plain_text()
    assert "（一）第一层\n1.第二层\n（1）第三层\n①问题1。" in text and "②问题2。" in text
    assert "巡察组反馈1个方面1项共2个具体问题" in text


def test_across_numbering_of_a_gbt_form_restarts_and_says_so(ledger: tuple[Database, dict[str, int]],
                                                             tmp_path: Path) -> None:
    db, ids = ledger
    rid = ids["shizhong_2022"]
    scheme = NumberingScheme((NumberStyle.CN_PAREN,), NumberStyle.AR_DOT, True)
    unit = rounds.get_round(db, rid).unit_id
    r = rounds.create_round(db, unit, "连续编号", layout_style="A", numbering=scheme.to_json())
    rounds.update_notice_settings(db, r.id, sign_date=dt.date(2024, 1, 5))
    for a in range(2):
        cat = categories.add_category(db, r.id, f"第{a + 1}方面")
        for k in range(2):
            problems.create_problem(db, r.id, f"问题{a}{k}。", category_id=cat.id, narrative="已整改。")
    composed = compose_notice(db, r.id)
    text = composed.document.plain_text()
    assert text.count("1.关于") == 2 and "3.关于" not in text
    assert any("组内编号" in i.message for i in composed.preflight)
    assert not failures(run_checker("check_docx_gbt9704.py", write_docx(composed.document, tmp_path / "a.docx")))


def test_forms_outside_the_standard_keep_the_across_numbering(ledger: tuple[Database, dict[str, int]]) -> None:
    db, ids = ledger
    text = compose_notice(db, ids["three_level"]).document.plain_text()
    assert re.findall(r"^(\d+)）", text, re.M) == [str(n) for n in range(1, 9)]   # 1)…8), full-width bracket
    assert re.findall(r"^(\d+)\.第", text, re.M) == ["1", "2", "1", "2"]      # 项 restart under each 方面
    assert "整改进程：完成整改，长期坚持。" in text
    b = compose_notice(db, ids["panlongcheng_2022"]).document.plain_text()
    assert re.findall(r"^问题([一二三四五六七八九十]+)：", b, re.M)[-1] == "二十三"


def test_ten_thousand_problems_in_one_category_are_numbered(tmp_path: Path) -> None:
    """Prefixes come from the scheme one number at a time: 问题一万零一： and 10001. do not crash."""
    from tests.app.snapshots import synthetic_snapshot

    for style, last in (("B", "问题一万零一："), ("A", "10001.")):
        snap = synthetic_snapshot(10_001, style)
        blocks = compose_notice_from(snap).document.blocks
        assert any(getattr(b, "label", "") == last or getattr(b, "prefix", "") == last for b in blocks[-30:])


def compose_notice_from(snap: object) -> ComposedNotice:
    from app.exporting.compose_notice import compose_snapshot

    return compose_snapshot(snap, NoticeOptions())  # type: ignore[arg-type]


def test_problem_labels_and_headings_never_end_a_page(ledger: tuple[Database, dict[str, int]],
                                                      exported: dict[tuple[str, bool], tuple[Path, Path]]) -> None:
    from docx import Document

    db, ids = ledger
    composed = compose_notice(db, ids["panlongcheng_2022"])
    writer = PdfWriter(composed.document)
    layout = writer.layout()
    pages = writer.paginate(layout)
    kept = {i for par in layout.pars if par.keep_next for i in range(par.first, par.first + par.count)}
    index = {id(line): i for i, line in enumerate(layout.lines)}
    for page in pages[:-1]:
        assert index[id(page[-1])] not in kept, "".join(u.text for u in page[-1].units)
    doc = Document(str(exported[("panlongcheng_2022", True)][0]))
    labels = [p for p in doc.paragraphs if p.text.startswith("问题") and "：" in p.text[:7]]
    assert len(labels) == 23 and all(p.paragraph_format.keep_with_next for p in labels)
    heading = next(p for p in doc.paragraphs if p.text == "（一）加强组织领导，明确责任分工")
    assert heading.style.paragraph_format.keep_with_next and heading.paragraph_format.keep_with_next is None
    huangpi = Document(str(exported[("huangpi_2024", True)][0]))
    run_in = next(p for p in huangpi.paragraphs if p.text.startswith("（一）提高思想认识。局党组"))
    assert run_in.paragraph_format.keep_with_next is False   # a run-in heading is text: not chained on
    sign = next(i for i, p in enumerate(huangpi.paragraphs) if p.text == "中共武汉市黄陂区行政审批局党组")
    assert all(p.paragraph_format.keep_with_next for p in huangpi.paragraphs[sign - 3:sign + 1])


@pytest.mark.slow
def test_libreoffice_renders_the_word_file_as_the_pdf(exported: dict[tuple[str, bool], tuple[Path, Path]],
                                                      tmp_path: Path) -> None:
    """Same page count as our PDF, and LibreOffice's own rendering keeps every glyph inside the 版心."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    from pypdf import PdfReader

    docs = [exported[(name, True)][0] for name in NAMES]
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), *map(str, docs)], capture_output=True, check=True, timeout=300)
    for name, docx in zip(NAMES, docs, strict=True):
        lo = tmp_path / (docx.stem + ".pdf")
        ours = exported[(name, True)][1]
        assert len(PdfReader(str(lo)).pages) == len(PdfReader(str(ours)).pages), name
        report = run_checker("check_notice_pdf.py", lo)
        assert not [f for f in failures(report) if "text block" in f or "line starts" in f], failures(report)


def test_word_body_is_built_without_python_docx_paragraph_scans(ledger: tuple[Database, dict[str, int]],
                                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16 item 6: add_paragraph looks for sectPr on every call (quadratic); the writer never calls it."""
    from docx.document import Document as DocxDocument
    from docx.oxml.ns import qn

    db, ids = ledger

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("add_paragraph scans the body: quadratic")

    monkeypatch.setattr(DocxDocument, "add_paragraph", refuse)
    path = write_docx(compose_notice(db, ids["huangpi_2024"]).document, tmp_path / "n.docx")
    from docx import Document

    body = Document(str(path)).element.body
    assert body[-1].tag == qn("w:sectPr") and len(body) > 90


def test_word_file_properties_are_its_own(exported: dict[tuple[str, bool], tuple[Path, Path]]) -> None:
    import zipfile

    from docx import Document

    docx = exported[("huangpi_2024", True)][0]
    props = Document(str(docx)).core_properties
    assert props.title.startswith("中共武汉市黄陂区行政审批局党组关于") and "\n" not in props.title
    assert props.author == "中共武汉市黄陂区行政审批局党组" and props.language == "zh-CN"
    assert props.created is not None and abs((dt.datetime.now(dt.UTC) - props.created).total_seconds()) < 3600
    assert props.modified == props.created and not props.comments
    with zipfile.ZipFile(docx) as z:
        names = z.namelist()
        assert not any("thumbnail" in n or n.startswith("customXml") for n in names)
        assert b"<Application>\xe5\xb7\xa1" in z.read("docProps/app.xml")
        assert b"savePreviewPicture" not in z.read("word/settings.xml")
        assert b'w:overflowPunct w:val="1"' in z.read("word/styles.xml")


def test_title_lines_are_whole_words_in_both_formats(exported: dict[tuple[str, bool], tuple[Path, Path]],
                                                     ledger: tuple[Database, dict[str, int]]) -> None:
    from docx import Document

    db, ids = ledger
    for name in NAMES:
        doc = Document(str(exported[(name, True)][0]))
        title_paras = []
        for p in doc.paragraphs:
            if p.style.name != "公文标题":
                break
            title_paras.append(p.text)
        title = compose_notice(db, ids[name]).document.blocks[0].text  # type: ignore[attr-defined]
        assert title_paras == title.split("\n") and len(title_paras) >= 2
        for a, b in zip(title_paras, title_paras[1:], strict=False):
            assert len(a) <= 20 and len(b) <= 20
            for unit in ("区委", "党组", "巡察", "巡察组", "关于", "第十三轮", "区委第三巡察组"):
                assert unit not in a + b or unit in a or unit in b, (a, b)


def test_options_still_pass_the_checker(ledger: tuple[Database, dict[str, int]], tmp_path: Path) -> None:
    db, ids = ledger
    opts = notice_options(page_numbers="outside", bold_level3=False, mirror_margins=True)
    doc = compose_notice(db, ids["huangpi_2024"], opts).document
    assert not failures(run_checker("check_docx_gbt9704.py", write_docx(doc, tmp_path / "n.docx")))


def test_fonts_chosen_in_settings_come_first(db: Database, tmp_path: Path) -> None:
    from app.errors import ValidationError
    from app.exporting.font_settings import choose, load_chosen
    from app.exporting.fonts import resolve_all

    kai = ROOT / "resources" / "fonts" / "gkai00mp.ttf"
    choose(db.data_dir, "body", kai)
    assert resolve_all(load_chosen(db.data_dir))["body"].path == kai
    bad = tmp_path / "x.otf"
    bad.write_bytes(b"OTTO")
    with pytest.raises(ValidationError, match="TrueType"):
        choose(db.data_dir, "title", bad)
    choose(db.data_dir, "body", None)
    assert load_chosen(db.data_dir) == {}


def test_bundled_fonts_are_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.exporting.fonts as fonts
    from app.exporting.font_scan import FontCatalog

    monkeypatch.setattr(fonts, "catalog", lambda: FontCatalog(None, folders=[]))   # a machine with no fonts at all
    monkeypatch.setattr(fonts, "_windows_dirs", lambda: [])
    got = fonts.resolve_all()
    assert got["body"].path.name == "gbsn00lp.ttf" and got["heading2"].path.name == "gkai00mp.ttf"
    assert got["title"].fake_bold and "随程序附带" in got["body"].name
    assert got["latin"].path == got["body"].path and "自带西文" in got["latin"].name


# -- round trip: data → notice (.docx) → parser ---------------------------------------------------------------
def _abc_round(db: Database, style: str) -> int:
    unit = rounds.create_unit(db, "某局", signature="中共某局党组")
    r = rounds.create_round(db, unit.id, f"版式{style}", inspection_group="区委第二巡察组", deciding_body="区委",
                            inspection_start=dt.date(2024, 3, 1), inspection_end=dt.date(2024, 4, 30),
                            feedback_date=dt.date(2024, 5, 20), layout_style=style)
    # A title of one line: the parser on main reads a title over two lines as title + opening (the rewrite
    # on wip-import reads both; the three-level test below keeps the long, two-line title).
    rounds.update_notice_settings(db, r.id, title="中共某局党组关于巡察整改情况的通报",
                                  part_one="一、整改工作开展情况\n（一）加强领导。成立领导小组。",
                                  part_three="三、下一步工作打算\n持续巩固整改成果。", sign_date=dt.date(2024, 9, 1))
    for a in range(2):
        aspect = categories.add_category(db, r.id, f"第{a + 1}个方面的问题")
        for g in range(2):
            group = categories.add_category(db, r.id, f"方面{a + 1}的第{g + 1}项", parent_id=aspect.id) \
                if style == "C" else aspect
            for k in range(2):
                pid = problems.create_problem(db, r.id, f"方面{a + 1}项{g + 1}的问题{k + 1}，学习不够深入。",
                                              category_id=group.id,
                                              narrative=f"一是建立制度{a}{g}{k}。\n二是开展培训{a}{g}{k}。",
                                              progress_line="已完成整改，长期坚持。" if style == "C" else "")
                status.import_status(db, pid, Status.LONG_TERM if style == "C" else Status.DONE, "测试")
    return r.id


def _tree(db: Database, rid: int) -> list[tuple[int, str]]:
    by_parent: dict[int | None, list[tuple[int, str, int]]] = {}
    for c in categories.list_categories(db, rid):
        by_parent.setdefault(c.parent_id, []).append((c.id, c.text, c.level))
    out: list[tuple[int, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for cid, text, _level in by_parent.get(parent, []):
            out.append((depth, text))
            walk(cid, depth + 1)
    walk(None, 1)
    return out


def _parsed_tree(cats: list[object], depth: int = 1) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for c in cats:
        out.append((depth, c.text))  # type: ignore[attr-defined]
        out += _parsed_tree(c.children, depth + 1)  # type: ignore[attr-defined]
    return out


def _round_trip(db: Database, rid: int, tmp_path: Path) -> None:
    docx = write_docx(compose_notice(db, rid).document, tmp_path / "rt.docx")
    assert not failures(run_checker("check_docx_gbt9704.py", docx))
    parsed = parse_notice(read_document(docx))
    style = rounds.get_round(db, rid).layout_style
    assert parsed.layout_style == style
    original = problems.list_problems(db, rid)
    back = parsed.all_problems()
    strip = (lambda t: t.rstrip("。")) if style == "A" else (lambda t: t)  # 关于“…”的问题 drops the 。
    assert [strip(fix_text(p.text)[0]) for p in original] == [p.text for p in back]
    assert [p.narrative.splitlines() for p in original] == [p.narrative for p in back]
    assert [w.message for w in parsed.warnings] == []
    assert _parsed_tree(parsed.categories) == _tree(db, rid)
    r = rounds.get_round(db, rid)
    f = parsed.facts
    assert (f.signature, f.sign_date, f.inspection_group) == (
        rounds.get_unit(db, r.unit_id).signature, rounds.get_notice_settings(db, rid).sign_date, r.inspection_group)
    assert len(problems.list_problems(db, commit_notice(db, parsed))) == len(original)


@pytest.mark.parametrize("style", ["A", "B", "C"])
def test_round_trip_through_word(db: Database, tmp_path: Path, style: str) -> None:
    _round_trip(db, _abc_round(db, style), tmp_path)


def test_round_trip_of_three_levels_numbered_across(db: Database, tmp_path: Path) -> None:
    rid = three_level_round(db)
    _round_trip(db, rid, tmp_path)
    parsed = parse_notice(read_document(tmp_path / "rt.docx"))
    scheme = getattr(parsed, "scheme", None) or getattr(parsed, "numbering", None)
    assert scheme == rounds.get_round(db, rid).numbering or scheme == NumberingScheme.from_json(
        rounds.get_round(db, rid).numbering)


def test_a_problem_of_several_paragraphs_keeps_them(db: Database) -> None:
    from app.exporting.blocks import Paragraph

    unit = rounds.create_unit(db, "某局", signature="中共某局党组")
    for style in ("A", "B"):
        r = rounds.create_round(db, unit.id, f"分段{style}", layout_style=style)
        problems.create_problem(db, r.id, "干部教育不够。\n培训计划未落实。", narrative="已整改。")
        blocks = compose_notice(db, r.id).document.blocks
        i = next(k for k, b in enumerate(blocks) if "干部教育不够" in str(b))
        first, second = blocks[i], blocks[i + 1]
        assert isinstance(second, Paragraph) and second.text == "培训计划未落实。" and second.keep_with_next
        assert "培训计划未落实" not in str(first)


def test_the_invitation_is_printed_once(db: Database) -> None:
    unit = rounds.create_unit(db, "某局", signature="中共某局党组", contact_phone="027-1234567")
    r = rounds.create_round(db, unit.id, "邀请监督")
    invitation = "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。"
    rounds.update_notice_settings(db, r.id, part_three="三、下一步工作打算\n持续巩固整改成果。\n" + invitation,
                                  contact_paragraph=invitation + "联系电话：027-1234567。")
    problems.create_problem(db, r.id, "问题。", narrative="已整改。")
    text = compose_notice(db, r.id).document.plain_text()
    assert text.count("欢迎广大干部群众") == 1 and "联系电话：027-1234567。" in text


def test_the_text_saying_all_is_done_is_flagged_when_the_ledger_says_otherwise(db: Database) -> None:
    """shizhong_2022 says “已经全部整改完毕” and “已整改完成16个”. Imported, that is true; once a problem is back
    in 整改中 (a department's receipt, a returned 销号) the notice would still print it, and the preflight said
    “没有发现缺项”. It says which sentence and which problems."""
    rid = load_sample(db, "shizhong_2022")
    assert not [i for i in compose_notice(db, rid).preflight if "未完成" in i.message]
    first = problems.list_problems(db, rid)[0]
    status.change_status(db, first.id, Status.IN_PROGRESS)
    notes = [i for i in compose_notice(db, rid).preflight if "未完成" in i.message]
    assert len(notes) == 2 and all(i.severity == Severity.WARNING for i in notes)
    assert any("全部整改完毕" in i.message for i in notes)
    assert any("已整改完成16个" in i.message and "15" in i.message for i in notes)
    assert all("问题1" in i.message and i.problem_id == first.id for i in notes)   # a double-click shows it
