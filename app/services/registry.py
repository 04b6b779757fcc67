"""制度建设 (regulations), the directory of departments and people, and the audit log reader."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto import AuditRow, RegulationRow
from app.errors import ValidationError
from app.services.common import load, require_text
from db.models import (
    AuditEntry,
    Department,
    Person,
    Problem,
    Regulation,
    RegulationKind,
    RegulationLink,
    Round,
)
from db.session import Database


# -- regulations ----------------------------------------------------------------
def _reg_row(s: Session, r: Regulation) -> RegulationRow:
    ids = tuple(s.scalars(select(RegulationLink.problem_id)
                          .where(RegulationLink.regulation_id == r.id).order_by(RegulationLink.problem_id)))
    return RegulationRow(r.id, r.round_id, r.name, r.kind.value, r.issued_on, ids)


def _link_problems(s: Session, r: Regulation, problem_ids: list[int]) -> None:
    for pid in problem_ids:
        if load(s, Problem, pid).round_id != r.round_id:
            raise ValidationError("制度只能关联本轮巡察的问题。", "problem_ids")
    for old in s.scalars(select(RegulationLink).where(RegulationLink.regulation_id == r.id)):
        s.delete(old)
    s.flush()
    for pid in dict.fromkeys(problem_ids):
        s.add(RegulationLink(regulation_id=r.id, problem_id=pid))


def add_regulation(db: Database, round_id: int, name: str, kind: RegulationKind | str = RegulationKind.NEW,
                   issued_on: dt.date | None = None, problem_ids: list[int] | None = None) -> int:
    with db.transaction() as s:
        load(s, Round, round_id)
        r = Regulation(round_id=round_id, name=require_text(name, "制度名称"), kind=RegulationKind(kind),
                       issued_on=issued_on)
        s.add(r)
        s.flush()
        _link_problems(s, r, problem_ids or [])
        return r.id


def update_regulation(db: Database, regulation_id: int, *, name: str | None = None,
                      kind: RegulationKind | str | None = None, issued_on: dt.date | None = None,
                      problem_ids: list[int] | None = None) -> None:
    with db.transaction() as s:
        r = load(s, Regulation, regulation_id)
        if name is not None:
            r.name = require_text(name, "制度名称")
        if kind is not None:
            r.kind = RegulationKind(kind)
        if issued_on is not None:
            r.issued_on = issued_on
        if problem_ids is not None:
            _link_problems(s, r, problem_ids)


def delete_regulation(db: Database, regulation_id: int) -> None:
    with db.transaction() as s:
        s.delete(load(s, Regulation, regulation_id))


def list_regulations(db: Database, round_id: int) -> list[RegulationRow]:
    with db.reading() as s:
        regs = s.scalars(select(Regulation).where(Regulation.round_id == round_id).order_by(Regulation.id))
        return [_reg_row(s, r) for r in regs]


# -- directory --------------------------------------------------------------------
def add_department(db: Database, name: str) -> int:
    with db.transaction() as s:
        name = require_text(name, "部门名称")
        if s.scalar(select(Department.id).where(Department.name == name)):
            raise ValidationError(f"部门“{name}”已经存在。", "name")
        d = Department(name=name)
        s.add(d)
        s.flush()
        return d.id


def rename_department(db: Database, department_id: int, name: str) -> None:
    with db.transaction() as s:
        load(s, Department, department_id).name = require_text(name, "部门名称")


def delete_department(db: Database, department_id: int) -> None:
    with db.transaction() as s:
        s.delete(load(s, Department, department_id))


def list_departments(db: Database) -> list[tuple[int, str]]:
    with db.reading() as s:
        return [(d.id, d.name) for d in s.scalars(select(Department).order_by(Department.name))]


def add_person(db: Database, name: str, title: str = "", department_id: int | None = None,
               is_leader: bool = False) -> int:
    with db.transaction() as s:
        if department_id is not None:
            load(s, Department, department_id)
        p = Person(name=require_text(name, "姓名"), title=title.strip(), department_id=department_id,
                   is_leader=is_leader)
        s.add(p)
        s.flush()
        return p.id


def update_person(db: Database, person_id: int, *, name: str | None = None, title: str | None = None,
                  department_id: int | None = None, is_leader: bool | None = None) -> None:
    with db.transaction() as s:
        p = load(s, Person, person_id)
        if name is not None:
            p.name = require_text(name, "姓名")
        if title is not None:
            p.title = title.strip()
        if department_id is not None:
            p.department_id = load(s, Department, department_id).id
        if is_leader is not None:
            p.is_leader = is_leader


def delete_person(db: Database, person_id: int) -> None:
    with db.transaction() as s:
        s.delete(load(s, Person, person_id))


def list_people(db: Database, leaders_only: bool = False) -> list[tuple[int, str, str, str, bool]]:
    """(id, name, title, department name, is leader)."""
    with db.reading() as s:
        q = (select(Person.id, Person.name, Person.title, Department.name, Person.is_leader)
             .outerjoin(Department, Department.id == Person.department_id).order_by(Person.name))
        if leaders_only:
            q = q.where(Person.is_leader.is_(True))
        return [(i, n, t, d or "", bool(lead)) for i, n, t, d, lead in s.execute(q)]


# -- audit log ----------------------------------------------------------------------
def read_audit(db: Database, *, entity: str | None = None, entity_id: str | None = None,
               limit: int = 1000) -> list[AuditRow]:
    """Newest first. The log is append-only; there is no function to change it."""
    with db.reading() as s:
        q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity:
            q = q.where(AuditEntry.entity == entity)
        if entity_id is not None:
            q = q.where(AuditEntry.entity_id == str(entity_id))
        return [AuditRow(a.id, a.at, a.user, a.action, a.entity, a.entity_id, a.field, a.old_value, a.new_value)
                for a in s.scalars(q)]
