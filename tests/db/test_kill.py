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
