"""What every unit of work passes through before it is written, whichever service wrote it.

- **Roles.** The signed-in account's role (`db.enums.Role`) decides what a flush may change; a 审核人
  never decides a 销号 or 延期 they submitted. Checked here, under every service, the way the audit log
  is written under every service: no service can forget, and the window only reflects it.
- **Signatures.** With an account signed in, the names a row is signed with (who submitted a 销号,
  who reviewed it, who asked for or decided a 延期, who wrote a progress note, the audit log's user)
  are the account's, whatever the caller passed.
- **The change counter.** A unit of work that wrote anything adds one to `ledger_state.change_no` as
  its very last statement; an open window polls that number to show other clerks' changes. Taken
  last, its row lock is held only while committing (and never before another lock: no deadlock).

- **Versions.** A changed row of a versioned class gets its next version (`_next_versions`).

On a desk's SQLite ledger without accounts no role is checked, as before accounts existed.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from sqlalchemy import event, insert, inspect, update
from sqlalchemy.orm import Session, sessionmaker

from db.enums import Decision, ReviewOutcome, Role
from db.errors import StorageError
from db.models import (
    Account,
    AuditEntry,
    Extension,
    LedgerState,
    ProgressEntry,
    Review,
    Round,
    Unit,
)

WROTE = "ledger_wrote"  # session.info key: this unit of work changed something
VERSION_MARKS = "ledger_versions"  # session.info key: the new versions of this flush, for the audit log


class PermissionDenied(StorageError):
    """The signed-in account's role does not allow the change (a `StorageError`: the clerk sees it as is)."""


class SignedIn(Protocol):
    name: str
    role: Role


class Ledger(Protocol):
    account: SignedIn | None
    accounts_in_use: bool


_ADMIN_ONLY = (Unit, Round)


def install_guards(factory: sessionmaker[Session], db: Any) -> None:
    @event.listens_for(factory, "before_flush")
    def _check(session: Session, _ctx: Any, _instances: Any) -> None:
        _next_versions(session)
        account = db.account
        if account is not None:
            session.info["audit_user"] = account.name
            _sign(session, account)
            check_flush(session, account)
        elif _accounts_in_use(db, session) and _changes(session):
            raise PermissionDenied("此台账已启用账户，请先登录后再修改。")

    @event.listens_for(factory, "after_flush")
    def _mark(session: Session, _ctx: Any) -> None:
        _write_version_marks(session, db)
        if _changes(session):
            session.info[WROTE] = True

    @event.listens_for(factory, "before_commit")
    def _count(session: Session) -> None:
        session.flush()
        if session.info.pop(WROTE, False):
            session.execute(update(LedgerState).where(LedgerState.id == 1)
                            .values(change_no=LedgerState.change_no + 1))

    @event.listens_for(factory, "after_soft_rollback")
    def _forget(session: Session, _previous: Any) -> None:
        session.info.pop(WROTE, None)
        session.info.pop(VERSION_MARKS, None)


def _next_versions(session: Session) -> None:
    """Each changed row of a versioned class (`version_id_col`, `version_id_generator=False`) gets the next
    version: SQLAlchemy's UPDATE then says `… where version = <the one read>` and a row someone else
    saved meanwhile is not overwritten (StaleDataError → `ChangedMeanwhile`). Set here, as a plain
    change, the new version is in the audit log too: the marker `app/services/conflicts.py` reads the
    other clerk's changes from."""
    marks = session.info.setdefault(VERSION_MARKS, [])
    for obj in session.dirty:
        mapper = inspect(obj).mapper
        if mapper.version_id_col is None or not session.is_modified(obj, include_collections=False):
            continue
        if _changed_fields(obj) - {"version"}:
            old = obj.version or 0
            obj.version = old + 1
            ident = "/".join(str(v) for v in inspect(obj).identity or ())
            marks.append(dict(entity=obj.__tablename__, entity_id=ident, old_value=str(old),
                              new_value=str(old + 1)))


