"""The resolution pass: give every authorship an author, with stable ids and good names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy.engine import Connection

from scholarfolio.identity.names import author_id_for, display_name
from scholarfolio.store import batch


@dataclass(frozen=True, slots=True)
class ResolveSummary:
    """What one resolution pass changed."""

    new_authors: int
    linked_authorships: int
    renamed: int
    removed: int


def _new_author_rows(conn: Connection) -> list[tuple[str, str, str]]:
    # The shown name is settled below, once authorships point at the author;
    # the key stands in until then.
    return [(author_id_for(key), key, key) for key in batch.unknown_name_keys(conn)]


def _settle_names(conn: Connection) -> dict[str, str]:
    current = batch.current_names(conn)
    changes: dict[str, str] = {}
    for author_id, rows in groupby(batch.name_spellings(conn), key=lambda row: row[0]):
        best = display_name((spelling, count) for _, spelling, count in rows)
        if current.get(author_id) != best:
            changes[author_id] = best
    return changes


def resolve_authors(conn: Connection, now: datetime) -> ResolveSummary:
    """Create authors for new name keys, link authorships, and refresh shown names."""
    rows = _new_author_rows(conn)
    batch.insert_authors(conn, rows, now)
    linked = batch.link_authorships(conn)
    removed = batch.drop_orphan_authors(conn)
    names = _settle_names(conn)
    batch.rename_authors(conn, names)
    return ResolveSummary(len(rows), linked, len(names), removed)
