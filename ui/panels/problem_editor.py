"""The problem editor: tabs over one problem. Every pane saves at once through undoable commands.

The first tab (基本信息) is made with the editor; the others when first opened (or first asked
for): the window then starts without their modules, and a clerk who never opens a tab never
pays for it. A pane, once made, follows the selected problem like the first.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from app.ledger_rows import ProblemRow
from ui.commands import Undo
from ui.panels.problem_form import ProblemForm

if TYPE_CHECKING:
    from ui.panels.evidence_pane import EvidencePane
    from ui.panels.measures_pane import MeasuresPane
    from ui.panels.problem_form import NarrativeForm
    from ui.panels.progress_pane import ProgressPane
    from ui.thumbnails import ThumbnailCache

MEASURES, PROGRESS, EVIDENCE, NARRATIVE = 1, 2, 3, 4


class ProblemEditor(QWidget):
    status_requested = Signal()
    files_dropped = Signal(int, list)
    choose_files_requested = Signal()

    def __init__(self, undo: Undo, thumbs: Callable[[], ThumbnailCache], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo = undo
        self._thumbs = thumbs
        self.row: ProblemRow | None = None
        self._default_deadline: dt.date | None = None
        self.form = ProblemForm(undo)
        self._panes: dict[int, Any] = {}
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, self.tr("基本信息"))
        for title in (self.tr("整改措施"), self.tr("进展记录"), self.tr("佐证材料"), self.tr("整改情况")):
            page = QWidget()
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(page, title)
        self.tabs.currentChanged.connect(self._pane)
        empty = QLabel(self.tr("在左侧或上方选择一个问题，即可在这里编辑。"))
        empty.setStyleSheet("color: #666; padding: 20px")
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(self.tabs)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.form.status_requested.connect(self.status_requested.emit)

    # -- the panes, made on first use ----------------------------------------------------------
    @property
    def measures(self) -> MeasuresPane:
        return self._pane(MEASURES)  # type: ignore[no-any-return]

    @property
    def progress(self) -> ProgressPane:
        return self._pane(PROGRESS)  # type: ignore[no-any-return]

    @property
    def evidence(self) -> EvidencePane:
        return self._pane(EVIDENCE)  # type: ignore[no-any-return]

    @property
    def narrative(self) -> NarrativeForm:
        return self._pane(NARRATIVE)  # type: ignore[no-any-return]

    def _pane(self, tab: int) -> Any:
        if tab == 0:
            return self.form
        pane = self._panes.get(tab)
        if pane is None:
            pane = self._make(tab)
            self._panes[tab] = pane
            layout = self.tabs.widget(tab).layout()
            assert layout is not None
            layout.addWidget(pane)
            if self.row is not None:
                self._load(tab, pane, self.row)
        return pane

    def _make(self, tab: int) -> Any:
        if tab == MEASURES:
            from ui.panels.measures_pane import MeasuresPane

            measures = MeasuresPane(self.undo)
            measures.default_deadline = self._default_deadline
            return measures
        if tab == PROGRESS:
            from ui.panels.progress_pane import ProgressPane

            return ProgressPane(self.undo)
        if tab == EVIDENCE:
            from ui.panels.evidence_pane import EvidencePane

            pane = EvidencePane(self.undo, self._thumbs())
            pane.files_dropped.connect(self.files_dropped.emit)
            pane.choose_requested.connect(self.choose_files_requested.emit)
            return pane
        from ui.panels.problem_form import NarrativeForm

        return NarrativeForm(self.undo)

    @staticmethod
    def _load(tab: int, pane: Any, row: ProblemRow) -> None:
        pane.show_problem(row if tab == NARRATIVE else row.id)

    # -- the problem shown ---------------------------------------------------------------------
    def show_problem(self, row: ProblemRow | None) -> None:
        self.row = row
        if row is None:
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        self.form.show_problem(row)
        for tab, pane in self._panes.items():
            self._load(tab, pane, row)
        count = row.evidence_count
        self.tabs.setTabText(EVIDENCE, self.tr("佐证材料（%d）") % count if count else self.tr("佐证材料"))
        self.tabs.setTabText(MEASURES, self.tr("整改措施（%d）") % row.measure_count if row.measure_count
                             else self.tr("整改措施"))
        self.tabs.setTabText(PROGRESS, self.tr("进展记录（%d）") % row.progress_count if row.progress_count
                             else self.tr("进展记录"))

    def set_default_deadline(self, value: dt.date | None) -> None:
        """The date a deadline's calendar opens on while it is empty (the round's 集中整改期截止)."""
        self._default_deadline = value
        self.form.deadline.set_default(value)
        if MEASURES in self._panes:
            self._panes[MEASURES].default_deadline = value

    def flush(self) -> None:
        """Save text still being typed (before switching problem or closing)."""
        self.form.flush()
        if NARRATIVE in self._panes:
            self._panes[NARRATIVE].flush()
