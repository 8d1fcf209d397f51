"""Stores of both kinds for the tests: SQLite files, PostgreSQL databases copied from a template.

PostgreSQL runs when ``SCHOLARFOLIO_TEST_PG`` names a database the tests may use
(``.ci/run`` starts a cluster with ``.ci/postgres.sh``). Every PostgreSQL store is
a database of its own, made with ``CREATE DATABASE ... TEMPLATE`` from one
database migrated once per session, which takes milliseconds where migrating
each would take a second, and dropped when the test is done with it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from scholarfolio.store import Store

PG_URL = os.environ.get("SCHOLARFOLIO_TEST_PG", "")
NO_PG = "SCHOLARFOLIO_TEST_PG is not set (.ci/run starts PostgreSQL and sets it)"
SQLITE, POSTGRESQL = "sqlite", "postgresql"
# The params of every store fixture: ids [sqlite] and [postgresql].
STORE_KINDS = [
    SQLITE,
    pytest.param(POSTGRESQL, marks=pytest.mark.skipif(not PG_URL, reason=NO_PG)),
]
# The ``open_store`` fixture: ``with open_store("name") as store`` (the name names a SQLite folder).
OpenStore = Callable[[str], AbstractContextManager[Store]]


class PostgresDatabases:
    """Databases on one server, each a copy of a template migrated once; all dropped at the end."""

    def __init__(self, url: str) -> None:
        self._url = sa.make_url(url)
        # No pool: a connection left open to the template would make copying it fail.
        self._admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        # A prefix of its own: other test runs may share the server.
        self._prefix = f"sf_test_{uuid.uuid4().hex[:10]}"
        self._template = f"{self._prefix}_template"
        self._made: set[str] = set()
        self._copies = 0
        self._execute(f'CREATE DATABASE "{self._template}"')
        self._made.add(self._template)
        Store.open(self.url_of(self._template)).close()

    def url_of(self, name: str) -> str:
        """The URL of the database with this name on the same server."""
        return self._url.set(database=name).render_as_string(hide_password=False)

    def create(self) -> str:
        """A new migrated, empty database; its name."""
        self._copies += 1
        name = f"{self._prefix}_{self._copies}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
        self._made.add(name)
        return name

    def drop(self, name: str) -> None:
        """Drop one database made here, even with connections still open to it."""
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.discard(name)

    def close(self) -> None:
        """Drop every database still left, the template last."""
        for name in sorted(self._made - {self._template}):
            self.drop(name)
        self.drop(self._template)
        self._admin.dispose()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """An open store on a fresh database, closed and dropped afterwards."""
        name = self.create()
        opened = Store.open(self.url_of(name))
        try:
            yield opened
        finally:
            opened.close()
            self.drop(name)

    def _execute(self, statement: str) -> None:
        with self._admin.connect() as conn:
            conn.exec_driver_sql(statement)


@contextmanager
def sqlite_store(folder: Path) -> Iterator[Store]:
    """An open store in a new SQLite file in the folder, closed afterwards."""
    opened = Store.open(str(folder / "scholarfolio.db"))
    try:
        yield opened
    finally:
        opened.close()
