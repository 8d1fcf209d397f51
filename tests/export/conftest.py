"""Stores for the export tests: the real OpenAlex "Deep learning" closure, built once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scholarfolio import pipeline
from scholarfolio.store import Store

CLOSURE = Path(__file__).parents[1] / "fixtures" / "openalex" / "closure_raw_works.json"


@pytest.fixture(scope="session")
def closure_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """ "Deep learning" (W2919115771), the work it cites and four works citing it, built."""
    opened = Store.open(str(tmp_path_factory.mktemp("closure") / "scholarfolio.db"))
    pipeline.ingest_paths(opened, [CLOSURE])
    pipeline.build(opened)
    yield opened
    opened.close()
