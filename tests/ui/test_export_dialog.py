"""The export dialog: one snapshot, composed off the GUI thread; the preflight list jumps to a problem in the
window; names found in the public text are redacted once ticked; the export writes the previewed blocks."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

import app.services.snapshot as snapshot_module
from app.importing.readers import read_document
from app.services import problems, registry
from db.session import Database
from ui.dialogs.export_dialog import ExportDialog
from ui.main_window import MainWindow
from ui.workers import TaskRunner


def _settled(qtbot: Any, runner: TaskRunner) -> None:
    """Until the dialog's background compositions (and font look-ups) have ended and been shown."""
    qtbot.waitUntil(lambda: runner.idle, timeout=30000)


def _export_button(dialog: ExportDialog) -> Any:
    box = dialog.findChild(QDialogButtonBox)
    return next(b for b in box.buttons() if b.text() == "导出")


def test_read_once_compose_off_thread_and_export_what_the_preview_shows(
        qtbot: Any, db: Database, seeded: dict[str, int], tmp_path: Path, messages: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    registry.add_person(db, "赵敏", "科员")
    problems.update_problem(db, seeded["p1"], narrative="赵敏牵头整改。")
    reads: list[int] = []
    real = snapshot_module.read_snapshot
    monkeypatch.setattr(snapshot_module, "read_snapshot", lambda *a, **k: reads.append(1) or real(*a, **k))
    runner = TaskRunner()  # a real thread, as in the window
    dialog = ExportDialog(db, seeded["round"], runner)
    qtbot.addWidget(dialog)
    _settled(qtbot, runner)
    assert "赵敏牵头整改" in dialog.preview.toPlainText()
    dialog.sealed.setCurrentIndex(1)
    _settled(qtbot, runner)
    dialog.bold3.setChecked(False)
    _settled(qtbot, runner)
    names = [dialog.names.item(i) for i in range(dialog.names.count())]
    assert [n.text() for n in names] == ["赵敏"]
    names[0].setCheckState(Qt.CheckState.Checked)           # the clerk confirms: 赵敏 → 赵某
    _settled(qtbot, runner)
    assert "赵某牵头整改" in dialog.preview.toPlainText() and "赵敏" not in dialog.preview.toPlainText()
    assert reads == [1]                                      # four compositions, one read of the round

    import app.exporting.compose_notice as compose_module

    monkeypatch.setattr(compose_module, "compose_notice", lambda *a, **k: pytest.fail("composed again"))
    dialog.path.setText(str(tmp_path / "通报.docx"))
    _export_button(dialog).click()
    _settled(qtbot, runner)
    text = read_document(tmp_path / "通报.docx")
    assert "赵某牵头整改" in text and dialog.preview.toPlainText().splitlines()[-2] in text
    assert any("已导出" in t for _k, t in messages)


def test_preflight_entry_selects_the_problem_in_the_window(qtbot: Any, window: MainWindow, seeded: dict[str, int],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window.reload_rounds(seeded["round"])
    seen: list[str] = []

    def run(dialog: ExportDialog) -> int:
        _settled(qtbot, window.runner)
        entries = [dialog.preflight.item(i) for i in range(dialog.preflight.count())]
        seen.extend(e.text() for e in entries)
        target = next(e for e in entries if e.data(Qt.ItemDataRole.UserRole) == seeded["p2"])
        dialog.preflight.itemDoubleClicked.emit(target)   # as a double click does
        return 0

    monkeypatch.setattr(ExportDialog, "exec", run)
    window.tools.export("notice")
    assert any("【缺少】没有成文日期" in t for t in seen)
    assert window.table.current_problem().id == seeded["p2"]


def test_font_line_follows_the_format(qtbot: Any, db: Database, seeded: dict[str, int]) -> None:
    runner = TaskRunner()
    dialog = ExportDialog(db, seeded["round"], runner, what="ledger")
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    _settled(qtbot, runner)
    assert "Word" not in dialog.fonts.text() and "Excel" in dialog.fonts.text()
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    _settled(qtbot, runner)
    assert "仿宋" in dialog.fonts.text() and "数字和西文" in dialog.fonts.text()
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    _settled(qtbot, runner)
    assert dialog.fonts.text().startswith("Word 文件写入公文字体名称")


@pytest.mark.parametrize("what", ["plan", "evidence"])
def test_the_plan_and_the_volume_take_the_date_chosen_in_the_dialog(
        qtbot: Any, db: Database, seeded: dict[str, int], tmp_path: Path, messages: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    """Not the notice's 成文日期, not today unasked: unticked, the preflight list says no date will be printed."""
    import datetime as dt

    from PySide6.QtCore import QDate

    import ui.dialogs.export_dialog as dialog_module
    from app.services import rounds

    rounds.update_notice_settings(db, seeded["round"], sign_date=dt.date(2022, 5, 17))
    calls: list[dict[str, Any]] = []
    real = dialog_module.export
    monkeypatch.setattr(dialog_module, "export", lambda *a, **k: calls.append(k) or real(*a, **k))
    runner = TaskRunner()
    dialog = ExportDialog(db, seeded["round"], runner, what=what)
    qtbot.addWidget(dialog)
    _settled(qtbot, runner)
    assert dialog.dated.isEnabled() and not dialog.dated.isChecked() and not dialog.sign_date.isEnabled()
    entries = [dialog.preflight.item(i).text() for i in range(dialog.preflight.count())]
    assert any(e.startswith("【缺少】") and "日期" in e for e in entries)
    dialog.dated.setChecked(True)
    dialog.sign_date.setDate(QDate(2024, 7, 8))
    _settled(qtbot, runner)
    entries = [dialog.preflight.item(i).text() for i in range(dialog.preflight.count())]
    assert dialog.sign_date.isEnabled() and not any("日期" in e for e in entries)
    if what == "plan":  # the plan is previewed, and what it lacks is listed before it is written
        assert "关于落实区委第三巡察组巡察反馈意见的整改方案" in dialog.preview.toPlainText()
        assert "2024年7月8日" in dialog.preview.toPlainText()
        assert sorted(entries) == sorted(f"【注意】问题{n}尚无整改措施。" for n in (1, 2, 3))
        ids = {dialog.preflight.item(i).data(Qt.ItemDataRole.UserRole) for i in range(3)}
        assert ids == {seeded["p1"], seeded["p2"], seeded["p3"]}  # each entry goes to its problem
    else:
        assert entries == []
    target = tmp_path / ("方案.docx" if what == "plan" else "汇编.pdf")
    dialog.path.setText(str(target))
    _export_button(dialog).click()
    qtbot.waitUntil(lambda: runner.idle and dialog.result_path is not None, timeout=60000)
    assert calls[-1]["sign_date"] == dt.date(2024, 7, 8)
    text = read_document(target) if what == "plan" else __import__("subprocess").run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    assert "2024年7月8日" in text and "2022年5月17日" not in text
    dialog.what.setCurrentIndex(dialog.what.findData("ledger"))    # the ledger has no date of its own to choose
    assert not dialog.dated.isEnabled() and dialog.chosen_date() is None
