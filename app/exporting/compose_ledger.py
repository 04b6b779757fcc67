"""整改台账 composed once from a round's snapshot: typed rows that every writer (.xlsx, PDF, Word) writes.

The composer decides what each cell says (cleaned text, numbers as numbers, dates as dates, the
warning of each row) and how the category tree of any depth is shown: one column per level
(方面, 项, …) for the spreadsheet, and group rows spanning the table (（一）…, 1.…) for print, both
from the same composed sheet. Writers never read the database.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from app.dto import MeasureRow, ProblemRow, ProgressRow, Warning
from app.exporting.blocks import DataTable, TableColumn, TableRow
from app.exporting.hygiene import fix_text
from app.exporting.ledger_widths import EM_MM, PAD_MM, fit_widths, sample
from app.measure_facts import facts_text
from app.numerals import date_cn
from app.services.snapshot import CategoryNode, RoundSnapshot
from db.enums import Status

LEVEL_NAMES = ("方面", "项", "子项")
# 三色预警 fills (light, so that the text stays readable in print and on screen).
FILLS = {Warning.GREEN: "E2EFDA", Warning.YELLOW: "FFF2CC", Warning.RED: "F8CBAD", Warning.OVERDUE: "E59C9C"}
HEADER_FILL = "D9E1F2"
GROUP_FILL = "F2F2F2"
PROGRESS_ENTRIES = 3          # the 整改进展 column: the latest dated entries of the progress log


def level_name(depth: int) -> str:
    return LEVEL_NAMES[depth - 1] if depth <= len(LEVEL_NAMES) else f"第{depth}级分类"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float              # spreadsheet width (Excel units: about one Latin character; a Chinese one is 2)
    kind: str = "text"        # text | int | date | short (centred, no wrap needed) | category


@dataclass(frozen=True)
class ProblemLine:
    """One problem: a value per column (str, int, date or None), and its warning."""

    values: tuple[object, ...]
    warning: Warning
    status: Status


@dataclass(frozen=True)
class GroupLine:
    """A category heading in print: its depth, numbered label and text."""

    depth: int
    label: str


@dataclass
class LedgerSummary:
    problems: int = 0
    done: int = 0
    long_term: int = 0
    pending_review: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    red: int = 0
    yellow: int = 0
    measures: int = 0

    def add(self, p: ProblemRow) -> None:
        self.problems += 1
        if p.status == Status.DONE:
            self.done += 1
        elif p.status == Status.LONG_TERM:
            self.long_term += 1
        elif p.status == Status.PENDING_REVIEW:
            self.pending_review += 1
        elif p.status == Status.IN_PROGRESS:
            self.in_progress += 1
        else:
            self.not_started += 1
        self.overdue += p.warning == Warning.OVERDUE
        self.red += p.warning == Warning.RED
        self.yellow += p.warning == Warning.YELLOW


SUMMARY_COLUMNS = (("轮次", 36), ("单位", 28), ("问题数", 8), ("已完成", 8), ("长期坚持", 10), ("待销号", 8),
                   ("整改中", 8), ("未启动", 8), ("其中：逾期", 11), ("红色预警", 10), ("黄色预警", 10),
                   ("整改措施（条）", 15))


@dataclass
class LedgerSheet:
    """One round's ledger."""

    title: str                          # …整改台账
    round_title: str
    unit: str
    as_of: dt.date                      # the day the warnings were judged
    columns: tuple[Column, ...]
    lines: list[ProblemLine | GroupLine] = field(default_factory=list)
    summary: LedgerSummary = field(default_factory=LedgerSummary)

    @property
    def problem_lines(self) -> Iterator[ProblemLine]:
        return (x for x in self.lines if isinstance(x, ProblemLine))

    def summary_values(self) -> list[object]:
        s = self.summary
        return [self.round_title, self.unit, s.problems, s.done, s.long_term, s.pending_review, s.in_progress,
                s.not_started, s.overdue, s.red, s.yellow, s.measures]


_MAY_CHANGE = re.compile(r"""[,;:?!()"']|[年月]0""")   # what `fix_text` rewrites; most cells have none


def _fix(text: str) -> str:
    text = text.strip() if text else ""
    return fix_text(text)[0] if _MAY_CHANGE.search(text) else text


_fix_short = lru_cache(maxsize=4096)(_fix)   # names, departments, categories repeat on thousands of rows


def _clean(text: str) -> str:
    return _fix_short(text) if len(text) < 64 else _fix(text)


def measure_text(m: MeasureRow) -> str:
    """"1.措施（责任人：张三；时限：2024年6月30日；已完成）": what the clerk entered for the measure, in the form
    the ledger importer reads back (`ledger_xlsx.measure_facts`)."""
    return f"{m.number}.{_clean(m.text)}（{facts_text(_clean(m.owner), m.deadline, m.status)}）"


def progress_text(entries: list[ProgressRow]) -> str:
    """The latest entries of the progress log, oldest first: "2024年6月1日 已召开专题会议部署（王明）"."""
    shown = entries[-PROGRESS_ENTRIES:]
    out = [f"（另有较早记录{len(entries) - len(shown)}条）"] if len(entries) > len(shown) else []
    for e in shown:
        who = f"（{_clean(e.author)}）" if e.author.strip() else ""
        out.append(f"{date_cn(e.entry_date)} {_clean(e.note)}{who}")
    return "\n".join(out)


