"""The command line's side of server ledgers and accounts: `--db` as a path or a server address,
signing in (`--user`), `server-init`, `migrate-ledger` and `account`. No Qt.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import paths
from db.errors import PasswordNeeded
from db.session import Database, open_database
from db.target import BadAddress, is_server, parse_server

PASSWORD_ENV = "XUNCHA_PASSWORD"  # the account's password for scripts (otherwise asked at the terminal)


def target(value: str) -> Path | str:
    """`--db`'s value: a server address (checked now, so a typo is told at once) or a file path."""
    if is_server(value):
        try:
            return parse_server(value).url
        except BadAddress as exc:
            raise argparse.ArgumentTypeError(str(exc)) from exc
    return Path(value)


def log_folder(db_target: Path | str) -> Path:
    return paths.data_dir() if is_server(db_target) else Path(db_target).parent


def add_user_arg(p: argparse.ArgumentParser, default: Any = argparse.SUPPRESS) -> None:
    p.add_argument("--user", default=default, metavar="账户",
                   help=f"以此账户登录（台账启用账户时修改需要；密码在终端询问，或取自环境变量 {PASSWORD_ENV}）")


def ask_password(prompt: str, env: str = PASSWORD_ENV) -> str:
    given = os.environ.get(env)
    if given:
        return given
    if not sys.stdin.isatty():
        from app.errors import RuleViolation

        raise RuleViolation(f"需要密码：请在终端中运行，或设置环境变量 {env}。")
    return getpass.getpass(prompt)


def open_for_command(db_target: Path | str, user: str | None) -> Database:
    """Open the ledger and, with `--user`, sign in (a ledger with accounts refuses changes otherwise)."""
    try:
        db = open_database(db_target)
    except PasswordNeeded:
        if not sys.stdin.isatty():
            raise
        address = parse_server(str(db_target))
        db = open_database(address, password=getpass.getpass(f"数据库用户“{address.user}”的密码："))
    if user:
        from app.services import accounts

        try:
            accounts.sign_in(db, user, ask_password(f"账户“{user}”的密码："))
        except BaseException:
            db.close()
            raise
    return db


# -- commands ---------------------------------------------------------------------------------------
def add_parsers(sub: Any, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    si = sub.add_parser("server-init", help="在 PostgreSQL 服务器上创建台账数据库和第一个管理员账户")
    si.add_argument("address", metavar="postgresql://用户@服务器/ledger",
                    help="台账数据库的地址（数据库不存在时由该数据库用户创建，需有 CREATEDB 权限）")
    si.add_argument("--admin", required=True, metavar="账户", help="第一个管理员账户的名称（通常是本人姓名）")
    si.add_argument("--shared-folder", default="", metavar="文件夹",
                    help="存放佐证材料的共享文件夹（如 \\\\服务器\\台账 或 /mnt/台账）")
    ml = sub.add_parser("migrate-ledger", help="把台账整体迁移到另一处（SQLite 文件 ↔ PostgreSQL 服务器），含佐证材料")
    ml.add_argument("source", type=target, metavar="SRC", help="源台账：文件路径或 postgresql://… 地址")
    ml.add_argument("dest", type=target, metavar="DEST", help="目标台账：新文件路径或空的 postgresql://… 数据库")
    ml.add_argument("--shared-folder", default="", metavar="文件夹",
                    help="目标为服务器时存放佐证材料的共享文件夹")
    ac = sub.add_parser("account", help="账户：列出、新建（管理员）")
    ac_sub = ac.add_subparsers(dest="account_command", metavar="操作", required=True)
    al = ac_sub.add_parser("list", help="列出账户及其角色")
    db_arg(al)
    aa = ac_sub.add_parser("add", help="新建账户（需以管理员登录；第一个账户除外）")
    aa.add_argument("name", metavar="账户")
    aa.add_argument("--role", required=True, choices=["管理员", "录入员", "审核人", "只读"])
    db_arg(aa)


def cmd_server_init(args: argparse.Namespace) -> int:
    from app.server_setup import init_server_ledger
    from db.secrets import stored_password

    address = parse_server(args.address)
    password = stored_password(address) or ask_password(f"数据库用户“{address.user}”的密码：", "PGPASSWORD")
    admin_password = ask_password(f"管理员账户“{args.admin}”的密码：")
    init_server_ledger(address, args.admin, admin_password, password=password, shared_folder=args.shared_folder)
    print(f"已创建台账 {address.url}，管理员账户：{args.admin}")
    return 0


def cmd_migrate_ledger(args: argparse.Namespace) -> int:
    from app.ledger_move import move_ledger

    report = move_ledger(args.source, args.dest, shared_folder=args.shared_folder,
                         progress=lambda done, total, label: print(f"  {label}（{done}/{total}）", flush=True))
    print("\n".join(report.lines()))
    return 0


def cmd_account(args: argparse.Namespace, db: Database) -> int:
    from app.services import accounts

    if args.account_command == "list":
        for a in accounts.list_accounts(db):
            print(f"{a.name}\t{a.role.value}\t{'' if a.active else '已停用'}")
        return 0
    password = ask_password(f"新账户“{args.name}”的密码：")
    row = accounts.create_account(db, args.name, args.role, password)
    print(f"已新建账户 {row.name}（{row.role.value}）")
    return 0


def cmd_restore_server(args: argparse.Namespace, db_target: Path | str) -> int:
    """`restore 备份.zip --db postgresql://…`: into a server database that holds no ledger yet."""
    from app.errors import ValidationError
    from app.server_restore import restore_into_server

    if not getattr(args, "archive", None) or getattr(args, "list", False) or getattr(args, "undo", None) is not None:
        raise ValidationError("服务器上的台账没有安全副本：请给出要恢复的备份文件，恢复到一个新建的空数据库中。")
    with open_database(db_target) as db:
        report = restore_into_server(args.archive, db)
    print(f"已从 {args.archive} 恢复到 {db_target}。")
    print("\n".join(report.lines()[1:]))
    return 0
