"""Ledger (.xlsx read back equal to the data, PDF/Word tables), plan, and the Excel ledger importer."""
from __future__ import annotations

import datetime as dt
import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from app.exporting.hygiene import fix_text
from app.exporting.ledger import write_ledger_docx, write_ledger_pdf, write_ledger_xlsx
from app.exporting.ledger_excel import LINE_PT, sheet_name
from app.importing.ledger_xlsx import LedgerImportError, commit_ledger, read_ledger
from app.importing.readers import ImportError_
from app.services import categories, measures, problems, rounds, status
from db.models import Category, Status
from db.session import Database
from tests.conftest import ROOT, TODAY


@pytest.fixture
def ledger_round(db: Database, seeded: dict[str, int]) -> int:
    measures.add_measure(db, seeded["p1"], "制定学习计划", owner="陈静", deadline=dt.date(2024, 5, 20),
                         status=Status.DONE)
    measures.add_measure(db, seeded["p1"], "开展专题研讨", status=Status.IN_PROGRESS)
    problems.update_problem(db, seeded["p1"], narrative="已制定计划并印发。", persons="陈静")
    status.import_status(db, seeded["p1"], Status.DONE, "测试")
    problems.update_problem(db, seeded["p3"], deadline="", long_term=True)
    return seeded["round"]


def _xlsx_rows(path: Path, sheet: str) -> tuple[list[str], list[list[object]]]:
    ws = load_workbook(path)[sheet]
    rows = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    return [str(h) for h in rows[0]], rows[1:]


def test_xlsx_reads_back_equal_to_the_data(db: Database, ledger_round: int, tmp_path: Path) -> None:
    overdue = problems.create_problem(db, ledger_round, "档案管理不规范,目录(共3册)缺失:待补。", departments="办公室",
                                      deadline=dt.date(2024, 6, 1))
    status.import_status(db, overdue, Status.IN_PROGRESS, "测试")
    p1 = next(p.id for p in problems.list_problems(db, ledger_round, TODAY) if p.text == "学习计划性不强。")
    for day, note, author in ((1, "成立整改专班", "陈静"), (2, "召开专题会议部署", "办公室 王明"), (9, "印发学习计划", "陈静"),
                              (20, "计划已执行", "陈静")):
        measures.log_progress(db, p1, note, dt.date(2024, 5, day), author)
    path = write_ledger_xlsx(db, [ledger_round], tmp_path / "ledger.xlsx", today=TODAY)
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", "2024年区委巡察"]
    ws = wb["2024年区委巡察"]
    assert ws["A1"].value == "2024年区委巡察整改台账" and "A1:M1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and "&P" in ws.oddFooter.center.text
    head, rows = _xlsx_rows(path, "2024年区委巡察")
    assert head == ["序号", "方面", "项", "问题", "整改措施", "责任领导", "责任部门", "责任人", "完成时限", "整改情况",
                    "整改进展", "完成情况", "预警"]
    col = {h: i for i, h in enumerate(head)}
    data = problems.list_problems(db, ledger_round, TODAY)
    assert [r[0] for r in rows] == [p.number for p in data] and all(isinstance(r[0], int) for r in rows)
    by_text = {r[col["问题"]]: r for r in rows}
    first = by_text["学习计划性不强。"]
    assert (first[col["方面"]], first[col["项"]]) == ("政治建设方面", "理论学习不深入")
    assert by_text["制度不健全。"][col["项"]] is None and by_text["档案管理不规范，目录（共3册）缺失：待补。"][col["方面"]] is None
    # Each measure with what the clerk entered for it: 责任人, 时限 and its state.
    assert first[col["整改措施"]] == "1.制定学习计划（责任人：陈静；时限：2024年5月20日；已完成）\n2.开展专题研讨（整改中）"
    assert [first[col[k]] for k in ("责任领导", "责任部门", "责任人", "整改情况", "完成情况")] == [
        "王局长", "办公室", "陈静", "已制定计划并印发。", "已完成"]
    # 整改进展: the latest entries of the progress log, dated, with who wrote them (in no export before).
    assert first[col["整改进展"]] == ("（另有较早记录1条）\n2024年5月2日 召开专题会议部署（办公室 王明）\n"
                                      "2024年5月9日 印发学习计划（陈静）\n2024年5月20日 计划已执行（陈静）")
    assert first[col["完成时限"]] == dt.datetime(2024, 6, 5)  # a real date, not text
    assert by_text["制度不健全。"][col["完成时限"]] == "长期坚持"
    # 三色: the fill of every cell of a row follows its warning, and the 预警 column says it in words.
    warn = {r[col["问题"]]: r[col["预警"]] for r in rows}
    assert warn == {"学习计划性不强。": None, "研讨不深入。": "红色", "制度不健全。": None, "档案管理不规范，目录（共3册）缺失：待补。": "逾期"}
    fills = {}
    for r in ws.iter_rows(min_row=4):
        fills[r[col["问题"]].value] = {c.fill.fgColor.rgb[-6:] for c in r if c.fill.fill_type == "solid"}
    assert fills["研讨不深入。"] == {"F8CBAD"} and fills["档案管理不规范，目录（共3册）缺失：待补。"] == {"E59C9C"}
    assert fills["学习计划性不强。"] == set()
    assert ws.cell(4, 4).font.name == "宋体" and ws.cell(3, 1).font.name == "黑体"
    # The 汇总 sheet counts what the rows show; numbers are numbers.
    shead, srows = _xlsx_rows(path, "汇总")
    summary = dict(zip(shead, srows[0], strict=True))
    assert summary["问题数"] == 4 and summary["其中：逾期"] == sum(v == "逾期" for v in warn.values()) == 1
    assert summary["红色预警"] == 1 and summary["已完成"] == 1 and summary["整改措施（条）"] == 2
    assert sum(summary[k] for k in ("已完成", "长期坚持", "待销号", "整改中", "未启动")) == summary["问题数"]
    # …and the ledger importer reads our own export back into the same problems.
    rid = commit_ledger(db, read_ledger(path), title="回读")
    back = problems.list_problems(db, rid)
    assert sorted(p.text for p in back) == sorted(fix_text(p.text)[0] for p in data)  # full-width beside Chinese
    again = {p.text: p for p in back}["学习计划性不强。"]
    assert (again.status, again.deadline, again.measure_count, again.departments, again.narrative) == (
        Status.DONE, dt.date(2024, 6, 5), 2, "办公室", "已制定计划并印发。")
    # The measures' owners, deadlines and states come back; where the export stated none, the problem's.
    assert [(m.text, m.owner, m.deadline, m.status) for m in measures.list_measures(db, again.id)] == [
        ("制定学习计划", "陈静", dt.date(2024, 5, 20), Status.DONE),
        ("开展专题研讨", "陈静", dt.date(2024, 6, 5), Status.IN_PROGRESS)]


