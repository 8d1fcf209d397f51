"""The store's tables, as SQLAlchemy Core metadata.

Two layers. The *record* tables keep what each source said, one row per
source record, never merged or cut: ``records`` and its ids, versions,
authors, references and reported counts, plus ``source_authors`` and
``citation_claims``. The *derived* tables are rebuilt by ``scholarfolio
build`` from the records: ``works`` (one per paper, merging the records that
describe it), their versions, ids, authorships and citations, and every metric.
Human decisions (``work_splits``, ``identity_overrides``) and stable-id
bookkeeping (``author_nodes``, ``author_redirects``) persist across builds.

Portable SQL only: SQLite and PostgreSQL run the same schema. The migrations
in ``migrations/versions`` create these tables; a test checks they agree.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _ref(name: str, target: str, primary_key: bool = True) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey(target, ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=False,
    )


def _record_ref(primary_key: bool = True) -> sa.Column[int]:
    return _ref("record_id", "records.id", primary_key)


def _work_ref(name: str = "work_id", primary_key: bool = True) -> sa.Column[int]:
    return _ref(name, "works.id", primary_key)


def _author_ref(primary_key: bool = True) -> sa.Column[str]:
    return sa.Column(
        "author_id",
        sa.String(80),
        sa.ForeignKey("authors.id", ondelete="CASCADE"),
        primary_key=primary_key,
    )


# --- what the sources said ----------------------------------------------------

records = sa.Table(
    "records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Source family (arxiv, openalex, s2, crossref, bibtex, csl) and its own id.
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("source_id", sa.String(255), nullable=False),
    sa.Column("format", sa.String(32), nullable=False),
    sa.Column("arxiv_id", sa.String(64)),
    sa.Column("doi", sa.String(255)),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("title_key", sa.String(255), nullable=False),
    sa.Column("abstract", sa.Text),
    # Space-separated, primary category first (arXiv's own convention).
    sa.Column("categories", sa.Text, nullable=False, server_default=""),
    sa.Column("journal_ref", sa.Text),
    sa.Column("comments", sa.Text),
    sa.Column("report_no", sa.Text),
    sa.Column("license", sa.Text),
    sa.Column("submitter", sa.Text),
    sa.Column("venue", sa.Text),
    sa.Column("work_type", sa.String(64)),
    sa.Column("year", sa.Integer),
    sa.Column("published", sa.Date),
    sa.Column("latest_version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("first_submitted", sa.DateTime),
    sa.Column("source_updated", sa.Date),
    # Fingerprint of the winning record's content: re-reading it changes nothing.
    sa.Column("content_hash", sa.String(40), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    # Written since the last build took it in (incremental builds start from these).
    sa.Column("changed", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.UniqueConstraint("source", "source_id", name="uq_records_source_id"),
)
sa.Index("ix_records_title_key", records.c.title_key)
sa.Index(
    "ix_records_changed",
    records.c.changed,
    sqlite_where=records.c.changed,
    postgresql_where=records.c.changed,
)

record_ids = sa.Table(
    "record_ids",
    metadata,
    _record_ref(),
    sa.Column("scheme", sa.String(16), primary_key=True),
    sa.Column("value", sa.String(255), primary_key=True),
)
sa.Index("ix_record_ids_value", record_ids.c.scheme, record_ids.c.value)

record_versions = sa.Table(
    "record_versions",
    metadata,
    _record_ref(),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("submitted", sa.DateTime),
    sa.Column("size", sa.String(32)),
)

record_authors = sa.Table(
    "record_authors",
    metadata,
    _record_ref(),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("raw_name", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("keyname", sa.Text),
    sa.Column("forenames", sa.Text),
    sa.Column("suffix", sa.Text),
    sa.Column("affiliations", sa.JSON, nullable=False),
    sa.Column("orcid", sa.String(32)),
    sa.Column("source_author_id", sa.String(64)),
    sa.Column("name_key", sa.String(255), nullable=False),
)

record_references = sa.Table(
    "record_references",
    metadata,
    _record_ref(),
    sa.Column("scheme", sa.String(16), primary_key=True),
    sa.Column("value", sa.String(255), primary_key=True),
)
# Which records cite a given id (incremental builds: who cites a new work).
sa.Index("ix_record_references_value", record_references.c.scheme, record_references.c.value)

reported_citations = sa.Table(
    "reported_citations",
    metadata,
    _record_ref(),
    sa.Column("citations", sa.Integer, nullable=False),
    sa.Column("as_of", sa.Date),
    # {"2024": 12, ...} as the source reports it.
    sa.Column("by_year", sa.JSON, nullable=False),
)

source_authors = sa.Table(
    "source_authors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("source_id", sa.String(64), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("orcid", sa.String(32)),
    sa.Column("alternative_names", sa.JSON, nullable=False),
    sa.Column("works_count", sa.Integer),
    sa.Column("citations", sa.Integer),
    sa.Column("h_index", sa.Integer),
    sa.Column("i10_index", sa.Integer),
    sa.Column("as_of", sa.Date),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("source", "source_id", name="uq_source_authors_source_id"),
)

citation_claims = sa.Table(
    "citation_claims",
    metadata,
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("citing_scheme", sa.String(16), primary_key=True),
    sa.Column("citing_value", sa.String(255), primary_key=True),
    sa.Column("cited_scheme", sa.String(16), primary_key=True),
    sa.Column("cited_value", sa.String(255), primary_key=True),
)
sa.Index(
    "ix_citation_claims_citing", citation_claims.c.citing_scheme, citation_claims.c.citing_value
)
sa.Index("ix_citation_claims_cited", citation_claims.c.cited_scheme, citation_claims.c.cited_value)

provenance = sa.Table(
    "provenance",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _record_ref(primary_key=False),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("ingested_at", sa.DateTime, nullable=False),
)
sa.Index("ix_provenance_record", provenance.c.record_id)

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

# --- human decisions and id bookkeeping (kept across builds) -------------------

work_splits = sa.Table(
    "work_splits",
    metadata,
    # The two records must never be in one work, whatever the rules say.
    _record_ref(),
    sa.Column(
        "apart_from",
        sa.Integer,
        sa.ForeignKey("records.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

work_keys = sa.Table(
    "work_keys",
    metadata,
    # Which work each record belonged to at the last build: work ids stay stable.
    _record_ref(),
    sa.Column("work_id", sa.Integer, nullable=False),
    # The record's title bucket then: which records a changed title used to meet.
    sa.Column("title_bucket", sa.String(32)),
)
sa.Index("ix_work_keys_work", work_keys.c.work_id)
sa.Index("ix_work_keys_title_bucket", work_keys.c.title_bucket)

author_nodes = sa.Table(
    "author_nodes",
    metadata,
    # Which author each identity key ("name:...", "openalex:A...") belonged to.
    sa.Column("node", sa.String(300), primary_key=True),
    sa.Column("author_id", sa.String(80), nullable=False),
)

author_redirects = sa.Table(
    "author_redirects",
    metadata,
    sa.Column("old_id", sa.String(80), primary_key=True),
    sa.Column("new_id", sa.String(80), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

identity_overrides = sa.Table(
    "identity_overrides",
    metadata,
    # One human decision about authors (merge, split, claim, unclaim, orcid) or
    # one undo; never deleted (an undone decision gets ``undone_by``). The
    # decision is stated in terms that survive rebuilds: identity keys
    # (``nodes``) and the authorship's work, position, name key and record.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("author_id", sa.String(80), nullable=False),
    sa.Column("other_id", sa.String(80)),
    sa.Column("work_id", sa.Integer),
    sa.Column("position", sa.Integer),
    sa.Column("name_key", sa.String(255)),
    sa.Column("record", sa.String(300)),
    sa.Column("orcid", sa.String(32)),
    sa.Column("nodes", sa.JSON, nullable=False),
    sa.Column("undoes", sa.Integer),
    sa.Column("undone_by", sa.Integer),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# --- derived by build -----------------------------------------------------------

works = sa.Table(
    "works",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("abstract", sa.Text),
    sa.Column("arxiv_id", sa.String(64)),
    sa.Column("doi", sa.String(255)),
    sa.Column("categories", sa.Text, nullable=False, server_default=""),
    sa.Column("journal_ref", sa.Text),
    sa.Column("venue", sa.Text),
    sa.Column("work_type", sa.String(64)),
    sa.Column("latest_version", sa.Integer),
    # First arXiv version, else the earliest publication date of any record.
    sa.Column("date", sa.DateTime),
    sa.Column("year", sa.Integer),
    # The record whose metadata the work shows, and the one whose author list
    # it uses (the longest: sources that cap author lists never win).
    sa.Column("representative", sa.Integer, nullable=False),
    sa.Column("author_source", sa.Integer, nullable=False),
)
sa.Index("ix_works_date", works.c.date)
sa.Index("ix_works_arxiv_id", works.c.arxiv_id)

work_members = sa.Table(
    "work_members",
    metadata,
    _work_ref(primary_key=False),
    sa.Column("record_id", sa.Integer, primary_key=True),
    # The rule that put the record in this work, and the record it matched.
    sa.Column("rule", sa.String(64), nullable=False),
    sa.Column("matched", sa.Integer),
)
sa.Index("ix_work_members_work", work_members.c.work_id)

work_ids = sa.Table(
    "work_ids",
    metadata,
    _work_ref(),
    sa.Column("scheme", sa.String(16), primary_key=True),
    sa.Column("value", sa.String(255), primary_key=True),
)
sa.Index("ix_work_ids_value", work_ids.c.scheme, work_ids.c.value)

work_versions = sa.Table(
    "work_versions",
    metadata,
    _work_ref(),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("submitted", sa.DateTime),
)

authors = sa.Table(
    "authors",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
sa.Index("ix_authors_name_key", authors.c.name_key)

authorships = sa.Table(
    "authorships",
    metadata,
    _work_ref(),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("raw_name", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("affiliations", sa.JSON, nullable=False),
    sa.Column("orcid", sa.String(32)),
    sa.Column("openalex_id", sa.String(64)),
    sa.Column("s2_id", sa.String(64)),
    sa.Column("name_key", sa.String(255), nullable=False),
    sa.Column("author_id", sa.String(80)),
)
sa.Index("ix_authorships_author_id", authorships.c.author_id)
# Which authorships share an identity key (incremental builds).
sa.Index("ix_authorships_name_key", authorships.c.name_key)
sa.Index("ix_authorships_orcid", authorships.c.orcid)
sa.Index("ix_authorships_openalex_id", authorships.c.openalex_id)
sa.Index("ix_authorships_s2_id", authorships.c.s2_id)

citations = sa.Table(
    "citations",
    metadata,
    _work_ref("citing_work_id"),
    _work_ref("cited_work_id"),
)
sa.Index("ix_citations_cited", citations.c.cited_work_id)

work_reported = sa.Table(
    "work_reported",
    metadata,
    _work_ref(),
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("citations", sa.Integer, nullable=False),
    sa.Column("as_of", sa.Date),
)

work_metrics = sa.Table(
    "work_metrics",
    metadata,
    _work_ref(),
    sa.Column("citations_in_corpus", sa.Integer, nullable=False),
    # The figure author metrics use: the largest of the in-corpus count and
    # every count a source reports (each is a lower bound of the truth).
    sa.Column("citations", sa.Integer, nullable=False),
    # In-corpus citing works that share an author with the work (kept so an
    # incremental build need not read every citation of an author's works).
    sa.Column("self_citations", sa.Integer, nullable=False, server_default="0"),
)

work_citations_by_year = sa.Table(
    "work_citations_by_year",
    metadata,
    _work_ref(),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("citations", sa.Integer, nullable=False),
)

author_metrics = sa.Table(
    "author_metrics",
    metadata,
    _author_ref(),
    sa.Column("works", sa.Integer, nullable=False),
    sa.Column("citations", sa.Integer, nullable=False),
    sa.Column("h_index", sa.Integer, nullable=False),
    sa.Column("i10_index", sa.Integer, nullable=False),
    sa.Column("g_index", sa.Integer, nullable=False),
    # Distinct citing works in the corpus (``citations`` is the sum over works).
    sa.Column("citing_works", sa.Integer, nullable=False, server_default="0"),
    # The year of the first work (None when no work has one) and h per career year.
    sa.Column("first_year", sa.Integer),
    sa.Column("m_quotient", sa.Float),
    # The same without the self-citations the corpus shows (docs/metrics.md).
    sa.Column("citations_no_self", sa.Integer, nullable=False, server_default="0"),
    sa.Column("citing_works_no_self", sa.Integer, nullable=False, server_default="0"),
    sa.Column("h_index_no_self", sa.Integer, nullable=False, server_default="0"),
    sa.Column("g_index_no_self", sa.Integer, nullable=False, server_default="0"),
    sa.Column("i10_index_no_self", sa.Integer, nullable=False, server_default="0"),
    sa.Column("m_quotient_no_self", sa.Float),
    # Citations received in the last five calendar years (meta ``metrics_year``
    # is the last of them), and the indices over those.
    sa.Column("citations_5y", sa.Integer, nullable=False, server_default="0"),
    sa.Column("h_index_5y", sa.Integer, nullable=False, server_default="0"),
    sa.Column("g_index_5y", sa.Integer, nullable=False, server_default="0"),
    sa.Column("i10_index_5y", sa.Integer, nullable=False, server_default="0"),
)
sa.Index("ix_author_metrics_citations", author_metrics.c.citations)
# Badge thresholds count authors from the top (incremental builds).
sa.Index("ix_author_metrics_works", author_metrics.c.works)

author_citations_by_year = sa.Table(
    "author_citations_by_year",
    metadata,
    _author_ref(),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("citations", sa.Integer, nullable=False),
)

author_badges = sa.Table(
    "author_badges",
    metadata,
    _author_ref(),
    sa.Column("badge", sa.String(64), primary_key=True),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
