"""导入回执, second half: apply a preview the clerk accepted, and decide open conflicts later.

Evidence files are attached first, through the evidence service (deduplicated by hash, each file
its own unit of work, so that 已完成 can see them); then the return is merged in ONE transaction:
progress entries, accepted field changes, status changes by the ledger's rules, the return record
(department and file name, which the audit log keeps) and its conflicts. A field the ledger changed
since the preview (another department's return of a shared problem, a colleague's edit) is not
overwritten: it becomes an open conflict for the clerk to decide.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.collect.model import APPLY, CONFLICT, DEPARTMENT, OFFICE, OPEN, Decisions, FilePreview
from app.errors import EvidenceError, RuleViolation, ValidationError
from app.services.common import clean_text, load, require_text
from app.services.evidence import attach_evidence
from app.services.status import apply_status
from db.enums import Status
from db.models import CollectionConflict, CollectionReturn, Problem, ProgressEntry
from db.session import Database


@dataclass(frozen=True)
class MergeOutcome:
    return_id: int
    file_name: str
    department: str
    items_updated: int
    progress_added: int
    evidence_added: int
    conflicts_open: int
    notes: tuple[str, ...] = ()       # evidence files that could not be added after all


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def merge_return(db: Database, fp: FilePreview, decisions: Decisions | None = None, *, confirm_match: bool = False,
                 newer_only: bool = False, by: str | None = None) -> MergeOutcome:
    """Merge one previewed file. `decisions` settles conflicts; an undecided one stays open."""
    decisions = decisions or {}
    if fp.errors:
        raise ValidationError(f"“{fp.file_name}”不能导入：{fp.errors[0]}")
    if fp.needs_confirmation and not confirm_match:
        raise ValidationError(f"“{fp.file_name}”是按序号和问题内容匹配的，请先逐项核对并确认匹配无误。")
    if not fp.mergeable:
        raise ValidationError(f"“{fp.file_name}”没有可导入的内容。")
    evidence_added = 0
    notes: list[str] = []
    for pm in fp.problems:
        for ev in pm.evidence:
            if not ev.already:
                try:
                    result = attach_evidence(db, ev.path, [pm.problem_id], description=f"{fp.department}报送")
                except EvidenceError as exc:
                    notes.append(f"第{pm.number}号问题的佐证材料“{ev.path.name}”未添加：{exc}")
                    continue
                evidence_added += bool(result.new_links)
    with db.transaction() as s:
        ret = CollectionReturn(round_id=fp.round_id, send_id=fp.send_id, department=fp.department,
                               file_name=fp.file_name, file_sha256=fp.sha256, received_at=_now(),
                               reporters=fp.reporters[:300], phones=fp.phones[:300], matched_by=fp.matched_by,
                               evidence_files=evidence_added, superseded=fp.superseded_by is not None)
        s.add(ret)
        s.flush()
        updated = progress_added = open_conflicts = 0
        ids = [pm.problem_id for pm in fp.problems]
        list(s.scalars(select(Problem).where(Problem.id.in_(ids))))   # one read; `load` then finds each in the session
        for pm in fp.problems:
            p = load(s, Problem, pm.problem_id)
            changed = False
            if pm.progress and not (newer_only and pm.progress_older):
                s.add(ProgressEntry(problem_id=p.id, entry_date=pm.progress_date or dt.date.today(),
                                    author=pm.author[:100], note=require_text(pm.progress, "本期进展")))
                progress_added += 1
                changed = True
            for c in pm.changes:
                if c.kind not in (APPLY, CONFLICT):
                    continue
                choice = decisions.get((pm.problem_id, c.field), OPEN) if c.kind == CONFLICT else DEPARTMENT
                now = _value(p, c.field)
                if clean_text(now) != clean_text(c.office):   # changed since the preview (another return?)
                    c = replace(c, office=now, kind=CONFLICT)
                    choice = OPEN                             # never overwritten silently: the clerk decides
                if newer_only and c.kind == CONFLICT and choice == OPEN:
                    choice = OFFICE   # an old send's conflict: the office's newer value stands
                if c.kind == CONFLICT:
                    s.add(CollectionConflict(return_id=ret.id, problem_id=p.id, field=c.field, sent_value=c.sent,
                                             office_value=c.office, department_value=c.department,
                                             resolution=choice, resolved_at=None if choice == OPEN else _now()))
                    open_conflicts += choice == OPEN
                if choice == DEPARTMENT:
                    _apply(s, p, c.field, c.department, pm.author)
                    changed = True
            changed = changed or any(not e.already for e in pm.evidence)
            updated += changed
        ret.items_updated = updated
        return MergeOutcome(ret.id, fp.file_name, fp.department, updated, progress_added, evidence_added,
                            open_conflicts, tuple(notes))


def _value(p: Problem, field: str) -> str:
    return p.narrative if field == "narrative" else p.status.value


def _apply(s: Session, p: Problem, field: str, value: str, author: str) -> None:
    if field == "narrative":
        p.narrative = clean_text(value)
    else:
        apply_status(s, p, Status(value), by=author)


def resolve_conflict(db: Database, conflict_id: int, take: str) -> None:
    """Settle an open conflict: `department` applies the department's value, `office` keeps the ledger's."""
    if take not in (OFFICE, DEPARTMENT):
        raise ValidationError("请选择采用部门填报的内容，或保留台账中的内容。")
    with db.transaction() as s:
        c = load(s, CollectionConflict, conflict_id)
        if c.resolution:
            raise RuleViolation("这处冲突已经处理过了。")
        if take == DEPARTMENT:
            p = load(s, Problem, c.problem_id)
            ret = load(s, CollectionReturn, c.return_id)
            _apply(s, p, c.field, c.department_value, ret.department)
        c.resolution = take
        c.resolved_at = _now()
