"""导入 dialog: the parsed tree beside the source text, warnings to click, fixes before anything is stored.

The tree shows each node's depth and its number in the detected scheme (editable in 编号方式); dropped web-page
furniture and the warnings are listed with their lines (a click shows the source line); importing into an
existing round shows which facts it fills and which it would replace, for the clerk to accept. Nothing is
written until the user confirms; the commit is one transaction (app.importing.commit).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.importing.commit import commit_notice
from app.importing.edits import (
    demote_category,
    merge_with_previous,
    move_paragraph_back,
    promote_problem,
    split_problem,
)
from app.importing.ledger_xlsx import LedgerImport, commit_ledger, read_ledger
from app.importing.merge import fact_changes, round_is_empty
from app.importing.model import ParsedCategory, ParsedNotice, ParsedProblem
from app.importing.parser import parse_notice
from app.importing.readers import read_document
from app.importing.scheme import describe_scheme
from app.numbering_scheme import NumberingScheme, format_number
from app.numerals import date_cn
from db.session import Database
from ui import file_dialogs
from ui.dialogs.import_panels import FactsPreview, SchemeEditor, level_name
from ui.errors import show_error
from ui.services import rounds
from ui.widgets import add_buttons

NODE = Qt.ItemDataRole.UserRole + 1
FILTER = "通报、反馈意见或台账 (*.txt *.docx *.xlsx);;文本 (*.txt);;Word 文档 (*.docx);;Excel 台账 (*.xlsx)"


def parts_text(p: ParsedNotice) -> str:
    """The notice's parts outside the problem tree, as they will be stored, for the clerk to check."""
    f = p.facts
    rows = [("标题", f.title), ("开头段", p.opening), ("第一部分", p.part_one), ("第二部分标题与导语", p.part_two_intro),
            ("第三部分", p.part_three), ("监督与联系方式", p.contact_paragraph), ("署名", f.signature),
            ("成文日期", date_cn(f.sign_date))]
    return "\n\n".join(f"【{name}】\n{text or '（原文没有，导入后为空）'}" for name, text in rows)


