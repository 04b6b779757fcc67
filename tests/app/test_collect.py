"""部门填报: real workbooks written by the program, edited with openpyxl as departments do, merged back."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.collect.layout import DATA_SHEET, FIRST_ROW, HELP_SHEET, META_SHEET
from app.collect.merge import merge_return, resolve_conflict
from app.collect.model import APPLY, CONFLICT, DEPARTMENT, OFFICE, REFUSED
from app.collect.preview import preview_returns
from app.collect.send import send_round
from app.collect.status import collection_status, open_conflicts
from app.errors import RuleViolation, ValidationError
from app.services import evidence, measures, problems, registry, status
from db.enums import Status
from db.session import Database
from tests.app.collect_helpers import Edit
from tests.conftest import make_pdf

SENT = dt.datetime(2024, 6, 1, 9, 0)
N1, N2, N3 = 2, 3, 1   # the seeded problems' numbers: p3 sits directly under the 方面, before its 项
TODAY = dt.date(2024, 6, 10)


def _send(db: Database, seeded: dict[str, int], tmp_path: Path, **kw: object) -> dict[str, Path]:
    res = send_round(db, seeded["round"], tmp_path / "out", now=kw.pop("now", SENT), **kw)  # type: ignore[arg-type]
    return {f.department: tmp_path / "out" / f.file_name for f in res.files}


def _progress(db: Database, pid: int) -> list[tuple[dt.date, str, str]]:
    return [(e.entry_date, e.author, e.note) for e in measures.list_progress(db, pid)]


def test_send_writes_a_protected_workbook_per_department(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    measures.add_measure(db, seeded["p1"], "制定年度学习计划")
    files = _send(db, seeded, tmp_path, password="xc2024")
    assert set(files) == {"办公室", "审批科"}
    wb = load_workbook(files["办公室"])
    assert wb.sheetnames == [DATA_SHEET, HELP_SHEET, META_SHEET]
    ws, meta = wb[DATA_SHEET], wb[META_SHEET]
    assert meta.sheet_state == "veryHidden" and ws.protection.sheet and ws.protection.password
    assert not ws.protection.sort and not ws.protection.autoFilter     # sorting and filtering stay allowed
    assert wb.security.lockStructure
    numbers = [ws.cell(r, 2).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert numbers == [N1, N2]                                       # p1 and p2, not p3 (审批科 only)
    row = FIRST_ROW
    assert ws.cell(row, 1).value == f"P{seeded['p1']}" and ws.column_dimensions["A"].hidden
    assert "1.制定年度学习计划" in ws.cell(row, 5).value
    assert ws.cell(row, 6).value.date() == dt.date(2024, 6, 5)
    locked = [ws.cell(row, c).protection.locked for c in range(1, 15)]
    assert locked == [True] * 7 + [False] * 7
    kinds = {dv.type: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert kinds == {"list": f"J{FIRST_ROW}:J{FIRST_ROW + 1}", "date": f"N{FIRST_ROW}:N{FIRST_ROW + 1}"}
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$3:$3"
    rows = {r[0]: r[1] for r in meta.iter_rows(values_only=True) if r and r[0]}
    assert rows["轮次编号"] == seeded["round"] and rows["部门"] == "办公室" and len(str(rows["校验和"])) == 64
    assert rows["导出时间"] == "2024-06-01 09:00:00"
    assert {f"P{seeded['p1']}", f"P{seeded['p2']}"} <= set(rows)
    [st] = [s for s in collection_status(db, seeded["round"], TODAY) if s.department == "办公室"]
    assert (st.sent_at, st.returned_at, st.state) == (SENT, None, "未交回")


def test_the_configured_password_protects_the_next_send(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    from app import local_settings

    assert not load_workbook(_send(db, seeded, tmp_path)["办公室"])["填报表"].protection.password   # none by default
    local_settings.set_value(db.data_dir, "collect_password", "xc2024")
    ws = load_workbook(_send(db, seeded, tmp_path / "again")["办公室"])["填报表"]
    assert ws.protection.sheet and ws.protection.password


def test_send_as_one_zip(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    import zipfile

    res = send_round(db, seeded["round"], tmp_path / "all.zip", as_zip=True, now=SENT)
    names = zipfile.ZipFile(tmp_path / "all.zip").namelist()
    assert sorted(names) == sorted(f.file_name for f in res.files) and len(names) == 2
    assert not list(tmp_path.glob(".~*"))                            # no temporary file left behind


@pytest.mark.parametrize("as_zip", [True, False], ids=["one-zip", "many-workbooks"])
def test_sent_workbooks_keep_the_users_usual_permissions(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                         as_zip: bool) -> None:
    """Not mkstemp's 0600: a colleague opens the 填报表 on the office's shared folder."""
    import os
    import stat

    old = os.umask(0o022)
    try:
        target = tmp_path / ("all.zip" if as_zip else "out")
        res = send_round(db, seeded["round"], target, as_zip=as_zip, now=SENT)
        written = [target] if as_zip else [target / f.file_name for f in res.files]
        assert written and all(stat.S_IMODE(f.stat().st_mode) == 0o644 for f in written)
        if as_zip:
            target.chmod(0o640)   # a file the user shares with the group: sending again over it keeps that
            send_round(db, seeded["round"], target, as_zip=True, now=SENT + dt.timedelta(days=1))
            assert stat.S_IMODE(target.stat().st_mode) == 0o640
        else:
            assert load_workbook(written[0])[DATA_SHEET].cell(FIRST_ROW, 2).value is not None
    finally:
        os.umask(old)


@pytest.mark.parametrize("as_zip", [True, False], ids=["one-zip", "many-workbooks"])
def test_a_bulk_send_is_recorded_for_each_department(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                    as_zip: bool) -> None:
    import zipfile

    db.clerk = "张文书"
    target = tmp_path / ("all.zip" if as_zip else "out")
    send_round(db, seeded["round"], target, as_zip=as_zip, now=SENT)
    later = SENT + dt.timedelta(days=3)
    send_round(db, seeded["round"], tmp_path / "again", departments=["审批科"], now=later)   # 审批科 again, alone
    by_dept = {st.department: st for st in collection_status(db, seeded["round"], TODAY)}
    assert {d: st.sent_at for d, st in by_dept.items()} == {"办公室": SENT, "审批科": later}
    assert all(st.state == "未交回" for st in by_dept.values())
    sends = [a for a in registry.read_audit(db) if a.action == "下发"]
    assert [a.user for a in sends] == ["张文书"] * 3
    words = sorted(a.new_value or "" for a in sends)
    inside = "（在压缩包 all.zip 中）" if as_zip else ""
    assert words == sorted([
        f"向办公室下发填报表 办公室-2024年区委巡察-整改进展填报表.xlsx{inside}：2 个问题（序号 {N1}、{N2}）",
        f"向审批科下发填报表 审批科-2024年区委巡察-整改进展填报表.xlsx{inside}：2 个问题（序号 {N3}、{N2}）",
        f"向审批科下发填报表 审批科-2024年区委巡察-整改进展填报表.xlsx：2 个问题（序号 {N3}、{N2}）"]), words
    if as_zip:
        assert len(zipfile.ZipFile(target).namelist()) == 2


def test_a_department_return_is_merged_with_conflicts_locked_edits_and_evidence(
        db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    p1, p2, p3 = seeded["p1"], seeded["p2"], seeded["p3"]
    problems.update_problem(db, p1, narrative="原有整改情况。")
    files = _send(db, seeded, tmp_path)
    problems.update_problem(db, p1, narrative="办公室在下发后改写的整改情况。")     # the office's own change
    # 办公室 sorts, filters, fills part, changes a locked cell, and sends evidence beside the workbook
    (Edit(files["办公室"]).sort_descending().filter_out(N1)
     .fill(N1, progress="已制定年度学习计划。", narrative="部门改写的整改情况。", reporter="张三", phone="1234",
           date="2024.6.30")
     .fill(N2, progress="召开专题研讨会两次。", done="已完成", reporter="张三", date=dt.datetime(2024, 6, 8),
           problem="部门改过的问题内容")
     .save())
    folder = tmp_path / "out" / "佐证材料"
    folder.mkdir()
    make_pdf(folder / f"{N2}-研讨会记录.pdf", text="minutes")
    (folder / "说明.txt").write_text("no number", encoding="utf-8")
    # 审批科 deletes a row and fills the other
    Edit(files["审批科"]).delete_row(N2).fill(N3, progress="修订制度一项。", reporter="李四", date="2024-6-9").save()

    before = len(registry.read_audit(db))
    previews = preview_returns(db, seeded["round"], [files["办公室"], files["审批科"]], today=TODAY)
    assert len(registry.read_audit(db)) == before                    # a preview writes nothing
    office, approvals = previews
    assert office.department == "办公室" and office.matched_by == "id" and not office.errors
    by_id = {pm.problem_id: pm for pm in office.problems}
    [n1] = by_id[p1].changes
    assert (n1.kind, n1.office, n1.department) == (CONFLICT, "办公室在下发后改写的整改情况。", "部门改写的整改情况。")
    assert by_id[p1].progress_date == dt.date(2024, 6, 30) and by_id[p1].author == "张三（办公室）"
    assert any("2024.6.30" in n for n in by_id[p1].notes)
    [s2] = by_id[p2].changes
    assert (s2.field, s2.kind) == ("status", APPLY)                  # 已完成 with evidence arriving: to review
    assert by_id[p2].locked_edits == [("问题", "研讨不深入。", "部门改过的问题内容")]
    assert [e.path.name for e in by_id[p2].evidence] == [f"{N2}-研讨会记录.pdf"]
    assert any("说明.txt" in n and "没有问题序号" in n for n in office.notes)
    assert approvals.missing and f"第{N2}号" in approvals.missing[0]       # the deleted row is reported

    out = merge_return(db, office, {(p1, "narrative"): DEPARTMENT})
    assert (out.items_updated, out.progress_added, out.evidence_added, out.conflicts_open) == (2, 2, 1, 0)
    merge_return(db, approvals)
    assert problems.get_problem(db, p1).narrative == "部门改写的整改情况。"
    got2 = problems.get_problem(db, p2)
    assert got2.text == "研讨不深入。" and got2.status == Status.PENDING_REVIEW   # locked edit ignored
    assert status.list_reviews(db, p2)[0].submitted_by == "张三（办公室）"
    assert [e.original_name for e in evidence.list_evidence(db, p2)] == [f"{N2}-研讨会记录.pdf"]
    assert _progress(db, p1) == [(dt.date(2024, 6, 30), "张三（办公室）", "已制定年度学习计划。")]
    assert _progress(db, p3) == [(dt.date(2024, 6, 9), "李四（审批科）", "修订制度一项。")]
    # the audit log names the department and the file, in the same transaction as the changes
    audit = registry.read_audit(db)
    returns = [json.loads(a.new_value or "{}") for a in audit if a.entity == "collection_return" and a.action == "新建"]
    assert {(r["department"], r["file_name"]) for r in returns} == {("办公室", files["办公室"].name),
                                                                    ("审批科", files["审批科"].name)}
    ret_at = {a.at for a in audit if a.entity == "collection_return"}
    assert any(a.entity == "problem" and a.field == "narrative" and a.at in ret_at for a in audit)
    rows = {s.department: s for s in collection_status(db, seeded["round"], TODAY)}
    assert rows["办公室"].returned_at is not None and rows["办公室"].items_updated == 2
    assert rows["审批科"].state == "已交回"


def test_a_conflict_left_open_is_decided_later(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    p1 = seeded["p1"]
    files = _send(db, seeded, tmp_path)
    problems.update_problem(db, p1, narrative="办公室的版本。")
    Edit(files["办公室"]).fill(N1, narrative="部门的版本。", reporter="张三", date="2024-6-9").save()
    [fp] = preview_returns(db, seeded["round"], [files["办公室"]], today=TODAY)
    out = merge_return(db, fp)                                       # undecided: stays open
    assert out.conflicts_open == 1 and problems.get_problem(db, p1).narrative == "办公室的版本。"
    [c] = open_conflicts(db, seeded["round"])
    assert (c.department, c.number, c.office_value, c.department_value) == ("办公室", N1, "办公室的版本。", "部门的版本。")
    assert {s.department: s.state for s in collection_status(db, seeded["round"], TODAY)}["办公室"] == "有冲突待定"
    resolve_conflict(db, c.id, DEPARTMENT)
    assert problems.get_problem(db, p1).narrative == "部门的版本。" and not open_conflicts(db, seeded["round"])
    with pytest.raises(RuleViolation):
        resolve_conflict(db, c.id, OFFICE)


def test_the_same_file_twice_adds_nothing_twice(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    files = _send(db, seeded, tmp_path)
    Edit(files["审批科"]).fill(N3, progress="修订制度一项。", reporter="李四", date="2024-6-9").save()
    [fp] = preview_returns(db, seeded["round"], [files["审批科"]], today=TODAY)
    merge_return(db, fp)
    [again] = preview_returns(db, seeded["round"], [files["审批科"]], today=TODAY)
    assert again.already_received is not None and not again.mergeable
    assert any("已有进展" in n or "相同" in n for pm in again.problems for n in pm.notes)
    with pytest.raises(ValidationError):
        merge_return(db, again)
    assert len(measures.list_progress(db, seeded["p3"])) == 1


def test_done_without_evidence_is_refused_but_progress_is_kept(db: Database, seeded: dict[str, int],
                                                                tmp_path: Path) -> None:
    files = _send(db, seeded, tmp_path)
    Edit(files["审批科"]).fill(N3, progress="已完成制度修订。", done="已完成", reporter="李四", date="2024-6-9").save()
    [fp] = preview_returns(db, seeded["round"], [files["审批科"]], today=TODAY)
    [c] = next(pm for pm in fp.problems if pm.problem_id == seeded["p3"]).changes
    assert c.kind == REFUSED and "佐证材料" in c.note
    merge_return(db, fp)
    assert problems.get_problem(db, seeded["p3"]).status == Status.NOT_STARTED
    assert len(measures.list_progress(db, seeded["p3"])) == 1


def test_a_field_changed_after_the_preview_becomes_an_open_conflict(db: Database, seeded: dict[str, int],
                                                                    tmp_path: Path) -> None:
    # p2 belongs to both departments: both change its 整改情况, both returns are previewed, then merged
    files = _send(db, seeded, tmp_path)
    Edit(files["办公室"]).fill(N2, narrative="办公室部门写的。", reporter="张三", date="2024-6-9").save()
    Edit(files["审批科"]).fill(N2, narrative="审批科写的。", reporter="李四", date="2024-6-9").save()
    first, second = preview_returns(db, seeded["round"], [files["办公室"], files["审批科"]], today=TODAY)
    assert [c.kind for pm in second.problems for c in pm.changes] == [APPLY]    # as things stood at the preview
    merge_return(db, first)
    out = merge_return(db, second)
    assert out.conflicts_open == 1
    assert problems.get_problem(db, seeded["p2"]).narrative == "办公室部门写的。"   # not overwritten silently
    [c] = open_conflicts(db, seeded["round"])
    assert (c.department, c.office_value, c.department_value) == ("审批科", "办公室部门写的。", "审批科写的。")
