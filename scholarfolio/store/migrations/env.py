"""Alembic environment: migrates the connection that scholarfolio hands over."""

from __future__ import annotations

from alembic import context

from scholarfolio.store.schema import metadata
from scholarfolio.store.search_index import include_name


def run_migrations() -> None:
    """Run the migrations on the connection passed in ``config.attributes``."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # The search index's FTS5 tables and GIN index are not in the metadata.
        include_name=include_name,
        # SQLite cannot ALTER most things in place; batch mode rebuilds tables.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
