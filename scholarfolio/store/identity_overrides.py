"""The SQL of human identity decisions: the audit table and what deciding needs to read.

Rows of ``identity_overrides`` are only ever inserted, or marked undone
(``undone_by``); nothing here deletes one. :mod:`scholarfolio.identity.overrides`
decides what to write; :mod:`scholarfolio.identity.resolve` reads the rows that
still hold on every build.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.queries import AnyRow
from scholarfolio.store.schema import (
    author_nodes,
    author_redirects,
    authors,
    authorships,
    identity_overrides,
    records,
    work_ids,
    work_members,
    works,
)


def insert_override(conn: Connection, values: dict[str, Any]) -> int:
    """Store one decision (or undo) and return its id."""
    result = conn.execute(identity_overrides.insert().values(**values))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def mark_undone(conn: Connection, override_id: int, undo_id: int) -> None:
    """Record that ``undo_id`` undid ``override_id`` (the row itself stays)."""
    conn.execute(
        identity_overrides.update()
        .where(identity_overrides.c.id == override_id)
        .values(undone_by=undo_id)
    )


def override(conn: Connection, override_id: int) -> AnyRow | None:
    """One stored decision, or None."""
    query = sa.select(identity_overrides).where(identity_overrides.c.id == override_id)
    return conn.execute(query).first()


def overrides(conn: Connection, author_id: str | None = None) -> list[AnyRow]:
    """Every stored decision and undo in the order they were made (one author's, if given)."""
    query = sa.select(identity_overrides).order_by(identity_overrides.c.id)
    if author_id is not None:
        o = identity_overrides.c
        query = query.where(sa.or_(o.author_id == author_id, o.other_id == author_id))
    return list(conn.execute(query))


def active_overrides(conn: Connection) -> list[AnyRow]:
    """The decisions that hold (not undone, not undos), oldest first."""
    o = identity_overrides.c
    query = (
        sa.select(identity_overrides)
        .where(o.undone_by.is_(None), o.action != "undo")
        .order_by(o.id)
    )
    return list(conn.execute(query))


def author_exists(conn: Connection, author_id: str) -> bool:
    """Whether the author is stored now."""
    return conn.scalar(sa.select(authors.c.id).where(authors.c.id == author_id)) is not None


def redirected_ids(conn: Connection) -> dict[str, str]:
    """Absorbed author ids and the ids they answer as."""
    r = author_redirects.c
    return {old: new for old, new in conn.execute(sa.select(r.old_id, r.new_id))}


def nodes_of(conn: Connection, author_id: str) -> list[str]:
    """The identity keys that belonged to the author at the last build."""
    query = sa.select(author_nodes.c.node).where(author_nodes.c.author_id == author_id)
    return sorted(conn.scalars(query))


def authorships_of(conn: Connection, author_id: str) -> list[AnyRow]:
    """The author's authorships with the keys identity works from."""
    a = authorships.c
    query = (
        sa.select(a.work_id, a.position, a.name, a.name_key, a.orcid, a.openalex_id, a.s2_id)
        .where(a.author_id == author_id)
        .order_by(a.work_id, a.position)
    )
    return list(conn.execute(query))


def work_authorships(conn: Connection, work_ids_: Sequence[int]) -> list[AnyRow]:
    """The authorships of some works, with their authors and the work's author record."""
    a = authorships.c
    query = (
        sa.select(
            a.work_id,
            a.position,
            a.name,
            a.name_key,
            a.author_id,
            records.c.source,
            records.c.source_id,
        )
        .select_from(
            authorships.join(works, works.c.id == a.work_id).join(
                records, records.c.id == works.c.author_source
            )
        )
        .where(a.work_id.in_(list(work_ids_)))
        .order_by(a.work_id, a.position)
    )
    return list(conn.execute(query))


def work_id_for(conn: Connection, text: str) -> int | None:
    """The work a number or one of its identifiers (arXiv id, DOI, OpenAlex W...) names."""
    if text.isdigit():
        found = conn.scalar(sa.select(works.c.id).where(works.c.id == int(text)))
        if found is not None:
            return int(found)
    query = (
        sa.select(work_ids.c.work_id)
        .where(sa.func.lower(work_ids.c.value) == text.lower())
        .order_by(work_ids.c.work_id)
        .limit(1)
    )
    found = conn.scalar(query)
    return int(found) if found is not None else None


def works_of_record(conn: Connection, source: str, source_id: str) -> list[int]:
    """The work the record is a member of now (none when the record is gone)."""
    query = (
        sa.select(work_members.c.work_id)
        .select_from(work_members.join(records, records.c.id == work_members.c.record_id))
        .where(records.c.source == source, records.c.source_id == source_id)
    )
    return [int(w) for w in conn.scalars(query)]


def authorship_listing(conn: Connection, author_id: str) -> list[AnyRow]:
    """The author's authorships with their works' titles and years, newest first."""
    a = authorships.c
    query = (
        sa.select(a.work_id, a.position, a.name, works.c.title, works.c.year)
        .select_from(authorships.join(works, works.c.id == a.work_id))
        .where(a.author_id == author_id)
        .order_by(works.c.year.desc().nulls_last(), a.work_id.desc(), a.position)
    )
    return list(conn.execute(query))


def author_name(conn: Connection, author_id: str) -> str | None:
    """The author's display name, or None for an unknown id."""
    return conn.scalar(sa.select(authors.c.name).where(authors.c.id == author_id))
