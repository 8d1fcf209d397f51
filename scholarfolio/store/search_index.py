"""The SQL of search: the full-text index over works, the name index over authors.

On SQLite both are FTS5 tables with external content (they store no copy of the
text): ``works_fts`` over works' titles and abstracts (Porter stemming, accents
removed), ranked by BM25 with the title weighted higher, and ``authors_fts``
over authors' folded name keys with prefix indexes. They are rebuilt by
:func:`refresh` at the end of every build. ``works_fts`` is the fallback of the
faster tantivy index that :mod:`scholarfolio.search.engine` keeps beside the
file (it ranks by BM25 too; this module gives it the rows it indexes and the
summaries of what it finds).

On PostgreSQL works are matched by a GIN expression index over a weighted
``tsvector`` (title A, abstract D) and ranked by ``ts_rank``; the index follows
the table by itself, so :func:`refresh` has nothing to do. Names are matched by
the portable word-prefix ``LIKE`` that SQLite could run too
(:func:`author_condition` with ``indexed=False``).

Migration ``0002`` creates the index objects; :func:`include_name` keeps them
out of schema comparisons, since the SQLAlchemy metadata does not describe them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.queries import AnyRow
from scholarfolio.store.schema import (
    author_metrics,
    authors,
    authorships,
    work_ids,
    work_metrics,
    works,
)

WORKS_INDEX = "works_fts"
AUTHORS_INDEX = "authors_fts"
# PostgreSQL's GIN expression index over works (migration 0002).
PG_WORKS_INDEX = "ix_works_fulltext"

# BM25 column weights: a word in the title counts five times a word in the abstract.
TITLE_WEIGHT = 5.0
ABSTRACT_WEIGHT = 1.0

# The weighted document PostgreSQL matches; it must stay character for character
# the expression of ix_works_fulltext, or the planner cannot use the index.
PG_DOCUMENT = (
    "setweight(to_tsvector('english', coalesce(works.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(works.abstract, '')), 'D')"
)
# ts_rank weights in the order D, C, B, A: abstract 0.2, title 1.0 (the same 5:1).
PG_RANK_WEIGHTS = "'{0.2, 0.2, 0.2, 1.0}'::float4[]"

SUMMARY_COLUMNS = (
    works.c.id,
    works.c.title,
    works.c.abstract,
    works.c.date,
    works.c.arxiv_id,
    works.c.latest_version,
    works.c.doi,
    works.c.categories,
    sa.func.coalesce(work_metrics.c.citations, 0).label("citations"),
)

_AUTHOR_COLUMNS = (
    authors.c.id,
    authors.c.name,
    sa.func.coalesce(author_metrics.c.works, 0).label("works"),
    sa.func.coalesce(author_metrics.c.citations, 0).label("citations"),
    sa.func.coalesce(author_metrics.c.h_index, 0).label("h_index"),
)


@dataclass(frozen=True, slots=True)
class TextQuery:
    """A full-text query: runs of words (each matched as a phrase), all of them or any."""

    phrases: tuple[str, ...]
    match_all: bool = True


@dataclass(frozen=True, slots=True)
class NameQuery:
    """A name query: folded tokens, each the start of a word of the name key.

    ``exact_keys`` are the name keys that count as the full name typed (the
    tokens in any rotation, so "lecun yann" is exactly "yann lecun").
    """

    tokens: tuple[str, ...]
    exact_keys: tuple[str, ...]


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Whether schema comparison looks at ``name``: not at the search index's own objects."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith((WORKS_INDEX, AUTHORS_INDEX))
    return not (type_ == "index" and name == PG_WORKS_INDEX)


def refresh(conn: Connection) -> None:
    """Rebuild the SQLite full-text tables from works and authors (PostgreSQL: nothing)."""
    if conn.dialect.name != "sqlite":
        return
    for table in (WORKS_INDEX, AUTHORS_INDEX):
        # FTS5's own command: re-read every row of the external content table.
        conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


# --- works ----------------------------------------------------------------------


def fts5_expression(query: TextQuery) -> str:
    """The FTS5 MATCH string: each phrase quoted (so no input is FTS5 syntax), joined."""
    quoted = ['"' + phrase.replace('"', '""') + '"' for phrase in query.phrases]
    return (" AND " if query.match_all else " OR ").join(quoted)


def _fts_match(table: str, expression: str) -> sa.ColumnElement[bool]:
    return sa.literal_column(table).op("MATCH", is_comparison=True)(
        sa.bindparam("match", expression, type_=sa.Text)
    )


def _pg_tsquery(query: TextQuery) -> sa.ColumnElement[Any]:
    config: sa.ColumnElement[Any] = sa.literal_column("'english'::regconfig")
    parts = [sa.func.phraseto_tsquery(config, phrase) for phrase in query.phrases]
    operator = "&&" if query.match_all else "||"
    return functools.reduce(lambda left, right: left.op(operator)(right), parts)


def _ranked_works(conn: Connection, query: TextQuery) -> sa.Subquery:
    """Matching work ids with a relevance ``score`` (higher is better)."""
    if conn.dialect.name == "sqlite":
        weights = f"{TITLE_WEIGHT}, {ABSTRACT_WEIGHT}"
        # bm25() is lower for better matches; negated so every dialect sorts the same way.
        bm25: sa.ColumnElement[Any] = sa.literal_column(f"-bm25({WORKS_INDEX}, {weights})")
        return (
            sa.select(sa.literal_column("rowid").label("work_id"), bm25.label("score"))
            .select_from(sa.table(WORKS_INDEX))
            .where(_fts_match(WORKS_INDEX, fts5_expression(query)))
            .subquery("ranked")
        )
    document: sa.ColumnElement[Any] = sa.literal_column(PG_DOCUMENT)
    tsquery = _pg_tsquery(query)
    # Normalization 1 divides by 1 + log(length), as BM25 discounts long abstracts.
    score = sa.func.ts_rank(sa.literal_column(PG_RANK_WEIGHTS), document, tsquery, 1)
    return (
        sa.select(works.c.id.label("work_id"), score.label("score"))
        .where(document.op("@@", is_comparison=True)(tsquery))
        .subquery("ranked")
    )


def match_works(conn: Connection, query: TextQuery, limit: int, offset: int) -> list[AnyRow]:
    """One page of matching works, best first: summary columns and ``score``."""
    ranked = _ranked_works(conn, query)
    page = (
        sa.select(ranked.c.work_id, ranked.c.score)
        .order_by(ranked.c.score.desc(), ranked.c.work_id)
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
    statement = (
        sa.select(*SUMMARY_COLUMNS, page.c.score)
        .select_from(
            page.join(works, works.c.id == page.c.work_id).outerjoin(
                work_metrics, work_metrics.c.work_id == works.c.id
            )
        )
        .order_by(page.c.score.desc(), page.c.work_id)
    )
    return list(conn.execute(statement))


def count_works(conn: Connection, query: TextQuery) -> int:
    """How many works match."""
    ranked = _ranked_works(conn, query)
    return int(conn.scalar(sa.select(sa.func.count()).select_from(ranked)) or 0)


def works_by_identifier(conn: Connection, scheme: str, value: str) -> list[AnyRow]:
    """Works carrying one identifier (an arXiv id, a DOI), as summaries."""
    holders = sa.select(work_ids.c.work_id).where(
        work_ids.c.scheme == scheme, work_ids.c.value == value
    )
    statement = (
        sa.select(*SUMMARY_COLUMNS)
        .select_from(works.outerjoin(work_metrics, work_metrics.c.work_id == works.c.id))
        .where(works.c.id.in_(holders))
        .order_by(works.c.id)
    )
    return list(conn.execute(statement))


def work_texts(conn: Connection) -> Iterator[tuple[int, str, str | None]]:
    """(id, title, abstract) of every work, streamed: what an external index indexes."""
    statement = sa.select(works.c.id, works.c.title, works.c.abstract).order_by(works.c.id)
    for row in conn.execution_options(yield_per=2_000).execute(statement):
        yield row.id, row.title, row.abstract


def summaries_by_ids(conn: Connection, work_ids: Sequence[int]) -> list[AnyRow]:
    """Summaries of the works with these ids, in that order (ids not in the store skipped)."""
    if not work_ids:
        return []
    statement = (
        sa.select(*SUMMARY_COLUMNS)
        .select_from(works.outerjoin(work_metrics, work_metrics.c.work_id == works.c.id))
        .where(works.c.id.in_(list(work_ids)))
    )
    found = {row.id: row for row in conn.execute(statement)}
    return [found[work_id] for work_id in work_ids if work_id in found]


def newest_works(conn: Connection, limit: int) -> list[AnyRow]:
    """The most recent works of the corpus (undated ones never), as summaries."""
    statement = (
        sa.select(*SUMMARY_COLUMNS)
        .select_from(works.outerjoin(work_metrics, work_metrics.c.work_id == works.c.id))
        .where(works.c.date.is_not(None))
        .order_by(works.c.date.desc(), works.c.id.desc())
        .limit(limit)
    )
    return list(conn.execute(statement))


def first_authors(
    conn: Connection, wanted: Sequence[int], shown: int
) -> dict[int, tuple[list[tuple[str | None, str]], int]]:
    """The first ``shown`` (author id, name) of each work in source order, and its total.

    Reads only the shown rows and an index count, so a work with thousands of
    authors costs little more than one with three.
    """
    found: dict[int, tuple[list[tuple[str | None, str]], int]] = {
        work_id: ([], 0) for work_id in wanted
    }
    if not wanted:
        return found
    ids = list(wanted)
    totals = sa.select(authorships.c.work_id, sa.func.count().label("total")).where(
        authorships.c.work_id.in_(ids)
    )
    for work_id, total in conn.execute(totals.group_by(authorships.c.work_id)):
        found[work_id] = ([], int(total))
    inner = authorships.alias("first")
    start = (
        sa.select(sa.func.min(inner.c.position))
        .where(inner.c.work_id == authorships.c.work_id)
        .scalar_subquery()
    )
    names = (
        sa.select(authorships.c.work_id, authorships.c.author_id, authorships.c.name)
        .where(authorships.c.work_id.in_(ids), authorships.c.position < start + shown)
        .order_by(authorships.c.work_id, authorships.c.position)
    )
    for work_id, author_id, name in conn.execute(names):
        found[work_id][0].append((author_id, name))
    return found


def insert_bare_works(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert works that no record backs (id, title, abstract, date): benchmark corpora only."""
    placeholder = {"representative": 0, "author_source": 0, "categories": ""}
    conn.execute(works.insert(), [{**placeholder, **row} for row in rows])


