"""Timing whole processes the way a user meets them, against a baseline run in the same script.

Each command runs as its own process; the operating system's accounting of that process (wall time,
user + system CPU time of it and the children it waited for, peak resident memory) is read when it
ends (`os.wait4`). Two commands run in turn, A B A B …, after a warm-up of each, and the ratio is taken
pair by pair: on a shared, noisy machine a ratio of neighbours holds when absolute times drift. We
print medians and the min–max spread of the ratios, so the noise is visible. Peak memory is the largest
resident size of the process; its floor is the size of this script's own process at the fork (about
20 MiB: benchmarks keep their own process small and build data in a child process).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mib: float


@dataclass
class Series:
    label: str
    runs: list[Run] = field(default_factory=list)

    def median(self, what: str) -> float:
        return statistics.median(getattr(r, what) for r in self.runs)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured process: as on a user's machine, Python keeps the compiled bytecode
    of our modules (pip compiles it at install); a shell that forbids writing it would have every run
    compile the whole program from source, which no user pays."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **(extra or {})}


def run_once(cmd: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    """One whole process; its output is thrown away (an error shows its last lines and stops)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=child_env(env))
    assert proc.stderr is not None
    err = proc.stderr.read()   # read before waiting: a full pipe would block the child
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n" + "\n".join(tail))
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def paired(a: Sequence[str], b: Sequence[str], runs: int = 5, warmup: int = 1,
           labels: tuple[str, str] = ("A", "B")) -> tuple[Series, Series]:
    sa, sb = Series(labels[0]), Series(labels[1])
    for i in range(warmup + runs):
        ra, rb = (run_once(a), run_once(b)) if i % 2 == 0 else tuple(reversed((run_once(b), run_once(a))))
        if i >= warmup:
            sa.runs.append(ra)
            sb.runs.append(rb)
    return sa, sb


def ratios(a: Series, b: Series, what: str) -> tuple[float, float, float]:
    """Median, min and max of the pair-by-pair ratio a/b."""
    rs = [getattr(x, what) / getattr(y, what) for x, y in zip(a.runs, b.runs, strict=True)]
    return statistics.median(rs), min(rs), max(rs)


def report_pair(a: Series, b: Series, goal: str = "", limit: float | None = None, what: str = "cpu",
                faster: bool = False) -> bool:
    """Print both sides and their ratio; `limit` is the goal on the ratio a/b (or b/a when `faster`)."""
    n = len(a.runs)
    for s in (a, b):
        walls = [r.wall for r in s.runs]
        print(f"  {s.label:34s} wall {s.median('wall') * 1000:7.0f} ms ({min(walls) * 1000:.0f}–"
              f"{max(walls) * 1000:.0f})  cpu {s.median('cpu') * 1000:7.0f} ms  peak {s.median('peak_mib'):6.0f} MiB")
    ok = True
    for w in ("wall", "cpu"):
        med, lo, hi = ratios(a, b, w) if not faster else ratios(b, a, w)
        sign = f"{b.label} / {a.label}" if faster else f"{a.label} / {b.label}"
        mark = ""
        if limit is not None and w == what:
            good = med >= limit if faster else med <= limit
            ok = good
            mark = f"   goal {goal} -> {'OK' if good else 'MISSED'}"
        print(f"  ratio {w:4s} {sign}: median {med:5.2f}x  (min {lo:.2f}, max {hi:.2f}; {n} pairs){mark}")
    return ok


def main_py(*args: str) -> list[str]:
    return [PY, str(ROOT / "main.py"), *args]
