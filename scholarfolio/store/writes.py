"""Writing what sources say: source records, source authors, citation claims, rejects.

A record is keyed by its source and that source's own id (the arXiv id for
arXiv). Reading a record again, or a newer version of it, updates the stored
record and never duplicates it: the record that knows the newest version (then
the newest update date) wins the metadata and author list, and every arXiv
version any record knows is kept. Works are not written here: ``build``
derives them from the records (:mod:`scholarfolio.store.derive`).
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

from scholarfolio.models import (
    AuthorName,
    AuthorRecord,
    CitationRecord,
    Reject,
    Version,
    WorkRecord,
    source_family,
)
from scholarfolio.store.schema import (
    citation_claims,
    meta,
    provenance,
    record_authors,
    record_ids,
    record_references,
    record_versions,
    records,
    rejects,
    reported_citations,
    source_authors,
)


@dataclass(frozen=True, slots=True)
class Keys:
    """The normalizations the store indexes by, supplied by the domain layer."""

    name: Callable[[AuthorName], str]
    title: Callable[[str], str]


@dataclass(slots=True)
class BatchResult:
    """How many records of a batch were added, updated or already current."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class _Stored:
    id: int
    latest_version: int
    source_updated: date | None
    content_hash: str
    versions: dict[int, datetime | None]


def content_hash(record: WorkRecord) -> str:
    """A fingerprint of everything a record says about a work (not where it came from)."""
    authors = [
        [
            a.raw,
            a.name,
            a.keyname,
            a.forenames,
            a.suffix,
            list(a.affiliations),
            a.orcid,
            a.source_author_id,
        ]
        for a in record.authors
    ]
    versions = [
        [v.number, v.submitted.isoformat() if v.submitted else None] for v in record.versions
    ]
    reported = record.reported
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
        authors,
        versions,
        record.updated.isoformat() if record.updated else None,
        sorted(record.ids),
        record.year,
        record.published.isoformat() if record.published else None,
        record.venue,
        record.work_type,
        sorted(record.references),
        [reported.count, str(reported.as_of), list(reported.by_year)] if reported else None,
    ]
    return hashlib.sha1(json.dumps(payload, default=str).encode("utf-8")).hexdigest()


def _latest(record: WorkRecord) -> int:
    return max((v.number for v in record.versions), default=1)


def _updated(record: WorkRecord) -> date | None:
    return record.updated or (record.reported.as_of if record.reported else None)


def _rank(latest_version: int, updated: date | None) -> tuple[int, date]:
    return latest_version, updated or date.min


def _first_submitted(versions: dict[int, datetime | None]) -> datetime | None:
    dated = [when for _, when in sorted(versions.items()) if when is not None]
    return dated[0] if dated else None


def _identity(record: WorkRecord) -> tuple[str, str]:
    # The column holds 255 characters (a CSL item may be keyed by a long URL).
    return source_family(record.source), record.key[:255]


def _dedupe(batch: Iterable[WorkRecord]) -> list[WorkRecord]:
    # Within one batch the later record of the same paper wins ties, as it
    # would had it come in a later batch.
    best: dict[tuple[str, str], WorkRecord] = {}
    for record in batch:
        held = best.get(_identity(record))
        if held is None or _rank(_latest(record), _updated(record)) >= _rank(
            _latest(held), _updated(held)
        ):
            best[_identity(record)] = record
    return list(best.values())


def _load_stored(conn: Connection, batch: Sequence[WorkRecord]) -> dict[tuple[str, str], _Stored]:
    stored: dict[tuple[str, str], _Stored] = {}
    by_source: dict[str, list[str]] = {}
    for record in batch:
        family, key = _identity(record)
        by_source.setdefault(family, []).append(key)
    for family, keys in by_source.items():
        query = sa.select(
            records.c.id,
            records.c.source_id,
            records.c.latest_version,
            records.c.source_updated,
            records.c.content_hash,
        ).where(records.c.source == family, records.c.source_id.in_(keys))
        for row in conn.execute(query):
            stored[(family, row.source_id)] = _Stored(
                row.id, row.latest_version, row.source_updated, row.content_hash, {}
            )
    by_id = {held.id: held for held in stored.values()}
    if by_id:
        versions = sa.select(
            record_versions.c.record_id, record_versions.c.number, record_versions.c.submitted
        ).where(record_versions.c.record_id.in_(list(by_id)))
        for version in conn.execute(versions):
            by_id[version.record_id].versions[version.number] = version.submitted
    return stored