def test_a_problem_awaiting_sign_off_reads_back_as_in_progress(db: Database, ledger_round: int,
                                                                tmp_path: Path) -> None:
    """待销号 needs a review in this ledger: imported, the work counts as in progress until it is submitted."""
    status.import_status(db, problems.create_problem(db, ledger_round, "台账不全。"), Status.PENDING_REVIEW, "测试")
    path = write_ledger_xlsx(db, [ledger_round], tmp_path / "ledger.xlsx", today=TODAY)
    back = {p.text: p for p in problems.list_problems(db, commit_ledger(db, read_ledger(path), title="回读"))}
    assert back["台账不全。"].status == Status.IN_PROGRESS and back["学习计划性不强。"].status == Status.DONE


def test_xlsx_categories_of_any_depth_and_clean_sheet_names(db: Database, seeded: dict[str, int],
                                                           tmp_path: Path) -> None:
    with db.transaction() as s:
        deep = Category(round_id=seeded["round"], parent_id=seeded["item"], text="学习制度", position=9)
        s.add(deep)
        s.flush()
        deep_id = deep.id
    problems.create_problem(db, seeded["round"], "学习记录不全。", category_id=deep_id)
    rounds.update_round(db, seeded["round"], title="中共某某市某某区委第三巡察组对区行政审批服务局党组开展常规巡察反馈意见整改")
    other = rounds.create_round(db, seeded["unit"], "中共某某市某某区委第三巡察组对区行政审批服务局党组开展常规巡察反馈意见整改")
    problems.create_problem(db, other.id, "问题一。")
    path = write_ledger_xlsx(db, [seeded["round"], other.id], tmp_path / "deep.xlsx", today=TODAY)
    names = load_workbook(path).sheetnames
    assert names[0] == "汇总" and len(set(names)) == 3 and all(len(n) <= 31 for n in names)
    assert names[1].endswith("巡察") and names[2].endswith("（2）")   # cut after a whole word, kept unique
    head, rows = _xlsx_rows(path, names[1])
    assert head[1:4] == ["方面", "项", "子项"]
    deep_row = next(r for r in rows if r[4] == "学习记录不全。")
    assert deep_row[1:4] == ["政治建设方面", "理论学习不深入", "学习制度"]
    _, total = _xlsx_rows(path, "汇总")
    assert total[-1][0] == "合计" and total[-1][2] == 5


