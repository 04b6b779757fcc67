"""A writer killed with SIGKILL mid-batch leaves a sound database holding all or none of the batch."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db.session import open_database
from tests.conftest import ROOT

WRITER = textwrap.dedent("""
    import sys, time
    from app.services import rounds
    from db.models import Problem
    from db.session import open_database
    db = open_database(sys.argv[1])
    unit = rounds.create_unit(db, "单位")
    r = rounds.create_round(db, unit.id, "轮次")
    with db.transaction() as s:
        for i in range(20000):
            s.add(Problem(round_id=r.id, text=f"问题{i}", position=i))
            if i % 500 == 499:
                s.flush()            # rows reach the WAL file, not yet committed
            if i == 10000:
                print("MIDWAY", flush=True)
                time.sleep(30)       # the parent kills us here
    print("COMMITTED", flush=True)
""")


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("kill_after_commit", [False, True])
def test_sigkill_mid_batch(tmp_path: Path, kill_after_commit: bool) -> None:
    path = tmp_path / "l.sqlite"
    script = WRITER if not kill_after_commit else WRITER.replace("time.sleep(30)", "pass") + \
        "\nimport time; time.sleep(30)\n"
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    wanted = "COMMITTED" if kill_after_commit else "MIDWAY"
    for line in proc.stdout:
        if line.strip() == wanted:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    with open_database(path) as db:  # the dead process's lock is gone with it
        assert db.integrity_check() == []
        with db.engine.connect() as conn:
            from sqlalchemy import text

            count = conn.execute(text("select count(*) from problem")).scalar()
    assert count == (20000 if kill_after_commit else 0)


# -- restore killed at random moments ------------------------------------------------------------------
RESTORER = textwrap.dedent("""
    import os, sys, time
    archive, ledger, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    import sqlalchemy.orm, db.models, db.audit  # loaded before GO: the random window is the restore's own work
    from app import restore as R, safety_copies as S

    def hook(name, fn, when=lambda *a, **k: True):
        def wrapped(*a, **k):
            if mode == "phase:" + name and when(*a, **k):
                print("AT", flush=True)
                time.sleep(60)
            result = fn(*a, **k)
            if mode == "phase:" + name + "-after" and when(*a, **k):
                print("AT", flush=True)
                time.sleep(60)
            return result
        return wrapped

    R.copy_verified = hook("unpack", R.copy_verified, lambda z, e, t: t is not None and "evidence/" in e.name)
    R.prepare_ledger = hook("prepare", R.prepare_ledger)
    S._merge_evidence = hook("merge", S._merge_evidence)
    S._checkpoint = hook("checkpoint", S._checkpoint)
    S._second_name = hook("link", S._second_name)
    S.fsync_path = hook("swapped", S.fsync_path, lambda path, directory=False: str(path) == os.path.dirname(ledger))
    print("GO", flush=True)
    start = time.perf_counter()
    R.restore_backup(archive, ledger)
    print("DONE", time.perf_counter() - start, flush=True)
""")
WAL_ONLY = "import os, sqlite3, sys\n" \
    "c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_autocheckpoint=0')\n" \
    "c.execute(\"update round set title = 'OLD'\"); c.commit(); os._exit(0)\n"
PHASES = ("unpack", "prepare", "merge", "merge-after", "checkpoint", "checkpoint-after", "link-after", "swapped")


def _read(path: Path, immutable: bool = False) -> tuple[str, set[str]]:
    uri = f"file:{path}?mode=ro" + ("&immutable=1" if immutable else "")
    con = sqlite3.connect(uri, uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        title = con.execute("select title from round").fetchone()[0]
        return title, {r[0] for r in con.execute("select sha256 from evidence")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def restore_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/: the old ledger (its last change only in the WAL); new.zip: a backup with 12 files the old lacks."""
    from app.backup import write_backup
    from app.services import evidence, problems, rounds
    from tests.conftest import make_pdf

    root = tmp_path_factory.mktemp("kill-restore")
    db = open_database(root / "data" / "ledger.sqlite")
    unit = rounds.create_unit(db, "单位")
    r = rounds.create_round(db, unit.id, "NEW")
    p = problems.create_problem(db, r.id, "问题")
    for i in range(12):
        evidence.attach_evidence(db, make_pdf(root / f"n{i}.pdf", text=f"new {i}"), [p])
    write_backup(db, root / "new.zip")
    for row in evidence.list_evidence(db, p):
        evidence.remove_evidence(db, row.link_id)
    evidence.empty_recycle_bin(db)
    evidence.attach_evidence(db, make_pdf(root / "old.pdf", text="old"), [p])
    rounds.update_round(db, r.id, title="WAS-NEW")
    db.close()
    subprocess.run([sys.executable, "-c", WAL_ONLY, str(root / "data" / "ledger.sqlite")], check=True, timeout=60)
    (root / "data" / "ledger.sqlite-shm").unlink(missing_ok=True)
    assert _read(root / "data" / "ledger.sqlite")[0] == "OLD"
    return root


