"""The store: schema, migrations and every SQL statement scholarfolio runs.

:class:`Store` wraps one SQLAlchemy engine. The embedded default is one SQLite
file in WAL mode; PostgreSQL runs the same portable schema.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from scholarfolio.store.connect import create_engine, migrate


class Store:
    """An open, migrated store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, location: str) -> Store:
        """Open (creating and migrating when needed) the store at a path or URL."""
        engine = create_engine(location)
        migrate(engine)
        return cls(engine)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return str(self.engine.dialect.name)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


__all__ = ["Store"]
