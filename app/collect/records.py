"""The collection's own rows, read in SQL over a DB-API connection (inside one read transaction)."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class SentItem:
    problem_id: int
    number: int
    status: str
    narrative: str
    locked: tuple[str, ...]


@dataclass(frozen=True)
class SendRow:
    id: int
    round_id: int
    department: str
    token: str
    sent_at: dt.datetime
    file_name: str


@dataclass(frozen=True)
class ReturnRow:
    id: int
    send_id: int | None
    department: str
    file_name: str
    file_sha256: str
    received_at: dt.datetime
    items_updated: int
    evidence_files: int
    superseded: bool
    conflicts_open: int


def _ts(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def sends(conn: sqlite3.Connection, round_id: int | None = None, token: str | None = None) -> list[SendRow]:
    sql = "select id, round_id, department, token, sent_at, file_name from collection_send"
    if token is not None:
        cur = conn.execute(sql + " where token = ?", (token,))
    else:
        cur = conn.execute(sql + " where round_id = ? order by sent_at, id", (round_id,))
    return [SendRow(i, r, d, t, _ts(at), f) for i, r, d, t, at, f in cur]


def latest_sends(conn: sqlite3.Connection, round_id: int) -> dict[str, SendRow]:
    """The newest send to each department of the round."""
    out: dict[str, SendRow] = {}
    for s in sends(conn, round_id):
        out[s.department] = s
    return out


def sent_items(conn: sqlite3.Connection, send_id: int) -> dict[int, SentItem]:
    return {pid: SentItem(pid, number, status, narrative, tuple(json.loads(locked or "[]")))
            for pid, number, status, narrative, locked in conn.execute(
                "select problem_id, number, status, narrative, locked from collection_send_item where send_id = ?"
                " order by id", (send_id,))}


def returns(conn: sqlite3.Connection, round_id: int) -> list[ReturnRow]:
    return [ReturnRow(i, send_id, d, f, sha, _ts(at), n, ev, bool(sup), open_)
            for i, send_id, d, f, sha, at, n, ev, sup, open_ in conn.execute(
                "select r.id, r.send_id, r.department, r.file_name, r.file_sha256, r.received_at, r.items_updated,"
                " r.evidence_files, r.superseded,"
                " (select count(*) from collection_conflict c where c.return_id = r.id and c.resolution = '')"
                " from collection_return r where r.round_id = ? order by r.received_at, r.id", (round_id,))]


def returned_since(send: SendRow, rets: list[ReturnRow]) -> list[ReturnRow]:
    """The returns of this send (or matched without its hidden sheet) that came in after it was sent."""
    return [r for r in rets if r.department == send.department and r.received_at >= send.sent_at
            and r.send_id in (None, send.id)]
