"""Limits on an Excel ledger, checked before openpyxl builds anything from it.

openpyxl walks a sheet by its dimension (a single cell at XFD1048576 makes 17 billion empty cells)
and fills every cell of a merged range with an object (a merge to XFD1048576: the same). So the
sheets' XML is streamed first and measured — cells, rows, merged ranges — and afterwards the grid
is built from the cells that hold a value, never from the sheet's dimension.
"""
from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

from app.importing.readers import ImportError_, check_package

log = logging.getLogger("xuncha.import")

MAX_SHEETS = 100
MAX_CELLS = 300_000          # cell elements in all sheets (a ledger of 2,000 problems has ~30,000)
MAX_ROWS = 50_000            # last row that holds a value
MAX_COLUMNS = 200            # last column that holds a value
MAX_ROW_ELEMENTS = 200_000   # <row> elements, all sheets (styled empty rows included)
MAX_MERGES = 20_000
MAX_MERGED_CELLS = 300_000   # cells covered by merged ranges, all sheets
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


def _cell(ref: str) -> tuple[int, int] | None:
    match = _REF.fullmatch(ref.strip().upper())
    if match is None:
        return None
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_workbook(path: Path) -> None:
    """Refuse a workbook whose sheets would take more memory than a ledger can need; nothing is loaded."""
    check_package(path, "Excel 表格")
    cells = rows = merges = merged_cells = 0
    try:
        with zipfile.ZipFile(path) as z:
            sheets = [n for n in z.namelist() if _SHEET.fullmatch(n)]
            if len(sheets) > MAX_SHEETS:
                raise ImportError_(f"“{path.name}”有 {len(sheets)} 个工作表，超过了 {MAX_SHEETS} 个的上限，未导入。")
            for name in sheets:
                with z.open(name) as f:
                    for _event, el in ET.iterparse(f, events=("end",)):
                        tag = _local(el.tag)
                        if tag == "c":
                            cells += 1
                            if cells > MAX_CELLS:
                                raise ImportError_(f"“{path.name}”的单元格超过 {MAX_CELLS} 个，超过了整改台账读取的上限，"
                                                   "未导入。请删去无关的内容后再导入。")
                            has_value = any(_local(child.tag) in ("v", "is", "f") for child in el)
                            at = _cell(el.get("r", "")) if has_value else None
                            if at is not None and (at[0] > MAX_ROWS or at[1] > MAX_COLUMNS):
                                raise ImportError_(f"“{path.name}”的单元格 {el.get('r')} 有内容，超出了读取范围"
                                                   f"（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列），未导入。请删去表格远处的内容后再导入。")
                            el.clear()
                        elif tag == "mergeCell":
                            merges += 1
                            merged_cells += _merged_area(path, el.get("ref", ""))
                            if merges > MAX_MERGES or merged_cells > MAX_MERGED_CELLS:
                                raise ImportError_(f"“{path.name}”的合并单元格过多或范围过大，超过了读取的上限，未导入。")
                        elif tag == "row":
                            rows += 1
                            if rows > MAX_ROW_ELEMENTS:
                                raise ImportError_(f"“{path.name}”的行数超过 {MAX_ROW_ELEMENTS} 行，超过了整改台账读取的上限，"
                                                   "未导入。")
                            el.clear()
    except ImportError_:
        raise
    except ET.ParseError as exc:
        log.warning("%s: bad sheet XML: %s", path, exc)
        raise ImportError_(f"“{path.name}”已损坏（工作表的内部 XML 格式有误），无法作为 Excel 表格读取。") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        log.warning("%s: cannot measure: %r", path, exc)
        raise ImportError_(f"“{path.name}”已损坏，无法作为 Excel 表格读取。") from exc


def _merged_area(path: Path, ref: str) -> int:
    parts = ref.split(":")
    ends = [_cell(p) for p in parts]
    if not parts or any(e is None for e in ends) or len(parts) > 2:
        raise ImportError_(f"“{path.name}”中有无效的合并单元格范围“{ref[:40]}”，文件可能已损坏，未导入。")
    (r1, c1), (r2, c2) = ends[0], ends[-1]  # type: ignore[misc]
    if max(r1, r2) > MAX_ROWS or max(c1, c2) > MAX_COLUMNS:
        raise ImportError_(f"“{path.name}”中的合并单元格 {ref[:40]} 超出了读取范围（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列），"
                           "未导入。请取消这个合并后再导入。")
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def used_rows(ws: Any) -> list[list[Any]]:
    """The sheet's values as rows, from A1 to the last cell that holds a value (not the sheet's dimension)."""
    used = [(r, c, cell.value) for (r, c), cell in ws._cells.items() if cell.value is not None]
    if not used:
        return []
    height = min(max(r for r, _c, _v in used), MAX_ROWS)
    width = min(max(c for _r, c, _v in used), MAX_COLUMNS)
    rows: list[list[Any]] = [[None] * width for _ in range(height)]
    for r, c, value in used:
        if r <= height and c <= width:
            rows[r - 1][c - 1] = value
    return rows
