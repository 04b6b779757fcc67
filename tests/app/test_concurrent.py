"""Two clerks editing the same ledger at once: a stale form's save is refused and says who changed what;
nothing is lost; a change made elsewhere moves the change counter the windows poll."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.edit_conflict import EditConflict
from app.services import accounts, problems, registry
from db.errors import ChangedMeanwhile, DatabaseLocked
from db.models import Problem
from db.session import Database, open_database
from tests.conftest import ROOT, cli_target


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """A second program on the same ledger (on SQLite, in this process without the instance lock)."""
    if db.is_server:
        from db.server import ServerDatabase
        from tests.pgserver import APP_PASSWORD

        second: Database = ServerDatabase(db.address, password=APP_PASSWORD).open()  # type: ignore[attr-defined]
    else:
        second = open_database(db.path, lock=False)
    yield second
    second.close()


def _sign_in_both(db: Database, other: Database) -> None:
    accounts.create_account(db, "管理员甲", "管理员", "admin-pass-1")
    accounts.sign_in(db, "管理员甲", "admin-pass-1")
    accounts.create_account(db, "张三", "录入员", "zhang-pass-1")
    accounts.create_account(db, "李四", "录入员", "li-pass-1")
    accounts.sign_in(db, "张三", "zhang-pass-1")
    accounts.sign_in(other, "李四", "li-pass-1")


def test_a_stale_form_is_refused_with_who_changed_what_and_nothing_is_lost(
        db: Database, other: Database, seeded: dict[str, int]) -> None:
    _sign_in_both(db, other)
    pid = seeded["p1"]
    shown = problems.get_problem(db, pid)            # 张三 opens the problem …
    problems.update_problem(other, pid, expected_version=problems.get_problem(other, pid).version,
                            departments="人事科")   # … 李四 saves a change meanwhile
    with pytest.raises(EditConflict) as told:
        problems.update_problem(db, pid, expected_version=shown.version, departments="财务科", leaders="赵局长")
    conflict = told.value
    assert conflict.users == ["李四"]
    assert [(c.label, c.old_value, c.new_value) for c in conflict.changes] == [("责任部门", "办公室", "人事科")]
    assert "李四" in str(conflict) and "责任部门：办公室 → 人事科" in str(conflict)
    now = problems.get_problem(db, pid)
    assert (now.departments, now.leaders) == ("人事科", "王局长")   # 李四's change stands, nothing of 张三's
    # 张三 reloads and applies the change again, on top of 李四's.
    problems.update_problem(db, pid, expected_version=now.version, leaders="赵局长")
    after = problems.get_problem(other, pid)
    assert (after.departments, after.leaders, after.version) == ("人事科", "赵局长", now.version + 1)
    users = {(e.user, e.field) for e in registry.read_audit(db, entity="problem")
             if e.entity_id == str(pid) and e.field in ("departments", "leaders")}
    assert users == {("李四", "departments"), ("张三", "leaders")}   # the audit log records the account


def test_an_interleaved_save_is_refused_not_overwritten(db: Database, other: Database,
                                                        seeded: dict[str, int]) -> None:
    """Below the forms: two units of work read the same row; the one that commits second fails."""
    pid = seeded["p2"]
    with pytest.raises((ChangedMeanwhile, DatabaseLocked)):
        with db.transaction() as s:
            mine = s.get(Problem, pid)
            assert mine is not None
            _ = mine.leaders                       # read at version 1
            problems.update_problem(other, pid, leaders="他人")
            mine.leaders = "本人"
    assert problems.get_problem(db, pid).leaders == "他人"


def test_a_change_elsewhere_moves_the_counter_the_windows_poll(db: Database, other: Database,
                                                               seeded: dict[str, int]) -> None:
    from app.services.ledger_state import change_number

    before = change_number(db)
    problems.update_problem(other, seeded["p3"], persons="王五")
    assert change_number(db) == before + 1
    problems.get_problem(other, seeded["p3"])     # reading moves nothing
    assert change_number(db) == before + 1


EDITOR = textwrap.dedent("""
    import json, sys
    from app.services import accounts, problems
    from app.edit_conflict import EditConflict
    from db.errors import ChangedMeanwhile, DatabaseLocked, ServerBusy
    from db.session import open_database
    target, pid, mark, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    db = open_database(target, lock=False)
    accounts.sign_in(db, mark, "clerk-pass-1")
    conflicts = 0
    for n in range(rounds):
        while True:
            row = problems.get_problem(db, pid)
            try:
                problems.update_problem(db, pid, expected_version=row.version,
                                        internal_notes=row.internal_notes + f"{mark}{n};")
                break
            except (EditConflict, ChangedMeanwhile, DatabaseLocked, ServerBusy):
                conflicts += 1   # someone saved first: read again, apply again
    print(json.dumps(dict(conflicts=conflicts)))
    db.close()
