"""The round's dashboard: totals, overdue and due this week (clickable), progress by group, a chart."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ledger_rows import ProblemRow, Warning
from db.enums import Status
from db.session import Database
from ui.icons import STATUS_HEX
from ui.models.base import RowTableModel
from ui.services import dashboard

if TYPE_CHECKING:  # the rows are only named here; they load with the services
    from app.dto import RoundSummary

if TYPE_CHECKING:
    from PySide6.QtCharts import QChart

Index = QModelIndex | QPersistentModelIndex


class GroupProgressTableModel(RowTableModel["GroupProgress"]):
    HEADERS = ("名称", "问题数", "已完成", "整改中", "未启动", "逾期", "完成率")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        g = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (g.name, g.total, g.done, g.in_progress, g.not_started, g.overdue, f"{g.ratio:.0%}")[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 5 and g.overdue:
            return QColor("#c62828")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def axis_label(name: str, width: int = 30) -> str:
    """A category's name on the chart: whole (the axis makes room), cut with … only beyond `width`."""
    return name if len(name) <= width else name[:width - 1] + "…"


def count_axis(largest: int, ticks: int = 8) -> tuple[int, int]:
    """A count axis's end and step: whole numbers stepping 1, 2, 5, 10, 20 …, at most `ticks` steps."""
    step = 1
    while largest > step * ticks:
        lead, zeros = int(str(step)[0]), len(str(step)) - 1
        step = {1: 2, 2: 5, 5: 10}[lead] * 10 ** zeros
    return max(-(-largest // step) * step, step), step


class DashboardPanel(QWidget):
    show_overdue = Signal()
    show_due_week = Signal()
    show_status = Signal(object)     # Status
    show_warning = Signal(object)    # Warning (黄色 / 红色)
    show_no_evidence = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.summary: RoundSummary | None = None
        inner = QWidget()
        lay = QVBoxLayout(inner)

        totals = QGroupBox(self.tr("总体情况"))
        grid = QGridLayout(totals)
        self.tiles: dict[str, QPushButton] = {}
        specs = [("problems", "问题总数", None), ("done", "已完成", lambda: self.show_status.emit(Status.DONE)),
                 ("in_progress", "整改中", lambda: self.show_status.emit(Status.IN_PROGRESS)),
                 ("long_term", "长期坚持", lambda: self.show_status.emit(Status.LONG_TERM)),
                 ("not_started", "未启动", lambda: self.show_status.emit(Status.NOT_STARTED)),
                 ("overdue", "已逾期", self.show_overdue.emit),
                 ("red", "红色预警", lambda: self.show_warning.emit(Warning.RED)),
                 ("yellow", "黄色预警", lambda: self.show_warning.emit(Warning.YELLOW)),
                 ("due_this_week", "本周到期", self.show_due_week.emit), ("period", "集中整改期剩余", None)]
        colours = {"overdue": "#c62828", "red": "#d84315", "yellow": "#b7950b"}
        for i, (key, label, slot) in enumerate(specs):
            tile = QPushButton()
            tile.setMinimumHeight(64)
            tile.setProperty("label", label)
            tile.setFlat(slot is None)
            colour = f"color: {colours[key]};" if key in colours else ""
            tile.setStyleSheet(f"QPushButton {{ font-size: 15px; padding: 6px 10px; text-align: center; {colour} }}")
            if slot is not None:
                tile.clicked.connect(slot)
                tile.setToolTip(self.tr("点击在台账中查看这些问题"))
            self.tiles[key] = tile
            grid.addWidget(tile, i // 5, i % 5)
        lay.addWidget(totals)
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        lay.addWidget(self.figures)

        groups = QHBoxLayout()
        self.by_department = GroupProgressTableModel(self)
        self.by_leader = GroupProgressTableModel(self)
        self.group_views: list[QTableView] = []
        for title, model in ((self.tr("按责任部门"), self.by_department), (self.tr("按责任领导"), self.by_leader)):
            box = QGroupBox(title)
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().hide()
            view.setWordWrap(False)
            header = view.horizontalHeader()
            # The figures take what they need; the names the rest, and never less than a long name.
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(view.fontMetrics().horizontalAdvance("完成率") + 16)
            view.setMinimumWidth(view.fontMetrics().horizontalAdvance("行政审批服务科") + 6 * 64)
            view.setMinimumHeight(200)
            self.group_views.append(view)
            QVBoxLayout(box).addWidget(view)
            groups.addWidget(box)
        lay.addLayout(groups)

        # The chart is made when the dashboard is first filled: QtCharts takes a tenth of a second
        # to load, and the window starts on the ledger page.
        self.chart: QChart | None = None
        self._chart_layout = lay

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def show_round(self, round_id: int, today: dt.date | None = None, rows: list[ProblemRow] | None = None) -> None:
        """Show a round's figures, counted by the database in one read (`rows` is no longer needed)."""
        board = dashboard.read_dashboard(self.db, round_id, today)
        s = board.summary
        self.summary = s
        values = dict(problems=s.problems, done=s.done, in_progress=s.in_progress, long_term=s.long_term,
                      not_started=s.not_started, overdue=s.overdue, due_this_week=s.due_this_week,
                      red=board.warnings[Warning.RED], yellow=board.warnings[Warning.YELLOW])
        for key, tile in self.tiles.items():
            if key == "period":
                d = s.days_left_in_period
                text = "未设定" if d is None else (f"{d} 天" if d >= 0 else f"已结束 {-d} 天")
            else:
                text = str(values[key])
            tile.setText(f"{tile.property('label')}\n{text}")
        f = s.figures
        parts = [f"{s.aspects} 个方面", f"{s.items} 个项", f"{s.problems} 个具体问题", f"整改措施 {s.measures} 条",
                 f"新制定制度 {s.regulations_new} 项", f"修订完善制度 {s.regulations_revised} 项"]
        if f.clues_transferred is not None:
            parts.append(f"移交问题线索 {f.clues_transferred} 件")
        if f.disciplined is not None:
            parts.append(f"党纪政务处分 {f.disciplined} 人")
        self.figures.setText("　".join(parts))
        self.by_department.set_rows(board.by_department)
        self.by_leader.set_rows(board.by_leader)
        self._chart(board.by_category)

    def _make_chart(self) -> QChart:
        from PySide6.QtCharts import QChart, QChartView

        chart = QChart()
        chart.setTitle(self.tr("各方面问题整改状态"))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(300)
        self._chart_layout.addWidget(view)
        return chart

    def _chart(self, data: list[tuple[str, dict[Status, int]]]) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QHorizontalStackedBarSeries, QValueAxis

        if self.chart is None:
            self.chart = self._make_chart()
        data = list(reversed(data))  # a horizontal bar chart draws its first category at the bottom
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        series = QHorizontalStackedBarSeries()
        for st in Status:
            bar = QBarSet(st.value)
            bar.setColor(QColor(STATUS_HEX[st]))
            bar.append([counts[st] for _name, counts in data])
            series.append(bar)
        self.chart.addSeries(series)
        names = [axis_label(n) for n, _c in data]
        y = QBarCategoryAxis()
        y.append(names)
        x = QValueAxis()
        x.setLabelFormat("%d")
        top, step = count_axis(max([sum(c.values()) for _n, c in data] + [1]))
        x.setRange(0, top)
        x.setTickType(QValueAxis.TickType.TicksDynamic)  # whole numbers only: counts have no fractions
        x.setTickAnchor(0)
        x.setTickInterval(step)
        x.setMinorTickCount(0)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(y)
        series.attachAxis(x)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
