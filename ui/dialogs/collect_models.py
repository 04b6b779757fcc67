"""Table models of the 部门填报 dialogs: status per department, open conflicts, a file's merge preview."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.collect.model import APPLY, CONFLICT, DEPARTMENT, OFFICE, OPEN, REFUSED, SAME, Decisions, FilePreview
from app.collect.status import DepartmentStatus, OpenConflict

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_RED, _YELLOW, _GREY = QColor("#fde2e1"), QColor("#fff4ce"), QColor("#eeeeee")


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "—"


class _Table(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self.color(row)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell(row, index.column())
        if role == ROW_ROLE:
            return index.row()
        return None

    def cell(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def color(self, row: Any) -> QColor | None:
        return None


class DepartmentStatusTableModel(_Table):
    HEADERS = ("部门", "状态", "问题", "红色/逾期", "下发时间", "交回时间", "已更新", "待定冲突")

    def cell(self, row: DepartmentStatus, column: int) -> str:
        return (row.department, row.state, str(row.problems), str(row.urgent), _when(row.sent_at),
                _when(row.returned_at), str(row.items_updated), str(row.conflicts_open))[column]

    def color(self, row: DepartmentStatus) -> QColor | None:
        return {"未交回": _YELLOW, "有冲突待定": _RED, "未下发": _GREY}.get(row.state)


class ConflictTableModel(_Table):
    HEADERS = ("部门", "问题", "内容", "下发时", "台账现在", "部门填报", "文件")

    def cell(self, row: OpenConflict, column: int) -> str:
        label = {"narrative": "整改情况", "status": "完成情况"}.get(row.field, row.field)
        return (row.department, f"第{row.number}号", label, row.sent_value or "（空）", row.office_value or "（空）",
                row.department_value or "（空）", row.file_name)[column]


@dataclass(frozen=True)
class PreviewLine:
    problem_id: int
    number: int
    what: str
    old: str
    new: str
    action: str
    kind: str = ""            # apply / conflict / same / refused / '' for information
    field: str = ""           # narrative / status for a field change


_KIND_WORDS = {APPLY: "采用", SAME: "无需更改", REFUSED: "不采用"}
_DECISION_WORDS = {OPEN: "冲突：待定", DEPARTMENT: "冲突：采用部门填报", OFFICE: "冲突：保留台账内容"}


def preview_lines(fp: FilePreview) -> list[PreviewLine]:
    out: list[PreviewLine] = []
    for pm in fp.problems:
        n = pm.number
        if pm.progress:
            when = f"追加（{pm.progress_date:%Y-%m-%d}，{pm.author}）" if pm.progress_date else "追加"
            out.append(PreviewLine(pm.problem_id, n, "本期进展", "", pm.progress,
                                   "旧表：只采用较新内容时不追加" if pm.progress_older else when, APPLY))
        for c in pm.changes:
            out.append(PreviewLine(pm.problem_id, n, c.label, c.office, c.department,
                                   _KIND_WORDS.get(c.kind, "") + (f"：{c.note}" if c.note and c.kind != CONFLICT else ""),
                                   c.kind, c.field))
        for label, sent, got in pm.locked_edits:
            out.append(PreviewLine(pm.problem_id, n, f"锁定列：{label}", sent, got, "已忽略", REFUSED))
        for e in pm.evidence:
            out.append(PreviewLine(pm.problem_id, n, "佐证材料", "", e.path.name, "已有，不重复添加" if e.already else "添加",
                                   SAME if e.already else APPLY))
        for note in pm.notes:
            out.append(PreviewLine(pm.problem_id, n, "说明", "", note, ""))
    return out


class MergePreviewTableModel(_Table):
    HEADERS = ("问题", "内容", "台账现在", "部门填报", "处理")

    def __init__(self) -> None:
        super().__init__()
        self.decisions: Decisions = {}

    def set_preview(self, fp: FilePreview | None, decisions: Decisions) -> None:
        self.decisions = decisions
        self.set_rows(preview_lines(fp) if fp else [])

    def decide(self, row: int, choice: str) -> bool:
        line: PreviewLine = self._rows[row]
        if line.kind != CONFLICT:
            return False
        self.decisions[(line.problem_id, line.field)] = choice
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return True

    def cell(self, row: PreviewLine, column: int) -> str:
        if column == 4 and row.kind == CONFLICT:
            return _DECISION_WORDS[self.decisions.get((row.problem_id, row.field), OPEN)]
        old = row.old or ("（空）" if row.field else "")
        return (f"第{row.number}号", row.what, old, row.new, row.action)[column]

    def color(self, row: PreviewLine) -> QColor | None:
        if row.kind == CONFLICT:
            return _RED if self.decisions.get((row.problem_id, row.field), OPEN) == OPEN else _YELLOW
        return {REFUSED: _GREY}.get(row.kind)
