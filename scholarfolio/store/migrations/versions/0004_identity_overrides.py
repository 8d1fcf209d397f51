"""Identity overrides: human merges, splits, claims and ORCIDs, audited and undoable

One row per human decision about authors (and one per undo); rows are never
deleted, an undone decision only gets ``undone_by``. Every build applies the
decisions that are not undone before any automatic rule (docs/identity.md).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_overrides",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.String(length=80), nullable=False),
        sa.Column("other_id", sa.String(length=80), nullable=True),
        sa.Column("work_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("name_key", sa.String(length=255), nullable=True),
        sa.Column("record", sa.String(length=300), nullable=True),
        sa.Column("orcid", sa.String(length=32), nullable=True),
        sa.Column("nodes", sa.JSON(), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("identity_overrides")
