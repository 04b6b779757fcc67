"""One 填报表 workbook: the data sheet, the instructions, the hidden 回执信息 sheet.

Locked columns are grey and protected; the columns the department fills are open, with a drop-down
for 完成情况 and a date check for 填报日期. The sheet prints as it is: A4 landscape, the header
row repeated on every page, the width fitted to the page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO

from app.collect.layout import (
    CHOICES,
    COLUMNS,
    DATA_SHEET,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    HELP_SHEET,
    INFO_ROW,
    META_SHEET,
    TITLE_ROW,
    id_cell,
    row_height,
)
from app.numerals import date_cn


@dataclass(frozen=True)
class SheetRow:
    problem_id: int
    number: int
    category: str
    problem: str
    measures: str
    deadline: dt.date | str          # a date, or 长期坚持 / ''
    status: str
    narrative: str                   # prefilled in 整改情况: the department revises it

    def locked_texts(self) -> list[str]:
        deadline = self.deadline.isoformat() if isinstance(self.deadline, dt.date) else self.deadline
        return [str(self.number), self.category, self.problem, self.measures, deadline, self.status]


@dataclass(frozen=True)
class SheetData:
    round_id: int
    round_title: str
    unit_name: str
    department: str
    token: str
    exported_at: dt.datetime
    rows: tuple[SheetRow, ...]
    row_sums: tuple[str, ...]
    checksum: str
    password: str = ""


HELP = (
    "填报说明",
    "",
    "1. 本表由{unit}下发，只列出{department}负责的整改问题，共 {count} 项。",
    "2. 灰色列（序号、方面/项、问题、整改措施、完成时限、当前状态）是台账内容，已锁定，请勿修改；"
    "如有异议，请在“本期进展”中说明。",
    "3. 白色列由部门填写：",
    "   本期进展：本次报告期内做了什么、取得什么成效，写清时间和具体事项。",
    "   整改情况：已预先填入台账中现有的整改情况，请在此基础上修改完善。",
    "   完成情况：状态有变化时，从下拉列表中选择（未启动、整改中、已完成、已完成·长期坚持）；没有变化可不填。"
    "选“已完成”须同时报送佐证材料，办公室审核通过后才销号。",
    "   佐证材料清单：列出报送的佐证材料名称。佐证材料文件请放在与本表同名的文件夹（或名为“佐证材料”的文件夹）中，"
    "文件名以问题序号开头，如“3-党组会议纪要.pdf”，或放在以序号命名的子文件夹中。",
    "   填报人、联系电话、填报日期：每行都请填写；填报日期请写完整日期，如 2024-6-30。",
    "4. 可以筛选、调整行高列宽；排序前须先撤销工作表保护（审阅 → 撤销工作表保护）。排序、筛选都不影响办公室导入。"
    "请不要删除或插入行列，不要合并单元格，不要改动工作表名称。",
    "5. 请直接保存为 Excel 工作簿（.xlsx）交回，不要另存为 .xls、.et 或设置打开密码。",
    "6. 本表含一个隐藏的“回执信息”工作表，用于办公室核对回执，请勿删除。",
)


def _styles(wb: object) -> None:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    body = Font(name="宋体", size=10)
    locked = NamedStyle("xc_locked", font=body, border=border, alignment=wrap,
                        fill=PatternFill("solid", fgColor="EDEDED"), protection=Protection(locked=True))
    opened = NamedStyle("xc_open", font=body, border=border, alignment=wrap, protection=Protection(locked=False))
    date_open = NamedStyle("xc_open_date", font=body, border=border, alignment=wrap, number_format="yyyy-mm-dd",
                           protection=Protection(locked=False))
    date_locked = NamedStyle("xc_locked_date", font=body, border=border, alignment=wrap,
                             fill=PatternFill("solid", fgColor="EDEDED"), number_format='yyyy"年"m"月"d"日"',
                             protection=Protection(locked=True))
    text_open = NamedStyle("xc_open_text", font=body, border=border, alignment=wrap, number_format="@",
                           protection=Protection(locked=False))
    head = NamedStyle("xc_head", font=Font(name="黑体", size=10, bold=True), border=border,
                      alignment=Alignment(wrap_text=True, horizontal="center", vertical="center"),
                      fill=PatternFill("solid", fgColor="D9E1F2"), protection=Protection(locked=True))
    for st in (locked, opened, date_open, date_locked, text_open, head):
        wb.add_named_style(st)  # type: ignore[attr-defined]


def write_workbook(data: SheetData, target: str | IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection

    wb = Workbook()
    _styles(wb)
    ws = wb.active
    assert ws is not None
    ws.title = DATA_SHEET
    last_col = get_column_letter(len(COLUMNS))
    last_row = FIRST_ROW + len(data.rows) - 1
    ws.cell(TITLE_ROW, 2, f"{data.round_title}整改进展填报表").font = Font(name="黑体", size=16)
    ws.cell(TITLE_ROW, 2).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"B{TITLE_ROW}:{last_col}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.cell(INFO_ROW, 2, f"填报部门：{data.department}　　下发时间：{date_cn(data.exported_at.date())}　　"
                         "灰色列为台账内容，请勿修改；白色列由部门填写，完成情况请从下拉列表中选择。")
    ws.cell(INFO_ROW, 2).font = Font(name="宋体", size=10)
    ws.merge_cells(f"B{INFO_ROW}:{last_col}{INFO_ROW}")
    for i, col in enumerate(COLUMNS, 1):
        ws.cell(HEADER_ROW, i, col.header).style = "xc_head"
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.column_dimensions["A"].hidden = True
    for r, row in enumerate(data.rows, FIRST_ROW):
        deadline_style = "xc_locked_date" if isinstance(row.deadline, dt.date) else "xc_locked"
        values = (id_cell(row.problem_id), row.number, row.category, row.problem, row.measures, row.deadline,
                  row.status, None, row.narrative or None, None, None, None, None, None)
        styles = ("xc_locked",) * 5 + (deadline_style, "xc_locked", "xc_open", "xc_open", "xc_open", "xc_open",
                                      "xc_open", "xc_open_text", "xc_open_date")
        for c, (value, style) in enumerate(zip(values, styles, strict=True), 1):
            cell = ws.cell(r, c, value)
            cell.style = style
        ws.row_dimensions[r].height = row_height([(str(v), COLUMNS[c].width) for c, v in enumerate(values)
                                                  if isinstance(v, str) and c > 0], 13.0)
    if data.rows:
        _validation(ws, last_row)
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(last_row, HEADER_ROW)}"
    _print_setup(ws, last_col, max(last_row, HEADER_ROW))
    _protect(ws, data.password)

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.column_dimensions["A"].width = 110
    for i, line in enumerate(HELP, 1):
        cell = help_ws.cell(i, 1, line.format(unit=data.unit_name or "办公室", department=data.department,
                                              count=len(data.rows)))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(name="黑体", size=14) if i == 1 else Font(name="宋体", size=11)
        help_ws.row_dimensions[i].height = row_height([(str(cell.value), 100)], 16.0) + (8 if i == 1 else 0)
    help_ws.page_setup.orientation = "landscape"
    help_ws.page_setup.paperSize = help_ws.PAPERSIZE_A4
    _protect(help_ws, data.password)

    _meta_sheet(wb, data)
    wb.security = WorkbookProtection(lockStructure=True)
    if data.password:
        wb.security.set_workbook_password(data.password)
    wb.active = 0
    wb.properties.creator = wb.properties.lastModifiedBy = data.unit_name or "巡察整改台账"
    wb.properties.title = f"{data.round_title}整改进展填报表（{data.department}）"
    wb.save(target)


def _validation(ws: object, last_row: int) -> None:
    from openpyxl.utils.datetime import to_excel
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = DataValidation(type="list", formula1='"' + ",".join(CHOICES) + '"', allow_blank=True,
                             showErrorMessage=True, errorTitle="完成情况",
                             error="请从下拉列表中选择：" + "、".join(CHOICES) + "。",
                             promptTitle="完成情况", prompt="状态有变化时从列表中选择；没有变化可不填。",
                             showInputMessage=True)
    choices.add(f"J{FIRST_ROW}:J{last_row}")
    dates = DataValidation(type="date", operator="between", allow_blank=True,
                           formula1=str(int(to_excel(dt.date(2000, 1, 1)))),
                           formula2=str(int(to_excel(dt.date(2100, 12, 31)))),
                           showErrorMessage=True, errorTitle="填报日期",
                           error="请填写完整的日期，如 2024-6-30。", showInputMessage=True,
                           promptTitle="填报日期", prompt="完整日期，如 2024-6-30")
    dates.add(f"N{FIRST_ROW}:N{last_row}")
    ws.add_data_validation(choices)  # type: ignore[attr-defined]
    ws.add_data_validation(dates)  # type: ignore[attr-defined]


def _print_setup(ws: object, last_col: str, last_row: int) -> None:
    ps = ws.page_setup  # type: ignore[attr-defined]
    ps.orientation = "landscape"
    ps.paperSize = 9  # A4
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"  # type: ignore[attr-defined]
    ws.print_area = f"B1:{last_col}{last_row}"  # type: ignore[attr-defined]
    ws.print_options.horizontalCentered = True  # type: ignore[attr-defined]
    m = ws.page_margins  # type: ignore[attr-defined]
    m.left = m.right = 0.4
    m.top = m.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"  # type: ignore[attr-defined]


def _protect(ws: object, password: str) -> None:
    p = ws.protection  # type: ignore[attr-defined]
    p.sheet = True
    p.formatColumns = p.formatRows = p.sort = p.autoFilter = False   # allowed: widths, heights, sort, filter
    if password:
        p.password = password


def _meta_sheet(wb: object, data: SheetData) -> None:
    meta = wb.create_sheet(META_SHEET)  # type: ignore[attr-defined]
    header: tuple[tuple[object, ...], ...] = (("格式", FORMAT), ("轮次编号", data.round_id), ("轮次", data.round_title), ("部门", data.department),
                ("下发编号", data.token), ("导出时间", data.exported_at.isoformat(sep=" ")),
                ("工作表", DATA_SHEET), ("问题数", len(data.rows)), ("校验和", data.checksum), ())
    for pair in header:
        meta.append(pair)
    meta.append(("问题编号", "序号", "行校验和"))
    for sent, row_sum in zip(data.rows, data.row_sums, strict=True):
        meta.append((id_cell(sent.problem_id), sent.number, row_sum))
    meta.sheet_state = "veryHidden"
    _protect(meta, data.password)
