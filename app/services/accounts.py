"""Accounts and roles: 管理员, 录入员, 审核人, 只读.

The program keeps its own accounts in the ledger, passwords hashed with argon2id (argon2-cffi), rather
than making each clerk a PostgreSQL role: the same accounts then work on a desk's SQLite file and on the
server, moving a ledger between the two takes its accounts along, and a 管理员 manages clerks in the
window without the server's superuser. The server itself is reached with one database user per office
(its password in each machine's keyring). What each role may change is checked under every service
(`db/guards.py`); this module signs in, and manages the accounts.

On a SQLite ledger accounts stay optional: until the first account is made, nobody signs in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.errors import RuleViolation, ValidationError
from app.services.common import load
from db.enums import Role
from db.models import Account
from db.session import Database

MIN_PASSWORD = 8
MAX_NAME = 40
WRONG = "用户名或密码不正确。"


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    role: Role
    active: bool


def _row(a: Account) -> AccountRow:
    return AccountRow(a.id, a.name, a.role, a.active)


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少 {MIN_PASSWORD} 位。", "password")
    return str(_hasher().hash(password))


def _verify(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def _clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError("请填写账户名（通常是本人姓名）。", "name")
    if len(name) > MAX_NAME:
        raise ValidationError(f"账户名过长（最多 {MAX_NAME} 字）。", "name")
    return name


# -- signing in ------------------------------------------------------------------------------------------
def accounts_in_use(db: Database) -> bool:
    """Whether the ledger has accounts: then the window asks who is working before it shows the ledger."""
    from app.services.ledger_state import accounts_exist

    return accounts_exist(db)


def sign_in(db: Database, name: str, password: str) -> AccountRow:
    """Check the password and make the account the one every later unit of work is done as."""
    with db.reading() as s:
        a = s.scalar(select(Account).where(Account.name == _clean_name(name)))
        stored = a.password_hash if a is not None else ""
        row = _row(a) if a is not None else None
    if row is None:
        _verify(_DUMMY_HASH, password)  # the same time for an unknown name as for a wrong password
        raise RuleViolation(WRONG)
    if not _verify(stored, password):
        raise RuleViolation(WRONG)
    if not row.active:
        raise RuleViolation(f"账户“{row.name}”已停用，请联系管理员。")
    db.account = row
    db.accounts_in_use = True
    return row


def sign_out(db: Database) -> None:
    db.account = None


def current(db: Database) -> AccountRow | None:
    account = db.account
    return account if isinstance(account, AccountRow) else None


# -- managing (管理员; the first account needs nobody signed in) --------------------------------------------
def create_account(db: Database, name: str, role: Role | str, password: str) -> AccountRow:
    role = Role(role)
    name = _clean_name(name)
    digest = hash_password(password)
    with db.transaction() as s:
        if not s.scalar(select(func.count()).select_from(Account)) and role != Role.ADMIN:
            raise RuleViolation("第一个账户必须是管理员。")
        if s.scalar(select(Account).where(Account.name == name)) is not None:
            raise ValidationError(f"已有名为“{name}”的账户。", "name")
        a = Account(name=name, role=role, password_hash=digest, active=True)
        s.add(a)
        s.flush()
        row = _row(a)
    db.accounts_in_use = True
    return row


def list_accounts(db: Database) -> list[AccountRow]:
    with db.reading() as s:
        return [_row(a) for a in s.scalars(select(Account).order_by(Account.id))]


def _other_admins(s: object, account_id: int) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    return s.scalar(select(func.count()).select_from(Account).where(
        Account.role == Role.ADMIN, Account.active.is_(True), Account.id != account_id)) or 0


def set_role(db: Database, account_id: int, role: Role | str) -> AccountRow:
    role = Role(role)
    with db.transaction() as s:
        a = load(s, Account, account_id)
        if a.role == Role.ADMIN and role != Role.ADMIN and not _other_admins(s, a.id):
            raise RuleViolation("至少要保留一个可用的管理员账户。")
        a.role = role
        return _row(a)


def set_active(db: Database, account_id: int, active: bool) -> AccountRow:
    with db.transaction() as s:
        a = load(s, Account, account_id)
        if not active and a.role == Role.ADMIN and not _other_admins(s, a.id):
            raise RuleViolation("至少要保留一个可用的管理员账户。")
        a.active = active
        return _row(a)


def reset_password(db: Database, account_id: int, password: str) -> None:
    """A 管理员 sets a new password for a clerk who forgot theirs."""
    digest = hash_password(password)
    with db.transaction() as s:
        load(s, Account, account_id).password_hash = digest


def change_password(db: Database, old: str, new: str) -> None:
    """The signed-in clerk changes their own password."""
    me = current(db)
    if me is None:
        raise RuleViolation("请先登录。")
    digest = hash_password(new)
    with db.transaction() as s:
        a = load(s, Account, me.id)
        if not _verify(a.password_hash, old):
            raise RuleViolation("原密码不正确。")
        a.password_hash = digest


_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$0VgGfS0Nn8vB7mYQm7lR1Q0c8p8yQ9r3b3h6w0n8XjU"
