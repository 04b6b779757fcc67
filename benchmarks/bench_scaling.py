"""How the program grows with the ledger: 1,000 / 10,000 / 50,000 problems in one round.

Each step is a whole process as a user runs it (`main.py export notice -o .docx/.pdf`, `export ledger -o
.xlsx`, `backup`, `check`), its wall time, CPU time and peak memory read from the operating system when it
ends; the dashboard is timed inside a process that opened the ledger (`read_dashboard`, the window's one
call: CPU time, the median of five after a first call) because start-up would hide its growth. Goals (issue
16): each step of data costs at most about as much more time (10x data about 10x time, 5x about 5x: the
"per problem" column stays near 1.0 or below), and the notice PDF at 50,000 problems peaks under 300 MiB.
The ledgers come from benchmarks/big_ledger.py (built once in a child process, kept in the temporary
folder); runs of each step: --runs at 1,000 and 10,000, --big-runs at 50,000 (the notice PDF alone takes
most of a minute there). The growth is judged on CPU time (wall time is printed too).
Run: python benchmarks/bench_scaling.py [--sizes 1000 10000 50000] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import PY, Run, child_env, main_py, run_once  # noqa: E402

DASHBOARD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from app.services import dashboard
from db.session import open_database
db = open_database(sys.argv[1])
times = []
for _ in range(6):
    t = time.process_time(); dashboard.read_dashboard(db, 1); times.append(time.process_time() - t)
print(json.dumps(times))
"""
PDF_LIMIT_MIB = 300


def ledgers(sizes: list[int]) -> dict[int, Path]:
    out = subprocess.run([PY, str(ROOT / "benchmarks" / "big_ledger.py"), *map(str, sizes)], cwd=ROOT,
                         capture_output=True, text=True, check=True, env=child_env())
    return dict(zip(sizes, (Path(line) for line in out.stdout.split()), strict=True))


def steps(db: Path, work: Path) -> dict[str, list[str]]:
    d = ["--db", str(db)]
    return {
        "notice .docx": main_py("export", "notice", "--round", "1", "-o", str(work / "n.docx"), *d),
        "notice .pdf": main_py("export", "notice", "--round", "1", "-o", str(work / "n.pdf"), *d),
        "ledger .xlsx": main_py("export", "ledger", "--round", "1", "-o", str(work / "l.xlsx"), *d),
        "backup": main_py("backup", "-o", str(work / "b.zip"), *d),
        "check": main_py("check", *d),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big-runs", type=int, default=2, help="runs of each step at 50,000 problems and more")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-scaling-"))
    paths = ledgers(args.sizes)
    table: dict[str, dict[int, tuple[float, float, float]]] = {}   # step → size → (wall, cpu, peak MiB)
    for n in args.sizes:
        runs = args.runs if n <= 10_000 else args.big_runs
        for name, cmd in steps(paths[n], work).items():
            got: list[Run] = [run_once(cmd) for _ in range(runs)]
            table.setdefault(name, {})[n] = (statistics.median(r.wall for r in got),
                                             statistics.median(r.cpu for r in got),
                                             max(r.peak_mib for r in got))
            print(f"  {n:>6} problems  {name:14s} wall {table[name][n][0]:7.2f} s  cpu {table[name][n][1]:7.2f} s  "
                  f"peak {table[name][n][2]:5.0f} MiB  ({runs} run{'s' if runs > 1 else ''})", flush=True)
        out = subprocess.run([PY, "-c", DASHBOARD, str(paths[n]), str(ROOT)], cwd=ROOT, capture_output=True,
                             text=True, check=True, env=child_env())
        times = json.loads(out.stdout.strip().splitlines()[-1])
        warm = statistics.median(times[1:])
        table.setdefault("dashboard", {})[n] = (warm, warm, 0.0)
        print(f"  {n:>6} problems  {'dashboard':14s} cpu {warm * 1000:7.1f} ms in process (first call "
              f"{times[0] * 1000:.0f} ms)", flush=True)

    print("\nscaling (median CPU time, the measure other jobs on a shared machine inflate least; dashboard: in\n"
          "process); 'per problem' = time ratio / size ratio:")
    header = "".join(f"{n:>10}" for n in args.sizes)
    steps_header = "".join(f"  {a // 1000}k→{b // 1000}k" for a, b in zip(args.sizes, args.sizes[1:], strict=False))
    print(f"  {'step':14s}{header}   per problem:{steps_header}")
    verdicts = []
    for name, row in table.items():
        cells = "".join(f"{row[n][1]:>9.2f}s" if name != "dashboard" else f"{row[n][1] * 1000:>8.1f}ms"
                        for n in args.sizes)
        growth = []
        for a, b in zip(args.sizes, args.sizes[1:], strict=False):
            per = (row[b][1] / row[a][1]) / (b / a)
            growth.append(per)
            verdicts.append((name, a, b, per))
        print(f"  {name:14s}{cells}   {'':12s}" + "".join(f"{g:>9.2f}" for g in growth))
    worst = max(verdicts, key=lambda v: v[3])
    print(f"\ngoal: no step grows faster than the data (per problem <= ~1.0; worst {worst[0]} {worst[1]}→{worst[2]}: "
          f"{worst[3]:.2f}; up to 1.15 taken as noise) -> {'OK' if worst[3] <= 1.15 else 'MISSED'}")
    big = max(args.sizes)
    peak = table["notice .pdf"][big][2]
    print(f"goal: notice .pdf at {big} problems peaks under {PDF_LIMIT_MIB} MiB: {peak:.0f} MiB -> "
          f"{'OK' if peak < PDF_LIMIT_MIB else 'MISSED'}")
    print("peak memory per step at the largest size: " + ", ".join(
        f"{name} {row[big][2]:.0f} MiB" for name, row in table.items() if name != "dashboard"))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