""")


def test_two_processes_editing_one_problem_lose_no_update(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    accounts.create_account(db, "管理员甲", "管理员", "admin-pass-1")
    accounts.sign_in(db, "管理员甲", "admin-pass-1")
    for name in ("甲", "乙"):
        accounts.create_account(db, name, "录入员", "clerk-pass-1")
    target = cli_target(db, monkeypatch)
    rounds = 25
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", EDITOR, target, str(seeded["p1"]), mark, str(rounds)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for mark in ("甲", "乙")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-2000:] for _out, err in outs]
    notes = problems.get_problem(db, seeded["p1"]).internal_notes
    marks = [m for m in notes.split(";") if m]
    assert sorted(marks) == sorted(f"{who}{n}" for who in ("甲", "乙") for n in range(rounds))  # none lost
    assert problems.get_problem(db, seeded["p1"]).version == 1 + 2 * rounds
    print("conflicts met and retried:", [json.loads(o.strip().splitlines()[-1]) for o, _e in outs])


def test_the_conflict_lists_only_what_changed_since_the_clerks_version(db: Database, other: Database,
                                                                       seeded: dict[str, int]) -> None:
    _sign_in_both(db, other)
    pid = seeded["p2"]
    problems.update_problem(db, pid, leaders="甲")                   # versions 2 and 3, both seen by 张三
    problems.update_problem(db, pid, persons="乙")
    shown = problems.get_problem(db, pid)
    problems.update_problem(other, pid, departments="丙科")          # 李四: version 4
    problems.update_problem(other, pid, persons="丁")                # 李四: version 5
    with pytest.raises(EditConflict) as told:
        problems.update_problem(db, pid, expected_version=shown.version, narrative="已整改。")
    assert [(c.user, c.label, c.new_value) for c in told.value.changes] == [
        ("李四", "责任部门", "丙科"), ("李四", "责任人", "丁")]
    assert told.value.current_version == shown.version + 2


def test_rows_saved_before_versions_were_logged_show_the_next_logged_save() -> None:
    """A ledger upgraded from the released schema has changes without version entries."""
    import datetime as dt

    from app.services.conflicts import _start
    from db.models import AuditEntry

    t = [dt.datetime(2024, 6, 1, 9, m) for m in range(4)]
    rows = [AuditEntry(at=t[0], user="甲", action="新建", field="", new_value="{}"),
            AuditEntry(at=t[1], user="甲", action="修改", field="leaders", new_value="王"),   # before versions
            AuditEntry(at=t[2], user="乙", action="修改", field="persons", new_value="李"),
            AuditEntry(at=t[2], user="乙", action="修改", field="version", new_value="4"),
            AuditEntry(at=t[3], user="丙", action="修改", field="title", new_value="标题"),
            AuditEntry(at=t[3], user="丙", action="修改", field="version", new_value="5")]
    assert _start(rows, 4) == 4          # logged: what came after version 4
    assert _start(rows, 3) == 2          # not logged: the save that made 4, by its time
    assert _start(rows, 1) == 1          # from creation on


def test_a_stale_measure_form_is_refused_too(db: Database, other: Database, seeded: dict[str, int]) -> None:
    from app.services import measures

    _sign_in_both(db, other)
    mid = measures.add_measure(db, seeded["p1"], "制定学习计划", owner="办公室")
    [shown] = measures.list_measures(db, seeded["p1"])
    measures.update_measure(other, mid, expected_version=shown.version, owner="人事科")
    with pytest.raises(EditConflict) as told:
        measures.update_measure(db, mid, expected_version=shown.version, text="制定并印发学习计划")
    assert [(c.user, c.label, c.new_value) for c in told.value.changes] == [("李四", "负责人", "人事科")]
    [now] = measures.list_measures(db, seeded["p1"])
    assert (now.text, now.owner, now.version) == ("制定学习计划", "人事科", shown.version + 1)
