"""Turning a ``--db`` value into a migrated SQLAlchemy engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from scholarfolio.errors import StoreError
from scholarfolio.store import failures, transactions

SUPPORTED = "a SQLite file path, sqlite:///PATH or postgresql://USER@HOST/DB"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(location: str) -> str:
    """The SQLAlchemy URL for a ``--db`` value: a plain path means a SQLite file."""
    if "://" not in location:
        return "sqlite:///" + str(Path(location).expanduser().resolve())
    try:
        url = make_url(location)
    except ArgumentError:
        raise StoreError(f"cannot read database URL {location!r}; use {SUPPORTED}") from None
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"unknown database scheme {backend!r} in --db; use {SUPPORTED}")
    if (
        backend == "postgresql"
        and url.get_driver_name() in ("", "psycopg2")
        and "+" not in url.drivername
    ):
        # psycopg 3 is the driver we install (pip install 'scholarfolio[postgres]').
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return location


def create_engine(location: str) -> Engine:
    """An engine for the location, with SQLite tuned for one writer and many readers."""
    url = database_url(location)
    try:
        engine = sa.create_engine(url, future=True)
    except NoSuchModuleError:
        raise StoreError(f"unknown database scheme in {location!r}; use {SUPPORTED}") from None
    except ImportError as exc:
        raise StoreError(f"the database driver for {location!r} is not installed ({exc})") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    transactions.install(engine)
    sa.event.listen(engine, "handle_error", failures.explain)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web server read while a build writes; foreign keys are off by
    # default in SQLite; the busy timeout rides out short writer locks.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def known_revisions() -> set[str]:
    """Every schema revision (migration) this version of scholarfolio can open."""
    scripts = ScriptDirectory.from_config(_alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def migrate(engine: Engine) -> None:
    """Bring the store's schema to the newest migration (a no-op when current)."""
    config = _alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        # Checked in a read transaction: opening a current store must not wait
        # for a build's write lock, nor fail on a read-only store.
        with transactions.reading(engine) as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        if current == head:
            return
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise StoreError(f"cannot open the store at {engine.url!r}: {exc.orig}") from None
