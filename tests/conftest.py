"""Shared fixtures: empty stores and a store built from the real arXiv fixture records.

Every store fixture runs on SQLite and, when ``SCHOLARFOLIO_TEST_PG`` is set, on
PostgreSQL too (ids ``[sqlite]`` and ``[postgresql]``; see ``pg_support.py``). A
test that depends on something only SQLite has says so with
``@pytest.mark.sqlite_only("why")``, or is listed in ``SQLITE_ONLY`` below when
its module is not one of the store tests, and is skipped on PostgreSQL with that
reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pg_support import (
    PG_URL,
    POSTGRESQL,
    STORE_KINDS,
    OpenStore,
    PostgresDatabases,
    sqlite_store,
)

from scholarfolio import pipeline
from scholarfolio.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
ARXIV = FIXTURES / "arxiv"

# Tests outside the store, build and web tests whose store must be SQLite, by node
# id prefix, with the reason.
SQLITE_ONLY = {
    "tests/test_postgres.py": "compares PostgreSQL with the SQLite store itself",
    "tests/search/test_postgres_search.py": "compares PostgreSQL with the SQLite store itself",
    "tests/search/test_engine.py": "tantivy's index is a folder beside the SQLite file, or FTS5",
    "tests/search/test_name_search.py::test_the_portable_like_path_finds_what_fts5_finds": (
        "compares the portable path with FTS5, which only SQLite has"
    ),
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test needs a SQLite store; skipped on PostgreSQL"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or callspec.params.get("store_kind") != POSTGRESQL:
            continue
        reason = _sqlite_only_reason(item)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


def _sqlite_only_reason(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("sqlite_only")
    if marker is not None:
        return str(marker.args[0])
    return next((why for where, why in SQLITE_ONLY.items() if item.nodeid.startswith(where)), None)


@pytest.fixture(scope="session", params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: the kind of store every store fixture of this test opens."""
    return str(request.param)


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    """Fresh PostgreSQL databases on the test server, all dropped when the session ends."""
    if not PG_URL:
        pytest.skip("SCHOLARFOLIO_TEST_PG is not set")
    databases = PostgresDatabases(PG_URL)
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def open_store(
    store_kind: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> OpenStore:
    """Opens an empty, migrated store of this test's kind: ``with open_store("name") as store``.

    For fixtures of a wider scope than one test; the name only names the SQLite folder.
    """
    if store_kind != POSTGRESQL:
        return lambda name: sqlite_store(tmp_path_factory.mktemp(name))
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")

    @contextmanager
    def on_postgres(_name: str) -> Iterator[Store]:
        with databases.store() as opened:
            yield opened

    return on_postgres


@pytest.fixture
def store(open_store: OpenStore) -> Iterator[Store]:
    """An empty, migrated store of its own."""
    with open_store("store") as opened:
        yield opened


@pytest.fixture(scope="session")
def built_store(open_store: OpenStore) -> Iterator[Store]:
    """Every real arXiv fixture ingested and built once per kind; tests must only read it."""
    with open_store("built") as opened:
        pipeline.ingest_paths(opened, [ARXIV])
        pipeline.build(opened)
        yield opened
