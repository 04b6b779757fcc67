"""Fill a database with the demo round shipped in resources/demo (for `--demo` and screenshots)."""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from app.paths import RESOURCES
from app.services import categories, evidence, measures, problems, registry, rounds, status
from db.session import Database

DEMO_FILE = RESOURCES / "demo" / "demo.json"


def _sample_pdf(folder: Path, name: str, title: str) -> Path:
    """A one-page PDF standing in for a scanned document."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "demo-gbsn00lp"   # the bundled font, embedded: no PDF of ours names a font it does not carry
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, str(RESOURCES / "fonts" / "gbsn00lp.ttf")))
    path = folder / name
    c = canvas.Canvas(str(path), pagesize=A4, initialFontName=font)  # type: ignore[arg-type]  # stub says float
    c.setFont(font, 22)
    c.drawCentredString(A4[0] / 2, A4[1] - 150, title)
    c.setFont(font, 14)
    c.drawCentredString(A4[0] / 2, A4[1] - 190, "（演示用佐证材料）")
    c.showPage()
    c.save()
    return path


def load_demo(db: Database, today: dt.date | None = None) -> list[int]:
    today = today or dt.date.today()
    data: dict[str, Any] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))

    def day(offset: int | None) -> dt.date | None:
        return None if offset is None else today + dt.timedelta(days=offset)

    u = data["unit"]
    unit = rounds.create_unit(db, u.pop("name"), **u)
    dept_ids = {name: registry.add_department(db, name) for name in data["departments"]}
    for name, title, dept, leader in data["people"]:
        registry.add_person(db, name, title, dept_ids[dept], leader)
    r = data["round"]
    rnd = rounds.create_round(
        db, unit.id, r["title"], kind=r["kind"], deciding_body=r["deciding_body"],
        inspection_group=r["inspection_group"], inspection_start=day(r["start_offset"]),
        inspection_end=day(r["end_offset"]), feedback_date=day(r["feedback_offset"]),
        rectification_end=day(r["period_end_offset"]), layout_style=r["layout_style"],
        disclosure_period=r["disclosure_period"])
    rounds.update_notice_settings(db, rnd.id, part_one=data["part_one"], part_three=data["part_three"],
                                  contact_paragraph=data["contact"], sign_date=today)
    rounds.update_figures(db, rnd.id, **data["figures"])
    number_to_id: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for cat in data["categories"]:
            c1 = categories.add_category(db, rnd.id, cat["text"])
            for item in cat["items"]:
                c2 = categories.add_category(db, rnd.id, item["text"], parent_id=c1.id)
                for p in item["problems"]:
                    pid = problems.create_problem(
                        db, rnd.id, p["text"], category_id=c2.id, leaders=p.get("leaders", ""),
                        departments=p.get("departments", ""), persons=p.get("persons", ""),
                        deadline=day(p.get("deadline_offset")), progress_line=p.get("progress_line", ""),
                        narrative=p.get("narrative", ""), internal_notes=p.get("internal_notes", ""),
                        immediate=p.get("immediate", False))
                    number_to_id[p["text"]] = pid
                    for text, owner, offset, st in p.get("measures", []):
                        measures.add_measure(db, pid, text, owner=owner, deadline=day(offset), status=st)
                    for offset, note in p.get("progress", []):
                        measures.log_progress(db, pid, note, entry_date=day(offset), author="演示")
                    for name in p.get("evidence", []):
                        pdf = _sample_pdf(Path(tmp), name, Path(name).stem)
                        evidence.attach_evidence(db, pdf, [pid], description=Path(name).stem,
                                                 doc_date=day(p.get("deadline_offset")))
                    if p["status"] != "未启动":
                        status.import_status(db, pid, p["status"], "演示数据")
                    if p["status"] == "已完成·长期坚持":
                        problems.update_problem(db, pid, next_review_date=day(90))
    for name, kind, offset in data["regulations"]:
        registry.add_regulation(db, rnd.id, name, kind, day(offset))
    return [rnd.id]
