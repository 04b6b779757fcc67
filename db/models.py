"""ORM classes of the ledger (SQLAlchemy 2.0 typed declarative).

Names follow the domain (`Problem`, `Evidence`); numbering and counts are never
stored: ordinals are `position` columns that only order rows, the displayed
numbers are derived in `app/`.
"""
from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Re-exported: app/ reads the enumerations from here along with the classes that use them.
from db.enums import Decision as Decision
from db.enums import RegulationKind as RegulationKind
from db.enums import ReviewOutcome as ReviewOutcome
from db.enums import Role as Role
from db.enums import RoundKind as RoundKind
from db.enums import Status as Status

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _enum(cls: type[enum.Enum]) -> Enum:
    # Store the readable value, not the member name, so the file reads well in any SQLite tool.
    return Enum(cls, values_callable=lambda e: [m.value for m in e], native_enum=False, length=20,
                validate_strings=True)


class Unit(Base):
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    signature: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(100), default="")
    contact_hours: Mapped[str] = mapped_column(String(200), default="")
    contact_address: Mapped[str] = mapped_column(String(300), default="")
    contact_postcode: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    rounds: Mapped[list[Round]] = relationship(back_populates="unit")


class Round(Base):
    __tablename__ = "round"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[RoundKind] = mapped_column(_enum(RoundKind), default=RoundKind.REGULAR)
    deciding_body: Mapped[str] = mapped_column(String(100), default="")
    inspection_group: Mapped[str] = mapped_column(String(100), default="")
    inspection_start: Mapped[dt.date | None] = mapped_column(Date)
    inspection_end: Mapped[dt.date | None] = mapped_column(Date)
    feedback_date: Mapped[dt.date | None] = mapped_column(Date)
    rectification_end: Mapped[dt.date | None] = mapped_column(Date)
    index_no: Mapped[str] = mapped_column(String(100), default="")
    doc_no: Mapped[str] = mapped_column(String(100), default="")
    topic: Mapped[str] = mapped_column(String(100), default="")
    publisher: Mapped[str] = mapped_column(String(200), default="")
    disclosure_period: Mapped[str] = mapped_column(String(100), default="")
    earlier_round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="SET NULL"))
    warn_yellow_days: Mapped[int] = mapped_column(Integer, default=20)
    warn_red_days: Mapped[int] = mapped_column(Integer, default=10)
    layout_style: Mapped[str] = mapped_column(String(10), default="A")
    # The numbering scheme as JSON (app/numbering_scheme.py); '' means the layout style's own habit.
    numbering: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see `db/guards.py`

    unit: Mapped[Unit] = relationship(back_populates="rounds")
    __table_args__ = (CheckConstraint("warn_red_days <= warn_yellow_days", name="warn_order"),)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class NoticeSettings(Base):
    """The notice's editable texts for a round (one row per round)."""

    __tablename__ = "notice_settings"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    opening: Mapped[str] = mapped_column(Text, default="")
    part_one: Mapped[str] = mapped_column(Text, default="")
    part_two_intro: Mapped[str] = mapped_column(Text, default="")
    part_three: Mapped[str] = mapped_column(Text, default="")
    contact_paragraph: Mapped[str] = mapped_column(Text, default="")
    signature: Mapped[str] = mapped_column(String(200), default="")
    sign_date: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see `db/guards.py`
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class Category(Base):
    """方面 (level 1) or 项 (level 2) above problems."""

    __tablename__ = "category"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)


