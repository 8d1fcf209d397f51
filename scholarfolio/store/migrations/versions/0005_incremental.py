"""Incremental builds: the lookups that find what changed since the last build

Records carry whether they changed since the last build (an index holds the
changed ones only), references are found by the id they
cite (which works cite a new work), citation claims by either id, authorships
by identity key (which authors a new authorship touches), and each record's
title bucket at the last build (which records a changed title used to meet),
authors by number of works (badge thresholds), and each work's self-citations
(an author's figures without reading every citation of the author's works).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_record_references_value", "record_references", ["scheme", "value"]),
    ("ix_citation_claims_citing", "citation_claims", ["citing_scheme", "citing_value"]),
    ("ix_citation_claims_cited", "citation_claims", ["cited_scheme", "cited_value"]),
    ("ix_authorships_name_key", "authorships", ["name_key"]),
    ("ix_authorships_orcid", "authorships", ["orcid"]),
    ("ix_authorships_openalex_id", "authorships", ["openalex_id"]),
    ("ix_authorships_s2_id", "authorships", ["s2_id"]),
    ("ix_work_keys_work", "work_keys", ["work_id"]),
    ("ix_work_keys_title_bucket", "work_keys", ["title_bucket"]),
    ("ix_author_metrics_works", "author_metrics", ["works"]),
)


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("changed", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    changed = sa.column("changed", sa.Boolean())
    op.create_index(
        "ix_records_changed",
        "records",
        ["changed"],
        sqlite_where=changed,
        postgresql_where=changed,
    )
    with op.batch_alter_table("work_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_bucket", sa.String(length=32), nullable=True))
    with op.batch_alter_table("work_metrics", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("self_citations", sa.Integer(), nullable=False, server_default="0")
        )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("work_metrics", schema=None) as batch_op:
        batch_op.drop_column("self_citations")
    with op.batch_alter_table("work_keys", schema=None) as batch_op:
        batch_op.drop_column("title_bucket")
    op.drop_index("ix_records_changed", table_name="records")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("changed")
