"""Accounts and roles, enforced under the services (the window only reflects them)."""
from __future__ import annotations

import datetime as dt

import pytest

from app.errors import RuleViolation, ValidationError
from app.services import accounts, measures, problems, registry, rounds, status
from db.enums import Role
from db.guards import PermissionDenied
from db.models import Status
from db.session import Database

PASSWORDS = {"管理员甲": "admin-pass-1", "张三": "zhang-pass-1", "李审核": "review-pass-1",
             "王审核": "review-pass-2", "赵只读": "reader-pass-1"}


@pytest.fixture
def staff(db: Database, seeded: dict[str, int]) -> dict[str, int]:
    accounts.create_account(db, "管理员甲", Role.ADMIN, PASSWORDS["管理员甲"])
    accounts.sign_in(db, "管理员甲", PASSWORDS["管理员甲"])
    accounts.create_account(db, "张三", Role.CLERK, PASSWORDS["张三"])
    accounts.create_account(db, "李审核", Role.REVIEWER, PASSWORDS["李审核"])
    accounts.create_account(db, "王审核", Role.REVIEWER, PASSWORDS["王审核"])
    accounts.create_account(db, "赵只读", Role.READER, PASSWORDS["赵只读"])
    return seeded


def as_(db: Database, name: str) -> Database:
    accounts.sign_in(db, name, PASSWORDS[name])
    return db


def test_a_read_only_account_is_refused_by_the_services(db: Database, staff: dict[str, int]) -> None:
    as_(db, "赵只读")
    with pytest.raises(PermissionDenied, match="只读"):
        problems.update_problem(db, staff["p1"], leaders="赵书记")
    with pytest.raises(PermissionDenied):
        problems.create_problem(db, staff["round"], "新问题")
    with pytest.raises(PermissionDenied):
        measures.log_progress(db, staff["p1"], "进展")
    assert problems.get_problem(db, staff["p1"]).leaders == "王局长"   # reading is allowed
    assert len(problems.list_problems(db, staff["round"])) == 3


def test_a_reviewer_approves_a_clerks_submission_signed_by_the_accounts(db: Database, staff: dict[str, int]) -> None:
    as_(db, "张三")
    status.change_status(db, staff["p1"], Status.DONE, override_reason="会议纪要已归档", by="随便写的名字")
    assert problems.get_problem(db, staff["p1"]).status == Status.PENDING_REVIEW
    with pytest.raises(PermissionDenied, match="只有审核人"):
        status.approve_review(db, staff["p1"], reviewer="张三")
    as_(db, "李审核")
    assert status.approve_review(db, staff["p1"], reviewer="冒名") == Status.DONE
    [review] = status.list_reviews(db, staff["p1"])
    assert (review.submitted_by, review.reviewer, review.outcome) == ("张三", "李审核", "已销号")
    audit = [e for e in registry.read_audit(db, entity="review") if e.field == "outcome"]
    assert [e.user for e in audit] == ["李审核"]


def test_a_reviewer_is_refused_approving_their_own_submission(db: Database, staff: dict[str, int]) -> None:
    as_(db, "李审核")
    status.change_status(db, staff["p2"], Status.DONE, override_reason="制度已印发")
    with pytest.raises(PermissionDenied, match="不能审核自己提交"):
        status.approve_review(db, staff["p2"], reviewer="李审核")
    with pytest.raises(PermissionDenied, match="不能审核自己提交"):
        status.return_review(db, staff["p2"], reviewer="李审核", requirements="补充材料")
    assert problems.get_problem(db, staff["p2"]).status == Status.PENDING_REVIEW
    as_(db, "王审核")
    status.return_review(db, staff["p2"], reviewer="王审核", requirements="请补充会议记录。")
    assert problems.get_problem(db, staff["p2"]).status == Status.IN_PROGRESS


def test_an_extension_is_decided_by_another_reviewer(db: Database, staff: dict[str, int]) -> None:
    as_(db, "李审核")
    ext = status.request_extension(db, staff["p3"], dt.date(2024, 12, 31), "需跨年度完成")
    with pytest.raises(PermissionDenied, match="延期"):
        status.decide_extension(db, ext, True, decided_by="李审核")
    as_(db, "张三")
    with pytest.raises(PermissionDenied, match="只有审核人"):
        status.decide_extension(db, ext, True, decided_by="张三")
    as_(db, "王审核")
    status.decide_extension(db, ext, True, decided_by="王审核")
    [row] = status.list_extensions(db, staff["p3"])
    assert (row.decision, row.decided_by) == ("已批准", "王审核")


def test_only_an_admin_manages_accounts_and_rounds(db: Database, staff: dict[str, int]) -> None:
    as_(db, "张三")
    with pytest.raises(PermissionDenied, match="管理员"):
        accounts.create_account(db, "新人", Role.CLERK, "newbie-pass-1")
    with pytest.raises(PermissionDenied, match="管理员"):
        rounds.update_round(db, staff["round"], title="改名")
    accounts.change_password(db, PASSWORDS["张三"], "zhang-pass-2")   # one's own password: allowed
    with pytest.raises(RuleViolation, match="用户名或密码不正确"):
        accounts.sign_in(db, "张三", PASSWORDS["张三"])
    as_(db, "管理员甲")
    zhao = next(a for a in accounts.list_accounts(db) if a.name == "赵只读")
    accounts.set_active(db, zhao.id, False)
    with pytest.raises(RuleViolation, match="已停用"):
        accounts.sign_in(db, "赵只读", PASSWORDS["赵只读"])
    me = next(a for a in accounts.list_accounts(db) if a.name == "管理员甲")
    with pytest.raises(RuleViolation, match="至少要保留一个"):
        accounts.set_role(db, me.id, Role.CLERK)


def test_passwords_are_hashed_and_never_in_the_audit_log(db: Database, staff: dict[str, int]) -> None:
    with db.raw_reading() as reader:
        hashes = reader.values("select password_hash from account")
    assert all(h.startswith("$argon2id$") for h in hashes)
    logged = " ".join(f"{e.old_value} {e.new_value}" for e in registry.read_audit(db, entity="account"))
    assert "admin-pass-1" not in logged and "$argon2" not in logged
    with pytest.raises(ValidationError, match="至少"):
        accounts.create_account(db, "短密码", Role.CLERK, "short")


def test_without_accounts_a_desk_ledger_works_as_before(db: Database, seeded: dict[str, int]) -> None:
    assert not accounts.accounts_in_use(db)
    problems.update_problem(db, seeded["p1"], leaders="赵书记")
    status.change_status(db, seeded["p1"], Status.DONE, override_reason="已整改")
    status.approve_review(db, seeded["p1"], reviewer="主任")
    assert problems.get_problem(db, seeded["p1"]).status == Status.DONE


def test_once_accounts_exist_nobody_writes_without_signing_in(db: Database, seeded: dict[str, int]) -> None:
    with pytest.raises(RuleViolation, match="第一个账户必须是管理员"):
        accounts.create_account(db, "张三", Role.CLERK, PASSWORDS["张三"])
    accounts.create_account(db, "管理员甲", Role.ADMIN, PASSWORDS["管理员甲"])
    with pytest.raises(PermissionDenied, match="请先登录"):
        problems.update_problem(db, seeded["p1"], leaders="赵书记")
    accounts.sign_in(db, "管理员甲", PASSWORDS["管理员甲"])
    problems.update_problem(db, seeded["p1"], leaders="赵书记")
    accounts.sign_out(db)
    with pytest.raises(PermissionDenied, match="请先登录"):
        problems.update_problem(db, seeded["p1"], leaders="钱书记")
