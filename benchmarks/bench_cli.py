"""The command line as a user runs it, whole process against whole process (issue 16 item 2):

- `main.py list rounds` against the `sqlite3` shell printing the same rows, and Python starting and
  doing nothing (`python -c pass`); goal: ours <= 0.3 s wall (median);
- `main.py backup` against a plain copy-and-zip of the same files, as a clerk would make one by hand
  (`cp ledger.sqlite` to a folder, then `zip -r` it with the evidence folder; Info-ZIP's default
  compression, like ours for the database); goal: ours <= 3x, on ledgers of 1,000 and 10,000 problems
  (benchmarks/big_ledger.py: 30 KB evidence file per ten problems). Ours also hashes every file into
  its manifest, snapshots the database through SQLite's backup API and fsyncs before the rename.
- `main.py import --dry-run` of the largest sample, printed for reference (it loads no ORM: tested).
Pairs run in turn (A B A B …) after a warm-up; medians and the min–max of the pair-by-pair ratios.
Run: python benchmarks/bench_cli.py [--runs N] [--sizes 1000 10000]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.big_ledger import ledger  # noqa: E402
from benchmarks.harness import PY, main_py, paired, report_pair  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    small = ledger(args.sizes[0])

    print(f"list rounds ({args.runs} pairs after a warm-up):")
    ours = main_py("list", "rounds", "--db", str(small))
    if shutil.which("sqlite3"):
        sql = [shutil.which("sqlite3") or "sqlite3", str(small),
               "select r.id, r.title, r.kind, u.name, r.inspection_group from round r join unit u on u.id = r.unit_id"]
        a, b = paired(ours, sql, args.runs, labels=("ours (main.py list rounds)", "sqlite3 shell, same rows"))
        report_pair(a, b)
    a, b = paired(ours, [PY, "-c", "pass"], args.runs, labels=("ours (main.py list rounds)", "python -c pass"))
    report_pair(a, b)
    print(f"  goal: ours <= 300 ms wall -> {'OK' if a.median('wall') <= 0.3 else 'MISSED'} ({a.median('wall') * 1000:.0f} ms)")

    zip_cmd = shutil.which("zip")
    for n in args.sizes:
        db = ledger(n)
        size = sum(f.stat().st_size for f in db.parent.rglob("*") if f.is_file()) / 1e6
        print(f"\nbackup, {n} problems ({size:.0f} MB of database and evidence; {args.runs} pairs):")
        out = work / f"ours-{n}.zip"
        ours = main_py("backup", "-o", str(out), "--db", str(db))
        copy = work / f"plain-{n}"
        if zip_cmd:
            script = (f'rm -rf "{copy}" && mkdir "{copy}" && cp "{db}" "{copy}/ledger.sqlite" && cd "{copy}" && '
                      f'zip -q -r plain.zip ledger.sqlite && cd "{db.parent}" && zip -q -r "{copy}/plain.zip" evidence')
            plain = ["sh", "-c", script]
            label = "cp + zip -r (Info-ZIP)"
        else:  # no zip command: Python's own zipfile command line does the same
            script = (f'rm -rf "{copy}" && mkdir "{copy}" && cp "{db}" "{copy}/ledger.sqlite" && cd "{db.parent}" && '
                      f'"{PY}" -m zipfile -c "{copy}/plain.zip" "{copy}/ledger.sqlite" evidence')
            plain = ["sh", "-c", script]
            label = "cp + python -m zipfile -c"
        a, b = paired(ours, plain, args.runs, labels=("ours (main.py backup)", label))
        report_pair(a, b, "<= 3x (wall)", 3.0, "wall")
        print(f"  archives: ours {out.stat().st_size / 1e6:.1f} MB, plain {(copy / 'plain.zip').stat().st_size / 1e6:.1f} MB")

    largest = max(SAMPLES.glob("*.txt"), key=lambda p: p.stat().st_size, default=None)
    if largest is not None:
        print(f"\nimport --dry-run {largest.name} ({args.runs} pairs):")
        a, b = paired(main_py("import", str(largest), "--dry-run", "--db", str(work / "none.sqlite")),
                      [PY, "-c", "pass"], args.runs, labels=("ours (main.py import --dry-run)", "python -c pass"))
        report_pair(a, b)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
