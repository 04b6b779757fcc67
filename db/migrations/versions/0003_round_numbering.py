"""a round keeps its numbering scheme (prefix style per level, problems across or within groups)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round") as batch_op:
        batch_op.add_column(sa.Column("numbering", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("round") as batch_op:
        batch_op.drop_column("numbering")
