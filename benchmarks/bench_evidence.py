"""Evidence volume (issue 6): 300 scanned A4 JPEG pages (~1 MB each, generated here), against img2pdf
on the same files in the same run. Goals: within 1.5x img2pdf's time; output bytes within 1.05x of the
inputs plus cover and contents; peak memory under 200 MiB. Each side runs in its own process so that
its peak memory (max RSS) is its own.
Run: python benchmarks/bench_evidence.py [--pages 300]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OURS = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from app.exporting.evidence_volume import write_evidence_volume
from db.session import open_database
db = open_database({db!r})
t0 = time.perf_counter()
write_evidence_volume(db, 1, {out!r})
print(json.dumps(dict(seconds=time.perf_counter() - t0, rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""
IMG2PDF = """
import json, resource, sys, time, img2pdf
files = {files!r}
t0 = time.perf_counter()
with open({out!r}, "wb") as f:
    f.write(img2pdf.convert(files))
print(json.dumps(dict(seconds=time.perf_counter() - t0, rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""


def make_scans(folder: Path, n: int) -> list[Path]:
    from PIL import Image, ImageDraw

    rng = random.Random(1)
    base = Image.effect_noise((1240, 1754), 40).convert("RGB")  # paper grain: scans do not compress to nothing
    files = []
    for i in range(n):
        page = base.copy()
        d = ImageDraw.Draw(page)
        for line in range(40):
            y = 120 + line * 38
            d.line((100, y, 100 + rng.randint(600, 1040), y), fill=(40, 40, 40), width=6)
        path = folder / f"scan{i:03d}.jpg"
        page.save(path, quality=85)  # about 1 MB, as a 150 dpi office scan
        files.append(path)
    return files


def run(code: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    n = ap.parse_args().pages
    work = Path(tempfile.mkdtemp())
    files = make_scans(work, n)
    inputs = sum(f.stat().st_size for f in files)
    from app.services import evidence, problems, rounds
    from db.session import open_database

    db = open_database(work / "ledger.sqlite")
    unit = rounds.create_unit(db, "基准单位")
    r = rounds.create_round(db, unit.id, "汇编基准")
    ids = [problems.create_problem(db, r.id, f"第{i + 1}个问题") for i in range(n // 10)]
    for i, f in enumerate(files):
        evidence.attach_evidence(db, f, [ids[i // 10]])
    db.close()
    ours = run(OURS.format(root=str(ROOT), db=str(work / "ledger.sqlite"), out=str(work / "volume.pdf")))
    try:
        theirs = run(IMG2PDF.format(files=[str(f) for f in files], out=str(work / "img2pdf.pdf")))
    except SystemExit as exc:
        theirs = None
        print(f"img2pdf not available ({str(exc).strip().splitlines()[-1]}): pip install img2pdf")
    size = (work / "volume.pdf").stat().st_size
    front = len(ids) + 1 + 2  # dividers, cover, contents: small vector pages
    print(f"{n} JPEG pages, {inputs / 1e6:.1f} MB of scans")
    print(f"ours:    {ours['seconds']:6.2f} s   peak {ours['rss']:6.0f} MiB   output {size / 1e6:.1f} MB "
          f"= {size / inputs:.3f}x the scans (plus {front} cover/contents/divider pages)")
    if theirs:
        print(f"img2pdf: {theirs['seconds']:6.2f} s   peak {theirs['rss']:6.0f} MiB   (baseline)")
        print(f"time ratio {ours['seconds'] / theirs['seconds']:.2f}x  goal <=1.5x -> "
              f"{'OK' if ours['seconds'] <= 1.5 * theirs['seconds'] else 'MISSED'}")
    print(f"bytes ratio {size / inputs:.3f}  goal <=1.05 -> {'OK' if size <= 1.05 * inputs else 'MISSED'}")
    print(f"peak memory goal <200 MiB -> {'OK' if ours['rss'] < 200 else 'MISSED'}")


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"(benchmark run {time.perf_counter() - t0:.0f} s)")
