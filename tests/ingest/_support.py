"""Helpers shared by the ingest tests: fixture paths and reading whole files."""

from __future__ import annotations

from pathlib import Path

from scholarfolio.ingest import read_file
from scholarfolio.models import Reject, WorkRecord

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "arxiv"


def fixture(relative: str) -> Path:
    """The path of a file under tests/fixtures/arxiv/."""
    return FIXTURES / relative


def read_all(path: Path) -> list[WorkRecord | Reject]:
    """Every item ``read_file`` yields for ``path``."""
    return list(read_file(path))


def records_of(path: Path) -> list[WorkRecord]:
    """The records of ``path``; fails the test if anything was rejected."""
    items = read_all(path)
    rejects = [item for item in items if isinstance(item, Reject)]
    assert not rejects, rejects
    return [item for item in items if isinstance(item, WorkRecord)]


def by_id(records: list[WorkRecord]) -> dict[str, WorkRecord]:
    """Records keyed by arXiv id."""
    return {record.arxiv_id: record for record in records}
