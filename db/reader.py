"""Read queries written in SQL, the same on both engines: `:name` parameters, rows by column name.

`app/` writes its fast read queries (the ledger's first screen, a round's snapshot, the collection's
rows) in plain SQL that both SQLite and PostgreSQL accept, and reads each row's values by the column's
name (`select p.id, p.deadline as effective_deadline …`). A `Reader` runs them:

- on SQLite, straight on the `sqlite3` connection (the first screen is read so before SQLAlchemy is
  imported; the standard module accepts `:name` parameters itself);
- on PostgreSQL, through SQLAlchemy's `text()` on a pooled psycopg connection.

Values come back as each driver gives them (SQLite: ISO strings for dates, 0/1 for booleans;
PostgreSQL: `date`, `bool`, `Decimal`); `app/rowbuild.py` turns them into the typed rows.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection

Row = dict[str, Any]


class Reader:
    """Runs read queries; subclasses bind it to one connection and one read transaction."""

    dialect = ""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any) -> list[Row]:
        raise NotImplementedError

    def table(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any
              ) -> tuple[tuple[str, ...], list[Any]]:
        """The column names and the rows as tuples: for reads of thousands of rows, where a dict per
        row costs more than the query (the caller still takes each value by its column's name)."""
        raise NotImplementedError

    def first(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any) -> Row | None:
        found = self.rows(sql, params, **kw)
        return found[0] if found else None

    def values(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any) -> list[Any]:
        """The first column of every row."""
        return [next(iter(r.values())) for r in self.rows(sql, params, **kw)]

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any) -> Any:
        found = self.values(sql, params, **kw)
        return found[0] if found else None

    def pairs(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any) -> dict[Any, Any]:
        """A two-column query as a dict (first column → second)."""
        out: dict[Any, Any] = {}
        for r in self.rows(sql, params, **kw):
            key, value = r.values()
            out[key] = value
        return out


def _merged(params: Mapping[str, Any] | None, kw: dict[str, Any]) -> dict[str, Any]:
    return {**params, **kw} if params else kw


class SqliteReader(Reader):
    """Over a plain `sqlite3` connection (dates and decimals bound as the ORM stores them: ISO text)."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.connection = conn

    def rows(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any) -> list[Row]:
        names, found = self.table(sql, params, **kw)
        return [dict(zip(names, r, strict=True)) for r in found]

    def table(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any
              ) -> tuple[tuple[str, ...], list[Any]]:
        bound = {k: _sqlite_value(v) for k, v in _merged(params, kw).items()}
        cur = self.connection.execute(sql, bound)
        return tuple(d[0] for d in cur.description), cur.fetchall()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class SqlAlchemyReader(Reader):
    """Over an SQLAlchemy connection (PostgreSQL; the driver converts the values)."""

    def __init__(self, conn: Connection) -> None:
        self.connection = conn
        self.dialect = conn.dialect.name

    def rows(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any) -> list[Row]:
        names, found = self.table(sql, params, **kw)
        return [dict(zip(names, r, strict=True)) for r in found]

    def table(self, sql: str, params: Mapping[str, Any] | None = None, /, **kw: Any
              ) -> tuple[tuple[str, ...], list[Any]]:
        from sqlalchemy import text

        bound = {k: v.value if isinstance(v, Enum) else v for k, v in _merged(params, kw).items()}
        result = self.connection.execute(text(sql), bound)
        return tuple(result.keys()), [tuple(r) for r in result]
