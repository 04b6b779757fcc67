"""the source's own counts (方面, 项, 问题 as the imported notice states them), kept beside the round's figures

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round_figures") as batch_op:
        batch_op.add_column(sa.Column("stated_aspects", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stated_items", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stated_problems", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("round_figures") as batch_op:
        batch_op.drop_column("stated_problems")
        batch_op.drop_column("stated_items")
        batch_op.drop_column("stated_aspects")
