"""A small real machine-learning corpus: OpenAlex works around "Deep learning" and S2 papers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scholarfolio import pipeline
from scholarfolio.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures"
ML_FILES = [FIXTURES / "openalex" / "closure_raw_works.json", FIXTURES / "s2" / "Paper.json.gz"]


@pytest.fixture(scope="module")
def ml_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The OpenAlex and Semantic Scholar fixture papers (Yann LeCun among their authors), built."""
    opened = Store.open(str(tmp_path_factory.mktemp("ml") / "scholarfolio.db"))
    pipeline.ingest_paths(opened, ML_FILES)
    pipeline.build(opened)
    yield opened
    opened.close()