def test_sheet_names() -> None:
    used: set[str] = set()
    assert sheet_name("2024年[区委]巡察:第一轮?", used) == "2024年区委巡察第一轮"
    long = "区委第三巡察组对区行政审批服务局党组开展巡察“回头看”反馈意见整改落实情况"
    a, b = sheet_name(long, used), sheet_name(long, used)
    assert len(a) <= 31 and len(b) <= 31 and a != b and long.startswith(a) and b.endswith("（2）")
    assert a.endswith(("巡察", "回头看", "”", "反馈", "组", "局", "党组"))


LONG = ("经过整改，2026年10月28日前完成了全部台账的复核（含17.66亩土地的确权），" * 120)[:5000]


def test_landscape_table_pdf_with_a_5000_character_narrative(db: Database, ledger_round: int, tmp_path: Path) -> None:
    problems.update_problem(db, ledger_round and problems.list_problems(db, ledger_round)[1].id, narrative=LONG)
    pdf = write_ledger_pdf(db, ledger_round, tmp_path / "ledger.pdf", today=TODAY)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape: wider than tall
    pages = int(info.split("Pages:")[1].split()[0])
    assert pages >= 3
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes " in f for f in fonts), fonts
    assert not any("Helvetica" in f or "Courier" in f for f in fonts)
    for page in range(1, pages + 1):  # the header row repeats on every page
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                              text=True).stdout
        assert "整改情况" in text and "完成时限" in text
    import pikepdf

    with pikepdf.open(pdf) as doc:   # the 三色: p2 (due in 5 days) is filled red; the header row blue-grey
        content = b"".join(page.Contents.read_bytes() for page in doc.pages)
    assert b".972549 .796078 .678431 rg" in content and b".85098 .882353 .94902 rg" in content
    whole = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.replace("\n", "")
    assert whole.count("17.66亩") >= LONG.count("17.66亩") - 2


def test_cell_lines_keep_the_rules() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from app.exporting.fonts import register, resolve
    from app.exporting.linebreak import NO_END, NO_START
    from app.exporting.pdf_table import cell_lines

    font = register(resolve("body"))
    for width in (73.0, 101.0, 150.0):  # a date (63 pt) fits; a narrower column would have to cut it
        lines = cell_lines(LONG[:600] + "，见https://example.gov.cn/a/very/long/path/" + "x" * 80, font, 9, width)
        assert all(stringWidth(ln, font, 9) <= width + 0.01 for ln in lines)   # nothing over the cell's rule
        assert not any(ln[0] in NO_START for ln in lines[1:] if ln)
        assert not any(ln[-1] in NO_END for ln in lines if ln)
        text = "".join(lines)
        assert text.count("2026年10月28日") == sum("2026年10月28日" in ln for ln in lines)  # dates never broken
        assert text.count("17.66") == sum("17.66" in ln for ln in lines)


def test_landscape_table_docx(db: Database, ledger_round: int, tmp_path: Path) -> None:
    docx = write_ledger_docx(db, ledger_round, tmp_path / "ledger.docx", today=TODAY)
    doc = Document(str(docx))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "问题", "整改措施", "责任领导", "责任部门", "责任人",
                                                      "完成时限", "整改情况", "整改进展", "完成情况", "预警"]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert table.rows[0]._tr.trPr.find(f"{w}tblHeader") is not None
    grid = [int(g.get(f"{w}w")) for g in table._tbl.tblGrid.findall(f"{w}gridCol")]
    assert len(set(grid)) > 4 and sum(grid) == int(267 * 56.6929) and grid[0] < grid[1] / 3
    cells = [int(tc.find(f"{w}tcPr").find(f"{w}tcW").get(f"{w}w")) for tc in table.rows[0]._tr.findall(f"{w}tc")]
    assert cells == grid
    assert table._tbl.tblPr.find(f"{w}tblLayout").get(f"{w}type") == "fixed"
    # 方面 → 项 group rows span the table; the problems follow them.
    texts = [r.cells[0].text for r in table.rows]
    assert texts[1] == "（一）政治建设方面" and texts[2] == "制度不健全。" or "（一）政治建设方面" in texts
    assert doc.sections[0].page_width > doc.sections[0].page_height


