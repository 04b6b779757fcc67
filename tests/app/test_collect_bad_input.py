"""Every kind of bad return gets its own clear message, and a preview never writes anything."""
from __future__ import annotations

import builtins
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from app.collect.layout import META_SHEET
from app.collect.merge import merge_return
from app.collect.model import FilePreview
from app.collect.preview import preview_returns
from app.collect.send import send_round
from app.collect.status import collection_status
from app.errors import ValidationError
from app.services import measures, problems, registry, rounds
from db.session import Database, open_database
from tests.app.collect_helpers import Edit, rows_by_number

SENT = dt.datetime(2024, 6, 1, 9, 0)
TODAY = dt.date(2024, 6, 10)
N1, N2, N3 = 2, 3, 1


@pytest.fixture
def sent(db: Database, seeded: dict[str, int], tmp_path: Path) -> dict[str, Path]:
    res = send_round(db, seeded["round"], tmp_path / "out", now=SENT)
    return {f.department: tmp_path / "out" / f.file_name for f in res.files}


def _one(db: Database, seeded: dict[str, int], path: Path, **kw: Any) -> FilePreview:
    before = len(registry.read_audit(db))
    [fp] = preview_returns(db, seeded["round"], [path], today=TODAY, **kw)
    assert len(registry.read_audit(db)) == before
    return fp


def test_a_workbook_of_another_round(db: Database, seeded: dict[str, int], tmp_path: Path, sent: dict) -> None:
    other = rounds.create_round(db, seeded["unit"], "2023年巡察“回头看”")
    problems.create_problem(db, other.id, "另一轮的问题。", departments="办公室")
    res = send_round(db, other.id, tmp_path / "other", now=SENT)
    path = tmp_path / "other" / res.files[0].file_name
    Edit(path).fill(1, progress="进展。").save()
    fp = _one(db, seeded, path)
    assert fp.errors and "2023年巡察“回头看”" in fp.errors[0] and "不是本轮" in fp.errors[0]
    with pytest.raises(ValidationError):
        merge_return(db, fp)


def test_a_workbook_of_another_ledger(db: Database, seeded: dict[str, int], tmp_path: Path, sent: dict) -> None:
    other = open_database(tmp_path / "other" / "ledger.sqlite")
    try:
        unit = rounds.create_unit(other, "另一个单位")
        r = rounds.create_round(other, unit.id, "别处的巡察")
        for i in range(5):
            problems.create_problem(other, r.id, f"别处的问题{i}。", departments="办公室")
        res = send_round(other, r.id, tmp_path / "other" / "out", now=SENT)
    finally:
        other.close()
    path = tmp_path / "other" / "out" / res.files[0].file_name
    Edit(path).fill(1, progress="进展。").save()
    fp = _one(db, seeded, path)
    assert fp.errors and "不是从本台账下发的" in fp.errors[0]


def test_an_older_send_is_superseded_and_only_newer_progress_is_taken(
        db: Database, seeded: dict[str, int], tmp_path: Path, sent: dict[str, Path]) -> None:
    old = tmp_path / "old.xlsx"
    shutil.copy(sent["审批科"], old)
    send_round(db, seeded["round"], tmp_path / "new", now=SENT + dt.timedelta(days=5))
    Edit(old).fill(N3, progress="六月初的进展。", reporter="李四", date="2024-6-3") \
        .fill(N2, progress="重新下发之后的进展。", reporter="李四", date="2024-6-9").save()
    fp = _one(db, seeded, old)
    assert fp.superseded_by == SENT + dt.timedelta(days=5)
    assert "旧表" in fp.notes[0] and "较新" in fp.notes[0] and "旧表" in fp.summary()
    merge_return(db, fp, newer_only=True)
    assert measures.list_progress(db, seeded["p3"]) == []
    # the old form does not count as the return of the newer send
    assert {s.department: s.state for s in collection_status(db, seeded["round"])}["审批科"] == "未交回"
    assert [e.note for e in measures.list_progress(db, seeded["p2"])] == ["重新下发之后的进展。"]


def test_a_renamed_sheet_is_found_by_its_header(db: Database, seeded: dict[str, int], sent: dict[str, Path]) -> None:
    e = Edit(sent["审批科"]).fill(N3, progress="进展。", reporter="李四", date="2024-6-9")
    e.ws.title = "Sheet1"
    e.save()
    fp = _one(db, seeded, sent["审批科"])
    assert not fp.errors and any("已改名为“Sheet1”" in n for n in fp.notes)
    merge_return(db, fp)
    assert len(measures.list_progress(db, seeded["p3"])) == 1


def test_a_deleted_data_sheet(db: Database, seeded: dict[str, int], sent: dict[str, Path]) -> None:
    wb = load_workbook(sent["审批科"])
    del wb["填报表"]
    wb.save(sent["审批科"])
    fp = _one(db, seeded, sent["审批科"])
    assert fp.errors and "找不到填报表" in fp.errors[0] and "已被删除" in fp.errors[0]


