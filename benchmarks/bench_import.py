"""Parsing speed (issue 5): the largest sample and a synthetic 500-problem notice.

Goal: under 0.2 s for the 500-problem notice. Baseline named here: splitting the same text into
lines and matching one regular expression per line (the least any parser must do).
Run: python benchmarks/bench_import.py
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.importing.parser import parse_notice  # noqa: E402
from app.numerals import to_chinese  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"


def synthetic(n: int) -> str:
    lines = ["中共某局党组关于区委第一巡察组巡察反馈意见整改情况的通报",
             "根据区委统一部署，2024年3月1日至4月30日，区委第一巡察组对某局党组进行了巡察。2024年5月20日，区委第一巡察组向某局党组反馈了巡察意见。",
             "一、整改工作开展情况", "局党组高度重视，成立领导小组。", "二、巡察反馈问题整改落实情况"]
    for c in range(1, 11):
        lines.append(f"（{to_chinese(c)}）第{c}个方面的问题")
        for k in range(n // 10):
            i = (c - 1) * (n // 10) + k + 1
            lines.append(f"问题{to_chinese(i)}：第{i}个问题，学习贯彻不够深入，制度执行不严格。")
            lines.append("整改措施及成效：一是建立健全学习制度，2024年共开展集中学习12次；二是加强督促检查，发现问题3个并已整改。")
            lines.append("三是完善长效机制，修订制度2项。")
    lines += ["三、下一步工作打算", "持续巩固整改成果。", "欢迎广大干部群众监督。联系电话：0000-1234567。",
              "中共某局党组", "2024年9月1日"]
    return "\n".join(lines)


def timed(fn, text: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


def floor(text: str) -> None:
    rx = re.compile(r"^(\d+|[一二三四五六七八九十]+)[、.．]")
    [rx.match(line) for line in text.splitlines()]


def main() -> None:
    largest = max(SAMPLES.glob("*.txt"), key=lambda p: p.stat().st_size)
    for name, text in ((largest.name, largest.read_text(encoding="utf-8")), ("synthetic 500 problems", synthetic(500))):
        parsed = parse_notice(text)
        ours, base = timed(parse_notice, text), timed(floor, text)
        goal = " goal <200 ms -> " + ("OK" if ours < 0.2 else "MISSED") if "500" in name else ""
        print(f"{name:28s} {len(parsed.all_problems()):4d} problems  parse {ours * 1000:7.1f} ms  "
              f"baseline (one regex per line) {base * 1000:6.2f} ms  ratio {ours / base:5.0f}x{goal}")


if __name__ == "__main__":
    main()
