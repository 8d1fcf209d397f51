"""How the store's transactions begin: a read sees one snapshot, a write holds the lock first.

Every read of the library runs in ``with store.engine.connect()``, where
SQLAlchemy begins a transaction by itself at the first statement; every write
runs in ``with store.engine.begin()``, which begins one explicitly. The two get
different transactions:

- **SQLite.** The driver's own transaction handling (its "legacy" mode) began a
  transaction only before an INSERT, UPDATE or DELETE: each SELECT of a page saw
  the store as it was at that statement, so a profile read while a build
  committed could show the old paper count beside the new list of works, and
  DDL ran outside any transaction, so a migration or a build killed midway left
  half of its schema changes behind. Here the driver is in autocommit mode and
  the store says BEGIN itself: ``BEGIN`` (deferred: one snapshot from the first
  read to the end) for a read, ``BEGIN IMMEDIATE`` for a write, which waits (the
  busy timeout) for any other writer to finish *before* it reads, so what a
  build reads stays true until it commits, and two writers queue rather than
  fail.
- **PostgreSQL.** A read runs at REPEATABLE READ (one snapshot for all its
  statements); a write keeps READ COMMITTED, the server's default, under which
  concurrent writers wait for each other's row locks.

A transaction counts as a read when SQLAlchemy begins it on its own, at a
statement run with ``conn.execute`` outside any transaction (the
``before_execute`` event sees that statement first and marks the connection).
``exec_driver_sql`` does not fire that event: a transaction it begins counts as
a write, which is safe (it only waits for the lock a read would not need).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

# The connection-level flag: the next transaction is begun by SQLAlchemy itself.
_AUTOBEGIN = "scholarfolio_autobegin"


def install(engine: Engine) -> None:
    """Give ``engine`` snapshot reads and lock-first writes (see the module's text)."""
    dialect = engine.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        return
    if dialect == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_autocommit)
    sa.event.listen(engine, "before_execute", _mark_autobegin)
    sa.event.listen(engine, "begin", _begin)
    sa.event.listen(engine, "checkin", _forget_mark)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection in a read transaction, whatever its first statement (for driver SQL)."""
    with engine.connect() as conn:
        conn.info[_AUTOBEGIN] = True
        with conn.begin():
            yield conn


def _sqlite_autocommit(dbapi_connection: Any, _record: Any) -> None:
    # None: the driver never says BEGIN on its own; ``_begin`` does.
    dbapi_connection.isolation_level = None


def _mark_autobegin(conn: Connection, *_args: Any) -> None:
    if not conn.in_transaction():
        conn.info[_AUTOBEGIN] = True


def _forget_mark(_dbapi_connection: Any, record: Any) -> None:
    # A statement that failed before its transaction began leaves the mark set.
    record.info.pop(_AUTOBEGIN, None)


def _begin(conn: Connection) -> None:
    reading = bool(conn.info.pop(_AUTOBEGIN, False))
    # The raw driver connection: a statement through SQLAlchemy would fire the
    # events again in the middle of beginning.
    raw = conn.connection.dbapi_connection
    assert raw is not None
    if conn.dialect.name == "sqlite":
        raw.execute("BEGIN" if reading else "BEGIN IMMEDIATE")
    elif reading:
        raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