# --- authors ----------------------------------------------------------------------


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def author_condition(query: NameQuery, indexed: bool) -> sa.ColumnElement[bool]:
    """Every token starts a word of the name key: through FTS5, or a portable LIKE."""
    if indexed:
        expression = " AND ".join('"' + token.replace('"', '""') + '"*' for token in query.tokens)
        matched: sa.Select[Any] = (
            sa.select(sa.literal_column("rowid"))
            .select_from(sa.table(AUTHORS_INDEX))
            .where(_fts_match(AUTHORS_INDEX, expression))
        )
        return sa.literal_column("authors.rowid").in_(matched)
    key = authors.c.name_key
    return sa.and_(
        *(
            sa.or_(
                key.like(f"{_escape_like(token)}%", escape="\\"),
                key.like(f"% {_escape_like(token)}%", escape="\\"),
            )
            for token in query.tokens
        )
    )


def _tier(query: NameQuery) -> sa.ColumnElement[int]:
    # 0: the full name as typed; 1: a name of as many words as the query
    # ("lecun y" and "Yann LeCun"); 2: a longer name that contains them.
    key = authors.c.name_key
    words = sa.func.length(key) - sa.func.length(sa.func.replace(key, " ", "")) + 1
    return sa.case((key.in_(query.exact_keys), 0), (words == len(query.tokens), 1), else_=2).label(
        "tier"
    )


def _uses_index(conn: Connection, indexed: bool | None) -> bool:
    return conn.dialect.name == "sqlite" if indexed is None else indexed


def match_authors(
    conn: Connection, query: NameQuery, limit: int, offset: int, indexed: bool | None = None
) -> list[AnyRow]:
    """One page of matching authors: exact names first, then by citations and works."""
    tier = _tier(query)
    statement = (
        sa.select(*_AUTHOR_COLUMNS, tier)
        .select_from(authors.outerjoin(author_metrics, author_metrics.c.author_id == authors.c.id))
        .where(author_condition(query, _uses_index(conn, indexed)))
        .order_by(tier, sa.desc("citations"), sa.desc("works"), authors.c.name, authors.c.id)
        .limit(limit)
        .offset(offset)
    )
    return list(conn.execute(statement))


def count_authors(conn: Connection, query: NameQuery, indexed: bool | None = None) -> int:
    """How many authors match."""
    condition = author_condition(query, _uses_index(conn, indexed))
    statement = sa.select(sa.func.count()).select_from(authors).where(condition)
    return int(conn.scalar(statement) or 0)