def compose_ledger(snap: RoundSnapshot) -> LedgerSheet:
    depth = snap.depth
    cols = [Column("number", "序号", 6, "int")]
    cols += [Column(f"level{d}", level_name(d), 18, "category") for d in range(1, depth + 1)]
    cols += [Column("problem", "问题", 44), Column("measures", "整改措施", 48), Column("leaders", "责任领导", 11, "short"),
             Column("departments", "责任部门", 14, "short"), Column("persons", "责任人", 10, "short"),
             Column("deadline", "完成时限", 15, "date"), Column("narrative", "整改情况", 44),
             Column("progress", "整改进展", 40), Column("status", "完成情况", 15, "short"),
             Column("warning", "预警", 7, "short")]
    r = snap.round
    sheet = LedgerSheet(f"{_clean(r.title)}整改台账", _clean(r.title), r.unit_name, snap.today, tuple(cols))
    sheet.summary.measures = snap.measure_count()
    path: list[str] = []

    def problem(p: ProblemRow) -> None:
        sheet.summary.add(p)
        measures = "\n".join(measure_text(m) for m in snap.measures.get(p.id, ()))
        progress = progress_text(snap.progress.get(p.id, []))
        text = _clean(p.text)
        if p.title:
            text = f"{_clean(p.title)}\n{text}"
        deadline: object = p.effective_deadline or ("长期坚持" if p.long_term else None)
        warning = "" if p.warning == Warning.NONE else p.warning.value
        values = (p.number, *path, *[""] * (depth - len(path)), text, measures, _clean(p.leaders),
                  _clean(p.departments), _clean(p.persons), deadline, _clean(p.narrative), progress, p.status.value,
                  warning)
        sheet.lines.append(ProblemLine(values, p.warning, p.status))

    def visit(node: CategoryNode) -> None:
        label = _clean(node.row.text)
        path.append(label)
        sheet.lines.append(GroupLine(node.depth, snap.scheme.category_prefix(node.depth, node.row.number) + label))
        for p in node.problems:
            problem(p)
        for child in node.children:
            visit(child)
        path.pop()

    for p in snap.loose:
        problem(p)
    for node in snap.categories:
        visit(node)
    return sheet


# -- the print form (PDF and Word): group rows instead of category columns ---------------------------
# The widest a short column grows (em, one Chinese character); a longer value wraps.
SHORT_CAPS = {"number": 3.0, "leaders": 4.3, "departments": 5.3, "persons": 4.3, "deadline": 8.2, "status": 4.3,
              "warning": 2.3}
PRINT_PT = 9.0   # the table's text, in the PDF and in Word alike (the widths are worked out for it)


# The width the workbook's columns share, in mm of the print form's 9 pt: a little wider than the landscape
# page (it is printed fitted to the page width, at about 8 pt), the category levels being columns of their
# own; they are short columns (at most 6 characters wide, wrapping), so that the long texts keep the room.
CATEGORY_CAP = 6.0
SHEET_MM = 1.2 * 267.0


def cell_text(value: object) -> str:
    """A cell as printed: a date as a Chinese date, nothing as nothing."""
    return date_cn(value) if isinstance(value, dt.date) else "" if value is None else str(value)


def sheet_widths(sheet: LedgerSheet) -> list[float]:
    """The workbook's column widths (Excel units: a Chinese character is 2) fitted to what the round's cells
    hold, as the print form's are: an empty 整改措施 column no longer takes the room of a full one."""
    cells = [tuple(map(cell_text, line.values)) for line in sample(list(sheet.problem_lines))]
    short = [c.kind in ("int", "short", "date", "category") for c in sheet.columns]
    caps = [(CATEGORY_CAP if c.kind == "category" else SHORT_CAPS.get(c.key, 4.3)) if is_short else 0.0
            for c, is_short in zip(sheet.columns, short, strict=True)]
    fitted = fit_widths(cells, [not s for s in short], caps, [c.label for c in sheet.columns],
                        print_mm=SHEET_MM)
    return [round((mm - PAD_MM) / EM_MM * 2 + 2, 1) for mm in fitted]


def print_table(sheet: LedgerSheet) -> DataTable:
    """The sheet as a table block: category levels become spanning rows, dates read as Chinese dates, and
    the columns are as wide as what the round's cells hold (`ledger_widths`)."""
    keep = [i for i, c in enumerate(sheet.columns) if c.kind != "category"]
    rows: list[TableRow] = []
    cells_of_problems: list[tuple[str, ...]] = []
    for line in sheet.lines:
        if isinstance(line, GroupLine):
            rows.append(TableRow((line.label,), fill=GROUP_FILL, span=True, bold=line.depth == 1))
            continue
        cells = tuple(cell_text(line.values[i]) for i in keep)
        cells_of_problems.append(cells)
        rows.append(TableRow(cells, fill=FILLS.get(line.warning, "")))
    kept = [sheet.columns[i] for i in keep]
    widths = fit_widths(cells_of_problems, [c.key not in SHORT_CAPS for c in kept],
                        [SHORT_CAPS.get(c.key, 0.0) for c in kept], [c.label for c in kept])
    columns = tuple(TableColumn(c.label, w, "center" if c.kind in ("int", "short", "date") else "left")
                    for c, w in zip(kept, widths, strict=True))
    return DataTable(columns, tuple(rows), header=True, header_fill=HEADER_FILL, font_size=PRINT_PT)
