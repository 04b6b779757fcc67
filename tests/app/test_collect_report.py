"""催办通知 (GB/T 9704, both shared checkers), the status per department, the command line, and Calc."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import run
from app.collect.merge import merge_return
from app.collect.preview import preview_returns
from app.collect.remind import compose_reminders, write_reminders
from app.collect.send import send_round
from app.collect.status import not_returned
from app.errors import ValidationError
from app.services import measures
from db.session import Database
from tests.app.collect_helpers import Edit
from tests.conftest import ROOT, cli_target

SENT = dt.datetime(2024, 6, 1, 9, 0)
SIGN = dt.date(2024, 6, 10)
N1, N2, N3 = 2, 3, 1
TOOLS = ROOT.parent / "shared" / "tools"


def _check(tool: str, path: Path, *extra: str) -> str:
    out = subprocess.run([sys.executable, str(TOOLS / tool), str(path), *extra], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stdout
    return out.stdout


def test_reminders_for_red_and_overdue_items_pass_both_checkers(db: Database, seeded: dict[str, int],
                                                               tmp_path: Path) -> None:
    res = send_round(db, seeded["round"], tmp_path / "out", now=SENT)
    path = tmp_path / "out" / next(f.file_name for f in res.files if f.department == "审批科")
    Edit(path).fill(N3, progress="修订制度一项。", reporter="李四", date="2024-6-9").save()
    [fp] = preview_returns(db, seeded["round"], [path], today=SIGN)
    merge_return(db, fp)
    assert [s.department for s in not_returned(db, seeded["round"])] == ["办公室"]

    out = write_reminders(db, seeded["round"], tmp_path / "remind", SIGN, signature="中共某区行政审批服务局党组办公室")
    by_dept = {r.department: r for r in out.reminders}
    assert set(by_dept) == {"办公室", "审批科"}                     # p3 is green: 审批科 only for p2
    assert [p.id for p in by_dept["办公室"].items] == [seeded["p1"], seeded["p2"]]
    text = by_dept["办公室"].document.plain_text()
    assert "已逾期5天" in text and "还剩5天" in text and "2024年6月10日" in text
    assert "尚未交回2024年6月1日下发的整改进展填报表" in text
    assert "尚未交回" not in by_dept["审批科"].document.plain_text()
    assert [d for d, _ in out.not_returned] == ["办公室"]
    docx = tmp_path / "remind" / "办公室-催办通知.docx"
    pdf = tmp_path / "remind" / "办公室-催办通知.pdf"
    assert "0 failed" in _check("check_docx_gbt9704.py", docx)
    # The notice has no source text of its own: what it was composed from (its plain text) stands in, so the
    # checker's "source text kept" and "成文日期 from the source" rules apply too.
    source = tmp_path / "source.txt"
    source.write_text(text, encoding="utf-8")
    out_pdf = _check("check_notice_pdf.py", pdf, "--source", str(source))
    assert "0 failed" in out_pdf and "成文日期 from the source" in out_pdf
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in pages
    _addressee_flush_left(docx, pdf, "办公室：")


def _addressee_flush_left(docx: Path, pdf: Path, line: str) -> None:
    """主送机关 under the title, 顶格 with a full-width colon; the body under it indented two characters."""
    from docx import Document
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    paras = [p for p in Document(str(docx)).paragraphs if p.text.strip()]
    assert paras[1].text == line
    fmt, body = paras[1].paragraph_format, paras[2].paragraph_format
    style_ind = paras[1].style.paragraph_format.first_line_indent
    assert not fmt.first_line_indent and not style_ind and not fmt.left_indent
    assert paras[2].style.paragraph_format.first_line_indent and not body.first_line_indent
    starts: dict[str, float] = {}
    for page in extract_pages(str(pdf)):
        for box in page:
            if isinstance(box, LTTextContainer):
                for ln in box:
                    if isinstance(ln, LTTextLine):
                        chars = [c for c in ln if isinstance(c, LTChar) and c.get_text().strip()]
                        if chars:
                            starts.setdefault("".join(c.get_text() for c in chars), min(c.x0 for c in chars))
    left = 28 * 72 / 25.4
    assert abs(starts[line] - left) < 1.5, starts
    first_body = next(t for t in starts if t.startswith("截至"))
    assert abs(starts[first_body] - left - 2 * 16) < 3, starts


def test_a_reminder_needs_a_date_chosen_by_the_clerk(db: Database, seeded: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="成文日期"):
        compose_reminders(db, seeded["round"], None)  # type: ignore[arg-type]


def test_command_line_send_receive_status_remind(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path, rid = cli_target(db, monkeypatch), str(seeded["round"])
    db.close()   # the command line opens the database itself
    try:
        assert run(["collect", "send", "--round", rid, "-o", str(tmp_path / "out"), "--db", path]) == 0
        assert "已下发 2 个部门" in capsys.readouterr().out
        [book] = (tmp_path / "out").glob("审批科*.xlsx")
        Edit(book).fill(N3, progress="修订制度一项。", narrative="已修订。", reporter="李四", date="2024-6-9").save()
        assert run(["collect", "receive", str(book), "--round", rid, "--db", path]) == 0
        out = capsys.readouterr().out
        assert "+ 进展（2024-06-09，李四（审批科））：修订制度一项。" in out and "未写入" in out
        assert run(["collect", "status", "--round", rid, "--db", path]) == 0
        assert "审批科\t未交回" in capsys.readouterr().out
        assert run(["collect", "receive", str(book), "--round", rid, "--yes", "--db", path]) == 0
        assert "已导入：更新 1 个问题" in capsys.readouterr().out
        assert run(["collect", "status", "--round", rid, "--db", path]) == 0
        assert "审批科\t已交回" in capsys.readouterr().out
        assert run(["collect", "remind", "--round", rid, "-o", str(tmp_path / "r"), "--date", "6月底",
                    "--db", path]) == 1
        assert "不是完整的日期" in capsys.readouterr().err
        assert run(["collect", "remind", "--round", rid, "-o", str(tmp_path / "r"), "--date", "2024-6-10",
                    "--format", "docx", "--db", path]) == 0
        out = capsys.readouterr().out
        assert "办公室-催办通知.docx" in out and "办公室（2024-06-01 下发）" not in out   # sent today, not on SENT
        bad = tmp_path / "bad.xls"
        bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
        assert run(["collect", "receive", str(bad), "--round", rid, "--yes", "--db", path]) == 1
        assert "另存为" in capsys.readouterr().out
    finally:
        db.open()
    assert [e.note for e in measures.list_progress(db, seeded["p3"])] == ["修订制度一项。"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_sent_workbook_opens_in_calc_and_prints(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    res = send_round(db, seeded["round"], tmp_path / "out", now=SENT)
    book = tmp_path / "out" / res.files[0].file_name
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), str(book)], capture_output=True, timeout=180, check=True)
    pdf = tmp_path / "pdf" / book.with_suffix(".pdf").name
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "2024年区委巡察整改进展填报表" in text and "填报部门：" in text
    for header in ("序号", "本期进展", "完成情况", "填报日期"):
        assert header in text
    assert "问题编号" not in text and f"P{seeded['p1']}" not in text   # the hidden id column does not print
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", size)        # A4 landscape
    assert "openpyxl" not in size                                 # the workbook names its author
