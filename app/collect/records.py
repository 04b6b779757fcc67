"""The collection's own rows, read in SQL by column name (`db/reader.py`, inside one read transaction)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from app.rowbuild import build, build_all
from db.reader import Reader


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


def sends(reader: Reader, round_id: int | None = None, token: str | None = None) -> list[SendRow]:
    sql = "select id, round_id, department, token, sent_at, file_name from collection_send"
    if token is not None:
        return build_all(SendRow, reader.rows(sql + " where token = :token", token=token))
    return build_all(SendRow, reader.rows(sql + " where round_id = :round order by sent_at, id", round=round_id))


def latest_sends(reader: Reader, round_id: int) -> dict[str, SendRow]:
    """The newest send to each department of the round."""
    out: dict[str, SendRow] = {}
    for s in sends(reader, round_id):
        out[s.department] = s
    return out


def sent_items(reader: Reader, send_id: int) -> dict[int, SentItem]:
    return {r["problem_id"]: build(SentItem, r, locked=tuple(json.loads(r["locked"] or "[]")))
            for r in reader.rows(
                "select problem_id, number, status, narrative, locked from collection_send_item where send_id = :send"
                " order by id", send=send_id)}


def returns(reader: Reader, round_id: int) -> list[ReturnRow]:
    return build_all(ReturnRow, reader.rows(
        "select r.id, r.send_id, r.department, r.file_name, r.file_sha256, r.received_at, r.items_updated,"
        " r.evidence_files, r.superseded,"
        " (select count(*) from collection_conflict c where c.return_id = r.id and c.resolution = '')"
        " as conflicts_open from collection_return r where r.round_id = :round order by r.received_at, r.id",
        round=round_id))


def returned_since(send: SendRow, rets: list[ReturnRow]) -> list[ReturnRow]:
    """The returns of this send (or matched without its hidden sheet) that came in after it was sent."""
    return [r for r in rets if r.department == send.department and r.received_at >= send.sent_at
            and r.send_id in (None, send.id)]
