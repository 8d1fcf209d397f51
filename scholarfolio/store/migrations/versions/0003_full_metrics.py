"""Full author metrics: distinct citing works, m-quotient, without self-citations, five years

Adds columns to author_metrics; existing rows get 0 (or NULL for the year and
the m-quotients) until the next build fills them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COUNTS = (
    "citing_works",
    "citations_no_self",
    "citing_works_no_self",
    "h_index_no_self",
    "g_index_no_self",
    "i10_index_no_self",
    "citations_5y",
    "h_index_5y",
    "g_index_5y",
    "i10_index_5y",
)
NULLABLE = (
    ("first_year", sa.Integer()),
    ("m_quotient", sa.Float()),
    ("m_quotient_no_self", sa.Float()),
)


def upgrade() -> None:
    with op.batch_alter_table("author_metrics", schema=None) as batch_op:
        for name in COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        for name, kind in NULLABLE:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("author_metrics", schema=None) as batch_op:
        for name, _ in reversed(NULLABLE):
            batch_op.drop_column(name)
        for name in reversed(COUNTS):
            batch_op.drop_column(name)
