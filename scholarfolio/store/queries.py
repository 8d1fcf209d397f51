"""Read queries behind profiles, search, the CLI listings and health checks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from scholarfolio.store.schema import (
    author_badges,
    author_citations_by_year,
    author_metrics,
    author_redirects,
    authors,
    authorships,
    citations,
    meta,
    records,
    rejects,
    source_authors,
    work_ids,
    work_members,
    work_metrics,
    work_reported,
    works,
)

# Rows whose columns the query decides; read by attribute.
AnyRow: TypeAlias = Row[*tuple[Any, ...]]

WORK_COLUMNS = (
    works.c.id,
    works.c.arxiv_id,
    works.c.latest_version,
    works.c.date,
    works.c.title,
    works.c.abstract,
    works.c.categories,
    works.c.doi,
    works.c.journal_ref,
    works.c.venue,
    sa.func.coalesce(work_metrics.c.citations, 0).label("citations"),
    sa.func.coalesce(work_metrics.c.citations_in_corpus, 0).label("citations_in_corpus"),
)

_SUMMARY_COLUMNS = (
    authors.c.id,
    authors.c.name,
    sa.func.coalesce(author_metrics.c.works, 0).label("works"),
    sa.func.coalesce(author_metrics.c.citations, 0).label("citations"),
    sa.func.coalesce(author_metrics.c.h_index, 0).label("h_index"),
)


def _summaries() -> sa.Select[Any]:
    return sa.select(*_SUMMARY_COLUMNS).select_from(
        authors.outerjoin(author_metrics, author_metrics.c.author_id == authors.c.id)
    )


def author(conn: Connection, author_id: str) -> AnyRow | None:
    """The author's row with metrics (zeros before the first build), or None."""
    query = sa.select(
        *_SUMMARY_COLUMNS,
        sa.func.coalesce(author_metrics.c.i10_index, 0).label("i10_index"),
        sa.func.coalesce(author_metrics.c.g_index, 0).label("g_index"),
    ).select_from(authors.outerjoin(author_metrics, author_metrics.c.author_id == authors.c.id))
    return conn.execute(query.where(authors.c.id == author_id)).first()


def author_id_by_key(conn: Connection, key: str) -> str | None:
    """The id of the author with exactly this name key."""
    return conn.scalar(sa.select(authors.c.id).where(authors.c.name_key == key))


def badges(conn: Connection, author_id: str) -> list[str]:
    """The author's badges, alphabetical."""
    query = (
        sa.select(author_badges.c.badge)
        .where(author_badges.c.author_id == author_id)
        .order_by(author_badges.c.badge)
    )
    return list(conn.scalars(query))


def citations_by_year(conn: Connection, author_id: str) -> dict[int, int]:
    """Citations the author received per year, oldest first."""
    query = (
        sa.select(author_citations_by_year.c.year, author_citations_by_year.c.citations)
        .where(author_citations_by_year.c.author_id == author_id)
        .order_by(author_citations_by_year.c.year)
    )
    return {row.year: row.citations for row in conn.execute(query)}


def spellings(conn: Connection, author_id: str) -> list[str]:
    """Every spelling of the author's name on their papers, alphabetical."""
    query = (
        sa.select(authorships.c.name)
        .distinct()
        .where(authorships.c.author_id == author_id)
        .order_by(authorships.c.name)
    )
    return list(conn.scalars(query))


