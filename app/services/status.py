"""Status rules, 销号 review and 延期 (deadline extensions).

A problem is never marked done without evidence, unless the user gives an
explicit reason, which is kept and logged. Marking done opens a review; only
the review's approval makes it 已完成 (or 已完成·长期坚持).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dto import ExtensionRow, ReviewRow
from app.errors import RuleViolation, ValidationError
from app.services.common import clean_text, clerk, load, require_text
from db.models import (
    Decision,
    EvidenceLink,
    Extension,
    Problem,
    ProgressEntry,
    Review,
    ReviewOutcome,
    Status,
)
from db.session import Database


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _pending_review(s: Session, problem_id: int) -> Review | None:
    return s.scalar(select(Review).where(Review.problem_id == problem_id,
                                         Review.outcome == ReviewOutcome.PENDING))


@dataclass(frozen=True)
class StatusChange:
    """What `set_status` did, all that its undo (`revert_status`) needs."""

    problem_id: int
    old_status: Status
    old_long_term: bool
    old_override_reason: str
    new_status: Status
    review_id: int | None = None          # the 销号 review it opened
    note_id: int | None = None            # the progress note of an override reason


def set_status(db: Database, problem_id: int, status: Status | str, *, override_reason: str = "",
               by: str | None = None) -> StatusChange:
    """Set a problem's status by the rules, in one transaction; returns what changed (for undo).

    未启动/整改中: set at once. 已完成/已完成·长期坚持: needs at least one evidence
    item or an override reason; the problem then waits in 待销号 for review.
    """
    with db.transaction() as s:
        return apply_status(s, load(s, Problem, problem_id), status, override_reason=override_reason,
                            by=by or clerk(db))


def apply_status(s: Session, p: Problem, status: Status | str, *, override_reason: str = "",
                 by: str) -> StatusChange:
    """`set_status`'s rules inside a caller's unit of work (a merged 回执 is one transaction)."""
    status = Status(status)
    before = StatusChange(p.id, p.status, p.long_term, p.done_override_reason, p.status)
    if status == Status.PENDING_REVIEW:
        raise ValidationError("“待销号”由标记完成自动产生，不能直接选择。", "status")
    if p.status == Status.PENDING_REVIEW:
        raise RuleViolation("该问题正在销号审核中，请先审核通过或退回，或撤回销号申请。")
    if not status.is_done:
        p.status = status
        return replace(before, new_status=p.status)
    s.flush()
    evidence = s.scalar(select(func.count()).select_from(EvidenceLink).where(
        EvidenceLink.problem_id == p.id, EvidenceLink.removed_at.is_(None))) or 0
    reason = clean_text(override_reason)
    if not evidence and not reason:
        raise RuleViolation("该问题还没有佐证材料，不能标记为已完成。请先添加佐证材料，"
                            "或填写无佐证材料的理由。")
    note = None
    if not evidence:
        p.done_override_reason = reason
        note = ProgressEntry(problem_id=p.id, entry_date=dt.date.today(), author=by,
                             note=f"无佐证材料申请销号，理由：{reason}")
        s.add(note)
    p.status = Status.PENDING_REVIEW
    p.long_term = status == Status.LONG_TERM or p.long_term
    review = Review(problem_id=p.id, target_status=status, submitted_by=by, submitted_at=_now())
    s.add(review)
    s.flush()
    return replace(before, new_status=p.status, review_id=review.id, note_id=note.id if note is not None else None)


def change_status(db: Database, problem_id: int, status: Status | str, *, override_reason: str = "",
                  by: str | None = None) -> Status:
    """`set_status`, returning the status the problem now has."""
    return set_status(db, problem_id, status, override_reason=override_reason, by=by).new_status


def revert_status(db: Database, change: StatusChange) -> None:
    """Undo a `set_status` in one transaction: the review it opened and the note it wrote go, the old
    status, long-term mark and override reason come back. Refused if the status moved on since."""
    with db.transaction() as s:
        p = load(s, Problem, change.problem_id)
        if p.status != change.new_status:
            raise RuleViolation(f"问题的状态已变为“{p.status.value}”，不能再撤销这次状态更改。")
        if change.review_id is not None:
            review = s.get(Review, change.review_id)
            if review is None or review.outcome != ReviewOutcome.PENDING:
                raise RuleViolation("这次销号申请已经审核过，不能再撤销。")
            s.delete(review)
        if change.note_id is not None and (note := s.get(ProgressEntry, change.note_id)) is not None:
            s.delete(note)
        p.status, p.long_term = change.old_status, change.old_long_term
        p.done_override_reason = change.old_override_reason


def withdraw_review(db: Database, problem_id: int) -> None:
    """Take back a pending 销号 request (the user's undo of 'mark done')."""
    with db.transaction() as s:
        p = load(s, Problem, problem_id)
        review = _pending_review(s, problem_id)
        if review is None:
            raise RuleViolation("该问题没有待审核的销号申请。")
        s.delete(review)
        p.status = Status.IN_PROGRESS
        p.done_override_reason = ""


def approve_review(db: Database, problem_id: int, reviewer: str, next_review_date: dt.date | None = None) -> Status:
    with db.transaction() as s:
        p = load(s, Problem, problem_id)
        review = _pending_review(s, problem_id)
        if review is None:
            raise RuleViolation("该问题没有待审核的销号申请。")
        if review.target_status == Status.LONG_TERM:
            if next_review_date is None:
                raise ValidationError("长期坚持的问题需要填写下次复查日期。", "next_review_date")
            p.next_review_date = next_review_date
        review.outcome = ReviewOutcome.APPROVED
        review.reviewer = require_text(reviewer, "审核人")
        review.reviewed_at = _now()
        p.status = review.target_status
        return p.status


def return_review(db: Database, problem_id: int, reviewer: str, requirements: str) -> None:
    """Send a problem back with 补充整改要求; it goes back to 整改中."""
    with db.transaction() as s:
        p = load(s, Problem, problem_id)
        review = _pending_review(s, problem_id)
        if review is None:
            raise RuleViolation("该问题没有待审核的销号申请。")
        review.outcome = ReviewOutcome.RETURNED
        review.requirements = require_text(requirements, "补充整改要求")
        review.reviewer = require_text(reviewer, "审核人")
        review.reviewed_at = _now()
        p.status = Status.IN_PROGRESS
        # The reason stays in sight: in the progress log, beside the review (see `last_return`).
        s.add(ProgressEntry(problem_id=p.id, entry_date=dt.date.today(), author=clerk(db),
                            note=f"销号申请被退回（审核人：{review.reviewer}）。补充整改要求：{review.requirements}"))


def last_return(db: Database, problem_id: int) -> ReviewRow | None:
    """The latest 退回 of the problem's 销号 requests, if the latest decided review is one."""
    decided = [r for r in list_reviews(db, problem_id) if r.outcome != ReviewOutcome.PENDING.value]
    return decided[-1] if decided and decided[-1].outcome == ReviewOutcome.RETURNED.value else None


def list_reviews(db: Database, problem_id: int) -> list[ReviewRow]:
    with db.reading() as s:
        rows = s.scalars(select(Review).where(Review.problem_id == problem_id).order_by(Review.id))
        return [ReviewRow(r.id, r.problem_id, r.target_status, r.submitted_at, r.submitted_by, r.outcome.value,
                          r.requirements, r.reviewer, r.reviewed_at) for r in rows]


# -- extensions ---------------------------------------------------------------
def request_extension(db: Database, problem_id: int, new_deadline: dt.date, reason: str) -> int:
    with db.transaction() as s:
        p = load(s, Problem, problem_id)
        if p.status.is_done:
            raise RuleViolation("已完成的问题不需要延期。")
        pending = s.scalar(select(func.count()).select_from(Extension).where(
            Extension.problem_id == problem_id, Extension.decision == Decision.PENDING))
        if pending:
            raise RuleViolation("该问题已有一项待审批的延期申请。")
        if p.deadline and new_deadline <= p.deadline:
            raise ValidationError("申请的新时限应晚于原完成时限。", "requested_deadline")
        e = Extension(problem_id=problem_id, original_deadline=p.deadline, requested_deadline=new_deadline,
                      reason=require_text(reason, "延期理由"), requested_at=_now())
        s.add(e)
        s.flush()
        return e.id


def decide_extension(db: Database, extension_id: int, approve: bool, decided_by: str) -> None:
    """Approve or refuse; the original deadline stays, the approved one is the one that counts."""
    with db.transaction() as s:
        e = load(s, Extension, extension_id)
        if e.decision != Decision.PENDING:
            raise RuleViolation("该延期申请已经审批过。")
        e.decision = Decision.APPROVED if approve else Decision.REJECTED
        e.decided_by = require_text(decided_by, "审批人")
        e.decided_at = _now()


def list_extensions(db: Database, problem_id: int) -> list[ExtensionRow]:
    with db.reading() as s:
        rows = s.scalars(select(Extension).where(Extension.problem_id == problem_id).order_by(Extension.id))
        return [ExtensionRow(e.id, e.problem_id, e.original_deadline, e.requested_deadline, e.reason,
                             e.decision.value, e.decided_by, e.decided_at, e.requested_by) for e in rows]


def import_status(db: Database, problem_id: int, status: Status | str, source: str) -> None:
    """Take a status as a published notice or a ledger states it (import, demo).

    Such a problem was signed off outside the program; the source is kept as the
    override reason so the evidence rule's exception stays visible and logged.
    """
    status = Status(status)
    with db.transaction() as s:
        p = load(s, Problem, problem_id)
        p.status = status
        if status.is_done:
            p.long_term = p.long_term or status == Status.LONG_TERM
            has_evidence = s.scalar(select(func.count()).select_from(EvidenceLink).where(
                EvidenceLink.problem_id == problem_id, EvidenceLink.removed_at.is_(None)))
            if not has_evidence:
                p.done_override_reason = require_text(source, "来源")