def _plan(db: Database, round_id: int, tmp_path: Path,
          sign_date: dt.date | None = None) -> tuple[object, list[str], Path]:
    from app.exporting.docx_writer import write_docx
    from app.exporting.plan import compose_plan
    from app.services.snapshot import read_snapshot

    composed = compose_plan(read_snapshot(db, round_id, TODAY), sign_date)
    path = write_docx(composed.document, tmp_path / "plan.docx")
    return Document(str(path)), [m.message for m in composed.missing], path


def test_plan_prints_each_problem_once_with_its_measure_table(db: Database, ledger_round: int, tmp_path: Path) -> None:
    rounds.update_round(db, ledger_round, layout_style="C")     # （一）方面 → 1.项 → （1）问题
    last_problem = problems.list_problems(db, ledger_round)[-1]
    measures.add_measure(db, last_problem.id, "组织专题研讨", owner="刘洋")
    doc, missing, path = _plan(db, ledger_round, tmp_path)
    body = [p.text for p in doc.paragraphs]
    assert body[0].endswith("整改方案") and "逐条逐项制定整改措施3条" in body[2]
    assert sum("学习计划性不强" in t for t in body) == 1          # the problem once, not heading + table
    assert "（一）政治建设方面" in body and "1.理论学习不深入" in body  # the 项 level numbered by the scheme
    assert "（1）学习计划性不强。" in body
    assert len(doc.tables) == 2                                   # only the problems that have measures
    t = doc.tables[0]
    assert [c.text for c in t.rows[0].cells] == ["序号", "整改措施", "责任人", "完成时限"]
    assert [c.text for c in t.rows[1].cells] == ["1", "制定学习计划", "陈静", "2024年5月20日"]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert t.rows[0]._tr.trPr.find(f"{w}tblHeader") is not None
    grid = [int(g.get(f"{w}w")) for g in t._tbl.tblGrid.findall(f"{w}gridCol")]
    assert grid[0] < grid[2] < grid[1] and grid[3] < grid[1] / 2 and abs(sum(grid) - 8844) < 60
    # Nothing invented: no 成文日期 set → no date, and the preflight says so; problems without measures listed.
    assert not any("0条" in t or "待制定" in t for t in body)
    assert any("成文日期" in m for m in missing) and sum("尚无整改措施" in m for m in missing) == 1
    assert body[-1] == "中共某区行政审批服务局党组" and not re.search(r"\d+年\d+月\d+日", "".join(body[-3:]))
    # The last table holds on to the 署名: its last row is kept with what follows.
    last = doc.tables[-1].rows[-1]._tr
    assert last.trPr.find(f"{w}cantSplit") is not None and last.find(f".//{w}keepNext") is not None
    doc, missing, path = _plan(db, ledger_round, tmp_path, sign_date=dt.date(2024, 6, 20))   # chosen at export
    assert doc.paragraphs[-1].text == "2024年6月20日" and not any("成文日期" in m for m in missing)
    checker = subprocess.run([sys.executable, str(ROOT.parent / "shared" / "tools" / "check_docx_gbt9704.py"), str(path)],
                             capture_output=True, text=True)
    assert "0 failed" in checker.stdout, checker.stdout


def test_the_plans_preview_text_holds_its_measure_tables(db: Database, ledger_round: int) -> None:
    """What the export dialog previews: the measures' rows too, not only the paragraphs around them."""
    from app.exporting.plan import compose_plan
    from app.services.snapshot import read_snapshot

    text = compose_plan(read_snapshot(db, ledger_round, TODAY), None).document.plain_text().splitlines()
    at = text.index("序号　整改措施　责任人　完成时限")
    assert text[at + 1] == "1　制定学习计划　陈静　2024年5月20日"


