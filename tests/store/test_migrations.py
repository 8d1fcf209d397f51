"""The migrations build exactly the schema the code uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from scholarfolio.errors import StoreError
from scholarfolio.store import Store
from scholarfolio.store.connect import database_url
from scholarfolio.store.schema import metadata
from scholarfolio.store.search_index import include_name


def test_migrated_store_matches_the_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_opening_twice_is_a_no_op_and_uses_wal(tmp_path: Path) -> None:
    Store.open(str(tmp_path / "s.db")).close()
    with Store.open(str(tmp_path / "s.db")) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0005"


def test_plain_paths_become_sqlite_urls(tmp_path: Path) -> None:
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("location", ["mysql://u@h/db", "ftp://example/x", "redis://h"])
def test_unknown_schemes_are_one_clear_error(location: str) -> None:
    with pytest.raises(StoreError, match="unknown database scheme"):
        Store.open(location)
