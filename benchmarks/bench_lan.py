"""Several clerks on one server ledger (issue 14): N client processes run a clerk's mix against one
PostgreSQL for a while, beside the same mix by one client on a desk's SQLite file, in the same run.

The mix, chosen at random per step: open the ledger (the round with every field), filter it (by
department and warning, as the window's filter bar does), edit a problem (from the version read, as
the form does; another clerk's save meanwhile is a conflict: read again, apply again), add a progress
note, attach a file, approve a 销号 someone else submitted (or submit one when none waits).

Reported: throughput, p50/p95 latency per operation, conflicts met and retried, lost updates (every
edit a client saved must be in the ledger at the end; every note and file too) and errors (anything
else raised). Lost updates and errors must be 0.

Run: python benchmarks/bench_lan.py [--clients 8] [--seconds 60]
(starts a throwaway PostgreSQL cluster in a temporary folder with fsync on, see tests/pgserver.py; the
SQLite file runs with synchronous=FULL, as the program opens it)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROBLEMS = 400
HOT = 40               # edits go to these problems, so that clerks meet each other's saves
PASSWORD = "clerk-pass-1"
MIX = (("open", 3), ("filter", 4), ("edit", 6), ("progress", 3), ("attach", 1), ("approve", 2))
DEPARTMENTS = ("办公室", "审批一科", "审批二科", "政务服务科", "财务室", "机关党支部")


# -- the ledger ---------------------------------------------------------------------------------------
def seed(target: str, clients: int, password: str | None = None) -> None:
    from app.services import accounts, categories, problems, rounds
    from db.enums import Role
    from db.session import open_database

    db = open_database(target, password=password) if "://" in target else open_database(target)
    try:
        accounts.create_account(db, "管理员", Role.ADMIN, "admin-pass-1")
        accounts.sign_in(db, "管理员", "admin-pass-1")
        for n in range(clients):
            accounts.create_account(db, f"clerk{n}", Role.REVIEWER, PASSWORD)
        unit = rounds.create_unit(db, "某区行政审批服务局")
        r = rounds.create_round(db, unit.id, "2024年区委巡察")
        rng = random.Random(7)
        import datetime as dt

        for a in range(4):
            aspect = categories.add_category(db, r.id, f"第{a + 1}方面")
            for i in range(PROBLEMS // 4):
                problems.create_problem(db, r.id, f"第{a + 1}方面第{i + 1}个问题：制度执行不到位。", category_id=aspect.id,
                                        departments=rng.choice(DEPARTMENTS), leaders="王局长",
                                        deadline=dt.date(2024, 6, 1) + dt.timedelta(days=rng.randrange(200)))
    finally:
        db.close()


# -- one client ---------------------------------------------------------------------------------------
def client(target: str, name: str, seconds: float, seed_no: int, files: str) -> dict[str, Any]:
    from app.edit_conflict import EditConflict
    from app.services import accounts, evidence, measures, problems, reading, status
    from db.enums import Status
    from db.errors import ChangedMeanwhile, DatabaseLocked, ServerBusy
    from db.session import open_database

    retry = (EditConflict, ChangedMeanwhile, DatabaseLocked, ServerBusy)
    db = open_database(target, lock=False)
    accounts.sign_in(db, name, PASSWORD)
    rng = random.Random(seed_no)
    [rnd] = reading.list_rounds(db)
    ids = [p.id for p in reading.list_problems(db, rnd.id)]
    hot = ids[:HOT]
    base = (Path(files) / "base.pdf").read_bytes()
    ops = [op for op, weight in MIX for _ in range(weight)]
    times: dict[str, list[float]] = {op: [] for op, _w in MIX}
    times["submit"] = []
    saved: list[str] = []
    notes: list[str] = []
    attached: list[str] = []
    conflicts = errors = 0
    error_texts: list[str] = []
    step = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        op = rng.choice(ops)
        step += 1
        token = f"{name}-{step}"
        started = time.perf_counter()
        try:
            if op == "open":
                reading.read_round(db, rnd.id)
            elif op == "filter":
                rows = reading.list_problems(db, rnd.id, details=False)
                dept = rng.choice(DEPARTMENTS)
                [r for r in rows if dept in r.departments and r.warning.value in ("红色", "逾期", "黄色")]
            elif op == "edit":
                pid = rng.choice(hot)
                while True:
                    row = problems.get_problem(db, pid)
                    try:
                        problems.update_problem(db, pid, expected_version=row.version,
                                                internal_notes=row.internal_notes + token + ";")
                        break
                    except retry:
                        conflicts += 1
                saved.append(token)
            elif op == "progress":
                measures.log_progress(db, rng.choice(ids), f"进展 {token}")
                notes.append(token)
            elif op == "attach":
                pdf = Path(files) / f"{token}.pdf"
                pdf.write_bytes(base + f"\n% {token}\n".encode())
                evidence.attach_evidence(db, pdf, [rng.choice(ids)], description=token)
                attached.append(token)
            elif op == "approve":
                with db.raw_reading() as reader:
                    waiting = reader.values(
                        "select problem_id from review where outcome = :pending and submitted_by <> :me"
                        " order by id limit 5", pending="待审核", me=name)
                if waiting:
                    try:
                        status.approve_review(db, rng.choice(waiting), reviewer=name)
                    except retry:
                        conflicts += 1     # another reviewer approved it first
                    except Exception as exc:
                        if "没有待审核的销号申请" not in str(exc):
                            raise
                        conflicts += 1
                else:
                    op = "submit"
                    pid = rng.choice(ids[HOT:])
                    try:
                        status.change_status(db, pid, Status.DONE, override_reason=f"会议纪要 {token}")
                    except Exception as exc:
                        if "正在销号审核中" not in str(exc):
                            raise
        except Exception as exc:  # anything else is an error of the program
            errors += 1
            error_texts.append(f"{op}: {type(exc).__name__}: {exc}"[:300])
            continue
        times[op].append(time.perf_counter() - started)
    db.close()
    return dict(name=name, times=times, saved=saved, notes=notes, attached=attached, conflicts=conflicts,
                errors=errors, error_texts=error_texts[:5])


def check(target: str, results: list[dict[str, Any]], password: str | None = None) -> dict[str, int]:
    """What the clients saved, looked for in the ledger: lost updates."""
    from app.services import reading
    from db.session import open_database

    db = open_database(target, password=password) if "://" in target else open_database(target, lock=False)
    try:
        [rnd] = reading.list_rounds(db)
        present = {t for p in reading.list_problems(db, rnd.id) for t in p.internal_notes.split(";") if t}
        with db.raw_reading() as reader:
            notes = {n.removeprefix("进展 ") for n in reader.values("select note from progress_entry")}
            files = set(reader.values("select description from evidence"))
    finally:
        db.close()
    saved = {t for r in results for t in r["saved"]}
    return dict(edits=len(saved), lost_edits=len(saved - present),
                lost_notes=len({t for r in results for t in r["notes"]} - notes),
                lost_files=len({t for r in results for t in r["attached"]} - files))


# -- running -----------------------------------------------------------------------------------------
def run_clients(target: str, names: list[str], seconds: float, files: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", target, name, str(seconds), str(n), str(files)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n, name in enumerate(names)]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=seconds * 5 + 300)
        if p.returncode:
            raise SystemExit(f"client failed:\n{stderr[-3000:]}")
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def summary(label: str, results: list[dict[str, Any]], seconds: float, lost: dict[str, int]) -> None:
    total = sum(len(v) for r in results for v in r["times"].values())
    conflicts = sum(r["conflicts"] for r in results)
    errors = sum(r["errors"] for r in results)
    print(f"\n{label}: {len(results)} client(s), {seconds:.0f} s, {total} operations, {total / seconds:.1f} ops/s")
    print(f"  {'operation':<10}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}")
    for op in [op for op, _w in MIX] + ["submit"]:
        t = sorted(x for r in results for x in r["times"][op])
        if t:
            p95 = t[min(len(t) - 1, int(len(t) * 0.95))]
            print(f"  {op:<10}{len(t):>7}{statistics.median(t) * 1000:>10.1f}{p95 * 1000:>10.1f}")
    lost_total = lost["lost_edits"] + lost["lost_notes"] + lost["lost_files"]
    print(f"  conflicts met and retried: {conflicts}; edits saved: {lost['edits']}")
    print(f"  lost updates: {lost_total} (edits {lost['lost_edits']}, notes {lost['lost_notes']}, "
          f"files {lost['lost_files']})  goal 0 -> {'OK' if lost_total == 0 else 'MISSED'}")
    print(f"  errors: {errors}  goal 0 -> {'OK' if errors == 0 else 'MISSED'}")
    for r in results:
        for text in r["error_texts"]:
            print(f"    {r['name']}: {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--worker", nargs=5, metavar=("TARGET", "NAME", "SECONDS", "SEED", "FILES"))
    args = parser.parse_args()
    if args.worker:
        target, name, seconds, seed_no, files = args.worker
        print(json.dumps(client(target, name, float(seconds), int(seed_no), files)))
        return

    from reportlab.pdfgen import canvas

    from tests.pgserver import APP_PASSWORD, start_cluster

    work = Path(tempfile.mkdtemp(prefix="bench-lan-"))
    files = work / "incoming"
    files.mkdir()
    c = canvas.Canvas(str(files / "base.pdf"))
    c.drawString(100, 700, "evidence")
    c.save()
    cluster = start_cluster(durable=True)
    try:
        url = cluster.create_database("bench") + f"?evidence={work / 'share'}"
        env = {**os.environ, "PGPASSWORD": APP_PASSWORD, "PYTHONPATH": str(ROOT)}
        os.environ["PGPASSWORD"] = APP_PASSWORD
        seed(url, args.clients)
        names = [f"clerk{n}" for n in range(args.clients)]
        print(f"{cluster.version()} (throwaway cluster, fsync on), {PROBLEMS} problems, "
              f"mix {dict(MIX)} (weights)")
        pg = run_clients(url, names, args.seconds, files, env)
        summary("PostgreSQL", pg, args.seconds, check(url, pg))
        desk = work / "desk" / "ledger.sqlite"
        seed(str(desk), 1)
        one = run_clients(str(desk), ["clerk0"], args.seconds, files, env)
        summary("SQLite (one desk)", one, args.seconds, check(str(desk), one))
    finally:
        cluster.stop()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
