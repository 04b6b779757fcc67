"""Ledger .xlsx against a bare openpyxl writer of the same cells, both as whole processes.

Ours: `python main.py export ledger --round 1 -o ledger.xlsx` (start-up, reading the round once,
composing, writing with named styles (ordinary mode, see ledger_excel.py): title rows, 三色 fills, print set-up).
Baseline: a script that imports openpyxl, appends the same cell values (read from a pickle, made
beforehand from our composed sheet) to a plain workbook and saves it: no styles, no reading.
Runs alternate; medians are compared. Goal (issue 16): ours ≤ 2× the baseline at 1,000 and 10,000
problems. Also printed: the in-process time of the three steps (read, compose, write).

Run: python benchmarks/bench_ledger.py [--problems 1000 10000] [--runs 5]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = """
import pickle, sys
from openpyxl import Workbook
rows = pickle.load(open(sys.argv[1], "rb"))
wb = Workbook()
ws = wb.active
for row in rows:
    ws.append(row)
wb.save(sys.argv[2])
"""


def build(path: Path, n: int) -> None:
    """A round of `n` problems in 方面 → 项, each with two measures and a progress note."""
    from app.services import rounds
    from db.models import Category, Measure, Problem, ProgressEntry, Status
    from db.session import open_database

    db = open_database(path)
    unit = rounds.create_unit(db, "基准单位")
    rid = rounds.create_round(db, unit.id, "台账基准轮次").id
    statuses = list(Status)
    today = dt.date.today()
    with db.transaction() as s:
        s.info["audit_user"] = "bench"
        aspects = [Category(round_id=rid, position=a, text=f"第{a + 1}个方面的问题") for a in range(4)]
        s.add_all(aspects)
        s.flush()
        items = [Category(round_id=rid, parent_id=aspects[k % 4].id, position=k, text=f"第{k + 1}项问题")
                 for k in range(20)]
        s.add_all(items)
        s.flush()
        problems = [Problem(round_id=rid, category_id=items[i % 20].id, position=i,
                            text=f"问题{i}：反馈的具体问题内容,较长的一段文字(含英文 ABC)。" * 2,
                            departments=f"科室{i % 20}", leaders=f"领导{i % 6}", persons=f"人员{i % 50}",
                            narrative="已制定整改方案并推进落实。" * (1 + i % 3),
                            deadline=today + dt.timedelta(days=i % 90 - 30), status=statuses[i % 5])
                    for i in range(n)]
        s.add_all(problems)
        s.flush()
        s.add_all(Measure(problem_id=p.id, position=k, text=f"整改措施{k + 1}：建立制度，加强检查。",
                          status=Status.IN_PROGRESS) for p in problems for k in range(2))
        s.add_all(ProgressEntry(problem_id=p.id, entry_date=today, author="bench", note="推进中")
                  for p in problems[::3])
    db.close()


def measure(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode:
        raise SystemExit(out.stderr)
    return time.perf_counter() - t0


def bench(n: int, runs: int) -> bool:
    from app.exporting.compose_ledger import compose_ledger
    from app.exporting.ledger_excel import write_ledger_xlsx
    from app.services.snapshot import read_snapshot
    from db.session import open_database

    work = Path(tempfile.mkdtemp(prefix=f"bench-ledger-{n}-"))
    try:
        db_path = work / "ledger.sqlite"
        build(db_path, n)
        db = open_database(db_path)
        t0 = time.perf_counter()
        snap = read_snapshot(db, 1)
        t1 = time.perf_counter()
        sheet = compose_ledger(snap)
        t2 = time.perf_counter()
        write_ledger_xlsx([sheet], work / "inproc.xlsx")
        t3 = time.perf_counter()
        db.close()
        cells = [list(line.values) for line in sheet.problem_lines]
        with open(work / "cells.pickle", "wb") as f:
            pickle.dump(cells, f)
        (work / "bare.py").write_text(BARE, encoding="utf-8")
        ours_cmd = [sys.executable, str(ROOT / "main.py"), "export", "ledger", "--round", "1", "--db", str(db_path),
                    "-o", str(work / "ledger.xlsx")]
        bare_cmd = [sys.executable, str(work / "bare.py"), str(work / "cells.pickle"), str(work / "bare.xlsx")]
        ours, bare = [], []
        for _ in range(runs):
            ours.append(measure(ours_cmd))
            bare.append(measure(bare_cmd))
        t_ours, t_bare = statistics.median(ours), statistics.median(bare)
        print(f"\n{n} problems ({len(cells) * len(cells[0])} cells), {runs} runs each, alternating; medians (range)")
        print(f"  ours (main.py export ledger): {t_ours:6.2f} s ({min(ours):.2f}–{max(ours):.2f})")
        print(f"  bare openpyxl, same cells:    {t_bare:6.2f} s ({min(bare):.2f}–{max(bare):.2f})")
        print(f"  in process: read {t1 - t0:.2f} s, compose {t2 - t1:.2f} s, write {t3 - t2:.2f} s")
        ok = t_ours <= 2 * t_bare
        print(f"  ratio {t_ours / t_bare:.2f}×  goal ≤ 2×  -> {'OK' if ok else 'MISSED'}")
        return ok
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--problems", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    ok = all([bench(n, args.runs) for n in args.problems])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    t0 = time.perf_counter()
    try:
        main()
    finally:
        print(f"(benchmark run {time.perf_counter() - t0:.0f} s)")
