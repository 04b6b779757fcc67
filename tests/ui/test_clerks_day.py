"""Issue 10, items 1–16, walked as a clerk walks them: actions triggered as a click triggers them, dialogs
filled and answered while they are open, keys typed; long work on the runner's thread; the database read
back after each step. (Items 4 and 17's import/export boxes belong to other parts of the program.)"""
from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from app.ledger_rows import Warning
from app.services import evidence, measures, problems, registry, status
from db.models import Status
from db.session import Database
from tests.conftest import make_pdf
from tests.ui.conftest import CLERK, answer, wait_jobs
from ui.main_window import MainWindow

REAL_QUESTION = QMessageBox.question  # before the `messages` fixture answers questions itself
TODAY = dt.date.today()


def ime(widget: QWidget, text: str) -> None:
    """Chinese typed as a clerk types it: the input method commits the characters to the widget."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _open(window: MainWindow, seeded: dict[str, int], pid: str = "p1") -> None:
    window.reload_rounds(seeded["round"])
    window.select_problem(seeded[pid])


def test_item1_2_export_from_the_toolbar_runs_on_the_pool(qtbot: Any, window: MainWindow, seeded: dict[str, int],
                                                          tmp_path: Path, messages: list[tuple[str, str]]) -> None:
    _open(window, seeded)
    target = tmp_path / "通报.docx"

    def export(dialog: Any) -> None:
        assert dialog.kind() == "notice"
        dialog.format.setCurrentIndex(dialog.format.findData("docx"))
        dialog.path.setText(str(target))
        qtbot.waitUntil(dialog.go.isEnabled, timeout=30000)  # the preview is composed on the pool first
        dialog.go.click()  # the export goes to the pool; the dialog closes itself when it is done

    timer = answer(export)
    window.actions["export"].trigger()  # the toolbar button, 文件→导出… and Ctrl+E are this action
    timer.stop()
    wait_jobs(qtbot, window)
    assert target.stat().st_size > 0
    assert any("已导出" in text for _k, text in messages)
    assert not [t for k, t in messages if k == "warning"]


def test_item3_delete_undo_and_purge(qtbot: Any, window: MainWindow, db: Database, seeded: dict[str, int],
                                     tmp_path: Path) -> None:
    pid = seeded["p2"]
    m = measures.add_measure(db, pid, "开展专题研讨")
    measures.log_progress(db, pid, "已开展一次", measure_id=m)
    evidence.attach_evidence(db, make_pdf(tmp_path / "纪要.pdf"), [pid], measure_id=m)
    ext = status.request_extension(db, pid, TODAY + dt.timedelta(days=40), "等上级文件")
    status.decide_extension(db, ext, True, "王局长")
    status.change_status(db, pid, Status.DONE)
    _open(window, seeded, "p2")
    window.actions["delete_problem"].trigger()  # the clerk answers 是 (the fixture)
    assert pid not in [r.id for r in problems.list_problems(db, seeded["round"])]
    window.undo_action.trigger()
    row = problems.get_problem(db, pid)
    assert (row.status, row.effective_deadline) == (Status.PENDING_REVIEW, TODAY + dt.timedelta(days=40))
    [e] = evidence.list_evidence(db, pid)
    assert e.measure_id == m and [p.measure_id for p in measures.list_progress(db, pid)] == [m]
    assert status.approve_review(db, pid, "王局长") == Status.DONE  # not a dead end

    window.select_problem(pid)
    window.actions["delete_problem"].trigger()

    def purge(dialog: Any) -> None:
        [shown] = dialog.deleted_model.stringList()  # QA: the 序号 it had and its category
        assert shown.startswith("问题（原第 3 号，理论学习不深入）　研讨不深入。"), shown
        dialog.deleted_view.selectAll()
        dialog.purge_deleted()  # asks first: 是 (the fixture)
        dialog.accept()

    timer = answer(purge)
    window.actions["recycle"].trigger()
    timer.stop()
    assert problems.deleted_problems(db) == []
    audit = registry.read_audit(db, limit=10000)
    for table in ("measure", "progress_entry", "evidence_link", "extension", "review"):
        gone = [a for a in audit if a.entity == table and a.action == "删除"]
        assert gone and all(json.loads(a.old_value or "{}")["problem_id"] == str(pid) for a in gone), table
        assert all(a.user == CLERK for a in gone)


def test_item5_13_status_dialog_keeps_open_and_shows_the_return(qtbot: Any, window: MainWindow, db: Database,
                                                                seeded: dict[str, int],
                                                                messages: list[tuple[str, str]]) -> None:
    _open(window, seeded)
    steps: dict[str, Any] = {}

    def work(dialog: Any) -> None:
        dialog.choice.setCurrentText(Status.DONE.value)
        dialog.reason.setPlainText("会议已开，纪要未印发")
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
        steps["after_done"] = (dialog.isVisible(), dialog.feedback.text(), dialog.review_box.isEnabled())
        dialog.reviewer.setText("王局长")
        dialog.requirements.setPlainText("补充党组会会议纪要")
        dialog.return_()
        steps["history"] = dialog.history.text()
        dialog.new_deadline.line.setText("2030-06-30")
        dialog.new_deadline.line.editingFinished.emit()
        dialog.ext_reason.setText("等待上级文件")
        qtbot.mouseClick(dialog.ask_button, Qt.MouseButton.LeftButton)
        steps["ask_enabled"] = dialog.ask_button.isEnabled()
        steps["pending"] = dialog.pending_label.isVisible()
        dialog.reject()

    timer = answer(work)
    window.actions["status"].trigger()
    timer.stop()
    visible, feedback, review_open = steps["after_done"]
    assert visible and "已提交销号审核" in feedback and review_open  # no modal box, the dialog stays
    assert not messages  # nothing popped up
    assert "补充党组会会议纪要" in steps["history"]
    assert steps["ask_enabled"] is False and steps["pending"] is True  # one pending request at a time
    notes = [e.note for e in measures.list_progress(db, seeded["p1"])]
    assert any("补充党组会会议纪要" in n and "王局长" in n for n in notes)  # in the progress log
    assert problems.get_problem(db, seeded["p1"]).status == Status.IN_PROGRESS
    window.select_problem(seeded["p1"])
    assert window.editor.form.returned.isVisible()  # and in the editor
    assert "补充党组会会议纪要" in window.editor.form.returned.text()
    window.editor.progress  # noqa: B018 - the tab, made when first opened
    assert any("补充党组会会议纪要" in window.editor.progress.model.data(window.editor.progress.model.index(i))
               for i in range(window.editor.progress.model.rowCount()))


def test_item6_dates_are_typed_and_default_to_the_rounds_end(qtbot: Any, window: MainWindow, db: Database,
                                                             seeded: dict[str, int]) -> None:
    problems.update_problem(db, seeded["p2"], deadline=None)
    _open(window, seeded)
    field = window.editor.form.deadline
    field.line.clear()
    qtbot.keyClicks(field.line, "20300630")
    qtbot.keyClick(field.line, Qt.Key.Key_Return)
    assert problems.get_problem(db, seeded["p1"]).deadline == dt.date(2030, 6, 30)
    assert field.line.text() == "2030年6月30日"
    field.line.selectAll()
    ime(field.line, "2030年2月30日")  # no such day
    qtbot.keyClick(field.line, Qt.Key.Key_Return)
    assert problems.get_problem(db, seeded["p1"]).deadline == dt.date(2030, 6, 30)  # unchanged
    assert "不是有效的日期" in field.line.toolTip()
    window.select_problem(seeded["p2"])  # a problem without a deadline shows none, not the one before
    assert field.value() is None and field.line.text() == ""
    field._open_calendar()
    assert field.calendar.selectedDate().toPython() == dt.date(2024, 8, 10)  # the round's 集中整改期截止
    field.calendar.clicked.emit(field.calendar.selectedDate())  # the clerk picks that day
    assert problems.get_problem(db, seeded["p2"]).deadline == dt.date(2024, 8, 10)
    assert problems.get_problem(db, seeded["p1"]).deadline == dt.date(2030, 6, 30)


def test_item7_names_are_offered_and_completed(qtbot: Any, window: MainWindow, db: Database,
                                               seeded: dict[str, int]) -> None:
    registry.add_person(db, "赵书记", is_leader=True)
    registry.add_department(db, "人事科")
    window.finish_loading()
    _open(window, seeded, "p3")
    form = window.editor.form
    offered = [form.leaders.itemText(i) for i in range(form.leaders.count())]
    assert offered[:2] == ["李副局长", "王局长"] and "赵书记" in offered  # used first, then the directory
    assert "人事科" in [form.departments.itemText(i) for i in range(form.departments.count())]
    edit = form.leaders.lineEdit()
    edit.setFocus()
    edit.selectAll()
    ime(edit, "王局长、赵")
    completer = edit.completer()
    qtbot.waitUntil(lambda: completer.popup().isVisible(), timeout=3000)
    assert completer.currentCompletion() == "王局长、赵书记"  # the name typed first is kept
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert edit.text() == "王局长、赵书记"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert problems.get_problem(db, seeded["p3"]).leaders == "王局长、赵书记"


def test_item8_dashboard_names_axis_and_warnings(qtbot: Any, window: MainWindow, db: Database,
                                                 seeded: dict[str, int]) -> None:
    round_ = seeded["round"]
    problems.create_problem(db, round_, "红色预警的问题。", departments="党风廉政建设办公室", leaders="党组书记",
                            deadline=TODAY + dt.timedelta(days=5))
    for days in (15, 18):
        problems.create_problem(db, round_, f"黄色预警的问题{days}。", departments="办公室", deadline=TODAY + dt.timedelta(days=days))
    window.reload_rounds(round_)
    window.actions["dashboard"].trigger()
    panel = window.dashboard
    assert panel.tiles["red"].text() == "红色预警\n1" and panel.tiles["yellow"].text() == "黄色预警\n2"
    view = panel.group_views[0]
    name_width = view.fontMetrics().horizontalAdvance("党风廉政建设办公室")
    assert view.columnWidth(0) >= name_width  # not "党…"
    panel.tiles["yellow"].click()
    assert window.pages.currentIndex() == 0 and window.filters.warning.currentData() == Warning.YELLOW
    assert window.proxy.rowCount() == 2
    from PySide6.QtCharts import QValueAxis

    [axis] = [a for a in panel.chart.axes() if isinstance(a, QValueAxis)]
    assert axis.tickType() == QValueAxis.TickType.TicksDynamic and axis.tickInterval() == 1
    assert axis.min() == 0 and axis.max() == int(axis.max())  # counts, whole numbers


def test_item9_qt_dialogs_in_chinese_opening_where_the_clerk_was(qtbot: Any, window: MainWindow, db: Database,
                                                                 seeded: dict[str, int], tmp_path: Path) -> None:
    from ui.app import make_application

    make_application()  # the program's start: Qt's translations
    folder = tmp_path / "扫描件"
    folder.mkdir()
    scan = make_pdf(folder / "整改报告.pdf")
    window.settings.setValue("last_folder", str(folder))
    _open(window, seeded)
    seen: dict[str, Any] = {}

    def choose(dialog: Any) -> None:
        seen["dir"] = Path(dialog.directory().absolutePath())
        seen["labels"] = [w.text() for w in dialog.findChildren(QLabel)]
        dialog.selectFile(str(scan))
        dialog.accept()

    timer = answer(choose)
    window.actions["attach"].trigger()
    timer.stop()
    wait_jobs(qtbot, window)
    assert seen["dir"] == folder  # the last folder used, not the program's
    assert "查找范围(&L)：" in seen["labels"] and "文件类型(&T)：" in seen["labels"]
    assert not [t for t in seen["labels"] if t and t.isascii() and any(c.isalpha() for c in t)]
    assert [e.original_name for e in evidence.list_evidence(db, seeded["p1"])] == ["整改报告.pdf"]


def test_item10_print_preview_keeps_thin_strokes(qtbot: Any, window: MainWindow, db: Database,
                                                 seeded: dict[str, int], messages: list[tuple[str, str]],
                                                 tmp_path: Path) -> None:
    """Qt's print preview showed pages rendered for the printer and scaled down pixel by pixel: strokes
    of the characters went missing. The preview must show the page as the page is."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtPdfWidgets import QPdfView

    from ui.print_preview import PdfPrinter, PrintPreviewDialog

    _open(window, seeded)
    shown: dict[str, Any] = {}

    def look(dialog: Any) -> None:  # the clerk chooses the notice, then looks at the preview
        if not isinstance(dialog, PrintPreviewDialog):
            dialog.setTextValue("通报（公开版）")
            dialog.accept()
            return
        dialog.resize(900, 1000)
        dialog.view.setPageMode(QPdfView.PageMode.SinglePage)
        dialog.view.setZoomMode(QPdfView.ZoomMode.Custom)
        dialog.view.setZoomFactor(72 / dialog.view.logicalDpiX())  # 72 dpi: one point, one pixel

        def drawn() -> bool:  # the view renders its pages in the background
            image = dialog.view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
            dark = sum(1 for row in range(150, min(image.height(), 450), 3)
                       for b in bytes(image.constScanLine(row))[:image.width()] if b < 128)
            if dark > 500 and dark == shown.get("dark"):
                shown["view"] = image
                return True
            shown["dark"] = dark
            return False

        qtbot.waitUntil(drawn, timeout=20000)
        shown["pdf"] = shutil.copy(dialog.pdf, tmp_path / "shown.pdf")  # the preview's own is removed on closing
        shown["source"] = dialog.pdf
        shown["pages"] = dialog.source.page_count()
        dialog.reject()

    timer = answer(look, look)
    window.actions["print"].trigger()
    qtbot.waitUntil(lambda: "view" in shown or bool(messages), timeout=30000)
    assert not messages
    timer.stop()
    assert not shown["source"].parent.exists()  # no copy of the notice left behind in the temp folder
    source = PdfPrinter(shown["pdf"])
    assert shown["pages"] == source.page_count() >= 1
    size = source.doc.pagePointSize(0)
    page = QSize(round(size.width()), round(size.height()))
    grab: QImage = shown["view"]
    left = (grab.width() - page.width()) // 2
    on_screen = grab.copy(left, 6, page.width(), page.height())  # the view's margin is 6 pixels

    def grey(draw: Any) -> QImage:
        image = QImage(page, QImage.Format.Format_RGB32)
        image.fill(0xFFFFFF)
        painter = QPainter(image)
        draw(painter, image)
        painter.end()
        return image.convertToFormat(QImage.Format.Format_Grayscale8)

    def distance(a: QImage, b: QImage) -> float:
        a = a.convertToFormat(QImage.Format.Format_Grayscale8)
        total = sum(abs(x - y) for row in range(a.height())
                    for x, y in zip(bytes(a.constScanLine(row))[:a.width()], bytes(b.constScanLine(row))[:b.width()],
                                    strict=True))
        return total / (a.width() * a.height())

    truth = grey(lambda p, _i: p.drawImage(0, 0, source.doc.render(0, page)))  # the page at that size
    high = source.doc.render(0, QSize(int(size.width() / 72 * 300), int(size.height() / 72 * 300)))
    qt_preview = grey(lambda p, i: p.drawImage(QRectF(i.rect()), high))  # what Qt's preview showed
    assert distance(on_screen, truth) <= 0.3 * distance(qt_preview, truth)