class Problem(Base):
    __tablename__ = "problem"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(300), default="")
    leaders: Mapped[str] = mapped_column(String(300), default="")
    departments: Mapped[str] = mapped_column(String(300), default="")
    persons: Mapped[str] = mapped_column(String(300), default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    long_term: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.NOT_STARTED, index=True)
    progress_line: Mapped[str] = mapped_column(String(300), default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    internal_notes: Mapped[str] = mapped_column(Text, default="")
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    immediate: Mapped[bool] = mapped_column(Boolean, default=False)
    done_override_reason: Mapped[str] = mapped_column(Text, default="")
    next_review_date: Mapped[dt.date | None] = mapped_column(Date)
    earlier_problem_id: Mapped[int | None] = mapped_column(ForeignKey("problem.id", ondelete="SET NULL"))
    # Set when the clerk deletes the problem: the services hide it, undo clears it, the recycle bin purges it.
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see `db/guards.py`

    measures: Mapped[list[Measure]] = relationship(
        back_populates="problem", order_by="Measure.position", cascade="all, delete-orphan")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class Measure(Base):
    __tablename__ = "measure"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.NOT_STARTED)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # as Problem.deleted_at
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see `db/guards.py`

    problem: Mapped[Problem] = relationship(back_populates="measures")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class ProgressEntry(Base):
    __tablename__ = "progress_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    entry_date: Mapped[dt.date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see `db/guards.py`
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class Evidence(Base):
    """One stored file, unique by content. Linked to problems and measures by `EvidenceLink`."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    stored_path: Mapped[str] = mapped_column(String(200))  # relative to the data folder
    original_name: Mapped[str] = mapped_column(String(300))
    file_type: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text, default="")
    doc_date: Mapped[dt.date | None] = mapped_column(Date)
    attached_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class EvidenceLink(Base):
    """Evidence supporting a problem (and optionally one of its measures).

    Removing evidence from a problem sets `removed_at` (the recycle bin); only
    emptying the bin deletes the link, and the file once nothing links to it.
    """

    __tablename__ = "evidence_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"), index=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("evidence_id", "problem_id", "measure_id", name="once"),)


class Extension(Base):
    __tablename__ = "extension"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"), index=True)
    original_deadline: Mapped[dt.date | None] = mapped_column(Date)
    requested_deadline: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    decision: Mapped[Decision] = mapped_column(_enum(Decision), default=Decision.PENDING)
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    requested_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see `db/guards.py`
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class Review(Base):
    """销号审核: opened when a problem is marked done, closed by approval or return."""

    __tablename__ = "review"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"), index=True)
    target_status: Mapped[Status] = mapped_column(_enum(Status))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    submitted_by: Mapped[str] = mapped_column(String(100), default="")
    outcome: Mapped[ReviewOutcome] = mapped_column(_enum(ReviewOutcome), default=ReviewOutcome.PENDING)
    requirements: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(100), default="")
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see `db/guards.py`
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class Regulation(Base):
    __tablename__ = "regulation"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[RegulationKind] = mapped_column(_enum(RegulationKind), default=RegulationKind.NEW)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)


class RegulationLink(Base):
    __tablename__ = "regulation_link"
    regulation_id: Mapped[int] = mapped_column(ForeignKey("regulation.id", ondelete="CASCADE"), primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"), primary_key=True)


class RoundFigures(Base):
    """Disciplinary and financial figures of a round; money as exact decimals (万元)."""

    __tablename__ = "round_figures"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    clues_transferred: Mapped[int | None] = mapped_column(Integer)
    clues_closed: Mapped[int | None] = mapped_column(Integer)
    clues_in_progress: Mapped[int | None] = mapped_column(Integer)
    cases_filed: Mapped[int | None] = mapped_column(Integer)
    disciplined: Mapped[int | None] = mapped_column(Integer)
    other_handled: Mapped[int | None] = mapped_column(Integer)
    recovered_during: Mapped[Decimal | None] = mapped_column(Numeric(14, 4, asdecimal=True))
    recovered_since: Mapped[Decimal | None] = mapped_column(Numeric(14, 4, asdecimal=True))
    # The counts an imported notice states ("指出存在3个大方面5项问题"), kept as stated; exports count the tree.
    stated_aspects: Mapped[int | None] = mapped_column(Integer)
    stated_items: Mapped[int | None] = mapped_column(Integer)
    stated_problems: Mapped[int | None] = mapped_column(Integer)


class RedactionTerm(Base):
    """A name that the public notice replaces (张三 → 张某)."""

    __tablename__ = "redaction_term"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(String(200))
    replacement: Mapped[str] = mapped_column(String(200))


class Department(Base):
    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(100), default="")
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"))


class AuditEntry(Base):
    """Append-only: triggers in the migration refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))  # 新建 / 修改 / 删除
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(60), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)


class CollectionSend(Base):
    """A 填报表 sent to one 责任部门 (下发): the token in its hidden sheet finds it again on return."""

    __tablename__ = "collection_send"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    department: Mapped[str] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(36), unique=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    file_name: Mapped[str] = mapped_column(String(300))
    protected: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (Index("ix_collection_send_round_dept", "round_id", "department"),)


class CollectionSendItem(Base):
    """One problem as it was sent: the base that tells the office's changes from the department's."""

    __tablename__ = "collection_send_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    send_id: Mapped[int] = mapped_column(ForeignKey("collection_send.id", ondelete="CASCADE"), index=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)          # 序号 as printed in the sheet
    status: Mapped[str] = mapped_column(String(20))
    narrative: Mapped[str] = mapped_column(Text, default="")
    locked: Mapped[str] = mapped_column(Text, default="")  # the locked cells as sent (JSON)


class CollectionReturn(Base):
    """A returned 填报表 merged into the ledger (导入回执): which department, which file."""

    __tablename__ = "collection_return"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    send_id: Mapped[int | None] = mapped_column(ForeignKey("collection_send.id", ondelete="SET NULL"))
    department: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    reporters: Mapped[str] = mapped_column(String(300), default="")
    phones: Mapped[str] = mapped_column(String(300), default="")
    matched_by: Mapped[str] = mapped_column(String(20), default="id")   # id / text
    items_updated: Mapped[int] = mapped_column(Integer, default=0)
    evidence_files: Mapped[int] = mapped_column(Integer, default=0)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (Index("ix_collection_return_round_dept", "round_id", "department"),)


class CollectionConflict(Base):
    """A field both the office and the department changed since the send; the clerk decides."""

    __tablename__ = "collection_conflict"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("collection_return.id", ondelete="CASCADE"), index=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(40))         # narrative / status
    sent_value: Mapped[str] = mapped_column(Text, default="")
    office_value: Mapped[str] = mapped_column(Text, default="")
    department_value: Mapped[str] = mapped_column(Text, default="")
    resolution: Mapped[str] = mapped_column(String(20), default="")   # '' open / office / department
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Account(Base):
    """A clerk's account (`app/services/accounts.py`); the password only as an argon2 hash, never logged."""

    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    password_hash: Mapped[str] = mapped_column(String(200), info={"audit": "masked"})
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class LedgerState(Base):
    """One row: the change counter the open windows poll (`db/guards.py`), and a server ledger's
    shared folder for evidence files."""

    __tablename__ = "ledger_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    change_no: Mapped[int] = mapped_column(BigInteger, default=0)
    shared_folder: Mapped[str] = mapped_column(Text, default="")