def _write_version_marks(session: Session, db: Any) -> None:
    """The audit log's record of each new version, after the flush's own audit rows (the ORM settles a
    version column itself, so the audit hook never sees it change)."""
    marks = session.info.pop(VERSION_MARKS, [])
    if marks:
        at = dt.datetime.now().replace(microsecond=0)
        user = (db.signer() if hasattr(db, "signer") else "") or "未署名"   # as the audit hook signs
        session.connection().execute(insert(AuditEntry), [
            dict(m, at=at, user=user, action="修改", field="version") for m in marks])


def _accounts_in_use(db: Any, session: Session) -> bool:
    """Whether the ledger has accounts (then nobody writes without signing in); asked once per program."""
    if getattr(db, "accounts_in_use", None) is None:
        from sqlalchemy import func, select

        db.accounts_in_use = bool(session.scalar(select(func.count()).select_from(Account)))
    return bool(db.accounts_in_use)


def _changes(session: Session) -> list[Any]:
    dirty = [o for o in session.dirty if session.is_modified(o)]
    return [o for o in (*session.new, *dirty, *session.deleted) if not isinstance(o, AuditEntry)]


def _changed_fields(obj: Any) -> set[str]:
    state = inspect(obj)
    return {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}


def _sign(session: Session, account: SignedIn) -> None:
    for obj in session.new:
        if isinstance(obj, Review):
            obj.submitted_by = account.name
        elif isinstance(obj, Extension):
            obj.requested_by = account.name
        elif isinstance(obj, ProgressEntry):
            obj.author = account.name
    for obj in session.dirty:
        if isinstance(obj, Review) and "outcome" in _changed_fields(obj):
            obj.reviewer = account.name
        elif isinstance(obj, Extension) and "decision" in _changed_fields(obj):
            obj.decided_by = account.name


def check_flush(session: Session, account: SignedIn) -> None:
    """Refuse the flush if `account` may not make one of its changes.

    录入员 write the ledger's content; a 审核人 may too (in a small office the senior clerk reviews the
    others' items) and alone decides 销号 and 延期, never their own; a 管理员 writes the content and
    alone manages accounts, the unit and rounds; 只读 writes nothing."""
    role = account.role
    changes = _changes(session)
    if not changes:
        return
    if role not in (Role.ADMIN, Role.CLERK, Role.REVIEWER):
        raise PermissionDenied("只读账户只能浏览、打印和导出，不能修改台账。")
    for obj in changes:
        if isinstance(obj, Review | Extension) and _is_decision(obj):
            _check_decision(obj, account)
        elif isinstance(obj, Account):
            _check_account(session, obj, account)
        elif isinstance(obj, _ADMIN_ONLY) and role != Role.ADMIN:
            raise PermissionDenied("只有管理员可以修改单位信息和巡察轮次。")


def _is_decision(obj: Review | Extension) -> bool:
    if isinstance(obj, Review):
        return "outcome" in _changed_fields(obj) and obj.outcome != ReviewOutcome.PENDING
    return "decision" in _changed_fields(obj) and obj.decision != Decision.PENDING


def _check_decision(obj: Review | Extension, account: SignedIn) -> None:
    what = "销号" if isinstance(obj, Review) else "延期"
    if account.role != Role.REVIEWER:
        raise PermissionDenied(f"只有审核人可以审核{what}申请。")
    submitter = obj.submitted_by if isinstance(obj, Review) else obj.requested_by
    if submitter == account.name:
        raise PermissionDenied(f"不能审核自己提交的{what}申请，请由另一位审核人审核。")


def _check_account(session: Session, obj: Account, account: SignedIn) -> None:
    if account.role == Role.ADMIN:
        return
    own = obj.name == account.name and obj not in session.new and obj not in session.deleted
    if not (own and _changed_fields(obj) <= {"password_hash"}):
        raise PermissionDenied("只有管理员可以管理账户；其他账户只能修改自己的密码。")
