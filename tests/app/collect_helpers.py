"""Editing a sent 填报表 with openpyxl the way departments do (tests only)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from app.collect.layout import HEADER_ROW, HEADERS


def columns(ws: Any) -> dict[str, int]:
    return {HEADERS[str(c.value)]: c.column for c in ws[HEADER_ROW] if str(c.value) in HEADERS}


def rows_by_number(ws: Any) -> dict[int, int]:
    cols = columns(ws)
    return {int(ws.cell(r, cols["number"]).value): r for r in range(HEADER_ROW + 1, ws.max_row + 1)
            if ws.cell(r, cols["number"]).value is not None}


class Edit:
    """Open a sent workbook, change it like a department, save it under the same or a new name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = load_workbook(path)
        self.ws = self.wb["填报表"] if "填报表" in self.wb.sheetnames else self.wb.worksheets[0]
        self.cols = columns(self.ws)

    def fill(self, number: int, **values: Any) -> Edit:
        r = rows_by_number(self.ws)[number]
        for key, value in values.items():
            self.ws.cell(r, self.cols[key]).value = value
        return self

    def sort_descending(self) -> Edit:
        """Sort the data rows by 序号, largest first (what a department does with the filter button)."""
        ws = self.ws
        first, last = HEADER_ROW + 1, ws.max_row
        rows = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(first, last + 1)]
        rows.sort(key=lambda v: -int(v[self.cols["number"] - 1]))
        for r, values in enumerate(rows, first):
            for c, v in enumerate(values, 1):
                ws.cell(r, c).value = v
        return self

    def filter_out(self, number: int) -> Edit:
        self.ws.row_dimensions[rows_by_number(self.ws)[number]].hidden = True
        return self

    def delete_row(self, number: int) -> Edit:
        self.ws.delete_rows(rows_by_number(self.ws)[number])
        return self

    def add_row(self, **values: Any) -> Edit:
        r = self.ws.max_row + 1
        for key, value in values.items():
            self.ws.cell(r, self.cols[key]).value = value
        return self

    def save(self, path: Path | None = None) -> Path:
        target = path or self.path
        self.wb.save(target)
        return target
