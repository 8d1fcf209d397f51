"""Shared fixtures: empty stores and a store built from the real arXiv fixture records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scholarfolio import pipeline
from scholarfolio.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
ARXIV = FIXTURES / "arxiv"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty, migrated SQLite store in a temporary folder."""
    opened = Store.open(str(tmp_path / "scholarfolio.db"))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Every real arXiv fixture ingested and built once; tests must only read it."""
    location = tmp_path_factory.mktemp("built") / "scholarfolio.db"
    opened = Store.open(str(location))
    pipeline.ingest_paths(opened, [ARXIV])
    pipeline.build(opened)
    yield opened
    opened.close()
