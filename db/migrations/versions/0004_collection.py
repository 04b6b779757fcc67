"""departments report by file: what was sent to each 责任部门, what came back, and open conflicts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collection_send",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("protected", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_collection_send_round_id_round"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_send")),
        sa.UniqueConstraint("token", name=op.f("uq_collection_send_token")),
    )
    op.create_index("ix_collection_send_round_dept", "collection_send", ["round_id", "department"])
    op.create_table(
        "collection_send_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("send_id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("locked", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["send_id"], ["collection_send.id"],
                                name=op.f("fk_collection_send_item_send_id_collection_send"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["problem_id"], ["problem.id"],
                                name=op.f("fk_collection_send_item_problem_id_problem"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_send_item")),
    )
    op.create_index(op.f("ix_collection_send_item_send_id"), "collection_send_item", ["send_id"])
    op.create_table(
        "collection_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("send_id", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("reporters", sa.String(length=300), nullable=False),
        sa.Column("phones", sa.String(length=300), nullable=False),
        sa.Column("matched_by", sa.String(length=20), nullable=False),
        sa.Column("items_updated", sa.Integer(), nullable=False),
        sa.Column("evidence_files", sa.Integer(), nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_collection_return_round_id_round"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["send_id"], ["collection_send.id"],
                                name=op.f("fk_collection_return_send_id_collection_send"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_return")),
    )
    op.create_index("ix_collection_return_round_dept", "collection_return", ["round_id", "department"])
    op.create_table(
        "collection_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("sent_value", sa.Text(), nullable=False),
        sa.Column("office_value", sa.Text(), nullable=False),
        sa.Column("department_value", sa.Text(), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["return_id"], ["collection_return.id"],
                                name=op.f("fk_collection_conflict_return_id_collection_return"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["problem_id"], ["problem.id"],
                                name=op.f("fk_collection_conflict_problem_id_problem"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_conflict")),
    )
    op.create_index(op.f("ix_collection_conflict_return_id"), "collection_conflict", ["return_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_collection_conflict_return_id"), table_name="collection_conflict")
    op.drop_table("collection_conflict")
    op.drop_index("ix_collection_return_round_dept", table_name="collection_return")
    op.drop_table("collection_return")
    op.drop_index(op.f("ix_collection_send_item_send_id"), table_name="collection_send_item")
    op.drop_table("collection_send_item")
    op.drop_index("ix_collection_send_round_dept", table_name="collection_send")
    op.drop_table("collection_send")
