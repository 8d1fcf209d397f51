"""Reads behind an incremental resolution: authorships by identity key, co-authors by work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.schema import authorships, identity_overrides
from scholarfolio.store.scoped import chunks

# The identity key kinds and the authorship column holding each.
KEY_COLUMNS = {
    "name": authorships.c.name_key,
    "orcid": authorships.c.orcid,
    "openalex": authorships.c.openalex_id,
    "s2": authorships.c.s2_id,
}
IdentityRow = tuple[int, int, str, str | None, str | None, str | None]


def _select() -> sa.Select[IdentityRow]:
    a = authorships.c
    return sa.select(a.work_id, a.position, a.name_key, a.orcid, a.openalex_id, a.s2_id)


def identity_rows(conn: Connection, works: Collection[int]) -> list[IdentityRow]:
    """The identity keys of every authorship of the given works."""
    return [
        tuple(row)  # type: ignore[misc]
        for chunk in chunks(works)
        for row in conn.execute(_select().where(authorships.c.work_id.in_(chunk)))
    ]


def authorships_with(conn: Connection, keys: Mapping[str, Collection[str]]) -> list[IdentityRow]:
    """Every authorship carrying one of the keys (kind -> values)."""
    found: list[IdentityRow] = []
    for kind, values in keys.items():
        column = KEY_COLUMNS[kind]
        for chunk in chunks(values):
            found.extend(tuple(row) for row in conn.execute(_select().where(column.in_(chunk))))  # type: ignore[misc]
    return found


def name_keys_by_work(conn: Connection, works: Collection[int]) -> dict[int, frozenset[str]]:
    """The (non-empty) name keys of every authorship of the given works."""
    found: dict[int, set[str]] = defaultdict(set)
    for chunk in chunks(works):
        query = sa.select(authorships.c.work_id, authorships.c.name_key).where(
            authorships.c.work_id.in_(chunk)
        )
        for work_id, key in conn.execute(query):
            if key:
                found[work_id].add(key)
    return {work: frozenset(found.get(work, ())) for work in works}


def has_overrides(conn: Connection) -> bool:
    """Whether any human identity decision was ever stored."""
    return conn.scalar(sa.select(sa.func.count()).select_from(identity_overrides)) != 0


def authors_of_authorships(
    conn: Connection, spots: Collection[tuple[int, int]]
) -> dict[tuple[int, int], str | None]:
    """The author of each given (work, position) authorship."""
    wanted = set(spots)
    query = sa.select(authorships.c.work_id, authorships.c.position, authorships.c.author_id)
    return {
        (work, position): author
        for chunk in chunks({work for work, _ in wanted})
        for work, position, author in conn.execute(query.where(authorships.c.work_id.in_(chunk)))
        if (work, position) in wanted
    }


def authors_by_keys(
    conn: Connection, name_keys: Collection[str], leaving_out: Collection[int]
) -> dict[tuple[str, str | None, str | None, str | None], set[str]]:
    """The authors of the authorships with these name keys, by their identity keys.

    Authorships of the works ``leaving_out`` (rederived by this build) do not count.
    """
    a = authorships.c
    skipped = set(leaving_out)
    found: dict[tuple[str, str | None, str | None, str | None], set[str]] = defaultdict(set)
    query = sa.select(a.work_id, a.name_key, a.orcid, a.openalex_id, a.s2_id, a.author_id)
    for chunk in chunks(name_keys):
        for work, key, orcid, openalex, s2, author in conn.execute(
            query.where(a.name_key.in_(chunk), a.author_id.is_not(None))
        ):
            if work not in skipped:
                found[(key, orcid, openalex, s2)].add(author)
    return found


def author_names(conn: Connection, authors: Collection[str]) -> dict[str, list[tuple[str, str]]]:
    """Each author's (name, name key) spellings, one per authorship, in authorship order."""
    a = authorships.c
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    query = sa.select(a.author_id, a.name, a.name_key).order_by(a.work_id, a.position)
    for chunk in chunks(authors):
        for author, name, key in conn.execute(query.where(a.author_id.in_(chunk))):
            found[author].append((name, key))
    return found


def spellings(
    conn: Connection, spots: Collection[tuple[int, int]]
) -> dict[tuple[int, int], tuple[str, str]]:
    """The (name, name key) of each given (work, position) authorship."""
    wanted = set(spots)
    a = authorships.c
    query = sa.select(a.work_id, a.position, a.name, a.name_key)
    return {
        (work, position): (name, key)
        for chunk in chunks({work for work, _ in wanted})
        for work, position, name, key in conn.execute(query.where(a.work_id.in_(chunk)))
        if (work, position) in wanted
    }
