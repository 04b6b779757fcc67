"""Small reads about the ledger as a whole, made without SQLAlchemy (the window asks them before and
beside its first screen): the change counter, whether accounts are in use, the shared folder.

Other clerks' changes reach an open window through the change counter: every unit of work that writes
adds one to it (`db/guards.py`); a window polls the number every few seconds (`ui/change_watch.py`)
and reloads what it shows when the number moved. One indexed row read: cheap enough for every open
window of an office, on PostgreSQL as on SQLite, and it needs no connection held open for LISTEN.
"""
from __future__ import annotations

from db.session import Database


def change_number(db: Database) -> int:
    """The ledger's change counter (it only grows)."""
    with db.raw_reading() as reader:
        return int(reader.scalar("select change_no from ledger_state where id = 1") or 0)


def accounts_exist(db: Database) -> bool:
    """Whether the ledger has accounts: then the window asks who is working before it shows the ledger."""
    with db.raw_reading() as reader:
        used = bool(reader.scalar("select count(*) from account"))
    db.accounts_in_use = used
    return used


def shared_folder(db: Database) -> str:
    """The folder a server ledger keeps its evidence files in, as it was set up ('' if none)."""
    with db.raw_reading() as reader:
        return str(reader.scalar("select shared_folder from ledger_state where id = 1") or "")
