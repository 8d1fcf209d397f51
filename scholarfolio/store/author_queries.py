"""Reads behind one author's page: their works sorted, filtered and paged, co-authors, facets.

Each function is one statement over the author's own authorships (an index
lookup), never a pass over the corpus. Ranks come from a window function over
the author's full sorted list, so a work keeps its rank on every page and
under every filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.queries import WORK_COLUMNS, AnyRow, _chunks
from scholarfolio.store.schema import authors, authorships, work_metrics, works

# The orders a profile's works can be listed in; ties fall back to the newest first.
_NEWEST = (works.c.date.desc().nulls_last(), works.c.id.desc())
SORTS = ("date", "citations")


def _citations() -> sa.ColumnElement[int]:
    return sa.func.coalesce(work_metrics.c.citations, 0)


def _order(sort: str) -> tuple[sa.ColumnElement[Any], ...]:
    if sort == "citations":
        return (_citations().desc(), *_NEWEST)
    return _NEWEST


def _mine() -> sa.Subquery:
    """The ids of the ``author_id`` parameter's works, once each."""
    return (
        sa.select(authorships.c.work_id)
        .where(authorships.c.author_id == _AUTHOR)
        .distinct()
        .subquery("mine")
    )


def _author_works() -> sa.FromClause:
    mine = _mine()
    return works.join(mine, mine.c.work_id == works.c.id).outerjoin(
        work_metrics, work_metrics.c.work_id == works.c.id
    )


# Statements are built once per shape with parameters, not per request: building
# one costs about as much as running it.
_AUTHOR = sa.bindparam("author_id", type_=sa.String)
_OFFSET = sa.bindparam("offset", type_=sa.Integer)
_LIMIT = sa.bindparam("limit", type_=sa.Integer)
_IDS: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)


@dataclass(frozen=True, slots=True)
class WorkFilter:
    """Which of an author's works to list: one year, one category, or all (None)."""

    year: int | None = None
    category: str | None = None


def works_page(
    conn: Connection,
    author_id: str,
    sort: str,
    only: WorkFilter,
    offset: int,
    limit: int | None,
) -> list[AnyRow]:
    """One page of the author's works in ``sort`` order, each with its ``rank`` in the full list."""
    statement = _works_page_statement(
        sort, only.year is not None, only.category is not None, limit is not None
    )
    params: dict[str, Any] = {"author_id": author_id, "offset": offset, "limit": limit}
    if only.year is not None:
        params["year"] = only.year
    if only.category is not None:
        params["category"] = f"% {_escape_like(only.category)} %"
    return list(conn.execute(statement, params))


@cache
def _works_page_statement(
    sort: str, by_year: bool, by_category: bool, limited: bool
) -> sa.Select[Any]:
    ranked = (
        sa.select(
            *WORK_COLUMNS,
            works.c.year,
            sa.func.row_number().over(order_by=_order(sort)).label("rank"),
        )
        .select_from(_author_works())
        .subquery("ranked")
    )
    query = sa.select(ranked).order_by(ranked.c.rank).offset(_OFFSET)
    if limited:
        query = query.limit(_LIMIT)
    if by_year:
        query = query.where(ranked.c.year == sa.bindparam("year", type_=sa.Integer))
    if by_category:
        # Categories are space-separated: pad both ends so "cs.LG" never matches "cs.LGx".
        padded = sa.literal(" ") + ranked.c.categories + sa.literal(" ")
        query = query.where(padded.like(sa.bindparam("category", type_=sa.String), escape="\\"))
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def work_facets(conn: Connection, author_id: str, with_abstracts: int) -> list[AnyRow]:
    """Year, categories and title of every work of the author, most cited first.

    Only the ``with_abstracts`` most cited carry their abstract (the others
    None), which bounds the text a topic summary reads for prolific authors.
    """
    params = {"author_id": author_id, "with_abstracts": with_abstracts}
    return list(conn.execute(_facets_statement(), params))


@cache
def _facets_statement() -> sa.Select[Any]:
    order = _order("citations")
    position = sa.func.row_number().over(order_by=order)
    with_abstract = position <= sa.bindparam("with_abstracts", type_=sa.Integer)
    return (
        sa.select(
            works.c.year,
            works.c.categories,
            works.c.title,
            sa.case((with_abstract, works.c.abstract), else_=None).label("abstract"),
        )
        .select_from(_author_works())
        .order_by(*order)
    )


