"""Shared fixtures: a real SQLite file in a temporary folder, filled through the services."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.services import categories, problems, rounds  # noqa: E402
from db.session import Database, open_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
TODAY = dt.date(2024, 6, 10)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "ledger.sqlite")
    yield database
    database.close()


@pytest.fixture
def seeded(db: Database) -> dict[str, int]:
    """One unit, one round, 方面 → 项 → three problems."""
    unit = rounds.create_unit(db, "某区行政审批服务局", signature="中共某区行政审批服务局党组")
    r = rounds.create_round(db, unit.id, "2024年区委巡察", inspection_group="区委第三巡察组", deciding_body="区委",
                            inspection_start=dt.date(2024, 3, 1), inspection_end=dt.date(2024, 4, 30),
                            feedback_date=dt.date(2024, 5, 10), rectification_end=dt.date(2024, 8, 10))
    aspect = categories.add_category(db, r.id, "政治建设方面")
    item = categories.add_category(db, r.id, "理论学习不深入", parent_id=aspect.id)
    p1 = problems.create_problem(db, r.id, "学习计划性不强。", category_id=item.id, departments="办公室",
                                 leaders="王局长", deadline=dt.date(2024, 6, 5))
    p2 = problems.create_problem(db, r.id, "研讨不深入。", category_id=item.id, departments="办公室、审批科",
                                 leaders="李副局长", deadline=dt.date(2024, 6, 15))
    p3 = problems.create_problem(db, r.id, "制度不健全。", category_id=aspect.id, departments="审批科",
                                 leaders="李副局长", deadline=dt.date(2024, 9, 1))
    return dict(unit=unit.id, round=r.id, aspect=aspect.id, item=item.id, p1=p1, p2=p2, p3=p3)


def make_pdf(path: Path, pages: int = 1, text: str = "evidence") -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(pages):
        c.drawString(100, 700, f"{text} page {i + 1}")
        c.showPage()
    c.save()
    return path
