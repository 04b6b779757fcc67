"""Status of the collection per department: sent on, returned on, items updated, conflicts open."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.collect import records
from app.collect.send import department_problems
from app.ledger_rows import Warning
from app.rowbuild import build
from app.services.snapshot import snapshot_from
from db.session import Database


@dataclass(frozen=True)
class DepartmentStatus:
    department: str
    problems: int                       # open problems the department is responsible for now
    urgent: int                         # of them red or overdue
    sent_at: dt.datetime | None         # the newest send
    returned_at: dt.datetime | None     # the newest return since that send
    items_updated: int                  # problems updated by the returns since that send
    conflicts_open: int                 # in any return of the round

    @property
    def state(self) -> str:
        if self.sent_at is None:
            return "未下发"
        if self.returned_at is None:
            return "未交回"
        return "有冲突待定" if self.conflicts_open else "已交回"


@dataclass(frozen=True)
class OpenConflict:
    id: int
    department: str
    file_name: str
    problem_id: int
    number: int
    field: str
    sent_value: str
    office_value: str
    department_value: str


def collection_status(db: Database, round_id: int, today: dt.date | None = None) -> list[DepartmentStatus]:
    today = today or dt.date.today()
    with db.raw_reading() as reader:
        snap = snapshot_from(reader, round_id, today)
        latest = records.latest_sends(reader, round_id)
        rets = records.returns(reader, round_id)
    by_dept = department_problems(snap)
    names = list(dict.fromkeys([*by_dept, *latest]))
    out = []
    for name in names:
        send = latest.get(name)
        mine = [r for r in rets if r.department == name]
        since = records.returned_since(send, rets) if send is not None else []
        problems = by_dept.get(name, [])
        out.append(DepartmentStatus(
            name, len(problems), sum(1 for p in problems if p.warning in (Warning.RED, Warning.OVERDUE)),
            send.sent_at if send else None, since[-1].received_at if since else None,
            sum(r.items_updated for r in since), sum(r.conflicts_open for r in mine)))
    return out


def not_returned(db: Database, round_id: int) -> list[DepartmentStatus]:
    """Departments sent a workbook that have not returned it since the last send."""
    return [s for s in collection_status(db, round_id) if s.sent_at is not None and s.returned_at is None]


def open_conflicts(db: Database, round_id: int) -> list[OpenConflict]:
    with db.raw_reading() as reader:
        snap = snapshot_from(reader, round_id, dt.date.today())
        numbers = {p.id: p.number for p in snap.problems}
        rows = reader.rows(
            "select c.id, r.department, r.file_name, c.problem_id, c.field, c.sent_value, c.office_value,"
            " c.department_value from collection_conflict c join collection_return r on r.id = c.return_id"
            " where r.round_id = :round and c.resolution = '' order by r.department, c.problem_id, c.id",
            round=round_id)
    return [build(OpenConflict, row, number=numbers.get(row["problem_id"], 0)) for row in rows]