class ImportDialog(QDialog):
    def __init__(self, db: Database, parent: Any = None, path: Path | None = None,
                 current_round: int | None = None) -> None:
        """`current_round`: the window's round; a round just created (still empty) is the default target."""
        super().__init__(parent)
        self.db = db
        self.parsed: ParsedNotice | None = None
        self.ledger: LedgerImport | None = None
        self.round_id: int | None = None
        self.setWindowTitle(self.tr("导入问题"))
        self.resize(1200, 780)
        top = QHBoxLayout()
        self.file = QLineEdit()
        self.file.setPlaceholderText(self.tr("输入或粘贴文件路径后按回车读取，或点“浏览…”选择文件"))
        self.file.returnPressed.connect(self.load_typed_path)
        choose = QPushButton(self.tr("浏览…"))
        choose.clicked.connect(self.choose)
        paste = QPushButton(self.tr("粘贴文字"))
        paste.clicked.connect(self.paste)
        top.addWidget(QLabel(self.tr("文件：")))
        top.addWidget(self.file, 1)
        top.addWidget(choose)
        top.addWidget(paste)

        self.source = QPlainTextEdit()
        self.source.setReadOnly(True)
        self.source.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.source.cursorPositionChanged.connect(self.select_node_at_cursor)
        self._syncing = False
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("解析结果（双击修改文字）"), self.tr("层级")])
        self.tree.setColumnWidth(0, 470)
        self.tree.itemDoubleClicked.connect(self.edit_item)
        self.tree.currentItemChanged.connect(self.show_source_line)
        tools = QHBoxLayout()
        add_buttons(tools, ((self.tr("拆分"), self.split), (self.tr("与上一个合并"), self.merge),
                            (self.tr("升为分类"), self.promote), (self.tr("降为问题"), self.demote),
                            (self.tr("段落移到上一个问题"), self.move_back), (self.tr("删除"), self.delete)))
        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.tree, 1)
        ml.addLayout(tools)
        self.warnings = QListWidget()
        self.warnings.itemClicked.connect(self.jump_to_warning)
        self.dropped = QListWidget()
        self.dropped.itemClicked.connect(self.jump_to_warning)
        self.scheme = SchemeEditor()
        self.scheme.scheme_changed.connect(self.set_scheme)
        self.facts = FactsPreview()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.warnings, self.tr("提示"))
        self.tabs.addTab(self.dropped, self.tr("已略去的网页内容"))
        self.tabs.addTab(self.scheme, self.tr("编号方式"))
        self.tabs.addTab(self.facts, self.tr("轮次信息"))
        self.parts = QPlainTextEdit()
        self.parts.setReadOnly(True)
        self.tabs.addTab(self.parts, self.tr("通报各部分"))
        split = QSplitter()
        split.addWidget(self.source)
        split.addWidget(middle)
        split.setSizes([560, 640])
        vsplit = QSplitter(Qt.Orientation.Vertical)
        vsplit.addWidget(split)
        vsplit.addWidget(self.tabs)
        vsplit.setSizes([520, 240])

        bottom = QHBoxLayout()
        self.target = QComboBox()
        self.target.addItem(self.tr("新建巡察轮次"), None)
        for r in rounds.list_rounds(db):
            self.target.addItem(self.tr("追加到：%s") % r.title, r.id)
        if current_round is not None and round_is_empty(db, current_round):
            self.target.setCurrentIndex(max(self.target.findData(current_round), 0))
        self.target.currentIndexChanged.connect(self.show_facts)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("新轮次名称（默认取通报标题）"))
        self.split_measures = QCheckBox(self.tr("把“一是……二是……”拆为整改措施"))
        bottom.addWidget(QLabel(self.tr("导入到")))
        bottom.addWidget(self.target)
        bottom.addWidget(self.title, 1)
        bottom.addWidget(self.split_measures)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.ok = buttons.addButton(self.tr("确认导入"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.commit)
        buttons.rejected.connect(self.reject)
        self.summary = QLabel()
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(vsplit, 1)
        lay.addWidget(self.summary)
        lay.addLayout(bottom)
        lay.addWidget(buttons)
        if path is not None:
            self.load(path)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the 文件 box only reads the file: QLineEdit passes the key on after `returnPressed`, and the
        dialog would then press its default button 确认导入 and write the notice before it was checked."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.focusWidget() is self.file:
            event.accept()
            return
        super().keyPressEvent(event)

    # -- reading ------------------------------------------------------------------------------
    def choose(self) -> None:
        path = file_dialogs.open_file(self, file_dialogs.settings_for(self), self.tr("选择要导入的文件"), FILTER)
        if path is not None:
            self.load(path)

    def _multi_line(self, title: str, label: str, text: str = "") -> tuple[str, bool]:
        """QInputDialog.getMultiLineText in a box big enough for a notice (Qt's own is a few lines high)."""
        box = QInputDialog(self)
        box.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        box.setWindowTitle(title)
        box.setLabelText(label)
        box.setTextValue(text)
        box.setOkButtonText(self.tr("确定"))
        box.setCancelButtonText(self.tr("取消"))
        box.resize(max(760, self.width() * 2 // 3), max(520, self.height() * 2 // 3))
        for edit in box.findChildren(QPlainTextEdit):   # long paragraphs wrap instead of running off to the right
            edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        ok = box.exec() == QDialog.DialogCode.Accepted
        return box.textValue(), ok

    def paste(self) -> None:
        text, ok = self._multi_line(self.tr("粘贴文字"), self.tr("把通报或反馈意见的文字粘贴到这里："))
        if ok and text.strip():
            self.file.setText(self.tr("（粘贴的文字）"))
            self._show_notice(parse_notice(text), text)

    def load_typed_path(self) -> None:
        """Enter in the 文件 box reads the file whose path was typed or pasted there."""
        text = self.file.text().strip().strip('"')
        if not text:
            self.choose()
            return
        path = Path(text).expanduser()
        if not path.is_file():
            QMessageBox.information(self, self.windowTitle(), self.tr("找不到文件：%s") % text)
            return
        self.load(path)

    def load(self, path: Path) -> None:
        self.file.setText(str(path))
        try:
            if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".et"):
                self._show_ledger(read_ledger(path))
            else:
                text = read_document(path)
                self._show_notice(parse_notice(text), text)
        except Exception as exc:
            show_error(self, exc, self.tr("无法导入"))
            self.parsed = self.ledger = None
            self.ok.setEnabled(False)

    def _show_notice(self, parsed: ParsedNotice, text: str) -> None:
        self.parsed, self.ledger = parsed, None
        self.source.setPlainText(text.replace("\r\n", "\n"))
        if parsed.facts.title and not self.title.text():
            self.title.setText(parsed.facts.title)
        self.split_measures.setEnabled(True)
        self._mark_source(parsed)
        self.parts.setPlainText(parts_text(parsed))
        self.scheme.set_scheme(parsed.scheme, len(parsed.category_counts()))
        self.rebuild()
        self.show_facts()

    def _show_ledger(self, ledger: LedgerImport) -> None:
        self.ledger, self.parsed = ledger, None
        self.source.setPlainText("\n".join(f"{r.sheet} 第{r.row}行：{r.problem}" for r in ledger.rows))
        self.tree.clear()
        for r in ledger.rows:
            item = QTreeWidgetItem([f"{r.problem}　[{r.status.value}]"])
            for m in r.measures:
                item.addChild(QTreeWidgetItem([f"措施：{m.text}"]))
            self.tree.addTopLevelItem(item)
        self.warnings.clear()
        self.dropped.clear()
        for w in ledger.warnings:
            self.warnings.addItem(w)
        self.summary.setText(self.tr("从 %d 个工作表读到 %d 个问题。") % (len(ledger.sheets), len(ledger.rows)))
        self.split_measures.setEnabled(False)
        self.ok.setEnabled(bool(ledger.rows))

    def _mark_source(self, parsed: ParsedNotice) -> None:
        """Dropped furniture grey in the source, lines with a warning underlined in orange."""
        doc = self.source.document()
        grey, warned = QTextCharFormat(), QTextCharFormat()
        grey.setForeground(QColor("#9e9e9e"))
        warned.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        warned.setUnderlineColor(QColor("#e65100"))
        for lines, fmt in (([no for no, _t in parsed.dropped], grey), ([w.line for w in parsed.warnings if w.line], warned)):
            for no in lines:
                block = doc.findBlockByNumber(no - 1)
                if block.isValid():
                    cursor = QTextCursor(block)
                    cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
                    cursor.mergeCharFormat(fmt)

    # -- the tree -------------------------------------------------------------------------------
    def rebuild(self) -> None:
        p = self.parsed
        assert p is not None
        scheme = p.scheme
        self.tree.clear()

        def add_problem(parent: QTreeWidgetItem | None, prob: ParsedProblem) -> None:
            prefix = format_number(scheme.problems, prob.number) if prob.number > 0 else ""
            item = QTreeWidgetItem([f"{prefix}{prob.text or self.tr('（缺少问题标题）')}", self.tr("问题")])
            item.setData(0, NODE, prob)
            item.setToolTip(0, prob.text)
            if not prob.text:
                item.setForeground(0, QColor("#c62828"))
            if prob.progress_line:
                child = QTreeWidgetItem([self.tr("整改进程：") + prob.progress_line, self.tr("进程")])
                child.setData(0, NODE, prob)
                item.addChild(child)
            for i, para in enumerate(prob.narrative):
                head = (prob.label + "：" if prob.label else "") if i == 0 else "　"
                child = QTreeWidgetItem([head + para[:80], self.tr("整改情况")])
                child.setData(0, NODE, (prob, i))
                child.setToolTip(0, para[:1000])
                item.addChild(child)
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))

        def add_category(parent: QTreeWidgetItem | None, cat: ParsedCategory, depth: int, index: int) -> None:
            prefix = scheme.category_prefix(depth, cat.number or index)
            item = QTreeWidgetItem([prefix + cat.text.replace("\n", " "), self.tr("%d级·%s") % (depth, level_name(depth))])
            item.setData(0, NODE, cat)
            item.setToolTip(0, cat.text)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            for prob in cat.problems:
                add_problem(item, prob)
            for i, child in enumerate(cat.children, 1):
                add_category(item, child, depth + 1, i)
            item.setExpanded(True)

        for prob in p.problems:
            add_problem(None, prob)
        for i, cat in enumerate(p.categories, 1):
            add_category(None, cat, 1, i)
        self.warnings.clear()
        for w in p.warnings:
            item = QListWidgetItem(f"第 {w.line} 行：{w.message}" if w.line else w.message)
            item.setData(NODE, w.line)
            self.warnings.addItem(item)
        self.dropped.clear()
        for line, text in p.dropped:
            item = QListWidgetItem(f"第 {line} 行：{text}")
            item.setData(NODE, line)
            item.setForeground(QColor("#666"))
            self.dropped.addItem(item)
        self.tabs.setTabText(0, self.tr("提示（%d）") % len(p.warnings))
        self.tabs.setTabText(1, self.tr("已略去的网页内容（%d）") % len(p.dropped))
        counts = p.category_counts()
        levels = "，".join(self.tr("%d 个%s") % (n, level_name(d)) for d, n in enumerate(counts, 1))
        self.summary.setText(self.tr("版式 %s；%s%d 个问题；编号：%s；%d 条提示。") % (
            p.layout_style, levels + "，" if levels else "", len(p.all_problems()), describe_scheme(scheme),
            len(p.warnings)))
        self.ok.setEnabled(bool(p.all_problems()))

    def set_scheme(self, scheme: NumberingScheme) -> None:
        """The clerk corrected the numbering scheme: it is stored with the round and the tree shows it."""
        if self.parsed is not None:
            self.parsed.scheme = scheme
            self.rebuild()

    def show_facts(self, *_args: Any) -> None:
        """For 追加到: which of the round's facts the import fills, and which it would replace."""
        target = self.target.currentData()
        changes = fact_changes(self.db, target, self.parsed) if target is not None and self.parsed else []
        self.facts.set_changes(changes)
        replace = sum(c.action == "replace" for c in changes)
        self.tabs.setTabText(3, self.tr("轮次信息（%d 项待确认替换）") % replace if replace else self.tr("轮次信息"))
        self.tabs.setTabEnabled(3, target is not None and self.parsed is not None)
        self.title.setEnabled(target is None)

    def _node(self) -> Any:
        item = self.tree.currentItem()
        return item.data(0, NODE) if item else None

    def show_source_line(self, current: QTreeWidgetItem | None, _prev: Any = None) -> None:
        if self._syncing:
            return
        node = current.data(0, NODE) if current else None
        line = getattr(node, "line", 0) if not isinstance(node, tuple) else node[0].narrative_line
        if line:
            self.highlight(line)

    def select_node_at_cursor(self) -> None:
        """Clicking in the source selects the tree node that line belongs to (the last one starting at
        or before it)."""
        if self._syncing or self.parsed is None:
            return
        line = self.source.textCursor().blockNumber() + 1
        best: tuple[tuple[int, int], QTreeWidgetItem] | None = None
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            node = item.data(0, NODE)
            start = node[0].narrative_line if isinstance(node, tuple) else getattr(node, "line", 0)
            key = (start, 0 if isinstance(node, tuple) else 1)  # a problem beats its own paragraph
            if 0 < start <= line and (best is None or key > best[0]):
                best = (key, item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        if best is not None:
            self._syncing = True
            self.tree.setCurrentItem(best[1])
            self.tree.scrollToItem(best[1])
            self._syncing = False

    def jump_to_warning(self, item: QListWidgetItem) -> None:
        line = item.data(NODE)
        if line:
            self.highlight(int(line))
            self.select_node_at_cursor()

    def highlight(self, line: int) -> None:
        """Select the source line (1-based) so the user sees where the tree node came from."""
        block = self.source.document().findBlockByNumber(line - 1)
        cursor = QTextCursor(block)
        self._syncing = True
        self.source.setTextCursor(cursor)
        self._syncing = False
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(QColor("#fff3b0"))
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = cursor
        self.source.setExtraSelections([selection])
        self.source.centerCursor()

    # -- fixes -------------------------------------------------------------------------------------
    def _apply(self, fn: Any, *args: Any) -> None:
        if self.parsed is None:
            return
        try:
            fn(self.parsed, *args)
        except ValueError as exc:
            QMessageBox.information(self, self.windowTitle(), str(exc))
            return
        self.rebuild()

    def edit_item(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        node = item.data(0, NODE)
        if isinstance(node, tuple):
            prob, i = node
            text, ok = self._multi_line(self.tr("修改段落"), "", prob.narrative[i])
            if ok:
                prob.narrative[i] = text.strip()
        elif isinstance(node, (ParsedProblem, ParsedCategory)):
            text, ok = self._multi_line(self.tr("修改文字"), "", node.text)
            if ok:
                node.text = text.strip()
        else:
            return
        self.rebuild()

    def split(self) -> None:
        node = self._node()
        if isinstance(node, tuple):
            self._apply(split_problem, node[0], node[1])

    def merge(self) -> None:
        node = self._node()
        if isinstance(node, ParsedProblem):
            self._apply(merge_with_previous, node)

    def promote(self) -> None:
        node = self._node()
        if isinstance(node, ParsedProblem):
            self._apply(promote_problem, node)

    def demote(self) -> None:
        node = self._node()
        if isinstance(node, ParsedCategory):
            self._apply(demote_category, node)

    def move_back(self) -> None:
        node = self._node()
        if isinstance(node, tuple):
            self._apply(move_paragraph_back, node[0], node[1])

    def delete(self) -> None:
        from app.importing.edits import delete_node

        node = self._node()
        if node is not None and not isinstance(node, tuple):
            self._apply(delete_node, node)

    # -- commit ---------------------------------------------------------------------------------------
    def commit(self) -> None:
        target = self.target.currentData()
        title = self.title.text().strip() or None
        try:
            if self.ledger is not None:
                self.round_id = commit_ledger(self.db, self.ledger, round_id=target, title=title)
            elif self.parsed is not None:
                self.round_id = commit_notice(self.db, self.parsed, round_id=target, title=title,
                                              split_measures=self.split_measures.isChecked(),
                                              replace_facts=self.facts.accepted() if target is not None else ())
            else:
                return
        except Exception as exc:
            show_error(self, exc, self.tr("未导入"))
            return
        self.accept()
