"""Ledger (.xlsx read back equal to the data, PDF/Word tables), plan, and the Excel ledger importer."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from app.exporting.ledger import COLUMNS, write_ledger_docx, write_ledger_pdf, write_ledger_xlsx
from app.exporting.plan import write_plan_docx
from app.importing.ledger_xlsx import LedgerImportError, commit_ledger, read_ledger
from app.importing.readers import ImportError_
from app.services import categories, measures, problems, rounds, status
from db.models import Status
from db.session import Database
from tests.conftest import ROOT


@pytest.fixture
def ledger_round(db: Database, seeded: dict[str, int]) -> int:
    measures.add_measure(db, seeded["p1"], "制定学习计划", owner="陈静")
    measures.add_measure(db, seeded["p1"], "开展专题研讨")
    problems.update_problem(db, seeded["p1"], narrative="已制定计划并印发。", persons="陈静")
    status.import_status(db, seeded["p1"], Status.DONE, "测试")
    problems.update_problem(db, seeded["p3"], deadline="", long_term=True)
    return seeded["round"]


def test_xlsx_reads_back_equal_to_the_data(db: Database, ledger_round: int, tmp_path: Path) -> None:
    path = write_ledger_xlsx(db, [ledger_round], tmp_path / "ledger.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", "2024年区委巡察"]
    ws = wb["2024年区委巡察"]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert ws.freeze_panes == "A2"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    data = problems.list_problems(db, ledger_round)
    assert [r[0] for r in rows] == [p.number for p in data]
    assert [r[1] for r in rows] == [p.text for p in data]
    by_text = {r[1]: r for r in rows}
    first = by_text["学习计划性不强。"]
    assert first[2] == "1.制定学习计划\n2.开展专题研讨"
    assert (first[3], first[4], first[5], first[7], first[8]) == ("王局长", "办公室", "陈静", "已制定计划并印发。", "已完成")
    assert first[6] == dt.datetime(2024, 6, 5)  # a real date, not text
    assert by_text["制度不健全。"][6] == "长期坚持"
    summary = [c.value for c in wb["汇总"][2]]
    assert summary[:4] == ["2024年区委巡察", "某区行政审批服务局", 3, 1]
    # …and the ledger importer reads our own export back into the same problems.
    rid = commit_ledger(db, read_ledger(path), title="回读")
    back = problems.list_problems(db, rid)
    assert sorted(p.text for p in back) == sorted(p.text for p in data)
    again = {p.text: p for p in back}["学习计划性不强。"]
    assert (again.status, again.deadline, again.measure_count, again.departments) == (
        Status.DONE, dt.date(2024, 6, 5), 2, "办公室")


def test_landscape_table_pdf_and_docx(db: Database, ledger_round: int, tmp_path: Path) -> None:
    pdf = write_ledger_pdf(db, ledger_round, tmp_path / "ledger.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "整改台账" in text and "学习计划性不强" in text and "责任部门" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape: wider than tall
    docx = write_ledger_docx(db, ledger_round, tmp_path / "ledger.docx")
    doc = Document(str(docx))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == list(COLUMNS)
    assert table.rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") \
        is not None
    assert len(table.rows) == 4 and doc.sections[0].page_width > doc.sections[0].page_height


def test_plan_has_a_table_per_problem(db: Database, ledger_round: int, tmp_path: Path) -> None:
    doc = Document(str(write_plan_docx(db, ledger_round, tmp_path / "plan.docx")))
    assert len(doc.tables) == 3
    labels = [[row.cells[0].text for row in t.rows] for t in doc.tables]
    assert all(lab == ["问题", "整改措施", "责任领导", "责任部门", "责任人", "完成时限"] for lab in labels)
    texts = {t.rows[0].cells[1].text: t for t in doc.tables}
    t = texts["学习计划性不强。"]
    assert t.rows[1].cells[1].text == "1.制定学习计划\n2.开展专题研讨" and t.rows[5].cells[1].text == "2024年6月5日"
    assert doc.paragraphs[0].text.endswith("整改方案")


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
    got = [(r.problem, r.category, r.measures, r.deadline, r.long_term, r.status) for r in ledger.rows]
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


def test_command_line_export(tmp_path: Path) -> None:
    db = str(tmp_path / "l.sqlite")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", *args, "--db", db], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)

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
