"""Initial store: works, versions, authors, authorships, citations, provenance, rejects, metrics.

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

WORK_FK = "works.id"


def _work_fk(primary_key: bool = True, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        "work_id",
        sa.Integer,
        sa.ForeignKey(WORK_FK, ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=nullable,
    )


def _author_fk(name: str = "author_id", primary_key: bool = True) -> sa.Column[str]:
    return sa.Column(name, sa.String(80), sa.ForeignKey("authors.id"), primary_key=primary_key)


def upgrade() -> None:
    op.create_table(
        "works",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("arxiv_id", sa.String(64), unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("abstract", sa.Text),
        sa.Column("categories", sa.Text, nullable=False, server_default=""),
        sa.Column("doi", sa.String(255)),
        sa.Column("journal_ref", sa.Text),
        sa.Column("comments", sa.Text),
        sa.Column("report_no", sa.Text),
        sa.Column("license", sa.Text),
        sa.Column("submitter", sa.Text),
        sa.Column("latest_version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("first_submitted", sa.DateTime),
        sa.Column("source_updated", sa.Date),
        sa.Column("content_hash", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_works_first_submitted", "works", ["first_submitted"])
    op.create_table(
        "work_versions",
        _work_fk(),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("submitted", sa.DateTime),
        sa.Column("size", sa.String(32)),
    )
    op.create_table(
        "authors",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("name_key", sa.String(255), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "authorships",
        _work_fk(),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("raw_name", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("keyname", sa.Text),
        sa.Column("forenames", sa.Text),
        sa.Column("suffix", sa.Text),
        sa.Column("affiliations", sa.JSON, nullable=False),
        sa.Column("name_key", sa.String(255), nullable=False),
        _author_fk(primary_key=False),
    )
    op.create_index("ix_authorships_author_id", "authorships", ["author_id"])
    op.create_index("ix_authorships_name_key", "authorships", ["name_key"])
    op.create_table(
        "citations",
        sa.Column(
            "citing_work_id",
            sa.Integer,
            sa.ForeignKey(WORK_FK, ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "cited_work_id",
            sa.Integer,
            sa.ForeignKey(WORK_FK, ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("source", sa.String(32), nullable=False),
    )
    op.create_index("ix_citations_cited", "citations", ["cited_work_id"])
    op.create_table(
        "provenance",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _work_fk(primary_key=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("record_version", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_provenance_work", "provenance", ["work_id"])
    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("line", sa.Integer),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("excerpt", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_rejects_file", "rejects", ["file"])
    op.create_table(
        "work_metrics",
        _work_fk(),
        sa.Column("citations_in_corpus", sa.Integer, nullable=False),
        sa.Column("citations", sa.Integer, nullable=False),
    )
    op.create_table(
        "author_metrics",
        _author_fk(),
        sa.Column("works", sa.Integer, nullable=False),
        sa.Column("citations", sa.Integer, nullable=False),
        sa.Column("h_index", sa.Integer, nullable=False),
        sa.Column("i10_index", sa.Integer, nullable=False),
        sa.Column("g_index", sa.Integer, nullable=False),
    )
    op.create_index("ix_author_metrics_citations", "author_metrics", ["citations"])
    op.create_table(
        "author_citations_by_year",
        _author_fk(),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("citations", sa.Integer, nullable=False),
    )
    op.create_table(
        "author_badges",
        _author_fk(),
        sa.Column("badge", sa.String(64), primary_key=True),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "meta",
        "author_badges",
        "author_citations_by_year",
        "author_metrics",
        "work_metrics",
        "rejects",
        "provenance",
        "citations",
        "authorships",
        "authors",
        "work_versions",
        "works",
    ):
        op.drop_table(table)
