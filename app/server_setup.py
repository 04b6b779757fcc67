"""Setting up a ledger on the office's server: `main.py server-init postgresql://台账@服务器/ledger --admin 张三`.

Creates the database (the server's user needs the CREATEDB right, or the database made beforehand),
brings it to the program's schema, records the shared folder for evidence files and makes the first
管理员, who then adds the clerks' accounts in the window.
"""
from __future__ import annotations

import logging

from sqlalchemy import update

from app.errors import RuleViolation
from app.services import accounts
from db.enums import Role
from db.errors import NoSuchLedger, ServerPermission
from db.models import LedgerState
from db.secrets import keep_password
from db.server import ServerDatabase, connect_error
from db.target import ServerAddress

log = logging.getLogger("xuncha")


def create_database(address: ServerAddress, password: str | None) -> bool:
    """Create the ledger's database if the server has none of that name; False if it was there."""
    import psycopg
    from psycopg import sql

    try:
        conn = psycopg.connect(host=address.host, port=address.port, user=address.user, password=password,
                               dbname="postgres", autocommit=True, connect_timeout=8)
    except psycopg.Error as exc:
        raise connect_error(exc, address, bool(password)) from exc
    with conn:
        if conn.execute("select 1 from pg_database where datname = %s", (address.database,)).fetchone():
            return False
        try:
            conn.execute(sql.SQL("create database {} encoding 'UTF8' template template0").format(
                sql.Identifier(address.database)))
        except psycopg.errors.InsufficientPrivilege as exc:
            log.warning("create database refused: %s", exc)
            raise ServerPermission() from exc
    return True


def init_server_ledger(address: ServerAddress, admin: str, admin_password: str, *, password: str | None = None,
                       shared_folder: str = "", remember: bool = True) -> None:
    """A new ledger on the server with its first 管理员 (refused if the database holds a ledger already)."""
    accounts.hash_password(admin_password)  # a too short password is told before anything is made
    try:
        create_database(address, password)
    except NoSuchLedger:  # no maintenance database to connect to: the ledger's must exist already
        pass
    db = ServerDatabase(address, password=password, evidence_dir=shared_folder or None).open()
    try:
        if accounts.accounts_in_use(db):
            raise RuleViolation(f"服务器上的台账 {address.database} 已经设置过管理员账户，未作改动。")
        if shared_folder:
            with db.engine.begin() as conn:
                conn.execute(update(LedgerState).where(LedgerState.id == 1).values(shared_folder=shared_folder))
        accounts.create_account(db, admin, Role.ADMIN, admin_password)
    finally:
        db.close()
    if remember and password:
        keep_password(address, password)
