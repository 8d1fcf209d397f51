"""Writing parsed records: upsert works by arXiv id, keep versions, rejects and provenance.

The arXiv id is the key. A record of a work already stored never duplicates
it: the record that knows the newest version (then the newest update date)
wins the metadata and author list, and every version any record knows is kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.models import AuthorName, Reject, Version, WorkRecord
from scholarfolio.store.schema import (
    authorships,
    citations,
    meta,
    provenance,
    rejects,
    work_versions,
    works,
)

NameKey = Callable[[AuthorName], str]


@dataclass(slots=True)
class BatchResult:
    """How many records of a batch added, updated or left a work unchanged."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class _Stored:
    id: int
    latest_version: int
    source_updated: date | None
    content_hash: str
    versions: dict[int, datetime | None]


def content_hash(record: WorkRecord) -> str:
    """A fingerprint of everything a record says about a work (not where it came from)."""
    payload = [
        record.title,
        record.abstract,
        list(record.categories),
        record.doi,
        record.journal_ref,
        record.comments,
        record.report_no,
        record.license,
        record.submitter,
        [
            [a.raw, a.name, a.keyname, a.forenames, a.suffix, list(a.affiliations)]
            for a in record.authors
        ],
        [[v.number, v.submitted.isoformat() if v.submitted else None] for v in record.versions],
        record.updated.isoformat() if record.updated else None,
    ]
    return hashlib.sha1(json.dumps(payload).encode("utf-8")).hexdigest()


def _rank(latest_version: int, updated: date | None) -> tuple[int, date]:
    return latest_version, updated or date.min


def _latest(record: WorkRecord) -> int:
    return max((v.number for v in record.versions), default=1)


def _first_submitted(versions: dict[int, datetime | None]) -> datetime | None:
    dated = [when for _, when in sorted(versions.items()) if when is not None]
    return dated[0] if dated else None


def _dedupe(records: Iterable[WorkRecord]) -> list[WorkRecord]:
    # Within one batch the later record of the same paper wins ties, as it
    # would had it come in a later batch.
    best: dict[str, WorkRecord] = {}
    for record in records:
        held = best.get(record.arxiv_id)
        if held is None or _rank(_latest(record), record.updated) >= _rank(
            _latest(held), held.updated
        ):
            best[record.arxiv_id] = record
    return list(best.values())


def _load_stored(conn: Connection, arxiv_ids: Sequence[str]) -> dict[str, _Stored]:
    rows = conn.execute(
        sa.select(
            works.c.id,
            works.c.arxiv_id,
            works.c.latest_version,
            works.c.source_updated,
            works.c.content_hash,
        ).where(works.c.arxiv_id.in_(arxiv_ids))
    ).all()
    versions: dict[int, dict[int, datetime | None]] = {row.id: {} for row in rows}
    if rows:
        for work_id, number, submitted in conn.execute(
            sa.select(
                work_versions.c.work_id, work_versions.c.number, work_versions.c.submitted
            ).where(work_versions.c.work_id.in_(list(versions)))
        ):
            versions[work_id][number] = submitted
    return {
        row.arxiv_id: _Stored(
            row.id, row.latest_version, row.source_updated, row.content_hash, versions[row.id]
        )
        for row in rows
    }


def _work_values(record: WorkRecord, now: datetime) -> dict[str, Any]:
    dated = {v.number: v.submitted for v in record.versions}
    return {
        "arxiv_id": record.arxiv_id,
        "title": record.title,
        "abstract": record.abstract,
        "categories": " ".join(record.categories),
        "doi": record.doi,
        "journal_ref": record.journal_ref,
        "comments": record.comments,
        "report_no": record.report_no,
        "license": record.license,
        "submitter": record.submitter,
        "latest_version": _latest(record),
        "first_submitted": _first_submitted(dated),
        "source_updated": record.updated,
        "content_hash": content_hash(record),
        "updated_at": now,
    }


def _authorship_rows(work_id: int, record: WorkRecord, name_key: NameKey) -> list[dict[str, Any]]:
    return [
        {
            "work_id": work_id,
            "position": position,
            "raw_name": author.raw,
            "name": author.name,
            "keyname": author.keyname,
            "forenames": author.forenames,
            "suffix": author.suffix,
            "affiliations": list(author.affiliations),
            "name_key": name_key(author),
            "author_id": None,
        }
        for position, author in enumerate(record.authors, start=1)
    ]


def _version_rows(work_id: int, versions: Iterable[Version]) -> list[dict[str, Any]]:
    return [
        {"work_id": work_id, "number": v.number, "submitted": v.submitted, "size": v.size}
        for v in versions
    ]


def _insert_new(
    conn: Connection, records: list[WorkRecord], name_key: NameKey, now: datetime
) -> dict[str, int]:
    if not records:
        return {}
    values = [{**_work_values(r, now), "created_at": now} for r in records]
    inserted = conn.execute(works.insert().returning(works.c.id, works.c.arxiv_id), values)
    ids = {arxiv_id: work_id for work_id, arxiv_id in inserted}
    versions = [row for r in records for row in _version_rows(ids[r.arxiv_id], r.versions)]
    names = [row for r in records for row in _authorship_rows(ids[r.arxiv_id], r, name_key)]
    if versions:
        conn.execute(work_versions.insert(), versions)
    if names:
        conn.execute(authorships.insert(), names)
    return ids


