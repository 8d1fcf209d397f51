"""Profiles built from OpenAlex records: works without arXiv ids, merges, provenance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_support import OpenStore
from starlette.testclient import TestClient

from scholarfolio import pipeline, profiles
from scholarfolio.demo import openalex_demo_files
from scholarfolio.store import Store
from scholarfolio.web.app import create_app

ALSHARHAN = "A5010401681"


@pytest.fixture(scope="module")
def openalex_client(open_store: OpenStore) -> Iterator[tuple[Store, TestClient]]:
    with open_store("oa") as store:
        files = [p for p in openalex_demo_files() if p.name.startswith((ALSHARHAN, "A5071165005"))]
        pipeline.ingest_paths(store, files)
        pipeline.build(store)
        yield store, TestClient(create_app(store))


def test_openalex_profile_page_shows_provenance_and_merges(
    openalex_client: tuple[Store, TestClient], tmp_path: Path
) -> None:
    store, client = openalex_client
    author = profiles.find_author(store, ALSHARHAN)
    # Every work on one page: the merged book is not among the 50 newest.
    page = client.get(f"/authors/{author}?per_page=500")
    assert page.status_code == 200
    html = page.text
    assert "Abdulrahman S. Alsharhan" in html
    assert "<strong>OpenAlex</strong>:" in html and "h-index 34" in html
    assert "3,652 citations" in html
    assert "openalex:W2139833750 joined openalex:W4242811202" in html or (
        "openalex:W4242811202 joined openalex:W2139833750" in html
    )
    assert 'href="https://doi.org/10.2110/pec.00.69"' in html
    api = client.get(f"/api/authors/{author}").json()
    assert api["reported_metrics"]["openalex"]["h_index"] == 34
    assert api["ids"]["openalex"] == ALSHARHAN
