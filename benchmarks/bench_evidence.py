"""Evidence volume against the `img2pdf` command, both as a user runs them: whole processes.

Ours: `python main.py export evidence --round 1 -o volume.pdf` (start-up, imports, fonts, reading the
round, cover/contents/dividers, every scan, page numbers). Baseline: `img2pdf scan*.jpg -o out.pdf`
on the same scans (it makes only the image pages). Each run is one child process, with the program's
bytecode kept as an installed program has it (`harness.child_env`); its wall time and its own peak memory
(max RSS, from wait4) are measured. After a warm-up of each, the two sides run in turn and the wall-time
ratio is the median of the pairs' ratios. Goals (issue 16): time ≤ 1.5× img2pdf's, peak memory ≤ 30 % of
img2pdf's.

Run: python benchmarks/bench_evidence.py [--scans 300 1000] [--runs 5]
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.harness import main_py, paired, report_pair  # noqa: E402

IMG2PDF = Path(sys.executable).with_name("img2pdf")


def make_scans(folder: Path, n: int) -> list[Path]:
    """`n` different ~1 MB JPEG scans (150 dpi A4 with paper grain and lines of 'text').

    A few pages are drawn; the others are those with a comment segment that differs, so that every
    file is distinct (the evidence store keeps each content once) without drawing a thousand pages."""
    from PIL import Image, ImageDraw

    rng = random.Random(1)
    base = Image.effect_noise((1240, 1754), 40).convert("RGB")
    drawn = []
    for k in range(8):
        page = base.copy()
        d = ImageDraw.Draw(page)
        for line in range(40):
            y = 120 + line * 38
            d.line((100, y, 100 + rng.randint(600, 1040), y), fill=(40, 40, 40), width=6)
        target = folder / f"base{k}.jpg"
        page.save(target, quality=85)
        drawn.append(target.read_bytes())
    files = []
    for i in range(n):
        data = drawn[i % len(drawn)]
        comment = f"scan {i}".encode()
        segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
        path = folder / f"scan{i:04d}.jpg"
        path.write_bytes(data[:2] + segment + data[2:])
        files.append(path)
    return files


def build_ledger(folder: Path, files: list[Path]) -> Path:
    from app.services import evidence, problems, rounds
    from db.session import open_database

    db_path = folder / "ledger.sqlite"
    db = open_database(db_path)
    unit = rounds.create_unit(db, "基准单位")
    r = rounds.create_round(db, unit.id, "汇编基准")
    ids = [problems.create_problem(db, r.id, f"第{i + 1}个问题，整改佐证材料。") for i in range(max(1, len(files) // 10))]
    for i, f in enumerate(files):
        evidence.attach_evidence(db, f, [ids[min(i // 10, len(ids) - 1)]])
    db.close()
    return db_path


def bench(n: int, runs: int) -> bool:
    work = Path(tempfile.mkdtemp(prefix=f"bench-evidence-{n}-"))
    try:
        files = make_scans(work, n)
        db = build_ledger(work, files)
        ours_cmd = main_py("export", "evidence", "--round", "1", "--db", str(db), "-o", str(work / "volume.pdf"))
        theirs_cmd = [str(IMG2PDF), *map(str, files), "-o", str(work / "img2pdf.pdf")]
        ours, theirs = paired(ours_cmd, theirs_cmd, runs, labels=("ours (main.py export evidence)",
                                                                  "img2pdf command"))
        size, inputs = (work / "volume.pdf").stat().st_size, sum(f.stat().st_size for f in files)
        print(f"\n{n} scans ({inputs / 1e6:.0f} MB), {runs} pairs after a warm-up of each, in turn; "
              f"output {size / inputs:.3f}x the scans")
        time_ok = report_pair(ours, theirs, "<= 1.5x img2pdf's wall time", 1.5, what="wall")
        m_ours, m_theirs = ours.median("peak_mib"), theirs.median("peak_mib")
        mem_ok = m_ours <= 0.3 * m_theirs
        print(f"  memory ratio {m_ours / m_theirs:.2f}x (peak, medians)  goal <= 0.30x -> {'OK' if mem_ok else 'MISSED'}")
        return time_ok and mem_ok
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scans", type=int, nargs="+", default=[300, 1000])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if not IMG2PDF.exists():
        raise SystemExit(f"img2pdf not found beside {sys.executable}: pip install img2pdf")
    ok = all([bench(n, args.runs) for n in args.scans])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    t0 = time.perf_counter()
    try:
        main()
    finally:
        print(f"(benchmark run {time.perf_counter() - t0:.0f} s)")
