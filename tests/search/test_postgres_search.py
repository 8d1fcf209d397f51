"""Search on PostgreSQL (GIN full text, portable name matching) agrees with SQLite.

Runs when SCHOLARFOLIO_TEST_PG names a PostgreSQL database (``.ci/run`` starts one).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from scholarfolio import pipeline, search
from scholarfolio.store import Store

PG_URL = os.environ.get("SCHOLARFOLIO_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason="SCHOLARFOLIO_TEST_PG is not set")
ARXIV = Path(__file__).parents[1] / "fixtures" / "arxiv"


@pytest.fixture(scope="module")
def pg_built() -> Iterator[Store]:
    """The arXiv fixtures built into a fresh PostgreSQL database, dropped afterwards."""
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"sf_search_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    store = Store.open(sa.make_url(PG_URL).set(database=name).render_as_string(False))
    pipeline.ingest_paths(store, [ARXIV])
    pipeline.build(store)
    yield store
    store.close()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


def test_the_migration_makes_the_gin_index(pg_built: Store) -> None:
    with pg_built.engine.connect() as conn:
        definition = conn.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_works_fulltext'"
        ).scalar_one()
    assert "USING gin" in definition and "setweight" in definition


def test_the_planner_uses_the_gin_index(pg_built: Store) -> None:
    with pg_built.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = conn.exec_driver_sql(
            "EXPLAIN SELECT id FROM works WHERE setweight(to_tsvector('english', "
            "coalesce(works.title, '')), 'A') || setweight(to_tsvector('english', "
            "coalesce(works.abstract, '')), 'D') @@ phraseto_tsquery('english', 'gravity')"
        ).scalars()
        assert any("ix_works_fulltext" in line for line in plan)


@pytest.mark.parametrize("query", ["perez calero", "park j", "jo m", "csorgo", "treberer"])
def test_names_match_as_on_sqlite(pg_built: Store, built_store: Store, query: str) -> None:
    assert search.search_authors(pg_built, query, 50) == search.search_authors(
        built_store, query, 50
    )


@pytest.mark.parametrize(
    ("query", "total"), [("gravity", 6), ("spreadsheet integrity", 2), ('"dark matter"', 7)]
)
def test_works_match_as_on_sqlite(
    pg_built: Store, built_store: Store, query: str, total: int
) -> None:
    on_pg, on_sqlite = search.search(pg_built, query), search.search(built_store, query)
    assert on_pg["total_works"] == on_sqlite["total_works"] == total
    assert {w["id"] for w in on_pg["works"]} == {w["id"] for w in on_sqlite["works"]}
    # Titles weigh most on both: the first work is the same.
    assert on_pg["works"][0]["id"] == on_sqlite["works"][0]["id"]
