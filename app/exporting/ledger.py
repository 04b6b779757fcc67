"""整改台账: read the round once (snapshot), compose it once (`compose_ledger`), and hand it to a writer:
.xlsx (`ledger_excel`), a landscape table as PDF (`ledger_pdf`) or Word (`ledger_docx`)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.exporting.compose_ledger import LedgerSheet, compose_ledger
from app.services.snapshot import read_snapshot
from db.session import Database


def compose(db: Database, round_id: int, today: dt.date | None = None) -> LedgerSheet:
    return compose_ledger(read_snapshot(db, round_id, today))


def write_ledger_xlsx(db: Database, round_ids: list[int], path: Path | str, today: dt.date | None = None) -> Path:
    from app.exporting.ledger_excel import write_ledger_xlsx as write

    return write([compose(db, rid, today) for rid in round_ids], path)


def write_ledger_pdf(db: Database, round_id: int, path: Path | str, today: dt.date | None = None) -> Path:
    from app.exporting.font_settings import load_chosen
    from app.exporting.fonts import resolve_all
    from app.exporting.ledger_pdf import write_ledger_pdf as write

    sheet = compose(db, round_id, today)
    return write(sheet, path, resolve_all(load_chosen(db.data_dir)))


def write_ledger_docx(db: Database, round_id: int, path: Path | str, today: dt.date | None = None) -> Path:
    from app.exporting.ledger_docx import write_ledger_docx as write

    return write(compose(db, round_id, today), path)
