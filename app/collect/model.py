"""The merge preview: what a returned 填报表 would change, problem by problem, before anything is written."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

APPLY, CONFLICT, SAME, REFUSED = "apply", "conflict", "same", "refused"
OFFICE, DEPARTMENT, OPEN = "office", "department", ""
FIELD_LABELS = {"narrative": "整改情况", "status": "完成情况"}


@dataclass
class FieldChange:
    field: str                 # narrative / status
    sent: str                  # as the workbook was sent
    office: str                # in the ledger now
    department: str            # as the department returned it
    kind: str                  # apply / conflict / same / refused
    note: str = ""

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]


@dataclass(frozen=True)
class EvidenceFile:
    path: Path
    sha256: str
    already: bool              # the same content is already linked to the problem


@dataclass
class ProblemMerge:
    problem_id: int
    number: int                # 序号 in the ledger now
    text: str
    sheet_row: int
    progress: str = ""         # to append to the progress log ('' none)
    progress_date: dt.date | None = None
    date_from_return: bool = True   # False: the 填报日期 was unreadable, the receipt date stands in
    progress_older: bool = False    # an old send's progress dated before the newer send
    author: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    locked_edits: list[tuple[str, str, str]] = field(default_factory=list)   # (列, 下发时, 回执中)
    evidence: list[EvidenceFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def conflicts(self) -> list[FieldChange]:
        return [c for c in self.changes if c.kind == CONFLICT]

    @property
    def has_update(self) -> bool:
        return bool(self.progress or any(c.kind in (APPLY, CONFLICT) for c in self.changes)
                    or any(not e.already for e in self.evidence))


@dataclass
class FilePreview:
    path: Path
    sha256: str
    department: str
    round_id: int
    send_id: int | None
    sent_at: dt.datetime | None
    matched_by: str = "id"                    # id / text
    superseded_by: dt.datetime | None = None  # a newer send to the same department exists
    already_received: dt.datetime | None = None
    errors: list[str] = field(default_factory=list)     # nothing can be merged from this file
    notes: list[str] = field(default_factory=list)
    problems: list[ProblemMerge] = field(default_factory=list)
    ignored_rows: list[str] = field(default_factory=list)   # rows added, unknown ids …
    missing: list[str] = field(default_factory=list)        # problems sent but not returned (rows deleted)
    reporters: str = ""
    phones: str = ""

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def needs_confirmation(self) -> bool:
        return self.matched_by == "text"

    @property
    def mergeable(self) -> bool:
        return not self.errors and any(p.has_update for p in self.problems)

    def updates(self) -> list[ProblemMerge]:
        return [p for p in self.problems if p.has_update]

    def conflicts(self) -> list[tuple[ProblemMerge, FieldChange]]:
        return [(p, c) for p in self.problems for c in p.conflicts]

    def summary(self) -> str:
        if self.errors:
            return "无法导入：" + self.errors[0]
        n_conf = len(self.conflicts())
        parts = [f"{len(self.updates())} 个问题有更新"]
        if n_conf:
            parts.append(f"{n_conf} 处冲突待定")
        ev = sum(1 for p in self.problems for e in p.evidence if not e.already)
        if ev:
            parts.append(f"佐证材料 {ev} 个")
        if self.superseded_by:
            parts.append("旧表")
        if self.needs_confirmation:
            parts.append("按序号和内容匹配，须确认")
        return "，".join(parts)


Decisions = dict[tuple[int, str], str]   # (problem id, field) → office / department / '' (leave open)
