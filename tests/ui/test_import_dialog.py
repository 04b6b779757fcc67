"""The import dialog driven as a clerk drives it: a path typed into 文件 and Enter, 浏览…, clicks on warnings and on
dropped web-page furniture, the numbering scheme corrected, 追加到 with the facts to fill and to replace."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QPlainTextEdit, QPushButton

from app.importing.parser import parse_notice
from app.numbering_scheme import NumberingScheme, NumberStyle
from app.services import categories, problems, rounds
from db.session import Database
from tests.app import notice_texts as T
from tests.app.import_checks import write_docx
from tests.ui.conftest import pick_files
from ui.dialogs.categories import CategoryDialog
from ui.dialogs.import_dialog import ImportDialog
from ui.models.round_tree import RoundTreeModel


def button(dialog: Any, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def open_dialog(qtbot: Any, db: Database, **kwargs: Any) -> ImportDialog:
    dialog = ImportDialog(db, None, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click_row(qtbot: Any, view: Any, row: int) -> None:
    rect = view.visualItemRect(view.item(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_path_typed_into_the_file_box_loads_on_enter(qtbot: Any, db: Database, tmp_path: Path,
                                                       messages: list[tuple[str, str]]) -> None:
    text, e = T.web_page(0)
    path = tmp_path / "网页通报.txt"
    path.write_text(text, encoding="utf-8")
    dialog = open_dialog(qtbot, db)
    assert not dialog.file.isReadOnly() and not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.file, str(tmp_path / "missing.txt"))
    qtbot.keyClick(dialog.file, Qt.Key.Key_Return)
    assert any("找不到文件" in t for _k, t in messages) and dialog.parsed is None
    qtbot.keyClick(dialog.file, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QApplication.clipboard().setText(str(path))        # a Chinese path is pasted, as a clerk copies it
    qtbot.keyClick(dialog.file, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dialog.file.text() == str(path)
    qtbot.keyClick(dialog.file, Qt.Key.Key_Return)
    assert dialog.parsed is not None and dialog.ok.isEnabled()
    assert dialog.tree.topLevelItemCount() == 2
    first = dialog.tree.topLevelItem(0)
    assert first.text(0) == "（一）关于党的政治建设方面" and first.text(1) == "1级·方面"
    assert first.child(0).text(0).startswith("1.理论学习中心组") and first.child(0).text(1) == "问题"
    # the dropped web-page furniture: listed, and a click shows the line in the source
    dialog.tabs.setCurrentIndex(1)
    assert dialog.tabs.tabText(1) == f"已略去的网页内容（{len(e.dropped)}）"
    assert [dialog.dropped.item(i).text() for i in range(2)] == ["第 1 行：XX市市场监督管理局——政务公开",
                                                                  "第 2 行：欢迎来到XX市市场监督管理局门户网站！"]
    click_row(qtbot, dialog.dropped, 2)
    assert dialog.source.textCursor().blockNumber() + 1 == 3
    # a warning: click it, the source shows its line
    dialog.tabs.setCurrentIndex(0)
    row = next(i for i in range(dialog.warnings.count()) if "成文日期" in dialog.warnings.item(i).text())
    click_row(qtbot, dialog.warnings, row)
    assert dialog.source.textCursor().blockNumber() + 1 == e.damaged_lines[0]
    assert dialog.source.textCursor().block().text() == "202122"


def test_browse_a_word_file_correct_the_scheme_and_commit(qtbot: Any, db: Database, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    text, e = T.three_levels(0)
    path = write_docx(text, tmp_path / "三级通报.docx")
    pick_files(monkeypatch, path)
    dialog = open_dialog(qtbot, db)
    qtbot.mouseClick(button(dialog, "浏览…"), Qt.MouseButton.LeftButton)
    assert dialog.file.text() == str(path)
    top = dialog.tree.topLevelItem(0)
    group = top.child(0)
    assert (top.text(1), group.text(1)) == ("1级·方面", "2级·项")
    assert group.text(0) == "1." + e.tree[1][1] and group.child(0).text(0).startswith("1)")
    assert group.child(0).child(0).text(0).startswith("整改进程：")
    assert "（一） → 1. → 1)，问题全文连续编号" in dialog.summary.text()
    # the clerk prefers （1） for the problems: the tree shows it, and the round keeps it
    dialog.tabs.setCurrentIndex(2)
    combo = dialog.scheme.problems
    combo.setCurrentIndex(combo.findData(NumberStyle.AR_PAREN))
    assert dialog.tree.topLevelItem(0).child(0).child(0).text(0).startswith("（1）")
    across = dialog.scheme.across
    qtbot.waitUntil(lambda: across.isVisible() and across.width() > 100)
    qtbot.mouseClick(across, Qt.MouseButton.LeftButton, pos=QPoint(8, across.height() // 2))  # on the box
    assert dialog.parsed is not None and not dialog.parsed.scheme.problems_across
    dialog.title.setText("三级巡察")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.round_id is not None
    r = rounds.get_round(db, dialog.round_id)
    scheme = NumberingScheme.from_json(r.numbering)
    assert (scheme.problems, scheme.problems_across) == (NumberStyle.AR_PAREN, False)
    assert [(c.level, c.text) for c in categories.list_categories(db, r.id)] == e.tree
    assert len(problems.list_problems(db, r.id)) == len(e.problems)


def test_into_the_round_just_created_with_the_facts_to_accept(qtbot: Any, db: Database, tmp_path: Path) -> None:
    unit = rounds.create_unit(db, "XX县农业农村局", signature="中共XX县农业农村局党组")
    old = rounds.create_round(db, unit.id, "上一轮")
    problems.create_problem(db, old.id, "上一轮的问题。")
    fresh = rounds.create_round(db, unit.id, "2022年县委巡察", inspection_group="县委第二巡察组")
    rounds.update_notice_settings(db, fresh.id, part_three="三、我们写的下一步")
    text, e = T.subsections(1)
    path = tmp_path / "通报.txt"
    path.write_text(text, encoding="utf-8")
    dialog = open_dialog(qtbot, db, path=path, current_round=fresh.id)
    assert dialog.target.currentData() == fresh.id and not dialog.title.isEnabled()
    facts = dialog.facts
    rows = {facts.item(r, 0).text(): r for r in range(facts.rowCount())}
    assert facts.item(rows["第一部分"], 3).text() == "填入（轮次中没有）"
    assert facts.item(rows["巡察组"], 3).text() == "替换现有值" and facts.item(rows["巡察组"], 1).text() == "县委第二巡察组"
    assert "待确认替换" in dialog.tabs.tabText(3)
    dialog.tabs.setCurrentIndex(3)
    facts.setCurrentCell(rows["巡察组"], 3)
    qtbot.keyClick(facts, Qt.Key.Key_Space)          # the clerk ticks: take the notice's inspection group
    assert facts.accepted() == {"inspection_group"}
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.round_id == fresh.id
    r = rounds.get_round(db, fresh.id)
    settings = rounds.get_notice_settings(db, fresh.id)
    assert r.inspection_group == "县委第一巡察组"                    # accepted
    assert settings.part_three == "三、我们写的下一步"                 # not accepted: kept
    assert settings.part_one.startswith("一、巡察整改工作开展情况")    # lacking: filled
    assert len(problems.list_problems(db, fresh.id)) == len(e.problems)
    # a round that already has problems is not the default target
    again = open_dialog(qtbot, db, current_round=old.id)
    assert again.target.currentData() is None


def test_category_editor_and_round_tree_at_any_depth(qtbot: Any, qtmodeltester: Any, db: Database,
                                                     seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.commands import Undo

    undo = Undo(db, lambda: None, lambda exc: None)
    dialog = CategoryDialog(undo, seeded["round"])
    qtbot.addWidget(dialog)
    item = dialog.tree.topLevelItem(0).child(0)
    assert item.text(0) == "（一）理论学习不深入"
    dialog.tree.setCurrentItem(item)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("中心组学习", True))
    qtbot.mouseClick(button(dialog, "添加下级分类"), Qt.MouseButton.LeftButton)
    cats = categories.list_categories(db, seeded["round"])
    assert [(c.text, c.level) for c in cats] == [("政治建设方面", 1), ("理论学习不深入", 2), ("中心组学习", 3)]
    assert dialog.tree.topLevelItem(0).child(0).child(0).text(0) == "1. 中心组学习"
    # 移到…: the choices leave out the category itself and what is under it
    seen: list[list[str]] = []

    def choose(_parent: Any, _title: str, _label: str, names: list[str], *_a: Any) -> tuple[str, bool]:
        seen.append(names)
        return names[0], True
    monkeypatch.setattr(QInputDialog, "getItem", choose)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0))
    qtbot.mouseClick(button(dialog, "移到…"), Qt.MouseButton.LeftButton)
    assert seen == [["（最上层，作为方面）", "政治建设方面"]]
    assert [(c.text, c.level) for c in categories.list_categories(db, seeded["round"])] == [
        ("政治建设方面", 1), ("理论学习不深入", 1), ("中心组学习", 2)]
    undo.stack.undo()
    cats = categories.list_categories(db, seeded["round"])
    assert [(c.text, c.level) for c in cats] == [("政治建设方面", 1), ("理论学习不深入", 2), ("中心组学习", 3)]
    model = RoundTreeModel()
    model.set_round(cats, problems.list_problems(db, seeded["round"]))
    qtmodeltester.check(model)
    item = model.index(1, 0, model.index(0, 0))       # 方面 → its own problem, then its 项
    third = model.index(2, 0, item)                    # 项 → its two problems, then the third level
    assert item.data().startswith("（一）理论学习不深入") and third.data().startswith("1. 中心组学习")


def test_parse_of_the_dialog_is_the_parsers(qtbot: Any, db: Database, tmp_path: Path) -> None:
    text, _e = T.subsections(0)
    path = tmp_path / "通报.txt"
    path.write_text(text, encoding="utf-8")
    dialog = open_dialog(qtbot, db, path=path)
    parsed = parse_notice(text)
    assert dialog.warnings.count() == len(parsed.warnings) and dialog.dropped.count() == len(parsed.dropped)
    assert dialog.tree.topLevelItem(0).text(0).startswith("（三）关于党的领导弱化方面")   # numbered on, as the source


def test_the_import_action_targets_the_round_just_created(window: Any, db: Database, seeded: dict[str, int],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = rounds.create_round(db, seeded["unit"], "刚建的轮次")
    window.reload_rounds(fresh.id)
    seen: list[Any] = []

    def exec_(dialog: ImportDialog) -> int:
        seen.append(dialog.target.currentData())
        return 0
    monkeypatch.setattr(ImportDialog, "exec", exec_)
    window.actions["import"].trigger()          # the menu item, as a click triggers it
    window.reload_rounds(seeded["round"])               # a round with problems: a new round is the default
    window.actions["import"].trigger()
    assert seen == [fresh.id, None]


def test_enter_in_the_file_box_reads_the_file_and_does_not_import_it(qtbot: Any, db: Database, tmp_path: Path,
                                                                     messages: list[tuple[str, str]]) -> None:
    """The placeholder says 'Enter reads the file'; Enter must not also press 确认导入 (the dialog's default
    button), which wrote the whole notice into the ledger before the clerk had seen the preview."""
    text, _e = T.web_page(0)
    path = tmp_path / "网页通报.txt"
    path.write_text(text, encoding="utf-8")
    dialog = open_dialog(qtbot, db)
    dialog.file.setFocus()
    QApplication.clipboard().setText(str(path))        # pasted: QTest cannot type the Chinese file name
    qtbot.keyClick(dialog.file, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.file, Qt.Key.Key_Return)
    assert dialog.parsed is not None and dialog.ok.isEnabled()
    assert dialog.isVisible() and dialog.round_id is None
    assert rounds.list_rounds(db) == []
    qtbot.keyClick(dialog.file, Qt.Key.Key_Enter)          # the keypad's Enter too
    assert dialog.isVisible() and rounds.list_rounds(db) == []
    button(dialog, "确认导入").click()                     # the clerk confirms after the preview
    assert dialog.round_id is not None and len(rounds.list_rounds(db)) == 1


def test_paste_text_opens_a_box_big_enough_for_a_notice(qtbot: Any, db: Database) -> None:
    """粘贴文字 opened Qt's default multi-line input, a box of a few lines, for a notice of 20,000 characters."""
    from tests.conftest import SAMPLES
    from tests.ui.conftest import answer

    text = (SAMPLES / "shizhong_2022.txt").read_text(encoding="utf-8")
    dialog = open_dialog(qtbot, db)
    sizes: list[tuple[int, int]] = []

    def paste_it(box: Any) -> None:
        assert isinstance(box, QInputDialog)
        sizes.append((box.width(), box.height()))
        [edit] = box.findChildren(QPlainTextEdit)
        assert edit.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
        box.setTextValue(text)
        box.accept()

    timer = answer(paste_it)
    button(dialog, "粘贴文字").click()
    timer.stop()
    assert timer.unexpected == []
    [(w, h)] = sizes
    assert w >= 700 and h >= 450
    assert dialog.parsed is not None and len(dialog.parsed.all_problems()) == 16 and dialog.ok.isEnabled()
