"""Parsing speed (issues 5 and 12): the largest sample and synthetic 500-problem notices in three shapes.

Shapes: two levels with 问题一：… (B); three levels (（一）→1.→1)) numbered across the notice with progress lines
and lost brackets, copied from a web page; part 一 with sub-sections, no 二、 heading and no 整改情况 labels.
Goal: under 0.2 s for each 500-problem notice. Baseline named here: splitting the same text into
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


def three_levels(n: int) -> str:
    """（一）方面 → 1.项 → 1)…N) across the notice, 整改进程 + 整改情况, every 25th bracket lost, web furniture."""
    lines = ["XX市XX局——政务公开", "欢迎来到XX市XX局门户网站！", "首页>政府信息公开>通知公告",
             "中共某局党组关于市委第一巡察组巡察反馈意见整改进展情况的通报", "发布时间：2024-09-01 来源：本站 浏览次数：12",
             "根据市委统一部署，2024年3月1日至4月30日，市委第一巡察组对某局党组进行了巡察。", "一、整改工作开展情况",
             "局党组高度重视，成立领导小组。", "二、巡察反馈问题整改落实情况"]
    i = 0
    for c in range(1, 11):
        lines.append(f"（{to_chinese(c)}）第{c}个方面")
        for g in range(1, 6):
            lines.append(f"{g}.第{c}方面第{g}项问题仍然存在。")
            for _ in range(n // 50):
                i += 1
                lines.append(f"{i}{'' if i % 25 == 0 else ')'}第{i}个问题,制度执行不严格。")
                lines += ["整改进程:完成整改,长期坚持。", "整改情况:一是建立健全学习制度;二是加强督促检查,发现问题3个并已整改。"]
    lines += ["三、下一步工作打算", "持续巩固整改成果。", "中共某局党组", "202491", "打印本页 关闭窗口"]
    return "\n".join(lines)


def unlabelled(n: int) -> str:
    """Part 一 with (一)(二) and 1. 2. 3.; no 二、; (三)… categories; (1)…(N) with narratives and no label."""
    lines = ["中共某局党组关于巡察整改进展情况的通报", "根据县委统一部署，2024年3月1日至4月30日，县委第一巡察组对某局党组进行了巡察。",
             "一、巡察整改工作开展情况", "(一)加强组织领导工作情况", "1.召开专题会议。", "2.成立领导小组。", "(二)整改任务落实情况",
             "1.立行立改。", "2.建章立制。"]
    i = 0
    for c in range(3, 13):
        lines.append(f"({to_chinese(c)})关于第{c}个方面")
        for _ in range(n // 10):
            i += 1
            lines += [f"({i})第{i}个问题,学习贯彻不够深入。", "一是建立制度;二是开展培训,已整改到位。"]
    lines += ["三、下一步工作打算", "巩固成果。", "中共某局党组", "2024年9月1日"]
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
    for name, text in ((largest.name, largest.read_text(encoding="utf-8")), ("synthetic 500 problems", synthetic(500)),
                       ("three levels 500 (web page)", three_levels(500)), ("unlabelled 500 (no 二、)", unlabelled(500))):
        parsed = parse_notice(text)
        assert len(parsed.all_problems()) == (500 if "500" in name else len(parsed.all_problems())), name
        ours, base = timed(parse_notice, text), timed(floor, text)
        goal = " goal <200 ms -> " + ("OK" if ours < 0.2 else "MISSED") if "500" in name else ""
        print(f"{name:28s} {len(parsed.all_problems()):4d} problems  parse {ours * 1000:7.1f} ms  "
              f"baseline (one regex per line) {base * 1000:6.2f} ms  ratio {ours / base:5.0f}x{goal}")


if __name__ == "__main__":
    main()
