"""部门填报 at scale: send and receive for 40 departments and 2,000 problems.

Goal (issue 15): send and receive each well under 10 s on the 2-core reference machine.
Baseline, measured in the same run: openpyxl alone writing the same cells (values only, no styles,
validation or protection) into 40 workbooks, and openpyxl alone loading the 40 returns and reading
every cell. The ratio shows what the program adds on top of the library.
Run: python benchmarks/bench_collect.py
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.collect.layout import COLUMNS, DATA_SHEET, FIRST_ROW  # noqa: E402
from app.collect.merge import merge_return  # noqa: E402
from app.collect.preview import preview_returns  # noqa: E402
from app.collect.send import send_round  # noqa: E402
from app.services import rounds  # noqa: E402
from db.models import Measure, Problem, Status  # noqa: E402
from db.session import Database, open_database  # noqa: E402

DEPARTMENTS, PROBLEMS, MEASURES = 40, 2000, 3


def build(db: Database) -> int:
    unit = rounds.create_unit(db, "基准单位", signature="中共基准单位党组")
    rnd = rounds.create_round(db, unit.id, "基准巡察")
    today = dt.date.today()
    with db.transaction() as s:
        s.info["audit_user"] = "bench"
        for p in range(PROBLEMS):
            dept = f"第{p % DEPARTMENTS + 1}科室" + ("、办公室" if p % 25 == 0 else "")
            prob = Problem(round_id=rnd.id, position=p, text=f"第{p + 1}个问题：制度执行不到位，整改责任落实不够。" * 2,
                           departments=dept, deadline=today + dt.timedelta(days=p % 60 - 20),
                           status=Status.IN_PROGRESS, narrative="已制定整改方案。" if p % 3 else "")
            s.add(prob)
            s.flush()
            for m in range(MEASURES):
                s.add(Measure(problem_id=prob.id, position=m, text=f"措施{m + 1}：建立长效机制", status=Status.IN_PROGRESS))
    return rnd.id


def baseline_write(folder: Path, files: list[Path]) -> float:
    """openpyxl alone: the same cell values, one workbook per department."""
    from openpyxl import Workbook, load_workbook

    grids = []
    for f in files:
        ws = load_workbook(f)[DATA_SHEET]
        grids.append([[c.value for c in row] for row in ws.iter_rows(min_row=1)])
    t = time.perf_counter()
    for n, grid in enumerate(grids):
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        for row in grid:
            ws.append(row)
        wb.save(folder / f"baseline-{n}.xlsx")
    return time.perf_counter() - t


def baseline_read(files: list[Path]) -> float:
    from openpyxl import load_workbook

    t = time.perf_counter()
    for f in files:
        with open(f, "rb") as fh:
            wb = load_workbook(fh, data_only=True)
        for ws in wb.worksheets:
            for _row in ws.iter_rows(values_only=True):
                pass
    return time.perf_counter() - t


def fill(files: list[Path]) -> None:
    """Departments fill half their rows (progress, a date, the reporter) and change some 整改情况."""
    from openpyxl import load_workbook

    col = {c.key: i for i, c in enumerate(COLUMNS, 1)}
    for f in files:
        wb = load_workbook(f)
        ws = wb[DATA_SHEET]
        for r in range(FIRST_ROW, ws.max_row + 1, 2):
            ws.cell(r, col["progress"], "本期完成了制度修订并组织学习。")
            ws.cell(r, col["reporter"], "张三")
            ws.cell(r, col["date"], dt.datetime(2024, 6, 9))
            if r % 4 == 0:
                ws.cell(r, col["narrative"], "已建立长效机制，制度修订完成。")
        wb.save(f)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "ledger.sqlite")
        try:
            round_id = build(db)
            t = time.perf_counter()
            res = send_round(db, round_id, folder / "out")
            send_s = time.perf_counter() - t
            files = [folder / "out" / f.file_name for f in res.files]
            cells = sum(f.problems for f in res.files) * len(COLUMNS)
            base_w = baseline_write(folder, files)
            print(f"send:    {len(files)} workbooks, {sum(f.problems for f in res.files)} rows, {cells} cells: "
                  f"{send_s:.2f} s; openpyxl alone {base_w:.2f} s; ratio {send_s / base_w:.2f}")
            fill(files)
            base_r = baseline_read(files)
            t = time.perf_counter()
            previews = preview_returns(db, round_id, files)
            preview_s = time.perf_counter() - t
            t = time.perf_counter()
            outcomes = [merge_return(db, fp) for fp in previews if fp.mergeable]
            merge_s = time.perf_counter() - t
            recv = preview_s + merge_s
            print(f"receive: {len(files)} returns, {sum(o.items_updated for o in outcomes)} problems updated: "
                  f"{recv:.2f} s (preview {preview_s:.2f} s + merge {merge_s:.2f} s); "
                  f"openpyxl alone reading {base_r:.2f} s; ratio {recv / base_r:.2f}")
            ok = send_s < 10 and recv < 10
            print("goal (each under 10 s):", "met" if ok else "NOT met")
        finally:
            db.close()


if __name__ == "__main__":
    main()