def coauthors(conn: Connection, author_id: str, offset: int, limit: int) -> list[AnyRow]:
    """The author's co-authors with the number of works shared, most shared first.

    Ties go by author id (which spells the name). Each row also carries
    ``total``, the number of co-authors in all. Names are joined to the one
    page only: a member of a 3,000-author collaboration has thousands of
    co-authors.
    """
    params = {"author_id": author_id, "offset": offset, "limit": limit}
    return list(conn.execute(_coauthors_statement(), params))


@cache
def _coauthors_statement() -> sa.Select[Any]:
    mine = _mine()
    shared = sa.func.count(sa.distinct(authorships.c.work_id))
    counted = (
        sa.select(
            authorships.c.author_id,
            shared.label("works"),
            sa.func.count().over().label("total"),
        )
        .select_from(authorships.join(mine, mine.c.work_id == authorships.c.work_id))
        .where(authorships.c.author_id != _AUTHOR)
        .group_by(authorships.c.author_id)
        .order_by(shared.desc(), authorships.c.author_id)
        .offset(_OFFSET)
        .limit(_LIMIT)
        .subquery("counted")
    )
    return (
        sa.select(authors.c.id, authors.c.name, counted.c.works, counted.c.total)
        .select_from(counted.join(authors, authors.c.id == counted.c.author_id))
        .order_by(counted.c.works.desc(), counted.c.author_id)
    )


def coauthor_count(conn: Connection, author_id: str) -> int:
    """How many distinct co-authors the author has."""
    mine = _mine()
    query = (
        sa.select(sa.func.count(sa.distinct(authorships.c.author_id)))
        .select_from(authorships.join(mine, mine.c.work_id == authorships.c.work_id))
        .where(authorships.c.author_id != _AUTHOR)
    )
    return int(conn.scalar(query, {"author_id": author_id}) or 0)


@dataclass(frozen=True, slots=True)
class AuthorList:
    """The head of one work's author list, its length, and where the profile's author stands."""

    names: list[tuple[str, str]]
    total: int
    position: int | None
    # The profile's author when they come after the head: (position, id, name).
    beyond: tuple[int, str, str] | None


def author_lists(
    conn: Connection, wanted: Sequence[int], author_id: str, head: int | None
) -> dict[int, AuthorList]:
    """Each work's first ``head`` authors (all when None) in source order, and their count.

    A 3,000-author paper costs ``head`` rows here, not 3,000; the profile's
    own author is read wherever they stand.
    """
    names: dict[int, list[tuple[str, str]]] = {work_id: [] for work_id in wanted}
    own: dict[int, int] = {}
    beyond: dict[int, tuple[int, str, str]] = {}
    totals: dict[int, int] = {}
    for chunk in _chunks(wanted):
        params = {"ids": chunk, "author_id": author_id, "head": head}
        if head is not None:
            totals.update(_author_counts(conn, chunk))
        for work_id, position, person, name in conn.execute(
            _names_statement(head is not None), params
        ):
            if head is None or position <= head:
                names[work_id].append((person, name))
            elif person == author_id and work_id not in own:
                beyond[work_id] = (position, person, name)
            if person == author_id and work_id not in own:
                own[work_id] = position
    return {
        work_id: AuthorList(
            names=names[work_id],
            total=len(names[work_id]) if head is None else totals.get(work_id, 0),
            position=own.get(work_id),
            beyond=beyond.get(work_id),
        )
        for work_id in wanted
    }


@cache
def _names_statement(headed: bool) -> sa.Select[Any]:
    """Names on the ``ids`` works in order; ``headed``: only the first ``head`` and the author."""
    query = sa.select(
        authorships.c.work_id,
        authorships.c.position,
        authorships.c.author_id,
        authorships.c.name,
    ).where(authorships.c.work_id.in_(_IDS))
    if headed:
        head = sa.bindparam("head", type_=sa.Integer)
        query = query.where(
            sa.or_(authorships.c.position <= head, authorships.c.author_id == _AUTHOR)
        )
    return query.order_by(authorships.c.work_id, authorships.c.position)


def _author_counts(conn: Connection, chunk: Sequence[int]) -> dict[int, int]:
    return {work_id: count for work_id, count in conn.execute(_counts_statement(), {"ids": chunk})}


@cache
def _counts_statement() -> sa.Select[Any]:
    return (
        sa.select(authorships.c.work_id, sa.func.count())
        .where(authorships.c.work_id.in_(_IDS))
        .group_by(authorships.c.work_id)
    )