def _record_values(record: WorkRecord, keys: Keys, now: datetime) -> dict[str, Any]:
    family, key = _identity(record)
    dated = {v.number: v.submitted for v in record.versions}
    return {
        "source": family,
        "source_id": key,
        "format": record.source,
        "arxiv_id": record.arxiv_id,
        "doi": record.doi,
        "title": record.title,
        "title_key": keys.title(record.title)[:255],
        "abstract": record.abstract,
        "categories": " ".join(record.categories),
        "journal_ref": record.journal_ref,
        "comments": record.comments,
        "report_no": record.report_no,
        "license": record.license,
        "submitter": record.submitter,
        "venue": record.venue,
        "work_type": record.work_type,
        "year": record.year,
        "published": record.published,
        "latest_version": _latest(record),
        "first_submitted": _first_submitted(dated),
        "source_updated": _updated(record),
        "content_hash": content_hash(record),
        "updated_at": now,
        # The next build rederives what this record reaches (incremental builds).
        "changed": True,
    }


def _all_ids(record: WorkRecord) -> set[tuple[str, str]]:
    ids = set(record.ids)
    if record.arxiv_id:
        ids.add(("arxiv", record.arxiv_id))
    if record.doi:
        ids.add(("doi", record.doi.lower()))
    return {(scheme, value[:255]) for scheme, value in ids if value}


def _child_rows(
    record_id: int, record: WorkRecord, keys: Keys
) -> dict[sa.Table, list[dict[str, Any]]]:
    authors = [
        {
            "record_id": record_id,
            "position": position,
            "raw_name": a.raw,
            "name": a.name,
            "keyname": a.keyname,
            "forenames": a.forenames,
            "suffix": a.suffix,
            "affiliations": list(a.affiliations),
            "orcid": a.orcid,
            "source_author_id": a.source_author_id,
            "name_key": keys.name(a)[:255],
        }
        for position, a in enumerate(record.authors, start=1)
    ]
    ids = [{"record_id": record_id, "scheme": s, "value": v} for s, v in _all_ids(record)]
    refs = [
        {"record_id": record_id, "scheme": s, "value": v[:255]}
        for s, v in sorted(set(record.references))
        if v
    ]
    reported = []
    if record.reported is not None:
        by_year = {str(year): count for year, count in record.reported.by_year}
        reported.append(
            {
                "record_id": record_id,
                "citations": record.reported.count,
                "as_of": record.reported.as_of,
                "by_year": by_year,
            }
        )
    return {
        record_authors: authors,
        record_ids: ids,
        record_references: refs,
        reported_citations: reported,
    }


def _replace_children(conn: Connection, record_id: int, record: WorkRecord, keys: Keys) -> None:
    for table, rows in _child_rows(record_id, record, keys).items():
        conn.execute(table.delete().where(table.c.record_id == record_id))
        if rows:
            conn.execute(table.insert(), rows)


def _version_rows(record_id: int, versions: Iterable[Version]) -> list[dict[str, Any]]:
    return [
        {"record_id": record_id, "number": v.number, "submitted": v.submitted, "size": v.size}
        for v in versions
    ]


def _insert_new(
    conn: Connection, fresh: list[WorkRecord], keys: Keys, now: datetime
) -> dict[tuple[str, str], int]:
    if not fresh:
        return {}
    values = [{**_record_values(r, keys, now), "created_at": now} for r in fresh]
    inserted = conn.execute(
        records.insert().returning(records.c.id, records.c.source, records.c.source_id), values
    )
    ids = {(source, source_id): record_id for record_id, source, source_id in inserted}
    grouped: dict[sa.Table, list[dict[str, Any]]] = {}
    for record in fresh:
        record_id = ids[_identity(record)]
        grouped.setdefault(record_versions, []).extend(_version_rows(record_id, record.versions))
        for table, rows in _child_rows(record_id, record, keys).items():
            grouped.setdefault(table, []).extend(rows)
    for table, rows in grouped.items():
        if rows:
            conn.execute(table.insert(), rows)
    return ids


def _merge_versions(conn: Connection, stored: _Stored, record: WorkRecord) -> bool:
    """Add versions the store lacks (or lacks a date for); True when anything changed."""
    changed = False
    for version in record.versions:
        if version.number not in stored.versions:
            conn.execute(record_versions.insert(), _version_rows(stored.id, [version]))
        elif stored.versions[version.number] is None and version.submitted is not None:
            conn.execute(
                record_versions.update()
                .where(record_versions.c.record_id == stored.id)
                .where(record_versions.c.number == version.number)
                .values(submitted=version.submitted, size=version.size)
            )
        else:
            continue
        stored.versions[version.number] = version.submitted
        changed = True
    return changed


