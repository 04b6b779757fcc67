"""The dashboard on a round of 10,000 problems against one GROUP BY query of the same counts.

Baseline: a bare `sqlite3` connection running one hand-written GROUP BY that returns the counts every
dashboard figure is a sum of — problems by category, departments, leaders, status, 三色预警 and whether
they fall due this week, with the deadline that counts (the newest approved extension) joined in.
Ours: `dashboard.read_dashboard` (the summary tiles, the tables by department and by leader, the chart by
方面, and the round's own figures), and the four calls the window's panel made one by one until now.
Both run in this process, on the same file, the database warm, in turn (baseline, ours, …), 15 times each
after a warm-up; CPU time (one thread each: what other jobs on a shared machine inflate least), medians,
and the min–max of the pair-by-pair ratios. Goal (issue 16): read_dashboard <= 3x the GROUP BY.
The ledger comes from benchmarks/big_ledger.py (built once, kept in the temporary folder).
Run: python benchmarks/bench_core.py [--problems 10000] [--runs 15]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.big_ledger import ledger  # noqa: E402

GROUP_BY = """
select p.category_id, p.departments, p.leaders, p.status,
       case when p.status not in ('未启动', '整改中') or coalesce(e.requested_deadline, p.deadline) is null then '无'
            when coalesce(e.requested_deadline, p.deadline) < :today then '逾期'
            when coalesce(e.requested_deadline, p.deadline) <= :red then '红色'
            when coalesce(e.requested_deadline, p.deadline) <= :yellow then '黄色' else '绿色' end as warning,
       p.status in ('未启动', '整改中') and coalesce(e.requested_deadline, p.deadline) between :today and :week,
       count(*)
from problem p left join extension e on e.problem_id = p.id and e.decision = '已批准' and not exists (
    select 1 from extension f where f.problem_id = e.problem_id and f.decision = '已批准' and f.id != e.id and (
        (f.decided_at is not null and (e.decided_at is null or f.decided_at > e.decided_at))
        or ((f.decided_at = e.decided_at or (f.decided_at is null and e.decided_at is null)) and f.id > e.id)))
where p.round_id = :round
group by 1, 2, 3, 4, 5, 6
"""


def cpu(fn: Callable[[], object]) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--problems", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    path = ledger(args.problems)

    from app.services import dashboard
    from db.session import open_database

    db = open_database(path)
    db.start_engine()
    today = dt.date.today()
    bare = sqlite3.connect(path)
    params = dict(round=1, today=today.isoformat(), red=(today + dt.timedelta(days=10)).isoformat(),
                  yellow=(today + dt.timedelta(days=20)).isoformat(), week=(today + dt.timedelta(days=7)).isoformat())

    def baseline() -> object:
        return bare.execute(GROUP_BY, params).fetchall()

    def ours() -> object:
        return dashboard.read_dashboard(db, 1, today)

    def four_calls() -> object:
        return (dashboard.round_summary(db, 1, today), dashboard.progress_by_department(db, 1, today),
                dashboard.progress_by_leader(db, 1, today), dashboard.status_by_category(db, 1))

    first = cpu(ours)   # the first call also compiles the statement (SQLAlchemy caches it)
    got = dashboard.read_dashboard(db, 1, today)
    groups = baseline()
    assert got.summary.problems == sum(row[-1] for row in groups) == args.problems
    assert got.summary.overdue == sum(row[-1] for row in groups if row[4] == "逾期")
    times: dict[str, list[float]] = {"baseline": [], "ours": [], "four": []}
    for _ in range(args.runs):
        for name, fn in (("baseline", baseline), ("ours", ours), ("four", four_calls)):
            times[name].append(cpu(fn))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"dashboard of a round of {args.problems} problems ({len(groups)} groups; {args.runs} runs each, "
          f"CPU time, in turn):")
    print(f"  one GROUP BY, bare sqlite3 (baseline)   {med['baseline'] * 1000:7.1f} ms "
          f"({min(times['baseline']) * 1000:.1f}–{max(times['baseline']) * 1000:.1f})")
    for key, label in (("ours", "read_dashboard (every figure)"), ("four", "the four calls one by one")):
        ratios = [a / b for a, b in zip(times[key], times["baseline"], strict=True)]
        verdict = f"   goal <= 3x -> {'OK' if statistics.median(ratios) <= 3 else 'MISSED'}" if key == "ours" else ""
        print(f"  {label:40s}{med[key] * 1000:7.1f} ms ({min(times[key]) * 1000:.1f}–{max(times[key]) * 1000:.1f})"
              f"   ratio median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f})"
              f"{verdict}")
    print(f"  first call in the process (statement compiled): {first * 1000:.1f} ms")
    db.close()


if __name__ == "__main__":
    main()
