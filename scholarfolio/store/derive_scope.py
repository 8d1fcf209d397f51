"""What an incremental build must rederive: changed records and every record they reach.

Two records meet during deduplication only through a shared identifier or a
shared title bucket (:func:`scholarfolio.dedup.cluster.title_bucket`), so the
records a change can affect are those reachable from the changed ones along
those two links, plus the records they met at the last build (through the ids
of their former work and their former bucket, kept in ``work_keys``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.schema import (
    authorships,
    citation_claims,
    identity_overrides,
    record_ids,
    records,
    rejects,
    work_ids,
    work_keys,
    work_splits,
)
from scholarfolio.store.scoped import chunks


def changed_records(conn: Connection) -> set[int]:
    """Records added or changed since the last build took them in."""
    return set(conn.scalars(sa.select(records.c.id).where(records.c.changed)))


def mark_built(conn: Connection, record_list: Collection[int]) -> None:
    """The build took these records in (records changed meanwhile stay marked)."""
    for chunk in chunks(record_list):
        conn.execute(records.update().where(records.c.id.in_(chunk)).values(changed=False))


def records_of_works(conn: Connection, works: Collection[int]) -> set[int]:
    """The records the given works had at the last build."""
    found: set[int] = set()
    for chunk in chunks(works):
        found.update(
            conn.scalars(sa.select(work_keys.c.record_id).where(work_keys.c.work_id.in_(chunk)))
        )
    return found


def ids_of_works(conn: Connection, works: Collection[int]) -> set[tuple[str, str]]:
    """The identifiers the given works had at the last build."""
    found: set[tuple[str, str]] = set()
    for chunk in chunks(works):
        query = sa.select(work_ids.c.scheme, work_ids.c.value).where(work_ids.c.work_id.in_(chunk))
        found.update((scheme, value) for scheme, value in conn.execute(query))
    return found


def ids_of_records(conn: Connection, record_list: Collection[int]) -> set[tuple[str, str]]:
    """The identifiers the given records have now."""
    found: set[tuple[str, str]] = set()
    for chunk in chunks(record_list):
        query = sa.select(record_ids.c.scheme, record_ids.c.value).where(
            record_ids.c.record_id.in_(chunk)
        )
        found.update((scheme, value) for scheme, value in conn.execute(query))
    return found


def records_holding(conn: Connection, identifiers: Collection[tuple[str, str]]) -> set[int]:
    """The records that have any of the identifiers now."""
    by_scheme: dict[str, set[str]] = defaultdict(set)
    for scheme, value in identifiers:
        by_scheme[scheme].add(value)
    found: set[int] = set()
    for scheme, values in by_scheme.items():
        for chunk in chunks(values):
            query = sa.select(record_ids.c.record_id).where(
                record_ids.c.scheme == scheme, record_ids.c.value.in_(chunk)
            )
            found.update(conn.scalars(query))
    return found


def stored_buckets(conn: Connection, record_list: Collection[int]) -> set[str]:
    """The title buckets the given records had at the last build."""
    found: set[str] = set()
    for chunk in chunks(record_list):
        query = sa.select(work_keys.c.title_bucket).where(
            work_keys.c.record_id.in_(chunk), work_keys.c.title_bucket.is_not(None)
        )
        found.update(conn.scalars(query))
    return found


def records_in_buckets(conn: Connection, buckets: Collection[str]) -> set[int]:
    """The records whose title bucket at the last build is one of ``buckets``."""
    found: set[int] = set()
    for chunk in chunks(buckets):
        query = sa.select(work_keys.c.record_id).where(work_keys.c.title_bucket.in_(chunk))
        found.update(conn.scalars(query))
    return found


def title_keys(conn: Connection, record_list: Collection[int]) -> list[str]:
    """The normalized titles of the given records now."""
    found: list[str] = []
    for chunk in chunks(record_list):
        found.extend(conn.scalars(sa.select(records.c.title_key).where(records.c.id.in_(chunk))))
    return found


def clear_conflicts(conn: Connection, file: str, record_list: Collection[int]) -> None:
    """Forget the build conflicts (rejects under ``file``) of the given records."""
    for chunk in chunks(record_list):
        conn.execute(rejects.delete().where(rejects.c.file == file, rejects.c.position.in_(chunk)))


def authors_of_works(conn: Connection, works: Collection[int]) -> set[str]:
    """The authors of the given works now."""
    found: set[str] = set()
    for chunk in chunks(works):
        query = sa.select(authorships.c.author_id).where(
            authorships.c.work_id.in_(chunk), authorships.c.author_id.is_not(None)
        )
        found.update(conn.scalars(query.distinct()))
    return found


def authorship_authors(conn: Connection) -> dict[tuple[int, int], str | None]:
    """Every authorship's author: (work, position) -> author id."""
    query = sa.select(authorships.c.work_id, authorships.c.position, authorships.c.author_id)
    return {(work, position): author for work, position, author in conn.execute(query)}


def undated_inputs(conn: Connection) -> str:
    """A fingerprint of the build inputs that carry no update time.

    Citation claims and work splits are only ever added, identity overrides
    only added (an undo is a new row): their counts and largest keys change
    whenever they do.
    """
    parts = [
        conn.scalar(sa.select(sa.func.count()).select_from(citation_claims)),
        conn.scalar(sa.select(sa.func.count()).select_from(work_splits)),
        conn.scalar(sa.select(sa.func.max(work_splits.c.created_at))),
        conn.scalar(sa.select(sa.func.count()).select_from(identity_overrides)),
        conn.scalar(sa.select(sa.func.max(identity_overrides.c.id))),
    ]
    return "|".join(str(part) for part in parts)
