"""Big ledgers for the benchmarks, built fast and kept between runs.

One round of N problems under 4 方面 × 5 项, each problem with two measures, every third with a
progress note, every tenth with an approved extension, and the audit rows the program writes for them; one evidence file (30 KB of incompressible
bytes, as a scan is) for every ten problems, linked to one or two of them; a second, small round.
Rows go in through SQLAlchemy Core over the ORM's own tables (its Python-side defaults applied), a
few executemany calls in one transaction — not one unit of work per problem. The database starts as
the program makes it (`open_database`: migrations, triggers). Built ledgers are kept in the system's
temporary folder under a key of the schema revision and this builder's version; `ledger(n)` returns a
kept one when it is there. Open them read-only in spirit: benchmarks that write work on a copy.
Run: python benchmarks/big_ledger.py 1000 10000 50000   (builds and prints the folders)
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VERSION = 2
EVIDENCE_BYTES = 30_000


def _cache_root() -> Path:
    from db.migrate import HEAD_REVISION

    return Path(tempfile.gettempdir()) / f"xuncha-bench-ledgers-v{VERSION}-{HEAD_REVISION}"


def ledger(n: int) -> Path:
    """The database file of a ledger of `n` problems (built now if not kept yet); the round is id 1."""
    folder = _cache_root() / f"problems-{n}"
    db_path = folder / "ledger.sqlite"
    if (folder / "complete").exists():
        return db_path
    shutil.rmtree(folder, ignore_errors=True)
    tmp = folder.with_name(folder.name + f".building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    build(tmp / "ledger.sqlite", n)
    (tmp / "complete").write_text("ok")
    os.replace(tmp, folder)
    return db_path


def copy_of(n: int, target: Path) -> Path:
    """A private copy (database and evidence) for a benchmark that writes."""
    source = ledger(n).parent
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", "*-wal", "*-shm"))
    return target / "ledger.sqlite"


def put(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany per shape of row (Core wants the same keys in every row of one call)."""
    from sqlalchemy import insert

    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        shapes.setdefault(tuple(sorted(row)), []).append(row)
    for group in shapes.values():
        conn.execute(insert(table), group)


