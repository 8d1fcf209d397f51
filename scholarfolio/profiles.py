"""Profiles as plain dicts: the one read model behind the HTML page, the JSON API and the CLI.

The dict shapes here are a public contract (README, docs/api.md): the HTML
profile and ``GET /api/authors/{id}`` render the same :func:`get_profile` dict.
A :class:`WorkListing` says which page of the author's works to show, in
which order and under which filters; the dict says how many there are in all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from scholarfolio import search, topics
from scholarfolio.errors import BadInput, Moved, NotFound
from scholarfolio.identity import evidence
from scholarfolio.identity.names import fold, name_key
from scholarfolio.models import AuthorName
from scholarfolio.store import Store, author_queries, metric_queries, queries
from scholarfolio.store.author_queries import SORTS, WorkFilter
from scholarfolio.store.queries import AnyRow
from scholarfolio.works import work_entry

MAX_QUERY_LENGTH = 200

# Works per page of a profile unless ``per_page`` says otherwise, and the most it may say.
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
# Co-authors per page (``coauthors_page`` pages through the rest).
COAUTHORS_PER_PAGE = 20
# The topic words read the abstracts of this many of the author's most cited works
# (and every title), so a prolific author's profile costs no more than a typical one.
TOPIC_ABSTRACTS = 20
# Categories listed under topics (the filter lists them all).
TOPIC_CATEGORIES = 10
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True, slots=True)
class WorkListing:
    """Which of an author's works a profile lists: order, filters and page.

    ``per_page`` None lists every work on one page (the CLI's profile).
    """

    sort: str = "date"
    year: int | None = None
    category: str | None = None
    page: int = 1
    per_page: int | None = DEFAULT_PER_PAGE
    coauthors_page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> WorkListing:
        """The listing a URL's query asks for; BadInput names the valid values."""
        sort = params.get("sort") or "date"
        if sort not in SORTS:
            raise BadInput(f"sort must be one of {', '.join(SORTS)} (got {sort!r})")
        year = params.get("year") or None
        if year is not None and not _YEAR.fullmatch(year):
            raise BadInput(f"year must be a four-digit year such as 2014 (got {year!r})")
        return cls(
            sort=sort,
            year=int(year) if year is not None else None,
            category=params.get("category") or None,
            page=_whole_number(params, "page", 1),
            per_page=_whole_number(params, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
            coauthors_page=_whole_number(params, "coauthors_page", 1),
        )


def _whole_number(
    params: Mapping[str, str], name: str, default: int, largest: int | None = None
) -> int:
    text = params.get(name) or ""
    if not text:
        return default
    bound = f"from 1 to {largest}" if largest else "from 1 up"
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= (largest or 10**9):
        raise BadInput(f"{name} must be a whole number {bound} (got {text!r})")
    return int(text)


def _reported_metrics(conn: Connection, ids: dict[str, list[str]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for source in ("openalex", "s2"):
        row = queries.source_author_metrics(conn, source, ids.get(source, []))
        if row is not None:
            found[source] = {
                "id": row.source_id,
                "h_index": row.h_index,
                "i10_index": row.i10_index,
                "citations": row.citations,
                "works": row.works_count,
                "as_of": row.as_of.isoformat() if row.as_of else None,
            }
    return found


def get_profile(
    store: Store,
    author_id: str,
    listing: WorkListing | None = None,
    author_head: int | None = None,
) -> dict[str, Any]:
    """The profile of one author with one page of their works; NotFound for an unknown id.

    Without ``listing`` every work is listed, newest first. ``author_head``
    keeps only each work's first authors (and the profile's own author, as
    ``author_beyond``) for pages that show a few names; None keeps every name.
    """
    wanted = listing or WorkListing(per_page=None)
    with store.engine.connect() as conn:
        person = _person(conn, author_id)
        facets = author_queries.work_facets(conn, author_id, TOPIC_ABSTRACTS)
        choices = _choices(facets)
        only = _checked_filter(wanted, choices)
        total = sum(1 for row in facets if _selected(row, only))
        per_page = wanted.per_page or max(total, 1)
        _check_page("page", wanted.page, total, per_page, "works")
        rows = author_queries.works_page(
            conn, author_id, wanted.sort, only, (wanted.page - 1) * per_page, per_page
        )
        entries = _entries(conn, rows, author_id, author_head)
        coauthors = _coauthors(conn, author_id, wanted.coauthors_page)
        yearly = queries.citations_by_year(conn, author_id)
        badges = queries.badges(conn, author_id)
        variants = [n for n in queries.spellings(conn, author_id) if n != person.name]
        source_ids = queries.author_source_ids(conn, author_id)
        reported = _reported_metrics(conn, source_ids)
        built = queries.meta_value(conn, "last_build")
        full = metric_queries.author_metrics_full(conn, author_id)
        grouping = evidence.grouping(conn, author_id)
    by_year = {str(year): count for year, count in yearly.items()}
    # The complete figures (docs/metrics.md); the keys shared with the first
    # slice's contract hold the same values.
    extra = {key: value for key, value in full.items() if key not in _CONTRACT_METRICS}
    return {
        "id": person.id,
        "name": person.name,
        "name_variants": variants,
        "badges": badges,
        "ids": {scheme: values[0] for scheme, values in source_ids.items()},
        "other_ids": {scheme: values[1:] for scheme, values in source_ids.items() if values[1:]},
        "metrics": {
            "works": person.works,
            "citations": person.citations,
            "h_index": person.h_index,
            "i10_index": person.i10_index,
            "g_index": person.g_index,
            "citations_by_year": by_year,
            "as_of": built,
            **extra,
        },
        "reported_metrics": reported,
        # Why these authorships are one author: shared keys and human decisions.
        "grouping": grouping,
        "works": entries,
        "works_total": total,
        "page": wanted.page,
        "per_page": per_page,
        "pages": _pages(total, per_page),
        "sort": wanted.sort,
        "year": only.year,
        "category": only.category,
        "filters": {
            "years": [{"year": year, "works": count} for year, count in choices.years],
            "categories": [
                {"category": name, "works": count} for name, count in choices.categories
            ],
        },
        **coauthors,
        "topics": {
            "categories": [
                {"category": name, "works": count}
                for name, count in choices.categories[:TOPIC_CATEGORIES]
            ],
            "words": [
                {"word": found.word, "works": found.works}
                for found in topics.top_words((row.title, row.abstract) for row in facets)
            ],
        },
    }


def _person(conn: Connection, author_id: str) -> AnyRow:
    """The author's row; Moved for an id absorbed by a merge, else NotFound."""
    person = queries.author(conn, author_id)
    if person is not None:
        return person
    moved_to = queries.redirect_target(conn, author_id)
    if moved_to is not None:
        raise Moved(author_id, moved_to)
    raise NotFound(f"no author with id {author_id!r}")


_CONTRACT_METRICS = frozenset(
    {"works", "citations", "h_index", "i10_index", "g_index", "citations_by_year", "as_of"}
)


def fill_years(by_year: Mapping[str, int]) -> dict[str, int]:
    """Every year from the first to the last of ``by_year``, the missing ones as zero."""
    counts = {int(year): count for year, count in by_year.items() if year.isdigit()}
    if not counts:
        return {}
    return {str(year): counts.get(year, 0) for year in range(min(counts), max(counts) + 1)}


@dataclass(frozen=True, slots=True)
class _Choices:
    """The values the filters accept for one author, each with its number of works."""

    years: list[tuple[int, int]]
    categories: list[tuple[str, int]]


def _choices(facets: list[AnyRow]) -> _Choices:
    years: dict[int, int] = {}
    for row in facets:
        if row.year is not None:
            years[row.year] = years.get(row.year, 0) + 1
    return _Choices(
        years=sorted(years.items(), reverse=True),
        categories=topics.category_counts(row.categories for row in facets),
    )


def _checked_filter(listing: WorkListing, choices: _Choices) -> WorkFilter:
    """The listing's filter, once its year and category are among the author's own."""
    years = [year for year, _ in choices.years]
    if listing.year is not None and listing.year not in years:
        valid = ", ".join(str(year) for year in sorted(years)) or "none"
        raise BadInput(f"no works in year {listing.year}; years with works: {valid}")
    names = [name for name, _ in choices.categories]
    if listing.category is not None and listing.category not in names:
        valid = ", ".join(sorted(names)) or "none"
        raise BadInput(f"no works in category {listing.category!r}; categories: {valid}")
    return WorkFilter(year=listing.year, category=listing.category)


def _selected(row: AnyRow, only: WorkFilter) -> bool:
    if only.year is not None and row.year != only.year:
        return False
    return only.category is None or only.category in row.categories.split()


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _check_page(name: str, page: int, total: int, per_page: int, noun: str) -> None:
    last = _pages(total, per_page)
    if page > last:
        raise BadInput(
            f"{name} {page} is past the last page: {total:,} {noun} make {last} "
            f"page{'s' if last > 1 else ''} of {per_page}"
        )


def _entries(
    conn: Connection, rows: list[AnyRow], author_id: str, author_head: int | None
) -> list[dict[str, Any]]:
    """The page's work entries with their rank, author count and the author's position."""
    wanted = [row.id for row in rows]
    lists = author_queries.author_lists(conn, wanted, author_id, author_head)
    identifiers = queries.work_identifiers(conn, wanted)
    sources = queries.work_sources(conn, wanted)
    reported = queries.work_reported_counts(conn, wanted)
    entries = []
    for row in rows:
        listed = lists[row.id]
        entry = work_entry(
            row, listed.names, identifiers[row.id], sources[row.id], reported[row.id]
        )
        entry["rank"] = row.rank
        entry["authors_total"] = listed.total
        entry["author_position"] = listed.position
        if author_head is not None:
            entry["author_beyond"] = (
                None
                if listed.beyond is None
                else dict(zip(("position", "id", "name"), listed.beyond, strict=True))
            )
        entries.append(entry)
    return entries


def _coauthors(conn: Connection, author_id: str, page: int) -> dict[str, Any]:
    """One page of co-authors (most shared works first) and how many there are."""
    rows = author_queries.coauthors(
        conn, author_id, (page - 1) * COAUTHORS_PER_PAGE, COAUTHORS_PER_PAGE
    )
    total = rows[0].total if rows else author_queries.coauthor_count(conn, author_id)
    _check_page("coauthors_page", page, total, COAUTHORS_PER_PAGE, "co-authors")
    return {
        "coauthors": [{"id": row.id, "name": row.name, "works": row.works} for row in rows],
        "coauthors_total": total,
        "coauthors_page": page,
        "coauthors_per_page": COAUTHORS_PER_PAGE,
    }


def _summary(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "works": row.works,
        "citations": row.citations,
        "h_index": row.h_index,
    }


def _query_tokens(query: str) -> list[str]:
    if len(query) > MAX_QUERY_LENGTH:
        raise BadInput(
            f"the query is too long ({len(query)} characters; at most {MAX_QUERY_LENGTH})"
        )
    tokens = fold(query).split()
    if not tokens:
        raise BadInput("the query is empty: give part of an author's name, e.g. 'brandenberger'")
    return tokens


def search_authors(store: Store, query: str, limit: int = 50) -> list[dict[str, Any]]:
    """Authors whose name has a word starting with each word of the query, best first.

    Accents, case and hyphens are ignored; an initial matches a given name
    ("lecun y"). The rules are :mod:`scholarfolio.search.names`'.
    """
    _query_tokens(query)
    return search.search_authors(store, query, limit)


def top_authors(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The most cited authors of the corpus."""
    with store.engine.connect() as conn:
        return [_summary(row) for row in queries.top_authors(conn, limit)]


def corpus_stats(store: Store) -> dict[str, Any]:
    """Corpus size and the time of the last ingest or build."""
    with store.engine.connect() as conn:
        counts = queries.corpus_counts(conn)
        stamps = [queries.meta_value(conn, key) for key in ("last_ingest", "last_build")]
    known = [stamp for stamp in stamps if stamp]
    return {
        "works": counts["works"],
        "authors": counts["authors"],
        "citations": counts["citations"],
        "last_update": max(known) if known else None,
    }


_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.I)
_OPENALEX_AUTHOR = re.compile(r"^(?:https?://openalex\.org/)?(A\d+)$", re.I)
_S2_AUTHOR = re.compile(r"^(?:s2:)?(\d{3,12})$")


def _by_source_id(conn: Connection, text: str) -> str | None:
    for scheme, pattern in (("orcid", _ORCID), ("openalex", _OPENALEX_AUTHOR), ("s2", _S2_AUTHOR)):
        match = pattern.match(text.strip())
        if match:
            value = match.group(1)
            return queries.author_by_source_id(
                conn, scheme, value.upper() if scheme != "s2" else value
            )
    return None


def resolve_redirect(store: Store, author_id: str) -> str | None:
    """The id an absorbed author id now answers as (after a merge), or None."""
    with store.engine.connect() as conn:
        return queries.redirect_target(conn, author_id)


def find_author(store: Store, id_or_name: str) -> str:
    """The author id for an id, a source's author id (OpenAlex A..., S2, ORCID) or a name.

    Tried in order: exact id, an absorbed id's survivor, a source author id,
    exact name, else the single best match; NotFound names what to try next.
    """
    with store.engine.connect() as conn:
        if queries.author(conn, id_or_name) is not None:
            return id_or_name
        found = queries.redirect_target(conn, id_or_name) or _by_source_id(conn, id_or_name)
        if found is not None:
            return found
        tokens = _query_tokens(id_or_name)
        exact = queries.author_id_by_key(conn, name_key(AuthorName(id_or_name, id_or_name)))
        if exact is not None:
            return exact
        matches = queries.search_authors(conn, tokens, 2)
    if len(matches) == 1:
        return str(matches[0].id)
    if not matches:
        raise NotFound(f"no author matches {id_or_name!r}; try 'scholarfolio authors QUERY'")
    raise NotFound(
        f"{id_or_name!r} matches several authors; pick an id from "
        f"'scholarfolio authors {id_or_name!r}'"
    )
