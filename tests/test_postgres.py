"""The same corpus on PostgreSQL and on SQLite gives the same works, authors and profiles.

Runs when SCHOLARFOLIO_TEST_PG names a PostgreSQL database the tests may use
(``.ci/run`` starts one with ``.ci/postgres.sh``); each test gets its own
database, created and dropped here.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from scholarfolio import pipeline, profiles
from scholarfolio.demo import demo_files, openalex_demo_files
from scholarfolio.store import Store
from scholarfolio.store.metric_queries import author_metrics_full
from scholarfolio.store.schema import author_metrics
from scholarfolio.web.app import create_app
from scholarfolio.works import list_works

PG_URL = os.environ.get("SCHOLARFOLIO_TEST_PG", "")
pytestmark = pytest.mark.skipif(
    not PG_URL, reason="SCHOLARFOLIO_TEST_PG is not set (.ci/run starts PostgreSQL and sets it)"
)


@pytest.fixture
def pg_store() -> Iterator[Store]:
    """A fresh, migrated PostgreSQL database, dropped afterwards."""
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"sf_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(PG_URL).set(database=name)
    store = Store.open(url.render_as_string(hide_password=False))
    yield store
    store.close()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


def _corpus() -> list[Path]:
    arxiv = [p for p in demo_files() if p.name.startswith(("snapshot_", "atom_"))]
    return arxiv + openalex_demo_files()[:12]


def _snapshot(store: Store) -> dict[str, Any]:
    authors = profiles.top_authors(store, 100_000)
    return {
        "authors": sorted((a["id"], a["name"], a["works"], a["citations"]) for a in authors),
        "profiles": {
            a["id"]: _comparable(profiles.get_profile(store, a["id"])) for a in authors[:40]
        },
        "works": sorted(
            (w["title"], w["citations"], w["citations_in_corpus"], tuple(sorted(w["ids"].items())))
            for w in list_works(store)
        ),
        # Every column of every author's metrics, the engine's floats included.
        "metrics": _full_metrics(store),
    }


def _comparable(profile: dict[str, Any]) -> dict[str, Any]:
    # When each store was built differs, and nothing else may.
    profile["metrics"].pop("as_of")
    return profile


def _full_metrics(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(sa.select(author_metrics))]
        full = [author_metrics_full(conn, row[0]) for row in sorted(rows)[:200]]
    return sorted(rows) + [tuple(sorted(f.items(), key=str)) for f in full]


def test_postgres_and_sqlite_agree_on_everything(pg_store: Store, store: Store) -> None:
    for target in (pg_store, store):
        summary = pipeline.ingest_paths(target, _corpus())
        assert summary.rejected == 0
        pipeline.build(target)
    on_pg, on_sqlite = _snapshot(pg_store), _snapshot(store)
    assert len(on_pg["works"]) > 800
    assert on_pg["authors"] == on_sqlite["authors"]
    assert on_pg["works"] == on_sqlite["works"]
    assert on_pg["metrics"] == on_sqlite["metrics"]
    assert on_pg["profiles"] == on_sqlite["profiles"]


def test_the_site_serves_from_postgres(pg_store: Store) -> None:
    pipeline.ingest_paths(pg_store, _corpus())
    pipeline.build(pg_store)
    client = TestClient(create_app(pg_store))
    leader = profiles.top_authors(pg_store, 1)[0]
    assert client.get(f"/api/authors/{leader['id']}").json() == profiles.get_profile(
        pg_store, leader["id"], profiles.WorkListing()
    )
    page = client.get(f"/authors/{leader['id']}")
    assert page.status_code == 200 and leader["name"] in page.text
    assert client.get("/api/authors", params={"q": leader["name"]}).status_code == 200
    assert client.get("/healthz").json()["status"] == "ok"
