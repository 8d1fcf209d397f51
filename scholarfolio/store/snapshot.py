"""Every derived table as plain rows, to check that two builds left the same store.

Timestamps (when an author or redirect was created, when a conflict was
noted) are left out: two builds run at different times. So is the row id of a
conflict, which only says in which order conflicts were written.
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.schema import (
    author_badges,
    author_citations_by_year,
    author_metrics,
    author_nodes,
    author_redirects,
    authors,
    authorships,
    citations,
    meta,
    rejects,
    work_citations_by_year,
    work_ids,
    work_keys,
    work_members,
    work_metrics,
    work_reported,
    work_versions,
    works,
)

DERIVED = (
    works,
    work_members,
    work_ids,
    work_versions,
    authorships,
    citations,
    work_reported,
    work_metrics,
    work_citations_by_year,
    authors,
    author_metrics,
    author_citations_by_year,
    author_badges,
    work_keys,
    author_nodes,
    author_redirects,
)
SKIPPED = frozenset({"created_at"})
# The rejects a build writes, and the meta keys it keeps for the next one.
BUILD_REJECTS = "(build: conflicting ids)"
BUILD_META = ("next_work_id",)


def _rows(conn: Connection, table: sa.Table) -> list[tuple[Any, ...]]:
    columns = [column for column in table.columns if column.name not in SKIPPED]
    # Sorted here: PostgreSQL cannot order by a JSON column, and None beside a
    # value does not compare in Python.
    return sorted((tuple(row) for row in conn.execute(sa.select(*columns))), key=repr)


def derived_rows(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Each derived table's rows without timestamps, in a fixed order, by table name."""
    found = {table.name: _rows(conn, table) for table in DERIVED}
    conflicts = sa.select(rejects.c.position, rejects.c.reason).where(
        rejects.c.file == BUILD_REJECTS
    )
    found["rejects"] = sorted((tuple(row) for row in conn.execute(conflicts)), key=repr)
    kept = sa.select(meta.c.key, meta.c.value).where(meta.c.key.in_(BUILD_META))
    found["meta"] = sorted(tuple(row) for row in conn.execute(kept))
    return found


def derived_digest(conn: Connection) -> str:
    """One fingerprint of :func:`derived_rows`."""
    digest = hashlib.sha1()
    for name, rows in sorted(derived_rows(conn).items()):
        digest.update(name.encode())
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()
