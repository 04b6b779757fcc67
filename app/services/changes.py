"""Other clerks' changes reaching an open window: every unit of work that writes adds one to the
ledger's change counter (`db/guards.py`); a window polls the number every few seconds and reloads
what it shows when the number moved. One indexed row read: cheap enough for every open window of an
office, on PostgreSQL as on SQLite, and it needs no connection held open for LISTEN."""
from __future__ import annotations

from db.session import Database

_SQL = "select change_no from ledger_state where id = 1"


def change_number(db: Database) -> int:
    """The ledger's change counter (it only grows)."""
    with db.raw_reading() as reader:
        return int(reader.scalar(_SQL) or 0)
