"""The composed ledger as a landscape PDF table (one page header per page, 三色 row fills)."""
from __future__ import annotations

from pathlib import Path

from app.exporting.compose_ledger import LedgerSheet, print_table
from app.exporting.fonts import FontChoice
from app.exporting.pdf_table import write_table_pdf
from app.numerals import date_cn


def write_ledger_pdf(sheet: LedgerSheet, path: Path | str, fonts: dict[str, FontChoice]) -> Path:
    return write_table_pdf(print_table(sheet), path, fonts, sheet.title,
                           f"单位：{sheet.unit}　　统计日期：{date_cn(sheet.as_of)}",
                           {"title": sheet.title, "author": sheet.unit, "subject": "整改台账"})
