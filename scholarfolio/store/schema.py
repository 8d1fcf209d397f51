"""The store's tables, as SQLAlchemy Core metadata.

Portable SQL only (SQLite and PostgreSQL run the same schema). The migrations in
``migrations/versions`` create these tables; a test checks that the migrated
database and this metadata agree.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _work_ref(name: str = "work_id", primary_key: bool = True) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey("works.id", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=False,
    )


works = sa.Table(
    "works",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("arxiv_id", sa.String(64), unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("abstract", sa.Text),
    # Space-separated, primary category first (arXiv's own convention).
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
    # Fingerprint of the winning record's content: re-ingesting it changes nothing.
    sa.Column("content_hash", sa.String(40), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)
sa.Index("ix_works_first_submitted", works.c.first_submitted)

work_versions = sa.Table(
    "work_versions",
    metadata,
    _work_ref(),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("submitted", sa.DateTime),
    sa.Column("size", sa.String(32)),
)

authors = sa.Table(
    "authors",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("name_key", sa.String(255), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

authorships = sa.Table(
    "authorships",
    metadata,
    _work_ref(),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("raw_name", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("keyname", sa.Text),
    sa.Column("forenames", sa.Text),
    sa.Column("suffix", sa.Text),
    sa.Column("affiliations", sa.JSON, nullable=False),
    sa.Column("name_key", sa.String(255), nullable=False),
    # Null until `build` resolves the name to an author.
    sa.Column("author_id", sa.String(80), sa.ForeignKey("authors.id")),
)
sa.Index("ix_authorships_author_id", authorships.c.author_id)
sa.Index("ix_authorships_name_key", authorships.c.name_key)

citations = sa.Table(
    "citations",
    metadata,
    _work_ref("citing_work_id"),
    _work_ref("cited_work_id"),
    sa.Column("source", sa.String(32), nullable=False),
)
sa.Index("ix_citations_cited", citations.c.cited_work_id)

provenance = sa.Table(
    "provenance",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _work_ref(primary_key=False),
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("record_version", sa.Integer, nullable=False),
    sa.Column("ingested_at", sa.DateTime, nullable=False),
)
sa.Index("ix_provenance_work", provenance.c.work_id)

rejects = sa.Table(
    "rejects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("line", sa.Integer),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("excerpt", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
sa.Index("ix_rejects_file", rejects.c.file)

work_metrics = sa.Table(
    "work_metrics",
    metadata,
    _work_ref(),
    sa.Column("citations_in_corpus", sa.Integer, nullable=False),
    # The figure author metrics use: the in-corpus count for now; later the
    # largest of it and the counts sources report.
    sa.Column("citations", sa.Integer, nullable=False),
)

author_metrics = sa.Table(
    "author_metrics",
    metadata,
    sa.Column("author_id", sa.String(80), sa.ForeignKey("authors.id"), primary_key=True),
    sa.Column("works", sa.Integer, nullable=False),
    sa.Column("citations", sa.Integer, nullable=False),
    sa.Column("h_index", sa.Integer, nullable=False),
    sa.Column("i10_index", sa.Integer, nullable=False),
    sa.Column("g_index", sa.Integer, nullable=False),
)
sa.Index("ix_author_metrics_citations", author_metrics.c.citations)

author_citations_by_year = sa.Table(
    "author_citations_by_year",
    metadata,
    sa.Column("author_id", sa.String(80), sa.ForeignKey("authors.id"), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("citations", sa.Integer, nullable=False),
)

author_badges = sa.Table(
    "author_badges",
    metadata,
    sa.Column("author_id", sa.String(80), sa.ForeignKey("authors.id"), primary_key=True),
    sa.Column("badge", sa.String(64), primary_key=True),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