def test_item11_the_error_box_names_the_log_beside_the_ledger(window: MainWindow, db: Database,
                                                               messages: list[tuple[str, str]]) -> None:
    from app import paths
    from ui.app import _excepthook

    root = logging.getLogger("xuncha")
    saved = root.handlers[:]
    root.handlers.clear()
    try:
        paths.setup_logging(db.data_dir)
        try:
            raise RuntimeError("测试")
        except RuntimeError as exc:
            _excepthook(RuntimeError, exc, exc.__traceback__)
    finally:
        for h in root.handlers:
            h.close()
        root.handlers[:] = saved
    [(_kind, text)] = messages
    assert str(paths.log_path(db.data_dir)) in text


def test_item12_columns_keep_their_text(qtbot: Any, window: MainWindow, db: Database, seeded: dict[str, int]) -> None:
    from ui.models.problem_table import ProblemTableModel as T

    ext = status.request_extension(db, seeded["p3"], dt.date(2027, 1, 27), "等文件")
    status.decide_extension(db, ext, True, "王局长")
    window.resize(1400, 860)
    window.finish_loading()  # as the program's start does once the first screen is up
    _open(window, seeded, "p3")
    view = window.table
    text = view.model().index(0, T.DEADLINE).data()
    assert text == "2027-01-27（延）"
    assert view.columnWidth(T.DEADLINE) >= view.fontMetrics().horizontalAdvance(text) + 8
    window.actions["inbox"].trigger()  # the scan inbox narrows the table
    window.resize(1100, 860)
    qtbot.waitUntil(lambda: window.inbox_dock.isVisible(), timeout=3000)
    QApplication.processEvents()
    assert view.columnWidth(T.TEXT) >= view.min_text_width


