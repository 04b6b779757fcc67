"""The problem editor: tabs over one problem. Every pane saves at once through undoable commands."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from app.ledger_rows import ProblemRow
from ui.commands import Undo
from ui.panels.evidence_pane import EvidencePane
from ui.panels.measures_pane import MeasuresPane
from ui.panels.problem_form import NarrativeForm, ProblemForm
from ui.panels.progress_pane import ProgressPane
from ui.thumbnails import ThumbnailCache


class ProblemEditor(QWidget):
    status_requested = Signal()
    files_dropped = Signal(int, list)

    def __init__(self, undo: Undo, thumbs: ThumbnailCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: ProblemRow | None = None
        self.form = ProblemForm(undo)
        self.measures = MeasuresPane(undo)
        self.progress = ProgressPane(undo)
        self.evidence = EvidencePane(undo, thumbs)
        self.narrative = NarrativeForm(undo)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, self.tr("基本信息"))
        self.tabs.addTab(self.measures, self.tr("整改措施"))
        self.tabs.addTab(self.progress, self.tr("进展记录"))
        self.tabs.addTab(self.evidence, self.tr("佐证材料"))
        self.tabs.addTab(self.narrative, self.tr("整改情况"))
        empty = QLabel(self.tr("在左侧或上方选择一个问题，即可在这里编辑。"))
        empty.setStyleSheet("color: #666; padding: 20px")
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(self.tabs)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.form.status_requested.connect(self.status_requested.emit)
        self.evidence.files_dropped.connect(self.files_dropped.emit)

    def show_problem(self, row: ProblemRow | None) -> None:
        self.row = row
        if row is None:
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        self.form.show_problem(row)
        self.narrative.show_problem(row)
        self.measures.show_problem(row.id)
        self.progress.show_problem(row.id)
        self.evidence.show_problem(row.id)
        count = row.evidence_count
        self.tabs.setTabText(3, self.tr("佐证材料（%d）") % count if count else self.tr("佐证材料"))
        self.tabs.setTabText(1, self.tr("整改措施（%d）") % row.measure_count if row.measure_count
                             else self.tr("整改措施"))

    def flush(self) -> None:
        """Save text still being typed (before switching problem or closing)."""
        self.form.flush()
        self.narrative.flush()