def _run(root: Path, data: Path, mode: str, delay: float | None) -> str:
    import random
    import shutil
    import time

    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(root / "data", data)
    proc = subprocess.Popen([sys.executable, "-c", RESTORER, str(root / "new.zip"), str(data / "ledger.sqlite"), mode],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    wanted = "AT" if mode.startswith("phase:") else "GO" if mode == "random" else "DONE"
    out = ""
    for line in proc.stdout:
        out += line
        if line.split()[0] in (wanted, "DONE"):
            break
    if delay is not None:
        time.sleep(random.uniform(0, delay))
    proc.send_signal(signal.SIGKILL)
    out += proc.stdout.read()
    proc.wait(timeout=30)
    return out


def _check(data: Path, old_shas: set[str], new_shas: set[str]) -> str:
    """Wholly the old ledger or wholly the new; the old one kept as a safety copy once the new is in."""
    db = data / "ledger.sqlite"
    title, shas = _read(db)
    assert (title, shas) in (("OLD", old_shas), ("NEW", new_shas)), (title, shas)
    copies = sorted(data.glob("ledger.before-restore-*.sqlite"))
    if title == "NEW":
        assert [_read(c, immutable=True) for c in copies] == [("OLD", old_shas)]
    with open_database(db) as opened:  # the next open cleans what the kill left
        from app.services.evidence import check_store

        report = check_store(opened)
        assert report.ok, report.lines()
    assert not list(data.glob("restore-*"))
    store = data / "evidence"
    for sha in old_shas | (new_shas if title == "NEW" else set()):
        assert (store / sha[:2] / sha).is_file()  # no file of either ledger lost
    if title == "OLD":
        assert not list(data.glob("ledger.before-restore-*"))  # a half-made second name is gone again
    return title


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_restore_killed_at_random_moments_leaves_the_old_or_the_new_ledger(restore_template: Path,
                                                                           tmp_path: Path) -> None:
    root, data = restore_template, tmp_path / "data"
    old_shas = _read(root / "data" / "ledger.sqlite")[1]
    out = _run(root, data, "time it", None)  # not killed before it ends: how long a restore takes
    duration = float(out.split("DONE")[1].split()[0]) if "DONE" in out else 0.5
    new_shas = _read(data / "ledger.sqlite")[1]
    assert _check(data, old_shas, new_shas) == "NEW" and old_shas != new_shas
    seen = []
    for phase in PHASES:  # each step of the swap at least once
        _run(root, data, "phase:" + phase, None)
        seen.append(_check(data, old_shas, new_shas))
    assert seen.count("OLD") >= 4 and seen[-1] == "NEW"
    for _ in range(30):  # and anywhere at all
        _run(root, data, "random", duration * 1.2)
        seen.append(_check(data, old_shas, new_shas))
    assert len(seen) >= 38 and "OLD" in seen[len(PHASES):] and "NEW" in seen


BACKUP_KILLED = textwrap.dedent("""
    import sys, time
    import app.backup
    from app.backup import write_backup
    from db.session import open_database
    real = app.backup._put   # each file goes into the archive through it
    def slow(z, path, name, method):
        got = real(z, path, name, method)
        if name.startswith("evidence/"):
            print("WRITING", flush=True)
            time.sleep(60)
        return got
    app.backup._put = slow
    db = open_database(sys.argv[1])
    write_backup(db, sys.argv[2])
""")


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_killed_backup_leaves_nothing_after_the_next_open(tmp_path: Path) -> None:
    import tempfile

    from app.services import evidence, problems, rounds
    from tests.conftest import make_pdf

    db_path = tmp_path / "data" / "ledger.sqlite"
    with open_database(db_path) as db:
        r = rounds.create_round(db, rounds.create_unit(db, "单位").id, "轮次")
        p = problems.create_problem(db, r.id, "问题")
        evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [p])
    target = tmp_path / "usb" / "备份.zip"
    target.parent.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", BACKUP_KILLED, str(db_path), str(target)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "WRITING"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    data = db_path.parent
    assert Path(str(target) + ".part").exists() and list(data.glob("backup-tmp-*"))  # what the kill left
    with open_database(db_path) as db:
        from app.services.evidence import check_store

        report = check_store(db)
        assert report.ok and not report.orphans
    assert not target.exists() and not Path(str(target) + ".part").exists()
    assert not list(data.glob("backup-tmp-*")) and not list(data.glob("pending-output-*"))
    assert not list(Path(tempfile.gettempdir()).glob(f"xuncha-backup-{proc.pid}-*"))
