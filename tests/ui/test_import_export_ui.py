"""The import dialog (tree beside source, fixes, one commit), the export dialog, and printing."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from app.importing import edits
from app.importing.parser import parse_notice
from app.services import categories, problems, rounds
from db.session import Database
from tests.conftest import SAMPLES
from ui.dialogs.export_dialog import ExportDialog
from ui.dialogs.import_dialog import ImportDialog
from ui.print_preview import PdfPrinter
from ui.workers import TaskRunner


def test_import_dialog_shows_tree_warnings_and_commits_once(qtbot: Any, db: Database,
                                                            messages: list[tuple[str, str]]) -> None:
    dialog = ImportDialog(db, None, SAMPLES / "huangpi_2024.txt")
    qtbot.addWidget(dialog)
    assert dialog.tree.topLevelItemCount() == 38
    warning = next(dialog.warnings.item(i) for i in range(dialog.warnings.count())
                   if "缺少问题标题" in dialog.warnings.item(i).text())
    dialog.jump_to_warning(warning)
    assert dialog.source.textCursor().blockNumber() == 17  # line 18, highlighted in the source
    fourth = dialog.tree.topLevelItem(3)
    assert dialog.tree.currentItem() is fourth  # the source line selected the problem it belongs to
    assert "缺少问题标题" in fourth.text(0)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(9))  # and the tree selects the source line
    assert dialog.source.textCursor().blockNumber() + 1 == dialog.parsed.all_problems()[9].line
    assert rounds.list_rounds(db) == []  # nothing written before the user confirms
    dialog.title.setText("黄陂2023巡察")
    dialog.commit()
    [r] = rounds.list_rounds(db)
    assert r.title == "黄陂2023巡察" and len(problems.list_problems(db, r.id)) == 38
    assert dialog.round_id == r.id


def test_import_dialog_fixes_before_commit(qtbot: Any, db: Database, messages: list[tuple[str, str]]) -> None:
    dialog = ImportDialog(db, None, SAMPLES / "panlongcheng_2022.txt")
    qtbot.addWidget(dialog)
    assert dialog.tree.topLevelItemCount() == 3
    second = dialog.tree.topLevelItem(0).child(1)
    dialog.tree.setCurrentItem(second)
    dialog.merge()  # problem 2 merged into problem 1
    assert dialog.tree.topLevelItem(0).childCount() == 7
    dialog.commit()
    rid = dialog.round_id
    assert rid is not None and len(problems.list_problems(db, rid)) == 22
    assert len(categories.list_categories(db, rid)) == 3


def test_bad_file_in_the_dialog_is_a_message(qtbot: Any, db: Database, tmp_path: Path,
                                             messages: list[tuple[str, str]]) -> None:
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"\x00\x01 not a docx")
    dialog = ImportDialog(db, None, bad)
    qtbot.addWidget(dialog)
    assert any("不是有效的 Word" in text for _k, text in messages)
    assert not dialog.ok.isEnabled()


def test_edits_on_the_parsed_tree() -> None:
    n = parse_notice((SAMPLES / "huangpi_2024.txt").read_text(encoding="utf-8"))
    p15 = n.all_problems()[14]
    assert len(p15.narrative) == 2
    new = edits.split_problem(n, p15, 1)
    assert new.number == 16 and new.narrative[0].startswith("四是") and len(n.all_problems()) == 39
    edits.move_paragraph_back(n, new, 0)
    assert len(p15.narrative) == 2 and new.narrative == []
    edits.merge_with_previous(n, new)
    assert len(n.all_problems()) == 38
    with pytest.raises(ValueError, match="整改情况"):  # the first problem's narrative has nowhere to go
        edits.promote_problem(n, n.all_problems()[0])
    second = n.all_problems()[1]
    cat = edits.promote_problem(n, second)
    assert n.categories[0] is cat and len(cat.problems) == 36 and len(n.all_problems()) == 37
    assert n.all_problems()[0].narrative[-1] == second.narrative[-1]  # its narrative went to problem 1
    back = edits.demote_category(n, cat)
    assert back.text == "党组理论学习不够扎实" and len(n.all_problems()) == 38
    with pytest.raises(ValueError):
        edits.split_problem(n, n.all_problems()[1], 0)


def test_export_dialog_preview_and_export(qtbot: Any, db: Database, seeded: dict[str, int], tmp_path: Path,
                                          messages: list[tuple[str, str]]) -> None:
    problems.update_problem(db, seeded["p1"], narrative="已印发计划,并组织学习。")
    runner = TaskRunner()
    dialog = ExportDialog(db, seeded["round"], runner)
    qtbot.addWidget(dialog)

    def settle() -> None:  # each toggle recomposes the notice on the pool's thread
        qtbot.waitUntil(lambda: runner.idle and dialog.go.isEnabled(), timeout=30000)

    settle()
    assert "学习计划性不强" in dialog.preview.toPlainText()
    assert any("[标点]" in dialog.changes.item(i).text() for i in range(dialog.changes.count()))
    dialog.rules["标点"].setChecked(False)  # the user keeps the half-width comma
    settle()
    assert "已印发计划,并组织学习" in dialog.preview.toPlainText()
    dialog.rules["标点"].setChecked(True)
    settle()
    from PySide6.QtCore import Qt

    comma = next(dialog.changes.item(i) for i in range(dialog.changes.count())
                 if "[标点] ," in dialog.changes.item(i).text())
    comma.setCheckState(Qt.CheckState.Unchecked)  # undo just this one change
    settle()
    assert "已印发计划,并组织学习" in dialog.preview.toPlainText()
    comma = next(dialog.changes.item(i) for i in range(dialog.changes.count())
                 if "保留原样" in dialog.changes.item(i).text())
    comma.setCheckState(Qt.CheckState.Checked)
    settle()
    assert "已印发计划，并组织学习" in dialog.preview.toPlainText()
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    settle()
    dialog.path.setText(str(tmp_path / "通报.pdf"))
    dialog.go.click()  # the export runs on the pool's thread
    qtbot.waitUntil(lambda: runner.idle and dialog.result_path is not None, timeout=60000)
    assert dialog.result_path == tmp_path / "通报.pdf" and len(PdfReader(str(dialog.result_path)).pages) >= 1
    assert any("已导出" in text for _k, text in messages)


def test_printing_paints_every_page(qtbot: Any, db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    from app.exporting.service import export

    pdf = export(db, "ledger", seeded["round"], "pdf", tmp_path / "ledger.pdf").path
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    source = PdfPrinter(pdf)
    source.paint(printer)
    assert len(PdfReader(str(tmp_path / "printed.pdf")).pages) == source.page_count() >= 1