def _merge_versions(conn: Connection, stored: _Stored, record: WorkRecord) -> bool:
    """Add versions the store lacks (or lacks a date for); True when anything changed."""
    changed = False
    for version in record.versions:
        if version.number not in stored.versions:
            conn.execute(work_versions.insert(), _version_rows(stored.id, [version]))
        elif stored.versions[version.number] is None and version.submitted is not None:
            conn.execute(
                work_versions.update()
                .where(work_versions.c.work_id == stored.id)
                .where(work_versions.c.number == version.number)
                .values(submitted=version.submitted, size=version.size)
            )
        else:
            continue
        stored.versions[version.number] = version.submitted
        changed = True
    return changed


def _update_existing(
    conn: Connection, stored: _Stored, record: WorkRecord, name_key: NameKey, now: datetime
) -> bool:
    """Apply a record to a stored work; True when the stored work changed."""
    versions_changed = _merge_versions(conn, stored, record)
    wins = _rank(_latest(record), record.updated) >= _rank(
        stored.latest_version, stored.source_updated
    )
    if wins and content_hash(record) != stored.content_hash:
        values = _work_values(record, now)
        values["latest_version"] = max(stored.latest_version, values["latest_version"])
        values["first_submitted"] = _first_submitted(stored.versions)
        conn.execute(works.update().where(works.c.id == stored.id).values(**values))
        conn.execute(authorships.delete().where(authorships.c.work_id == stored.id))
        rows = _authorship_rows(stored.id, record, name_key)
        if rows:
            conn.execute(authorships.insert(), rows)
        return True
    if versions_changed:
        conn.execute(
            works.update()
            .where(works.c.id == stored.id)
            .values(
                latest_version=max(stored.versions),
                first_submitted=_first_submitted(stored.versions),
                updated_at=now,
            )
        )
    return versions_changed


def _record_provenance(
    conn: Connection, records: list[WorkRecord], ids: dict[str, int], now: datetime
) -> None:
    # One row per (work, file): re-reading a file refreshes its rows.
    by_file: dict[str, list[int]] = {}
    for record in records:
        by_file.setdefault(record.locator.file, []).append(ids[record.arxiv_id])
    for file, work_ids in by_file.items():
        conn.execute(
            provenance.delete()
            .where(provenance.c.file == file)
            .where(provenance.c.work_id.in_(work_ids))
        )
    conn.execute(
        provenance.insert(),
        [
            {
                "work_id": ids[r.arxiv_id],
                "source": r.source,
                "file": r.locator.file,
                "position": r.locator.position,
                "record_version": _latest(r),
                "ingested_at": now,
            }
            for r in records
        ],
    )


def write_works(
    conn: Connection, records: Sequence[WorkRecord], name_key: NameKey, now: datetime
) -> BatchResult:
    """Upsert a batch of records by arXiv id inside the caller's transaction."""
    result = BatchResult()
    batch = _dedupe(records)
    result.unchanged += len(records) - len(batch)
    if not batch:
        return result
    stored = _load_stored(conn, [r.arxiv_id for r in batch])
    fresh = [r for r in batch if r.arxiv_id not in stored]
    ids = _insert_new(conn, fresh, name_key, now)
    result.added += len(fresh)
    for record in batch:
        held = stored.get(record.arxiv_id)
        if held is None:
            continue
        ids[record.arxiv_id] = held.id
        if _update_existing(conn, held, record, name_key, now):
            result.updated += 1
        else:
            result.unchanged += 1
    _record_provenance(conn, batch, ids, now)
    return result


def clear_rejects(conn: Connection, file: str) -> None:
    """Forget the rejects of an earlier read of this file (a new read replaces them)."""
    conn.execute(rejects.delete().where(rejects.c.file == file))


def write_rejects(conn: Connection, items: Sequence[Reject], now: datetime) -> None:
    """Keep rejected records with their file, position and reason."""
    if items:
        conn.execute(
            rejects.insert(),
            [
                {
                    "file": r.file,
                    "position": r.position,
                    "line": r.line,
                    "reason": r.reason,
                    "excerpt": r.excerpt[:500],
                    "created_at": now,
                }
                for r in items
            ],
        )


def set_meta(conn: Connection, key: str, value: str) -> None:
    """Record a store-wide fact such as the time of the last build."""
    conn.execute(meta.delete().where(meta.c.key == key))
    conn.execute(meta.insert().values(key=key, value=value))


def write_citations(conn: Connection, edges: Iterable[tuple[int, int]], source: str) -> int:
    """Add citing -> cited edges between stored works; an edge already known is kept once.

    Returns how many edges were new. Self-citations of a work to itself are dropped.
    """
    wanted = {(citing, cited) for citing, cited in edges if citing != cited}
    if not wanted:
        return 0
    citing_ids = sorted({citing for citing, _ in wanted})
    known: set[tuple[int, int]] = set(
        conn.execute(
            sa.select(citations.c.citing_work_id, citations.c.cited_work_id).where(
                citations.c.citing_work_id.in_(citing_ids)
            )
        )
    )
    fresh = sorted(wanted - known)
    if fresh:
        conn.execute(
            citations.insert(),
            [{"citing_work_id": a, "cited_work_id": b, "source": source} for a, b in fresh],
        )
    return len(fresh)
