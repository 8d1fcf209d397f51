"""An author id absorbed by a merge keeps answering, with a permanent redirect."""

from __future__ import annotations

from datetime import datetime

from starlette.testclient import TestClient

from scholarfolio import pipeline, profiles
from scholarfolio.demo import demo_files
from scholarfolio.store import Store
from scholarfolio.store.batch import add_redirects
from scholarfolio.web.app import create_app


def test_absorbed_author_ids_redirect_to_the_survivor(store: Store) -> None:
    pipeline.ingest_paths(store, [p for p in demo_files() if p.name.startswith("snapshot_")])
    pipeline.build(store)
    survivor = profiles.find_author(store, "P. M. Nadolsky")
    with store.engine.begin() as conn:
        # As a merge of two authors records it (identity.resolve).
        add_redirects(conn, {"pavel-nadolsky-0000": survivor}, datetime(2026, 11, 29))
    client = TestClient(create_app(store))
    html = client.get("/authors/pavel-nadolsky-0000", follow_redirects=False)
    assert (html.status_code, html.headers["location"]) == (301, f"/authors/{survivor}")
    api = client.get("/api/authors/pavel-nadolsky-0000", follow_redirects=False)
    assert (api.status_code, api.headers["location"]) == (301, f"/api/authors/{survivor}")
    assert profiles.find_author(store, "pavel-nadolsky-0000") == survivor