def build(path: Path, n: int) -> None:
    from db.enums import Decision, Status
    from db.models import (
        AuditEntry,
        Category,
        Evidence,
        EvidenceLink,
        Extension,
        Measure,
        NoticeSettings,
        Problem,
        ProgressEntry,
        Round,
        RoundFigures,
        Unit,
    )
    from db.session import open_database

    rng = random.Random(n)
    today = dt.date.today()
    statuses = list(Status)
    db = open_database(path)
    evidence_dir = db.data_dir / "evidence"
    with db.transaction() as s:
        s.info["audit_user"] = "bench"
        conn = s.connection()
        put(conn, Unit.__table__, [dict(id=1, name="基准单位", signature="中共基准单位党组")])
        put(conn, Round.__table__, [
            dict(id=1, unit_id=1, title=f"{n}个问题的轮次", inspection_group="区委第一巡察组", deciding_body="区委",
                 inspection_start=dt.date(2024, 3, 1), inspection_end=dt.date(2024, 4, 30),
                 feedback_date=dt.date(2024, 5, 20), rectification_end=today + dt.timedelta(days=60)),
            dict(id=2, unit_id=1, title="小轮次", inspection_group="区委第二巡察组")])
        put(conn, NoticeSettings.__table__, [
            dict(round_id=1, signature="中共基准单位党组", sign_date=today), dict(round_id=2)])
        put(conn, RoundFigures.__table__, [dict(round_id=1), dict(round_id=2)])
        aspects = [dict(id=a + 1, round_id=1, parent_id=None, position=a, text=f"第{a + 1}个方面的问题") for a in range(4)]
        items = [dict(id=5 + k, round_id=1, parent_id=1 + k // 5, position=k % 5, text=f"第{k + 1}项问题")
                 for k in range(20)]
        put(conn, Category.__table__, aspects + items)
        problems = []
        for i in range(n):
            status = statuses[i % len(statuses)]
            problems.append(dict(
                id=i + 1, round_id=1, category_id=5 + i % 20, position=i,
                text=f"问题{i + 1}：反馈指出的具体问题，制度执行不到位、监督检查不严格（含 2024 年 ABC 项目）。" * (1 + i % 2),
                title="", leaders=f"领导{i % 6}", departments=f"科室{i % 20}、科室{(i + 7) % 20}",
                persons=f"人员{i % 50}", deadline=today + dt.timedelta(days=i % 120 - 40),
                long_term=status == Status.LONG_TERM, status=status, progress_line="",
                narrative="已制定整改方案，建立长效机制，完成整改并经审核。" * (1 + i % 3)))
        problems.append(dict(id=n + 1, round_id=2, category_id=None, position=0, text="小轮次的问题", status=Status.NOT_STARTED))
        put(conn, Problem.__table__, problems)
        put(conn, Measure.__table__, [
            dict(problem_id=p + 1, position=k, text=f"整改措施{k + 1}：建立制度，加强检查，落实责任。",
                 owner=f"人员{p % 50}", deadline=today + dt.timedelta(days=p % 120 - 40), status=Status.IN_PROGRESS)
            for p in range(n) for k in range(2)])
        put(conn, ProgressEntry.__table__, [
            dict(problem_id=p + 1, entry_date=today, author="bench", note="已召开专题会议部署整改。")
            for p in range(0, n, 3)])
        extensions = [dict(problem_id=p + 1, requested_deadline=today + dt.timedelta(days=90), reason="需要跨年度推进",
                           decision=Decision.APPROVED, decided_at=dt.datetime.now(), requested_at=dt.datetime.now())
                      for p in range(0, n, 10)]
        ext_cols = set(Extension.__table__.c.keys())
        put(conn, Extension.__table__, [{k: v for k, v in e.items() if k in ext_cols} for e in extensions])
        # The audit log the program would have written for them: a 新建 per problem and measure, a 修改 per
        # problem's status (Core bypasses the session hook that writes it).
        now = dt.datetime.now().replace(microsecond=0)
        audit = [dict(at=now, user="bench", action="新建", entity="problem", entity_id=str(p["id"]), field="",
                      old_value=None, new_value=json.dumps(p, ensure_ascii=False, default=str)) for p in problems]
        audit += [dict(at=now, user="bench", action="新建", entity="measure", entity_id=str(2 * p + k + 1), field="",
                       old_value=None, new_value=f'{{"problem_id": {p + 1}, "text": "整改措施{k + 1}"}}')
                  for p in range(n) for k in range(2)]
        audit += [dict(at=now, user="bench", action="修改", entity="problem", entity_id=str(p + 1), field="status",
                       old_value="未启动", new_value=str(statuses[p % len(statuses)])) for p in range(n)]
        put(conn, AuditEntry.__table__, audit)
        evidence, links = [], []
        for e in range(max(1, n // 10)):
            data = rng.randbytes(EVIDENCE_BYTES)
            sha = hashlib.sha256(data).hexdigest()
            target = evidence_dir / sha[:2] / sha
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            evidence.append(dict(id=e + 1, sha256=sha, stored_path=f"evidence/{sha[:2]}/{sha}",
                                 original_name=f"佐证材料{e + 1}.jpg", file_type="jpg", size=EVIDENCE_BYTES, page_count=1))
            links.append(dict(evidence_id=e + 1, problem_id=10 * e + 1))
            if e % 2 and 10 * e + 2 <= n:
                links.append(dict(evidence_id=e + 1, problem_id=10 * e + 2))
        put(conn, Evidence.__table__, evidence)
        put(conn, EvidenceLink.__table__, links)
    db.close()


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["1000"]:
        print(ledger(int(arg)))
