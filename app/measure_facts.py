"""A measure's facts in a ledger cell, in brackets after its text: "制定学习计划（责任人：张三；时限：2024年6月30日；
已完成）". The ledger's export writes them and its import reads them back (a ledger made here, edited in Excel,
imported into another ledger): one format, kept in one place."""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from app.numerals import date_cn, parse_date
from db.enums import Status

OWNER, DEADLINE = "责任人", "时限"
_STATES = {s.value: s for s in Status}
_PARTS = re.compile(r"[；;]")


class Facts(NamedTuple):
    owner: str = ""
    deadline: dt.date | None = None
    status: Status | None = None


def facts_text(owner: str, deadline: dt.date | None, status: Status) -> str:
    """"责任人：张三；时限：2024年6月30日；已完成": what the bracket holds (a part the clerk left empty is left out)."""
    parts = [f"{OWNER}：{owner}" if owner.strip() else "", f"{DEADLINE}：{date_cn(deadline)}" if deadline else "",
             status.value]
    return "；".join(p for p in parts if p)


def read_facts(bracket: str) -> Facts | None:
    """The facts of a bracket in which every part is one of them; None if any part is something else (a
    bracket of the measure's own wording) or a date that cannot be read."""
    found = Facts()
    for part in (p.strip() for p in _PARTS.split(bracket)):
        key, _, value = part.partition("：")
        if key == OWNER and value:
            found = found._replace(owner=value.strip())
        elif key == DEADLINE and value:
            try:
                deadline = parse_date(value.strip())
            except ValueError:
                return None
            if deadline is None:
                return None
            found = found._replace(deadline=deadline)
        elif part in _STATES:
            found = found._replace(status=_STATES[part])
        else:
            return None
    return found
