"""Open + dashboard time on a large ledger: 200 rounds × 50 problems × 3 measures × 2 evidence rows.

Goal (issue 2): open + dashboard under 0.3 s on the 2-core reference machine.
Baseline named here: a bare sqlite3 `SELECT count(*)` over the same file (the floor).
Run: python benchmarks/bench_core.py [--keep PATH]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.services import dashboard, rounds  # noqa: E402
from db.models import Evidence, EvidenceLink, Measure, Problem, Status  # noqa: E402
from db.session import open_database  # noqa: E402

ROUNDS, PROBLEMS, MEASURES, EVIDENCE = 200, 50, 3, 2


def build(path: Path) -> int:
    db = open_database(path)
    unit = rounds.create_unit(db, "基准单位", signature="中共基准单位党组")
    statuses = list(Status)
    today = dt.date.today()
    last = 0
    for r in range(ROUNDS):
        rnd = rounds.create_round(db, unit.id, f"第{r + 1}轮巡察", inspection_group="区委第一巡察组",
                                  rectification_end=today + dt.timedelta(days=30))
        last = rnd.id
        with db.transaction() as s:
            s.info["audit_user"] = "bench"
            for p in range(PROBLEMS):
                prob = Problem(round_id=rnd.id, position=p, text=f"第{p + 1}个问题的反馈内容" * 3,
                               departments=f"科室{p % 7}", leaders=f"领导{p % 4}",
                               deadline=today + dt.timedelta(days=p - 20), status=statuses[p % len(statuses)])
                s.add(prob)
                s.flush()
                for m in range(MEASURES):
                    s.add(Measure(problem_id=prob.id, position=m, text=f"措施{m + 1}", status=Status.IN_PROGRESS))
                for e in range(EVIDENCE):
                    sha = f"{rnd.id:06d}{prob.id:08d}{e:02d}".ljust(64, "0")
                    ev = Evidence(sha256=sha, stored_path=f"evidence/{sha[:2]}/{sha}", original_name=f"材料{e}.pdf",
                                  file_type="pdf", size=1000, page_count=1)
                    s.add(ev)
                    s.flush()
                    s.add(EvidenceLink(evidence_id=ev.id, problem_id=prob.id))
    db.close()
    return last


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="build (or reuse) the database here")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = args.keep or folder / "bench.sqlite"
    t0 = time.perf_counter()
    round_id = build(path) if not path.exists() else ROUNDS
    print(f"built {ROUNDS}×{PROBLEMS}×{MEASURES}×{EVIDENCE} in {time.perf_counter() - t0:.1f} s "
          f"({path.stat().st_size / 1e6:.1f} MB)")

    t0 = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("select count(*) from problem").fetchone()
    con.close()
    floor = time.perf_counter() - t0

    t0 = time.perf_counter()
    db = open_database(path)
    t_open = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = dashboard.round_summary(db, round_id)
    dashboard.overdue(db, round_id)
    dashboard.due_within(db, round_id, 7)
    dashboard.progress_by_department(db, round_id)
    dashboard.progress_by_leader(db, round_id)
    dashboard.status_by_category(db, round_id)
    rounds.list_rounds(db)
    t_dash = time.perf_counter() - t0
    db.close()
    total = t_open + t_dash
    print(f"open:            {t_open * 1000:7.1f} ms")
    print(f"dashboard:       {t_dash * 1000:7.1f} ms  ({summary.problems} problems, {summary.measures} measures)")
    print(f"open+dashboard:  {total * 1000:7.1f} ms  goal 300 ms -> {'OK' if total < 0.3 else 'MISSED'}")
    print(f"baseline (bare sqlite3 count): {floor * 1000:.1f} ms; ratio {total / floor:.0f}x")


if __name__ == "__main__":
    main()
