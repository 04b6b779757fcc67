"""problems and measures are deleted softly (deleted_at), so undo puts them back whole

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("problem", "measure"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # Rows deleted softly are deleted for good before the column goes (the database cascades the rest).
    op.execute("DELETE FROM measure WHERE deleted_at IS NOT NULL")
    op.execute("DELETE FROM problem WHERE deleted_at IS NOT NULL")
    for table in ("measure", "problem"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("deleted_at")