def test_a_lost_hidden_sheet_matches_by_number_and_text_after_confirmation(
        db: Database, seeded: dict[str, int], sent: dict[str, Path], tmp_path: Path) -> None:
    # the department copies the visible table into a new workbook: no hidden sheet, no hidden id column
    src = load_workbook(sent["审批科"])["填报表"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in src.iter_rows(min_col=2, values_only=True):
        ws.append(list(row))
    copy = tmp_path / "审批科回执.xlsx"
    wb.save(copy)
    e = Edit(copy)
    e.fill(N3, progress="修订制度一项。", reporter="李四", date="2024-6-9")
    e.save()
    fp = _one(db, seeded, copy)
    assert fp.department == "审批科" and fp.matched_by == "text" and fp.needs_confirmation
    assert any("回执信息" in n for n in fp.notes)
    with pytest.raises(ValidationError, match="确认"):
        merge_return(db, fp)
    merge_return(db, fp, confirm_match=True)
    assert [e.note for e in measures.list_progress(db, seeded["p3"])] == ["修订制度一项。"]


def test_rows_added_and_merged_cells(db: Database, seeded: dict[str, int], sent: dict[str, Path]) -> None:
    e = Edit(sent["办公室"]).fill(N1, progress="进展一。", reporter="张三", date="2024-6-9") \
        .fill(N2, progress="进展二。", date="2024-6-9").add_row(problem="部门自己加的问题", progress="新增。")
    col = e.cols["reporter"]
    e.ws.merge_cells(start_row=4, end_row=5, start_column=col, end_column=col)   # 填报人 merged down
    e.save()
    fp = _one(db, seeded, sent["办公室"])
    assert any("新增的行" in r and "部门自己加的问题" in r for r in fp.ignored_rows)
    assert any("合并单元格" in n for n in fp.notes)
    assert {pm.author for pm in fp.problems} == {"张三（办公室）"}


def test_dates_typed_as_text(db: Database, seeded: dict[str, int], sent: dict[str, Path]) -> None:
    Edit(sent["办公室"]).fill(N1, progress="进展一。", date="2024.6.30").fill(N2, progress="进展二。", date="6月底").save()
    fp = _one(db, seeded, sent["办公室"])
    by_id = {pm.problem_id: pm for pm in fp.problems}
    assert by_id[seeded["p1"]].progress_date == dt.date(2024, 6, 30)
    p2 = by_id[seeded["p2"]]
    assert p2.progress_date == TODAY and not p2.date_from_return
    assert any("“6月底”没有年份" in n for n in p2.notes)


def test_a_file_with_an_unknown_open_password(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le"))
    fp = _one(db, seeded, path)
    assert fp.errors and "打开密码" in fp.errors[0]


@pytest.mark.parametrize("name", ["回执.xls", "回执.et"])
def test_old_excel_and_wps_formats(db: Database, seeded: dict[str, int], tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)
    fp = _one(db, seeded, path)
    assert fp.errors and ".xls" in fp.errors[0] and "另存为" in fp.errors[0]


def test_a_wps_et_name_holding_an_xlsx_is_read(db: Database, seeded: dict[str, int], sent: dict[str, Path]) -> None:
    et = sent["审批科"].with_suffix(".et")
    Edit(sent["审批科"]).fill(N3, progress="进展。", date="2024-6-9").save(et)
    assert not _one(db, seeded, et).errors


def test_a_file_still_open_in_excel(db: Database, seeded: dict[str, int], sent: dict[str, Path],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = sent["审批科"]
    Edit(path).fill(N3, progress="进展。", date="2024-6-9").save()
    (path.parent / f"~${path.name}").write_bytes(b"owner")
    assert any("仍在编辑" in n for n in _one(db, seeded, path).notes)
    real_open = builtins.open

    def locked(file: Any, *a: Any, **kw: Any) -> Any:
        if Path(str(file)) == path:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real_open(file, *a, **kw)

    monkeypatch.setattr(builtins, "open", locked)
    fp = _one(db, seeded, path)
    assert fp.errors and "占用" in fp.errors[0] and "关闭" in fp.errors[0]


def test_an_empty_return(db: Database, seeded: dict[str, int], sent: dict[str, Path], tmp_path: Path) -> None:
    fp = _one(db, seeded, sent["审批科"])                     # returned exactly as sent
    assert fp.errors and "没有填写任何内容" in fp.errors[0] and not fp.mergeable
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    assert "空文件" in _one(db, seeded, empty).errors[0]


def test_a_meta_sheet_from_elsewhere_is_ignored(db: Database, seeded: dict[str, int], sent: dict[str, Path]) -> None:
    wb = load_workbook(sent["审批科"])
    wb[META_SHEET]["B1"] = "something else"
    wb.save(sent["审批科"])
    Edit(sent["审批科"]).fill(N3, progress="进展。", date="2024-6-9").save()
    fp = _one(db, seeded, sent["审批科"])
    assert fp.matched_by == "text" and any("不是本程序写的格式" in n for n in fp.notes)


def test_more_dates_typed_as_text(db: Database, seeded: dict[str, int], sent: dict[str, Path]) -> None:
    Edit(sent["办公室"]).fill(N1, progress="进展一。", date="２０２４．６．９") \
        .fill(N2, progress="进展二。", date="2024.6").save()
    e = Edit(sent["审批科"]).fill(N3, progress="进展三。", date=45452)              # 2024-6-9 pasted as a number
    e.ws.cell(rows_by_number(e.ws)[N3], e.cols["date"]).number_format = "General"
    e.save()
    fp = _one(db, seeded, sent["办公室"])
    by_id = {pm.problem_id: pm for pm in fp.problems}
    assert by_id[seeded["p1"]].progress_date == dt.date(2024, 6, 9)
    assert by_id[seeded["p2"]].progress_date == TODAY and not by_id[seeded["p2"]].date_from_return
    assert any("没有写日" in n for n in by_id[seeded["p2"]].notes)
    p3 = next(pm for pm in _one(db, seeded, sent["审批科"]).problems if pm.problem_id == seeded["p3"])
    assert p3.progress_date == dt.date(2024, 6, 9) and any("粘贴成了数值" in n for n in p3.notes)
    Edit(sent["审批科"]).fill(N3, date="二〇二四年七月一日").save()
    p3 = next(pm for pm in _one(db, seeded, sent["审批科"]).problems if pm.problem_id == seeded["p3"])
    assert p3.progress_date == dt.date(2024, 7, 1) and any("晚于今天" in n for n in p3.notes)


def test_a_cell_typed_far_away_or_a_whole_column_merged(db: Database, seeded: dict[str, int],
                                                         sent: dict[str, Path]) -> None:
    """One stray value at XFD1048576, or a merge down to the sheet's last row, would make openpyxl fill
    billions of cells: refused with a message before anything is built; a far empty formatted cell is harmless."""
    from openpyxl.styles import Font

    e = Edit(sent["办公室"]).fill(N1, progress="进展一。", date="2024-6-9")
    e.ws["XFD1048576"].font = Font(bold=True)      # formatted, empty: read as usual, by the cells that hold values
    e.save()
    fp = _one(db, seeded, sent["办公室"])
    assert not fp.errors and [pm.progress for pm in fp.problems if pm.progress] == ["进展一。"]
    e = Edit(sent["办公室"])
    e.ws["XFD1048576"] = "x"
    e.save()
    fp = _one(db, seeded, sent["办公室"])
    assert fp.errors and "XFD1048576" in fp.errors[0] and "超出了读取范围" in fp.errors[0] and not fp.mergeable
    e = Edit(sent["审批科"])
    col = e.cols["reporter"]
    e.ws.merge_cells(start_row=4, end_row=5, start_column=col, end_column=col)
    e.save()
    _widen_merge(sent["审批科"], e.ws.cell(4, col).coordinate, e.ws.cell(5, col).coordinate)
    fp = _one(db, seeded, sent["审批科"])
    assert fp.errors and "合并单元格" in fp.errors[0] and "超出了读取范围" in fp.errors[0]


def _widen_merge(path: Path, top: str, bottom: str) -> None:
    """Make the merge top:bottom reach the sheet's last row, as Excel stores a merge of the whole column:
    one <mergeCell> element (openpyxl would write a million cells for it)."""
    import zipfile

    parts = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            parts[info.filename] = z.read(info)
    column = "".join(ch for ch in bottom if ch.isalpha())
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and f'ref="{top}:{bottom}"'.encode() in data:
            parts[name] = data.replace(f'ref="{top}:{bottom}"'.encode(), f'ref="{top}:{column}1048576"'.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_word_document_chosen_by_mistake(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "回执.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "WordDocument".encode("utf-16-le"))
    fp = _one(db, seeded, path)
    assert fp.errors and "Word 文档" in fp.errors[0]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_real_xls_saved_by_a_department(db: Database, seeded: dict[str, int], sent: dict[str, Path],
                                          tmp_path: Path) -> None:
    import subprocess

    Edit(sent["审批科"]).fill(N3, progress="进展。", date="2024-6-9").save()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path / "xls"), str(sent["审批科"])], capture_output=True, timeout=180,
                   check=True)
    [xls] = (tmp_path / "xls").glob("*.xls")
    fp = _one(db, seeded, xls)
    assert fp.errors and "Excel 97-2003（.xls）" in fp.errors[0] and "另存为" in fp.errors[0]
    et = xls.with_suffix(".et")                    # WPS's own name for the same old format
    xls.rename(et)
    assert "另存为" in _one(db, seeded, et).errors[0]
    assert measures.list_progress(db, seeded["p3"]) == []
