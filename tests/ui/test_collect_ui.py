"""部门填报 in the window, as a clerk clicks it: send, receive with the merge preview, conflicts, status, remind.

Long work runs on the real TaskRunner (a worker thread); the dialogs are shown, not executed, so that
the test can click in them."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QDialog

from app.collect.model import CONFLICT, FilePreview
from app.services import evidence, measures, problems
from db.enums import Status
from db.session import Database
from tests.app.collect_helpers import Edit
from tests.conftest import make_pdf
from tests.ui.conftest import pick_files
from ui.dialogs.collect_dialog import CollectDialog
from ui.dialogs.collect_models import (
    ConflictTableModel,
    DepartmentStatusTableModel,
    MergePreviewTableModel,
    PreviewLine,
)
from ui.dialogs.collect_receive import ReceiveDialog
from ui.dialogs.collect_remind import RemindDialog
from ui.dialogs.collect_send import SendDialog
from ui.main_window import MainWindow
from ui.workers import TaskRunner

N1, N2, N3 = 2, 3, 1


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QDialog]:
    """Dialogs are shown instead of run modally; the test finds them here."""
    shown: list[QDialog] = []

    def show(self: QDialog) -> int:
        self.show()
        shown.append(self)
        return 0

    monkeypatch.setattr(QDialog, "exec", show)
    return shown


@pytest.fixture
def threaded_window(qtbot: Any, db: Database, seeded: dict[str, int], tmp_path: Path,
                    messages: list[tuple[str, str]]) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(db, runner=TaskRunner(), settings=settings)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.pool.waitForDone(10000)
    w.thumbs.wait()


def _one(opened: list[QDialog], kind: type) -> Any:
    found = [d for d in opened if isinstance(d, kind)]
    assert found, f"no {kind.__name__} was opened"
    return found[-1]


def _said(messages: list[tuple[str, str]], text: str) -> bool:
    return any(text in m for _kind, m in messages)


def test_send_receive_conflicts_status_remind_as_a_clerk(
        qtbot: Any, threaded_window: MainWindow, db: Database, seeded: dict[str, int], tmp_path: Path,
        opened: list[QDialog], messages: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    w = threaded_window
    out = tmp_path / "out"
    out.mkdir()
    pick_files(monkeypatch, out)
    w.actions["collect"].trigger()
    main = _one(opened, CollectDialog)
    states = {main.status_model.row_at(r).department: main.status_model.row_at(r).state
              for r in range(main.status_model.rowCount())}
    assert states == {"办公室": "未下发", "审批科": "未下发"}

    # 下发: both departments, one file each, on the worker thread
    main.send_button.click()
    send = _one(opened, SendDialog)
    assert send.chosen() == ["审批科", "办公室"]
    send.send_button.click()
    qtbot.waitUntil(lambda: send.result_ is not None, timeout=20000)
    assert _said(messages, "已生成 2 个部门的填报表")
    files = {f.department: out / f.file_name for f in send.result_.files}
    main.refresh()
    assert {main.status_model.row_at(r).state for r in range(2)} == {"未交回"}

    # the office edits p1 after the send; the departments fill their workbooks
    problems.update_problem(db, seeded["p1"], narrative="办公室后来写的。")
    Edit(files["办公室"]).sort_descending() \
        .fill(N1, progress="制定学习计划。", narrative="部门写的整改情况。", reporter="张三", date="2024-6-9") \
        .fill(N2, progress="召开研讨会。", done="已完成", reporter="张三", date="2024-6-9", problem="改动锁定列").save()
    (out / "佐证材料").mkdir()
    make_pdf(out / "佐证材料" / f"{N2}-研讨会记录.pdf")
    Edit(files["审批科"]).fill(N3, progress="修订制度。", reporter="李四", date="6月底").save()

    # 导入回执: the preview shows old → new, the conflict, the locked edit; nothing written yet
    pick_files(monkeypatch, files["办公室"], files["审批科"])
    main.receive_button.click()
    receive = _one(opened, ReceiveDialog)
    qtbot.waitUntil(lambda: len(receive.previews) == 2, timeout=20000)
    assert measures.list_progress(db, seeded["p1"]) == []
    lines: list[PreviewLine] = [receive.model.row_at(r) for r in range(receive.model.rowCount())]
    conflict_row = next(r for r, line in enumerate(lines) if line.kind == CONFLICT)
    assert lines[conflict_row].old == "办公室后来写的。" and lines[conflict_row].new == "部门写的整改情况。"
    assert any(line.what == "锁定列：问题" and line.action == "已忽略" for line in lines)
    assert any(line.what == "佐证材料" and line.action == "添加" for line in lines)
    assert receive.model.data(receive.model.index(conflict_row, 4)) == "冲突：待定"
    receive.view.selectRow(conflict_row)
    receive.take_department.click()
    assert receive.model.data(receive.model.index(conflict_row, 4)) == "冲突：采用部门填报"
    receive.file_view.setCurrentIndex(receive.files.index(1, 0))           # 审批科: the text date is explained
    assert "没有年份" in "\n".join(receive.model.row_at(r).new for r in range(receive.model.rowCount()))
    receive.import_button.click()
    qtbot.waitUntil(lambda: len(receive.outcomes) == 2, timeout=20000)
    assert problems.get_problem(db, seeded["p1"]).narrative == "部门写的整改情况。"
    assert problems.get_problem(db, seeded["p2"]).status == Status.PENDING_REVIEW
    assert len(evidence.list_evidence(db, seeded["p2"])) == 1
    assert [e.author for e in measures.list_progress(db, seeded["p3"])] == ["李四（审批科）"]

    main.refresh()
    states = {main.status_model.row_at(r).department: main.status_model.row_at(r).state for r in range(2)}
    assert states == {"办公室": "已交回", "审批科": "已交回"}

    # 催办: the date must be chosen; then Word and PDF per department with red or overdue items
    main.remind_button.click()
    remind = _one(opened, RemindDialog)
    remind.write_button.click()
    assert _said(messages, "请先选择催办通知的成文日期")
    remind.date.setDate(QDate(2024, 6, 10))
    pick_files(monkeypatch, out)  # the folder for the notices
    remind.write_button.click()
    qtbot.waitUntil(lambda: remind.result_ is not None, timeout=30000)
    # p1 is overdue; p2 waits for review (no alarm) and p3 is green, so 审批科 gets none
    assert {r.department for r in remind.result_.reminders} == {"办公室"}
    assert (out / "办公室-催办通知.pdf").exists() and (out / "办公室-催办通知.docx").exists()


def test_an_open_conflict_is_decided_in_the_status_dialog(
        qtbot: Any, db: Database, seeded: dict[str, int], tmp_path: Path, messages: list[tuple[str, str]]) -> None:
    from app.collect.merge import merge_return
    from app.collect.preview import preview_returns
    from app.collect.send import send_round

    res = send_round(db, seeded["round"], tmp_path / "out", now=dt.datetime(2024, 6, 1))
    path = tmp_path / "out" / next(f.file_name for f in res.files if f.department == "审批科")
    problems.update_problem(db, seeded["p3"], narrative="办公室版本。")
    Edit(path).fill(N3, narrative="部门版本。", reporter="李四", date="2024-6-9").save()
    [fp] = preview_returns(db, seeded["round"], [path])
    merge_return(db, fp)
    runner = TaskRunner()
    dialog = CollectDialog(db, seeded["round"], runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: runner.idle, timeout=20000)
    assert dialog.conflict_model.rowCount() == 1 and not dialog.take_department.isEnabled()
    dialog.conflict_view.selectRow(0)
    dialog.take_department.click()
    qtbot.waitUntil(lambda: runner.idle and dialog.conflict_model.rowCount() == 0, timeout=20000)
    assert problems.get_problem(db, seeded["p3"]).narrative == "部门版本。"


def test_a_bad_file_shows_its_message_and_cannot_be_ticked(
        qtbot: Any, db: Database, seeded: dict[str, int], tmp_path: Path, messages: list[tuple[str, str]]) -> None:
    bad = tmp_path / "回执.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    runner = TaskRunner()
    dialog = ReceiveDialog(db, seeded["round"], runner)
    qtbot.addWidget(dialog)
    dialog.set_files([bad])
    qtbot.waitUntil(lambda: runner.idle and dialog.files.rowCount() == 1, timeout=20000)
    assert not dialog.import_button.isEnabled() and not dialog.files.item(0).isCheckable()
    assert "另存为" in dialog.notes.toPlainText() and "另存为" in dialog.files.item(0).text()


def test_collect_models_pass_qtmodeltester(qtmodeltester: Any, db: Database, seeded: dict[str, int],
                                           tmp_path: Path) -> None:
    from app.collect.preview import preview_returns
    from app.collect.send import send_round
    from app.collect.status import collection_status

    res = send_round(db, seeded["round"], tmp_path / "out")
    status = DepartmentStatusTableModel()
    status.set_rows(collection_status(db, seeded["round"]))
    qtmodeltester.check(status)
    qtmodeltester.check(ConflictTableModel())
    path = tmp_path / "out" / next(f.file_name for f in res.files if f.department == "办公室")
    Edit(path).fill(N1, progress="进展。", reporter="张三", date="2024-6-9").save()
    previews: list[FilePreview] = preview_returns(db, seeded["round"], [path])
    preview = MergePreviewTableModel()
    preview.set_preview(previews[0], {})
    assert preview.rowCount() >= 1
    qtmodeltester.check(preview)


def test_send_says_why_no_department_is_listed(
        qtbot: Any, threaded_window: MainWindow, db: Database, seeded: dict[str, int],
        opened: list[QDialog], messages: list[tuple[str, str]]) -> None:
    """A round imported from a published notice is all 已完成: the department list came up empty and greyed 下发…
    with no word why. The dialog says so, and what to tick; ticking it lists the departments."""
    from app.services import status

    for key in ("p1", "p2", "p3"):
        status.change_status(db, seeded[key], Status.DONE, override_reason="通报已公布整改完成")
        status.approve_review(db, seeded[key], "王局长")
    w = threaded_window
    w.actions["collect"].trigger()
    main = _one(opened, CollectDialog)
    main.send_button.click()
    send = _one(opened, SendDialog)
    assert send.departments.rowCount() == 0 and not send.send_button.isEnabled()
    assert send.empty_hint.isVisible() and "也列出已完成的问题" in send.empty_hint.text()
    send.include_done.click()
    assert send.departments.rowCount() == 2 and send.send_button.isEnabled()
    assert not send.empty_hint.isVisible()


def test_send_says_when_no_problem_has_a_department(
        qtbot: Any, threaded_window: MainWindow, db: Database, seeded: dict[str, int],
        opened: list[QDialog], messages: list[tuple[str, str]]) -> None:
    for key in ("p1", "p2", "p3"):
        problems.update_problem(db, seeded[key], departments="")
    w = threaded_window
    w.actions["collect"].trigger()
    main = _one(opened, CollectDialog)
    main.send_button.click()
    send = _one(opened, SendDialog)
    assert send.departments.rowCount() == 0
    assert send.empty_hint.isVisible() and "责任部门" in send.empty_hint.text()


def test_the_columns_fit_their_contents_at_any_font_size(qtbot: Any, db: Database, seeded: dict[str, int]) -> None:
    """QA: at a large font (a screen scaled to 150%) the conflict tables cut off no column's text: each column
    that does not stretch is as wide as its widest cell, or, for the long ones, as wide as its cap."""
    from PySide6.QtGui import QFont

    from app.collect.status import OpenConflict

    big = QFont()
    big.setPixelSize(24)
    conflict = OpenConflict(1, "区行政审批服务局政务服务管理办公室", "审批科-填报表.xlsx", seeded["p1"], 12, "narrative",
                            "下发时的内容", "台账现在的内容", "部门填报的内容")
    collect = CollectDialog(db, seeded["round"], TaskRunner())
    receive = ReceiveDialog(db, seeded["round"], TaskRunner())
    for dialog in (collect, receive):
        qtbot.addWidget(dialog)
        dialog.setFont(big)
        dialog.show()
    collect.conflict_model.set_rows([conflict])
    receive.model.set_rows([PreviewLine(seeded["p1"], 12, "锁定列：责任部门", "办公室", "审批科", "已忽略", "refused"),
                            PreviewLine(seeded["p1"], 12, "整改情况", "旧", "新", "", CONFLICT, "narrative")])
    for view, stretched in ((collect.conflict_view, {3, 4, 5}), (receive.view, {2, 3})):
        header = view.horizontalHeader()
        for column in set(range(header.count())) - stretched:
            assert header.sectionSize(column) >= view.sizeHintForColumn(column), (view, column)