def _update_existing(
    conn: Connection, stored: _Stored, record: WorkRecord, keys: Keys, now: datetime
) -> bool:
    """Apply a record to a stored one; True when the stored record changed."""
    versions_changed = _merge_versions(conn, stored, record)
    wins = _rank(_latest(record), _updated(record)) >= _rank(
        stored.latest_version, stored.source_updated
    )
    if wins and content_hash(record) != stored.content_hash:
        values = _record_values(record, keys, now)
        values["latest_version"] = max(stored.latest_version, values["latest_version"])
        values["first_submitted"] = _first_submitted(stored.versions)
        conn.execute(records.update().where(records.c.id == stored.id).values(**values))
        _replace_children(conn, stored.id, record, keys)
        return True
    if versions_changed:
        conn.execute(
            records.update()
            .where(records.c.id == stored.id)
            .values(
                latest_version=max(stored.versions),
                first_submitted=_first_submitted(stored.versions),
                updated_at=now,
                changed=True,
            )
        )
    return versions_changed


def _record_provenance(
    conn: Connection, batch: list[WorkRecord], ids: dict[tuple[str, str], int], now: datetime
) -> None:
    # One row per (record, file): re-reading a file refreshes its rows.
    by_file: dict[str, list[int]] = {}
    for record in batch:
        by_file.setdefault(record.locator.file, []).append(ids[_identity(record)])
    for file, record_ids_in_file in by_file.items():
        conn.execute(
            provenance.delete()
            .where(provenance.c.file == file)
            .where(provenance.c.record_id.in_(record_ids_in_file))
        )
    conn.execute(
        provenance.insert(),
        [
            {
                "record_id": ids[_identity(r)],
                "file": r.locator.file,
                "position": r.locator.position,
                "ingested_at": now,
            }
            for r in batch
        ],
    )


def write_records(
    conn: Connection, batch: Sequence[WorkRecord], keys: Keys, now: datetime
) -> BatchResult:
    """Upsert a batch of work records by (source, source id) in the caller's transaction."""
    result = BatchResult()
    unique = _dedupe(batch)
    result.unchanged += len(batch) - len(unique)
    if not unique:
        return result
    stored = _load_stored(conn, unique)
    fresh = [r for r in unique if _identity(r) not in stored]
    ids = _insert_new(conn, fresh, keys, now)
    result.added += len(fresh)
    for record in unique:
        held = stored.get(_identity(record))
        if held is None:
            continue
        ids[_identity(record)] = held.id
        if _update_existing(conn, held, record, keys, now):
            result.updated += 1
        else:
            result.unchanged += 1
    _record_provenance(conn, unique, ids, now)
    return result


def write_source_authors(conn: Connection, batch: Sequence[AuthorRecord], now: datetime) -> None:
    """Upsert what sources say about authors (their ids, ORCID and reported metrics)."""
    for author in batch:
        family = source_family(author.source)
        values = {
            "name": author.name,
            "orcid": author.orcid,
            "alternative_names": list(author.alternative_names),
            "works_count": author.works_count,
            "citations": author.citations,
            "h_index": author.h_index,
            "i10_index": author.i10_index,
            "as_of": author.as_of,
            "file": author.locator.file,
            "updated_at": now,
        }
        match = (source_authors.c.source == family) & (
            source_authors.c.source_id == author.source_id
        )
        if conn.execute(source_authors.update().where(match).values(**values)).rowcount == 0:
            conn.execute(
                source_authors.insert().values(source=family, source_id=author.source_id, **values)
            )


def write_citation_claims(conn: Connection, batch: Sequence[CitationRecord]) -> None:
    """Keep citation edges a source reports between identifiers, once per source and pair."""
    rows = {(source_family(c.source), *c.citing, *c.cited): None for c in batch}
    if not rows:
        return
    columns = ("source", "citing_scheme", "citing_value", "cited_scheme", "cited_value")
    keys = list(rows)
    known: set[tuple[str, ...]] = set()
    for source in {row[0] for row in keys}:
        citing_values = sorted({row[2] for row in keys if row[0] == source})
        query = sa.select(*(citation_claims.c[name] for name in columns)).where(
            citation_claims.c.source == source, citation_claims.c.citing_value.in_(citing_values)
        )
        known.update(tuple(row) for row in conn.execute(query))
    fresh = [dict(zip(columns, row, strict=True)) for row in keys if tuple(row) not in known]
    if fresh:
        conn.execute(citation_claims.insert(), fresh)


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