def test_plan_of_a_round_without_measures_says_no_count(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    doc, missing, _ = _plan(db, seeded["round"], tmp_path)
    opening = doc.paragraphs[2].text
    assert "整改措施" not in opening.split("明确")[0] and "3个具体问题" in opening
    assert len(doc.tables) == 0 and sum("尚无整改措施" in m for m in missing) == 3


def _office_ledger(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["某局巡察反馈问题整改台账"])
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(["序号", "反馈问题", "整改措施", "分管领导", "责任科室", "责任人", "整改时限", "整改状态"])
    ws.append(["一、政治建设方面"])
    ws.merge_cells("A4:H4")
    ws.append([1, "理论学习不深入", "1.制定计划", "王局长", "办公室", "陈静", "2024年6月30日", "已完成"])
    ws.append([None, None, "2.开展研讨", None, None, None, None, None])
    ws.merge_cells("B5:B6")
    ws.merge_cells("A5:A6")
    ws.append([2, "制度执行不严", "修订制度；加强检查", "李副局长", "审批科", "刘洋", dt.datetime(2024, 7, 15), "整改中"])
    ws.append([3, "作风建设需加强", "", "李副局长", "审批科", "", "长期坚持", ""])
    ws2 = wb.create_sheet("补充")
    ws2.append(["问题描述", "责任部门", "完成时限", "完成情况"])
    ws2.append(["档案管理不规范", "办公室", "2024.8.1", "未启动"])
    wb.save(path)
    return path


def test_office_ledger_with_merged_cells_and_synonyms(db: Database, tmp_path: Path) -> None:
    ledger = read_ledger(_office_ledger(tmp_path / "office.xlsx"))
    assert ledger.sheets == ["台账", "补充"]
    got = [(r.problem, r.category, [m.text for m in r.measures], r.deadline, r.long_term, r.status) for r in ledger.rows]
    assert got == [
        ("理论学习不深入", "政治建设方面", ["制定计划", "开展研讨"], dt.date(2024, 6, 30), False, Status.DONE),
        ("制度执行不严", "政治建设方面", ["修订制度", "加强检查"], dt.date(2024, 7, 15), False, Status.IN_PROGRESS),
        ("作风建设需加强", "政治建设方面", [], None, True, Status.NOT_STARTED),
        ("档案管理不规范", "", [], dt.date(2024, 8, 1), False, Status.NOT_STARTED)]
    rid = commit_ledger(db, ledger, title="台账导入")
    assert [c.text for c in categories.list_categories(db, rid)] == ["政治建设方面"]
    assert len(problems.list_problems(db, rid)) == 4
    assert rounds.get_round(db, rid).title == "台账导入"


def test_bad_rows_are_all_reported_and_nothing_written(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["问题", "完成时限", "完成情况", "责任部门"])
    ws.append(["问题一", "下个月", "已完成", "办公室"])
    ws.append(["问题二", "2024-06-30", "差不多", "办公室"])
    ws.append([None, "2024-06-30", None, "办公室"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(LedgerImportError) as err:
        read_ledger(tmp_path / "bad.xlsx")
    assert len(err.value.problems) == 3 and "第 2 行" in str(err.value) and "差不多" in str(err.value)
    assert rounds.list_rounds(db) == []


@pytest.mark.parametrize("payload, name, message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls", "另存为 .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "secret.xlsx", "密码"),
    (b"just text", "fake.xlsx", "不是有效的 Excel"),
    (b"", "empty.xlsx", "0 字节"),
])
def test_bad_workbooks(tmp_path: Path, payload: bytes, name: str, message: str) -> None:
    (tmp_path / name).write_bytes(payload)
    with pytest.raises(ImportError_, match=message):
        read_ledger(tmp_path / name)


def test_wrong_columns(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["张三", "123"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(ImportError_, match="表头"):
        read_ledger(tmp_path / "x.xlsx")


def test_the_plan_is_dated_as_the_clerk_chose_never_with_the_notices_date(db: Database, ledger_round: int,
                                                                         tmp_path: Path) -> None:
    """A plan is made on another day than the notice: the 成文日期 of the notice (2022年5月17日) is not its date."""
    from app.exporting.service import export

    rounds.update_notice_settings(db, ledger_round, sign_date=dt.date(2022, 5, 17))
    result = export(db, "plan", ledger_round, "docx", tmp_path / "方案.docx", sign_date=dt.date(2024, 6, 20))
    body = [p.text for p in Document(str(result.path)).paragraphs]
    assert body[-2:] == ["中共某区行政审批服务局党组", "2024年6月20日"] and "2022年5月17日" not in "".join(body)
    assert not any("成文日期" in str(i) for i in result.preflight)
    bare = export(db, "plan", ledger_round, "docx", tmp_path / "无日期.docx")
    body = [p.text for p in Document(str(bare.path)).paragraphs]
    assert body[-1] == "中共某区行政审批服务局党组" and not re.search(r"\d+年\d+月\d+日", "".join(body[-3:]))
    [item] = [i for i in bare.preflight if "成文日期" in i.message]
    assert item.severity.value == "缺少"


def _main(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python main.py ARGS --db DB`, as the clerk types it."""
    return subprocess.run([sys.executable, "main.py", *args, "--db", db], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_command_line_dates_the_plan_and_the_volume_with_date(tmp_path: Path) -> None:
    db = str(tmp_path / "d.sqlite")
    run = functools.partial(_main, db)
    assert run("demo").returncode == 0
    out = run("export", "plan", "--round", "1", "--date", "2024-7-1", "-o", str(tmp_path / "p.docx"))
    assert out.returncode == 0, out.stderr
    assert [p.text for p in Document(str(tmp_path / "p.docx")).paragraphs][-1] == "2024年7月1日"
    assert "成文日期" not in out.stderr
    out = run("export", "plan", "--round", "1", "-o", str(tmp_path / "q.docx"))
    assert out.returncode == 0 and "警告：【缺少】未指定方案的成文日期" in out.stderr
    assert not re.search(r"\d+年\d+月\d+日", [p.text for p in Document(str(tmp_path / "q.docx")).paragraphs][-1])
    out = run("export", "evidence", "--round", "1", "--problems", "1", "-o", str(tmp_path / "e.pdf"))
    assert out.returncode == 0 and "警告：【缺少】未指定汇编的日期" in out.stderr
    out = run("export", "plan", "--round", "1", "--date", "明天", "-o", str(tmp_path / "r.docx"))
    assert out.returncode == 1 and "不是完整的日期" in out.stderr and not (tmp_path / "r.docx").exists()
    out = run("export", "ledger", "--round", "1", "--date", "2024-7-1", "-o", str(tmp_path / "l.xlsx"))
    assert out.returncode == 1 and "不另设日期" in out.stderr


def test_command_line_export(tmp_path: Path) -> None:
    db = str(tmp_path / "l.sqlite")
    run = functools.partial(_main, db)
    assert run("demo").returncode == 0
    for what, name in (("notice", "通报.docx"), ("notice", "通报.pdf"), ("ledger", "台账.xlsx"), ("ledger", "台账.pdf"),
                       ("ledger", "台账.docx"), ("plan", "方案.docx"), ("evidence", "汇编.pdf")):
        out = run("export", what, "--round", "1", "-o", str(tmp_path / name))
        assert out.returncode == 0 and (tmp_path / name).stat().st_size > 1000, out.stderr
    assert "字体" in run("export", "notice", "--round", "1", "-o", str(tmp_path / "n.pdf")).stdout
    out = run("export", "evidence", "--round", "1", "--problems", "1,6", "--hashes", "-o", str(tmp_path / "e.pdf"))
    assert out.returncode == 0, out.stderr
    from pypdf import PdfReader

    outline = [o.title for o in PdfReader(str(tmp_path / "e.pdf")).outline if not isinstance(o, list)]
    assert [t.split(".")[0] for t in outline[2:4]] == ["1", "6"] and outline[-1].startswith("附录")
    out = run("export", "evidence", "--round", "1", "--problems", "一", "-o", str(tmp_path / "x.pdf"))
    assert out.returncode == 1 and "序号" in out.stderr
    out = run("export", "plan", "--round", "1", "-o", str(tmp_path / "p.pdf"))
    assert out.returncode == 1 and "不能导出为 .pdf" in out.stderr
    out = run("export", "notice", "--round", "9", "-o", str(tmp_path / "x.docx"))
    assert out.returncode == 1 and "找不到" in out.stderr


def test_table_pdf_draws_only_the_bold_lines_with_a_stroke(db: Database, ledger_round: int, tmp_path: Path) -> None:
    """Where no heavy face exists the title is drawn fill + stroke (2 Tr). The render mode is part of the
    graphics state, kept from one text object to the next: it must be put back, or every cell after the
    title is drawn with a 0.5 pt stroke and the whole ledger prints bold."""
    import dataclasses

    import pikepdf

    from app.exporting.fonts import resolve_all
    from app.exporting.ledger import compose
    from app.exporting.ledger_pdf import write_ledger_pdf as write_sheet

    fonts = {role: dataclasses.replace(choice, fake_bold=role == "title") for role, choice in resolve_all().items()}
    pdf = write_sheet(compose(db, ledger_round, TODAY), tmp_path / "ledger.pdf", fonts)
    with pikepdf.open(pdf) as doc:
        shown = []   # (render mode, text) for every text shown
        mode = 0
        for operands, op in pikepdf.parse_content_stream(doc.pages[0]):
            if op == pikepdf.Operator("Tr"):
                mode = int(operands[0])
            elif op in (pikepdf.Operator("Tj"), pikepdf.Operator("TJ"), pikepdf.Operator("'")):
                shown.append(mode)
    assert shown[0] == 2                     # the title
    assert shown.count(2) == 1, shown[:20]   # and nothing else


def test_print_columns_are_sized_by_what_they_hold(db: Database, ledger_round: int, tmp_path: Path) -> None:
    """A long 整改情况 gets the room, a short 整改进展 less; the progress log and the measures'
    owners and deadlines are printed; the labels and the dates stay whole (PDF and Word alike)."""
    story = "对照问题逐项整改，建立健全学习制度，每月开展集中学习，2024年5月31日前完成了全部学习记录的复核。" * 6
    for p in problems.list_problems(db, ledger_round, TODAY):
        problems.update_problem(db, p.id, narrative=story)
    p1 = next(p.id for p in problems.list_problems(db, ledger_round, TODAY) if p.text == "学习计划性不强。")
    measures.log_progress(db, p1, "召开专题会议部署", dt.date(2024, 6, 1), "办公室 王明")
    docx = write_ledger_docx(db, ledger_round, tmp_path / "ledger.docx", today=TODAY)
    table = Document(str(docx)).tables[0]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    grid = [int(g.get(f"{w}w")) for g in table._tbl.tblGrid.findall(f"{w}gridCol")]
    width = dict(zip([c.text for c in table.rows[0].cells], grid, strict=True))
    assert width["整改情况"] > 2 * width["问题"] and width["整改情况"] > 2 * width["整改措施"]
    assert width["整改进展"] < width["整改情况"] / 2 and width["序号"] < width["责任人"] < width["完成时限"]
    texts = "\n".join(c.text for row in table.rows for c in row.cells)
    assert "2024年6月1日 召开专题会议部署（办公室 王明）" in texts
    assert "1.制定学习计划（责任人：陈静；时限：2024年5月20日；已完成）" in texts
    pdf = write_ledger_pdf(db, ledger_round, tmp_path / "ledger.pdf", today=TODAY)
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    for label in ("责任人", "完成时限", "整改情况", "完成情况"):   # never "完成情/况"
        assert label in layout, label
    assert "2024年6月5日" in layout and "2024年6月15日" in layout   # the deadlines on one line each
    plain = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.replace("\n", "")
    assert "召开专题会议部署（办公室 王明）" in plain and "责任人：陈静" in plain


def test_workbook_columns_are_sized_by_what_they_hold(db: Database, ledger_round: int, tmp_path: Path) -> None:
    """The .xlsx as the print form: a long 整改情况 gets the room, a column nobody filled (整改进展 here)
    stays narrow, and the row heights follow the widths (a long narrative in a wide column, few lines)."""
    story = "对照问题逐项整改，建立健全学习制度，每月开展集中学习，2024年5月31日前完成了全部学习记录的复核。" * 6
    for p in problems.list_problems(db, ledger_round, TODAY):
        problems.update_problem(db, p.id, narrative=story)
    path = write_ledger_xlsx(db, [ledger_round], tmp_path / "ledger.xlsx", today=TODAY)
    ws = load_workbook(path)["2024年区委巡察"]
    head = [str(c.value) for c in ws[3]]
    width = {label: ws.column_dimensions[get_column_letter(i)].width for i, label in enumerate(head, 1)}
    assert width["整改情况"] > 2 * width["问题"] and width["整改情况"] > 3 * width["整改进展"]
    assert width["序号"] <= width["责任人"] <= width["完成时限"]
    # 6 × 47 characters of narrative (2 units each) in the fitted column: a few lines, not dozens.
    lines = ws.row_dimensions[4].height / LINE_PT
    assert lines < 2 * 6 * 47 * 2 / width["整改情况"] + 3
