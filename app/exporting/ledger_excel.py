"""The composed ledger as .xlsx: a 汇总 sheet and one sheet per round.

Every cell takes one of a few named styles (column kind × 三色预警), made once per workbook; numbers are
numbers and dates are dates; the body font is 宋体 (the workbook default too, not Calibri); each sheet
has a title row, a header row repeated on every printed page, landscape A4 fitted to the width and a
footer with page numbers.

Written in openpyxl's ordinary mode with each style's array shared by its cells. Write-only mode was
measured slower here: a styled cell must be a cell object, which it converts by a failed assignment
(an exception and a repr per cell) — 3× a bare writer at 10,000 problems (benchmarks/bench_ledger.py).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList

from app.dto import Warning
from app.exporting.atomic import atomic_write
from app.exporting.compose_ledger import FILLS, HEADER_FILL, SUMMARY_COLUMNS, LedgerSheet, sheet_widths
from app.numerals import date_cn

BODY_FONT, HEAD_FONT, TITLE_FONT = "宋体", "黑体", "方正小标宋简体"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
SHEET_NAME_MAX = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Where a long round title may be cut: after these words a sheet name reads as whole.
_WORD_ENDS = ("巡察", "巡视", "回头看", "整改", "反馈", "党组", "党委", "区委", "市委", "县委", "组", "局", "委", "年", "轮",
              "期", "部", "办", "院", "会", "）", "”", "》")


def sheet_name(title: str, used: set[str]) -> str:
    """A name Excel accepts (≤ 31 characters, none of []:*?/\\, unique), cut after a whole word."""
    base = _FORBIDDEN.sub("", title).strip("' ") or "轮次"
    base = _cut(base, SHEET_NAME_MAX)
    name, n = base, 2
    while name in used:
        suffix = f"（{n}）"
        name = _cut(base, SHEET_NAME_MAX - len(suffix)) + suffix
        n += 1
    used.add(name)
    return name


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [head.rfind(w) + len(w) for w in _WORD_ENDS if head.rfind(w) > 0]
    cut = max(ends, default=0)
    if cut < limit // 2:   # no word end in the second half: cut at a Latin/digit boundary or just the limit
        cut = limit
        while cut > limit // 2 and head[cut - 1].isascii() and head[cut - 1].isalnum() and \
                text[cut].isascii() and text[cut].isalnum():
            cut -= 1
    return text[:cut]


LINE_PT = 14.5   # one line of 11 pt 宋体


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell takes: a Chinese character is two width units, a Latin one about one."""
    room = max(width - 1.5, 2.0)
    if "\n" not in text:
        return max(1, -int(-((len(text.encode()) + len(text)) / 2) // room))
    n = 0
    for part in text.split("\n"):
        units = (len(part.encode()) + len(part)) / 2   # UTF-8: 1 byte Latin → 1 unit, 3 bytes Chinese → 2
        n += max(1, -int(-units // room))
    return n


def row_height(values: Iterable[object], widths: list[float]) -> float:
    """Excel and LibreOffice do not grow a written row to its wrapped text: say how tall it is."""
    lines = 1
    for v, w in zip(values, widths, strict=True):
        if isinstance(v, str) and len(v) * 2 > w - 1.5:   # a short value stays on one line
            lines = max(lines, _lines(v, w))
    return min(409.0, lines * LINE_PT + 3)   # 409 pt: Excel's tallest row


class _Styles:
    """The workbook's named styles: kind (text, centred, date, number) × warning fill, plus head and title."""

    KINDS = ("text", "center", "date", "int")

    def __init__(self, wb: Workbook) -> None:
        book: Any = wb   # the default font (cells without a style, the Normal style) is not public API
        book._fonts = IndexedList([Font(name=BODY_FONT, size=11, charset=134)])
        book._named_styles["Normal"].font = Font(name=BODY_FONT, size=11, charset=134)
        thin = Side(style="thin", color="808080")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        body = Font(name=BODY_FONT, size=11, charset=134)
        aligns = {"text": Alignment(wrap_text=True, vertical="top"),
                  "center": Alignment(wrap_text=True, vertical="top", horizontal="center"),
                  "date": Alignment(vertical="top", horizontal="center"),
                  "int": Alignment(vertical="top", horizontal="center")}
        self.names: dict[tuple[str, Warning], str] = {}
        for kind in self.KINDS:
            for warning in Warning:
                name = f"台账·{kind}·{warning.value}"
                fill = FILLS.get(warning)
                style = NamedStyle(name, font=body, border=border, alignment=aligns[kind],
                                   number_format=DATE_FORMAT if kind == "date" else "General",
                                   fill=PatternFill("solid", fgColor=fill) if fill else PatternFill())
                wb.add_named_style(style)
                self.names[(kind, warning)] = name
        wb.add_named_style(NamedStyle("台账·表头", font=Font(name=HEAD_FONT, size=11, bold=True, charset=134),
                                      border=border, fill=PatternFill("solid", fgColor=HEADER_FILL),
                                      alignment=Alignment(wrap_text=True, horizontal="center", vertical="center")))
        wb.add_named_style(NamedStyle("台账·标题", font=Font(name=TITLE_FONT, size=18, charset=134),
                                      alignment=Alignment(horizontal="center", vertical="center")))
        wb.add_named_style(NamedStyle("台账·说明", font=body, alignment=Alignment(horizontal="left",
                                                                                  vertical="center")))
        self.arrays: dict[str, Any] = {}

    def array(self, ws: Any, style: str) -> Any:
        """The style's array, looked up once and then shared by every cell that takes it: assigning
        `cell.style` searches the workbook's named styles by name, which would be most of the time."""
        found = self.arrays.get(style)
        if found is None:
            probe: Any = Cell(ws)  # type: ignore[call-arg]
            probe.style = style
            found = self.arrays[style] = probe._style
        return found

    def append(self, ws: Any, row: int, values: Sequence[object], styles: Sequence[str]) -> None:
        """Append row number `row` (the next one) and give each cell its style."""
        ws.append(values)
        cell = ws.cell
        for col, style in enumerate(styles, 1):
            cell(row=row, column=col)._style = self.array(ws, style)


def _sheet_frame(styles: _Styles, ws: Any, title: str, note: str, width: int, header: Sequence[str], rows: int) -> None:
    """Title row (merged across the table), a note row, the header row; print set-up and footer."""
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    for footer in (ws.oddFooter, ws.evenFooter):
        footer.center.text = "第 &P 页，共 &N 页"
        footer.center.font = f"{BODY_FONT},常规"
        footer.center.size = 10
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(width)}{3 + rows}"
    ws.row_dimensions[1].height = 32
    styles.append(ws, 1, [title], ["台账·标题"])
    styles.append(ws, 2, [note], ["台账·说明"])
    styles.append(ws, 3, header, ["台账·表头"] * len(header))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def write_ledger_xlsx(sheets: list[LedgerSheet], path: Path | str) -> Path:
    wb = Workbook()
    styles = _Styles(wb)
    used: set[str] = {"汇总"}
    summary: Any = wb.active
    summary.title = "汇总"
    for col, (_label, width) in enumerate(SUMMARY_COLUMNS, 1):
        summary.column_dimensions[get_column_letter(col)].width = width
    as_of = sheets[0].as_of if sheets else dt.date.today()
    _sheet_frame(styles, summary, "巡察整改情况汇总", f"统计日期：{date_cn(as_of)}", len(SUMMARY_COLUMNS),
                 [label for label, _w in SUMMARY_COLUMNS], 0)
    plain = {kind: styles.names[(kind, Warning.NONE)] for kind in _Styles.KINDS}
    row = 4
    for sheet in sheets:
        values = sheet.summary_values()
        styles.append(summary, row, values, [plain["int" if isinstance(v, int) else "text"] for v in values])
        row += 1
    if len(sheets) > 1:
        totals = [sum(v for s in sheets if isinstance(v := s.summary_values()[i], int))
                  for i in range(2, len(SUMMARY_COLUMNS))]
        styles.append(summary, row, ["合计", "", *totals], [plain["center"], plain["text"]] + [plain["int"]] * len(totals))
    for sheet in sheets:
        ws = wb.create_sheet(sheet_name(sheet.round_title, used))
        widths = sheet_widths(sheet)
        for col, fitted in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = fitted
        _sheet_frame(styles, ws, sheet.title, f"单位：{sheet.unit}　　统计日期：{date_cn(sheet.as_of)}", len(sheet.columns),
                     [c.label for c in sheet.columns], sheet.summary.problems)
        kinds = [{"int": "int", "date": "date", "short": "center"}.get(c.kind, "text") for c in sheet.columns]
        by_warning = {w: [styles.names[(k, w)] for k in kinds] for w in Warning}
        text_date = {w: styles.names[("center", w)] for w in Warning}   # 长期坚持 in the date column
        date_col = kinds.index("date") if "date" in kinds else -1
        row = 4
        for line in sheet.problem_lines:
            ws.row_dimensions[row].height = row_height(line.values, widths)
            names = by_warning[line.warning]
            if date_col >= 0 and not isinstance(line.values[date_col], dt.date):
                names = names.copy()
                names[date_col] = text_date[line.warning]
            styles.append(ws, row, line.values, names)
            row += 1
    return atomic_write(path, wb.save, ".xlsx")
