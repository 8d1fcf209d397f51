"""Initial store: source records, derived works and authors, metrics

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "author_nodes",
        sa.Column("node", sa.String(length=300), nullable=False),
        sa.Column("author_id", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("node"),
    )
    op.create_table(
        "author_redirects",
        sa.Column("old_id", sa.String(length=80), nullable=False),
        sa.Column("new_id", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("old_id"),
    )
    op.create_table(
        "authors",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.create_index("ix_authors_name_key", ["name_key"], unique=False)

    op.create_table(
        "citation_claims",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("citing_scheme", sa.String(length=16), nullable=False),
        sa.Column("citing_value", sa.String(length=255), nullable=False),
        sa.Column("cited_scheme", sa.String(length=16), nullable=False),
        sa.Column("cited_value", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint(
            "source", "citing_scheme", "citing_value", "cited_scheme", "cited_value"
        ),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=255), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("arxiv_id", sa.String(length=64), nullable=True),
        sa.Column("doi", sa.String(length=255), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_key", sa.String(length=255), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=True),
        sa.Column("categories", sa.Text(), server_default="", nullable=False),
        sa.Column("journal_ref", sa.Text(), nullable=True),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("report_no", sa.Text(), nullable=True),
        sa.Column("license", sa.Text(), nullable=True),
        sa.Column("submitter", sa.Text(), nullable=True),
        sa.Column("venue", sa.Text(), nullable=True),
        sa.Column("work_type", sa.String(length=64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("latest_version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("first_submitted", sa.DateTime(), nullable=True),
        sa.Column("source_updated", sa.Date(), nullable=True),
        sa.Column("content_hash", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_id", name="uq_records_source_id"),
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index("ix_records_title_key", ["title_key"], unique=False)

    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rejects", schema=None) as batch_op:
        batch_op.create_index("ix_rejects_file", ["file"], unique=False)

    op.create_table(
        "source_authors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("orcid", sa.String(length=32), nullable=True),
        sa.Column("alternative_names", sa.JSON(), nullable=False),
        sa.Column("works_count", sa.Integer(), nullable=True),
        sa.Column("citations", sa.Integer(), nullable=True),
        sa.Column("h_index", sa.Integer(), nullable=True),
        sa.Column("i10_index", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_id", name="uq_source_authors_source_id"),
    )
    op.create_table(
        "works",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=True),
        sa.Column("arxiv_id", sa.String(length=64), nullable=True),
        sa.Column("doi", sa.String(length=255), nullable=True),
        sa.Column("categories", sa.Text(), server_default="", nullable=False),
        sa.Column("journal_ref", sa.Text(), nullable=True),
        sa.Column("venue", sa.Text(), nullable=True),
        sa.Column("work_type", sa.String(length=64), nullable=True),
        sa.Column("latest_version", sa.Integer(), nullable=True),
        sa.Column("date", sa.DateTime(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("representative", sa.Integer(), nullable=False),
        sa.Column("author_source", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.create_index("ix_works_arxiv_id", ["arxiv_id"], unique=False)
        batch_op.create_index("ix_works_date", ["date"], unique=False)

    op.create_table(
        "author_badges",
        sa.Column("author_id", sa.String(length=80), nullable=False),
        sa.Column("badge", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["authors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("author_id", "badge"),
    )
    op.create_table(
        "author_citations_by_year",
        sa.Column("author_id", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("citations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["authors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("author_id", "year"),
    )
    op.create_table(
        "author_metrics",
        sa.Column("author_id", sa.String(length=80), nullable=False),
        sa.Column("works", sa.Integer(), nullable=False),
        sa.Column("citations", sa.Integer(), nullable=False),
        sa.Column("h_index", sa.Integer(), nullable=False),
        sa.Column("i10_index", sa.Integer(), nullable=False),
        sa.Column("g_index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["authors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("author_id"),
    )
    with op.batch_alter_table("author_metrics", schema=None) as batch_op:
        batch_op.create_index("ix_author_metrics_citations", ["citations"], unique=False)

    op.create_table(
        "authorships",
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("raw_name", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("affiliations", sa.JSON(), nullable=False),
        sa.Column("orcid", sa.String(length=32), nullable=True),
        sa.Column("openalex_id", sa.String(length=64), nullable=True),
        sa.Column("s2_id", sa.String(length=64), nullable=True),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("author_id", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("work_id", "position"),
    )
    with op.batch_alter_table("authorships", schema=None) as batch_op:
        batch_op.create_index("ix_authorships_author_id", ["author_id"], unique=False)

    op.create_table(
        "citations",
        sa.Column("citing_work_id", sa.Integer(), nullable=False),
        sa.Column("cited_work_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cited_work_id"], ["works.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["citing_work_id"], ["works.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("citing_work_id", "cited_work_id"),
    )
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.create_index("ix_citations_cited", ["cited_work_id"], unique=False)

    op.create_table(
        "provenance",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("provenance", schema=None) as batch_op:
        batch_op.create_index("ix_provenance_record", ["record_id"], unique=False)

    op.create_table(
        "record_authors",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("raw_name", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("keyname", sa.Text(), nullable=True),
        sa.Column("forenames", sa.Text(), nullable=True),
        sa.Column("suffix", sa.Text(), nullable=True),
        sa.Column("affiliations", sa.JSON(), nullable=False),
        sa.Column("orcid", sa.String(length=32), nullable=True),
        sa.Column("source_author_id", sa.String(length=64), nullable=True),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", "position"),
    )
    op.create_table(
        "record_ids",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", "scheme", "value"),
    )
    with op.batch_alter_table("record_ids", schema=None) as batch_op:
        batch_op.create_index("ix_record_ids_value", ["scheme", "value"], unique=False)

    op.create_table(
        "record_references",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", "scheme", "value"),
    )
    op.create_table(
        "record_versions",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.DateTime(), nullable=True),
        sa.Column("size", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", "number"),
    )
    op.create_table(
        "reported_citations",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("citations", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("by_year", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id"),
    )
    op.create_table(
        "work_citations_by_year",
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("citations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("work_id", "year"),
    )
    op.create_table(
        "work_ids",
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("work_id", "scheme", "value"),
    )
    with op.batch_alter_table("work_ids", schema=None) as batch_op:
        batch_op.create_index("ix_work_ids_value", ["scheme", "value"], unique=False)

    op.create_table(
        "work_keys",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id"),
    )
    op.create_table(
        "work_members",
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id"),
    )
    with op.batch_alter_table("work_members", schema=None) as batch_op:
        batch_op.create_index("ix_work_members_work", ["work_id"], unique=False)

    op.create_table(
        "work_metrics",
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("citations_in_corpus", sa.Integer(), nullable=False),
        sa.Column("citations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("work_id"),
    )
    op.create_table(
        "work_reported",
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("citations", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("work_id", "source"),
    )
    op.create_table(
        "work_splits",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("apart_from", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["apart_from"], ["records.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", "apart_from"),
    )
    op.create_table(
        "work_versions",
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("work_id", "number"),
    )


def downgrade() -> None:
    op.drop_table("work_versions")
    op.drop_table("work_splits")
    op.drop_table("work_reported")
    op.drop_table("work_metrics")
    with op.batch_alter_table("work_members", schema=None) as batch_op:
        batch_op.drop_index("ix_work_members_work")

    op.drop_table("work_members")
    op.drop_table("work_keys")
    with op.batch_alter_table("work_ids", schema=None) as batch_op:
        batch_op.drop_index("ix_work_ids_value")

    op.drop_table("work_ids")
    op.drop_table("work_citations_by_year")
    op.drop_table("reported_citations")
    op.drop_table("record_versions")
    op.drop_table("record_references")
    with op.batch_alter_table("record_ids", schema=None) as batch_op:
        batch_op.drop_index("ix_record_ids_value")

    op.drop_table("record_ids")
    op.drop_table("record_authors")
    with op.batch_alter_table("provenance", schema=None) as batch_op:
        batch_op.drop_index("ix_provenance_record")

    op.drop_table("provenance")
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.drop_index("ix_citations_cited")

    op.drop_table("citations")
    with op.batch_alter_table("authorships", schema=None) as batch_op:
        batch_op.drop_index("ix_authorships_author_id")

    op.drop_table("authorships")
    with op.batch_alter_table("author_metrics", schema=None) as batch_op:
        batch_op.drop_index("ix_author_metrics_citations")

    op.drop_table("author_metrics")
    op.drop_table("author_citations_by_year")
    op.drop_table("author_badges")
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.drop_index("ix_works_date")
        batch_op.drop_index("ix_works_arxiv_id")

    op.drop_table("works")
    op.drop_table("source_authors")
    with op.batch_alter_table("rejects", schema=None) as batch_op:
        batch_op.drop_index("ix_rejects_file")

    op.drop_table("rejects")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_title_key")

    op.drop_table("records")
    op.drop_table("meta")
    op.drop_table("citation_claims")
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.drop_index("ix_authors_name_key")

    op.drop_table("authors")
    op.drop_table("author_redirects")
    op.drop_table("author_nodes")