def test_item14_new_problem_goes_into_the_chosen_category(window: MainWindow, db: Database,
                                                          seeded: dict[str, int]) -> None:
    _open(window, seeded, "p1")  # a problem of 理论学习不深入 is selected

    def write(dialog: Any) -> None:
        assert dialog.category_id() == seeded["item"]  # offered by default
        dialog.edit.setPlainText("新发现的问题。")
        dialog.category.setCurrentIndex(dialog.category.findData(seeded["aspect"]))
        dialog.accept()

    timer = answer(write)
    window.actions["new_problem"].trigger()
    timer.stop()
    rows = problems.list_problems(db, seeded["round"])
    new = next(r for r in rows if r.text == "新发现的问题。")
    assert new.category_id == seeded["aspect"] and new.number == 2  # after the aspect's own problem
    assert window.editor.row is not None and window.editor.row.id == new.id


def test_item15_notes_and_audit_are_signed_with_the_clerks_name(qtbot: Any, window: MainWindow, db: Database,
                                                                seeded: dict[str, int]) -> None:
    _open(window, seeded)
    pane = window.editor.progress
    ime(pane.note, "已召开专题会")
    qtbot.keyClick(pane.note, Qt.Key.Key_Return)
    [entry] = measures.list_progress(db, seeded["p1"])
    assert entry.author == CLERK
    assert {a.user for a in registry.read_audit(db, entity="progress_entry")} == {CLERK}

    def rename(dialog: Any) -> None:
        dialog.setTextValue("李文书")
        dialog.accept()

    timer = answer(rename)
    window.actions["clerk"].trigger()
    timer.stop()
    window.editor.form._save("title", "关于学习的问题")
    assert registry.read_audit(db, entity="problem", entity_id=str(seeded["p1"]))[0].user == "李文书"


