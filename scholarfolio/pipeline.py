"""The library's two verbs: ingest files into the store, and build profiles from it.

The CLI, the harvesters and the demo are thin layers over :func:`ingest_paths`
and :func:`build`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from scholarfolio import incremental, settings
from scholarfolio.dedup.assign import WorkSummary, build_works, update_works
from scholarfolio.dedup.titles import title_key
from scholarfolio.identity.names import name_key
from scholarfolio.identity.resolve import ResolveSummary, resolve_authors
from scholarfolio.ingest import expand_paths, read_file
from scholarfolio.ingest.jsondocs import Parsed
from scholarfolio.metrics.batch import badge_quotas, compute_all
from scholarfolio.models import (
    AuthorRecord,
    CitationRecord,
    IngestSummary,
    Reject,
    WorkRecord,
)
from scholarfolio.search import refresh_index as refresh_search_index
from scholarfolio.store import Store
from scholarfolio.store.derive_scope import clear_conflicts
from scholarfolio.store.queries import BUILD_ID, corpus_counts
from scholarfolio.store.writes import (
    Keys,
    clear_rejects,
    set_meta,
    write_citation_claims,
    write_records,
    write_rejects,
    write_source_authors,
)

KEYS = Keys(name=name_key, title=title_key)
# Conflicts found while merging records into works are kept with the rejects
# under this name, replaced at every build.
BUILD_CONFLICTS = "(build: conflicting ids)"


class IngestProgress(Protocol):
    """Receives progress while files are read (the CLI draws a bar from it)."""

    def file_started(self, path: Path, size: int) -> None:
        """A file of ``size`` bytes on disk is about to be read."""

    def advanced(self, nbytes: int) -> None:
        """``nbytes`` more bytes of the current file were consumed."""


class _Silent:
    def file_started(self, path: Path, size: int) -> None:
        pass

    def advanced(self, nbytes: int) -> None:
        pass


@dataclass(frozen=True, slots=True)
class BuildSummary:
    """What a build produced."""

    works: int
    authors: int
    resolve: ResolveSummary
    merging: WorkSummary
    # Whether only what changed since the last build was rederived, and if not, why.
    incremental: bool = False
    full_reason: str | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class _FileLoader:
    """Reads one file into the store in bounded batches, one transaction per batch."""

    def __init__(self, store: Store, summary: IngestSummary, batch_size: int) -> None:
        self.store = store
        self.summary = summary
        self.batch_size = batch_size
        self.works: list[WorkRecord] = []
        self.authors: list[AuthorRecord] = []
        self.citations: list[CitationRecord] = []
        self.rejects: list[Reject] = []

    def load(self, path: Path, progress: IngestProgress) -> None:
        with self.store.engine.begin() as conn:
            clear_rejects(conn, str(path))
        try:
            for item in read_file(path, progress.advanced):
                self._take(item)
        except OSError as exc:
            # The file vanished or became unreadable midway: keep what was read.
            self.rejects.append(Reject(str(path), 0, f"cannot read file: {exc.strerror or exc}"))
        self.flush()

    def _take(self, item: Parsed) -> None:
        if isinstance(item, Reject):
            self.rejects.append(item)
        elif isinstance(item, AuthorRecord):
            self.authors.append(item)
        elif isinstance(item, CitationRecord):
            self.citations.append(item)
        elif not item.key:
            self.rejects.append(
                Reject(item.locator.file, item.locator.position, "record has no identifier")
            )
        else:
            self.works.append(item)
            self.summary.formats[item.source] = self.summary.formats.get(item.source, 0) + 1
        pending = len(self.works) + len(self.authors) + len(self.citations) + len(self.rejects)
        if pending >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        now = _now()
        with self.store.engine.begin() as conn:
            result = write_records(conn, self.works, KEYS, now)
            write_source_authors(conn, self.authors, now)
            write_citation_claims(conn, self.citations)
            write_rejects(conn, self.rejects, now)
            set_meta(conn, "last_ingest", now.isoformat(timespec="seconds"))
        self.summary.added += result.added
        self.summary.updated += result.updated
        self.summary.unchanged += result.unchanged
        self.summary.rejected += len(self.rejects)
        self.summary.authors += len(self.authors)
        self.summary.citations += len(self.citations)
        for pending in (self.works, self.authors, self.citations, self.rejects):
            pending.clear()


def ingest_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    progress: IngestProgress | None = None,
) -> IngestSummary:
    """Read every file under ``paths`` into the store; bad records become rejects."""
    files = expand_paths(paths)
    hook = progress or _Silent()
    summary = IngestSummary()
    loader = _FileLoader(store, summary, settings.INGEST_BATCH.get())
    for path in files:
        resolved = path.resolve()
        hook.file_started(resolved, resolved.stat().st_size)
        loader.load(resolved, hook)
        summary.files += 1
    return summary


def build(
    store: Store, engine: str = "numpy", spark_master: str | None = None, full: bool = False
) -> BuildSummary:
    """Merge records into works, resolve authors, compute every metric, in one transaction.

    Only what changed since the last build is rederived unless ``full`` (or
    unless the store needs a full build: :mod:`scholarfolio.incremental`); the
    result is the same. ``engine`` computes the author metrics: ``numpy`` in
    process or ``spark`` on ``spark_master``.
    """
    now = _now()
    with store.engine.begin() as conn:
        reason = "asked for" if full else incremental.full_build_reason(conn, now.year, engine)
        changed = incremental.changed_records(conn)
        if reason is None:
            merging, changes = update_works(conn, changed)
            clear_conflicts(conn, BUILD_CONFLICTS, changes.records)
        else:
            merging = build_works(conn)
            clear_rejects(conn, BUILD_CONFLICTS)
        write_rejects(
            conn,
            [Reject(BUILD_CONFLICTS, c.record_id, c.reason) for c in merging.conflicts],
            now,
        )
        if reason is None:
            resolved, reassigned = incremental.resolve_changed(conn, now, changes)
            incremental.update_metrics(conn, changes, reassigned, badge_quotas(), now.year)
        else:
            resolved = resolve_authors(conn, now)
            compute_all(conn, badge_quotas(), now.year, engine, spark_master)
        incremental.remember_inputs(conn, changed, engine)
        set_meta(conn, "last_build", now.isoformat(timespec="seconds"))
        # The stamp shown to readers has one-second resolution; the build id names
        # this build exactly (search index generation, response cache).
        set_meta(conn, BUILD_ID, uuid.uuid4().hex)
        refresh_search_index(conn)
        counts = corpus_counts(conn)
    return BuildSummary(
        counts["works"], counts["authors"], resolved, merging, reason is None, reason
    )