def work_authors(conn: Connection, wanted: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """(author id, name as written) of each work, in source order."""
    listed: dict[int, list[tuple[str, str]]] = {work_id: [] for work_id in wanted}
    for chunk in _chunks(wanted):
        query = (
            sa.select(authorships.c.work_id, authorships.c.author_id, authorships.c.name)
            .where(authorships.c.work_id.in_(chunk))
            .order_by(authorships.c.work_id, authorships.c.position)
        )
        for work_id, author_id, name in conn.execute(query):
            listed[work_id].append((author_id, name))
    return listed


def _chunks(values: Sequence[int], size: int = 900) -> Iterator[list[int]]:
    # SQLite caps bound parameters per statement.
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def work_identifiers(conn: Connection, wanted: Sequence[int]) -> dict[int, dict[str, str]]:
    """Every identifier of each work, one value per scheme (the smallest when several)."""
    found: dict[int, dict[str, str]] = {work_id: {} for work_id in wanted}
    for chunk in _chunks(wanted):
        query = (
            sa.select(work_ids.c.work_id, work_ids.c.scheme, work_ids.c.value)
            .where(work_ids.c.work_id.in_(chunk))
            .order_by(work_ids.c.work_id, work_ids.c.scheme, work_ids.c.value.desc())
        )
        for work_id, scheme, value in conn.execute(query):
            found[work_id][scheme] = value
    return found


def work_sources(conn: Connection, wanted: Sequence[int]) -> dict[int, list[AnyRow]]:
    """The records merged into each work: source, its id, the rule and what it matched."""
    found: dict[int, list[AnyRow]] = {work_id: [] for work_id in wanted}
    matched = records.alias("matched")
    for chunk in _chunks(wanted):
        query = (
            sa.select(
                work_members.c.work_id,
                records.c.source,
                records.c.source_id,
                work_members.c.rule,
                matched.c.source.label("matched_source"),
                matched.c.source_id.label("matched_id"),
            )
            .select_from(
                work_members.join(records, records.c.id == work_members.c.record_id).outerjoin(
                    matched, matched.c.id == work_members.c.matched
                )
            )
            .where(work_members.c.work_id.in_(chunk))
            .order_by(work_members.c.work_id, records.c.source, records.c.source_id)
        )
        for row in conn.execute(query):
            found[row.work_id].append(row)
    return found


def work_reported_counts(conn: Connection, wanted: Sequence[int]) -> dict[int, list[AnyRow]]:
    """Each source's reported citation count of each work, with its date."""
    found: dict[int, list[AnyRow]] = {work_id: [] for work_id in wanted}
    for chunk in _chunks(wanted):
        query = (
            sa.select(work_reported)
            .where(work_reported.c.work_id.in_(chunk))
            .order_by(work_reported.c.work_id, work_reported.c.source)
        )
        for row in conn.execute(query):
            found[row.work_id].append(row)
    return found


def author_source_ids(conn: Connection, author_id: str) -> dict[str, list[str]]:
    """The ORCIDs, OpenAlex and S2 author ids on the author's authorships, most used first."""
    found: dict[str, list[str]] = {}
    for scheme, column in (
        ("orcid", authorships.c.orcid),
        ("openalex", authorships.c.openalex_id),
        ("s2", authorships.c.s2_id),
    ):
        query = (
            sa.select(column, sa.func.count().label("n"))
            .where(authorships.c.author_id == author_id, column.is_not(None))
            .group_by(column)
            .order_by(sa.desc("n"), column)
        )
        values = [value for value, _ in conn.execute(query)]
        if values:
            found[scheme] = values
    return found


def source_author_metrics(conn: Connection, source: str, ids: Sequence[str]) -> AnyRow | None:
    """What a source reports about the author behind the ids (its fullest record)."""
    query = (
        sa.select(source_authors)
        .where(source_authors.c.source == source, source_authors.c.source_id.in_(list(ids)))
        .order_by(source_authors.c.works_count.desc().nulls_last(), source_authors.c.source_id)
        .limit(1)
    )
    return conn.execute(query).first()


def redirect_target(conn: Connection, author_id: str) -> str | None:
    """The id an absorbed author id now answers as, if any."""
    return conn.scalar(
        sa.select(author_redirects.c.new_id).where(author_redirects.c.old_id == author_id)
    )


def author_by_source_id(conn: Connection, scheme: str, value: str) -> str | None:
    """The author whose authorships carry this ORCID, OpenAlex or S2 author id."""
    column = {
        "orcid": authorships.c.orcid,
        "openalex": authorships.c.openalex_id,
        "s2": authorships.c.s2_id,
    }[scheme]
    query = (
        sa.select(authorships.c.author_id, sa.func.count().label("n"))
        .where(column == value, authorships.c.author_id.is_not(None))
        .group_by(authorships.c.author_id)
        .order_by(sa.desc("n"))
        .limit(1)
    )
    row = conn.execute(query).first()
    return str(row.author_id) if row else None


def find_works(
    conn: Connection, title_words: Sequence[str], identifier: tuple[str, str] | None
) -> Iterator[AnyRow]:
    """Works whose title holds every word, or that carry the identifier; all when neither."""
    query = sa.select(*WORK_COLUMNS).select_from(
        works.outerjoin(work_metrics, work_metrics.c.work_id == works.c.id)
    )
    if identifier is not None:
        scheme, value = identifier
        holders = sa.select(work_ids.c.work_id).where(
            work_ids.c.scheme == scheme, work_ids.c.value == value
        )
        query = query.where(works.c.id.in_(holders))
    for word in title_words:
        query = query.where(
            sa.func.lower(works.c.title).like(f"%{_escape_like(word)}%", escape="\\")
        )
    yield from conn.execution_options(stream_results=True).execute(
        query.order_by(works.c.date.desc().nulls_last(), works.c.id.desc())
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_authors(conn: Connection, tokens: Sequence[str], limit: int) -> list[AnyRow]:
    """Authors whose name key contains every token, most cited first."""
    query = _summaries()
    for token in tokens:
        query = query.where(authors.c.name_key.like(f"%{_escape_like(token)}%", escape="\\"))
    query = query.order_by(sa.desc("citations"), sa.desc("works"), authors.c.name).limit(limit)
    return list(conn.execute(query))


def top_authors(conn: Connection, limit: int) -> list[AnyRow]:
    """The most cited authors, then the most prolific."""
    query = _summaries().order_by(sa.desc("citations"), sa.desc("works"), authors.c.name)
    return list(conn.execute(query.limit(limit)))


def _count(conn: Connection, table: sa.Table) -> int:
    return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def corpus_counts(conn: Connection) -> dict[str, int]:
    """How many source records, works, authors, citation edges and rejects the store holds."""
    return {
        "records": _count(conn, records),
        "works": _count(conn, works),
        "authors": _count(conn, authors),
        "citations": _count(conn, citations),
        "rejects": _count(conn, rejects),
    }


# The meta key naming the last build exactly (a fresh random id per build); the
# readable "last_build" stamp has one-second resolution and can repeat.
BUILD_ID = "build_id"


def build_stamp(conn: Connection) -> str:
    """The name of the store's last build: its build id, else its time stamp."""
    return meta_value(conn, BUILD_ID) or meta_value(conn, "last_build") or ""


def meta_value(conn: Connection, key: str) -> str | None:
    """A store-wide fact recorded by ingest or build."""
    return conn.scalar(sa.select(meta.c.value).where(meta.c.key == key))


def list_rejects(conn: Connection) -> Iterator[AnyRow]:
    """Every stored reject, by file and position."""
    query = sa.select(
        rejects.c.file, rejects.c.position, rejects.c.line, rejects.c.reason, rejects.c.excerpt
    ).order_by(rejects.c.file, rejects.c.position, rejects.c.id)
    yield from conn.execute(query)