def test_item16_delete_asks_with_no_as_the_default(qtbot: Any, window: MainWindow, db: Database,
                                                   seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", REAL_QUESTION)  # the real box, as the clerk sees it
    _open(window, seeded)
    seen: dict[str, Any] = {}

    def press_enter(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["default"] = box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter takes the default

    timer = answer(press_enter)
    window.actions["delete_problem"].trigger()
    timer.stop()
    assert seen["default"] is True
    assert len(problems.list_problems(db, seeded["round"])) == 3  # nothing deleted


def test_item15_17_the_name_is_asked_once_and_the_demo_title_names_the_program_once(
        qtbot: Any, db: Database, tmp_path: Path, messages: list[tuple[str, str]]) -> None:
    from PySide6.QtCore import QSettings

    from app import local_settings
    from ui.app import make_application, open_window

    app = make_application()
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)

    def name(dialog: Any) -> None:
        dialog.setTextValue("  ")  # blank: refused with a message, asked again
        dialog.accept()

    def real_name(dialog: Any) -> None:
        dialog.setTextValue("王文书")
        dialog.accept()

    timer = answer(name, real_name)
    window = open_window(db, settings, demo=True)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: db.clerk == "王文书", timeout=10000)
    timer.stop()
    assert local_settings.clerk_name(db.data_dir) == "王文书"
    assert any("姓名" in text for kind, text in messages if kind == "warning")
    title = window.windowTitle()
    assert "演示数据" in title and app.applicationDisplayName() not in title  # Qt appends it once
    window.close()
    timer = answer()  # the next start asks nothing
    again = open_window(db, settings)
    qtbot.addWidget(again)
    qtbot.wait(200)
    timer.stop()
    assert timer.seen == []  # type: ignore[attr-defined]
    again.close()
