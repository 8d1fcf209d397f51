"""Search: full-text index over works, name index over authors

SQLite: two FTS5 tables with external content (works' titles and abstracts;
authors' name keys), filled from the existing rows. PostgreSQL: a GIN index on
the weighted tsvector of title and abstract. The DDL is written out here, not
imported, so this migration keeps doing what it did when the code moves on.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = (
    "CREATE VIRTUAL TABLE works_fts USING fts5("
    "title, abstract, content='works', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE authors_fts USING fts5("
    "name_key, content='authors', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')",
    "INSERT INTO works_fts(works_fts) VALUES ('rebuild')",
    "INSERT INTO authors_fts(authors_fts) VALUES ('rebuild')",
)
SQLITE_DOWN = ("DROP TABLE IF EXISTS authors_fts", "DROP TABLE IF EXISTS works_fts")

POSTGRESQL_UP = (
    "CREATE INDEX ix_works_fulltext ON works USING gin (("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(abstract, '')), 'D')))",
)
POSTGRESQL_DOWN = ("DROP INDEX IF EXISTS ix_works_fulltext",)


def _run(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _run(SQLITE_UP)
    else:
        _run(POSTGRESQL_UP)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _run(SQLITE_DOWN)
    else:
        _run(POSTGRESQL_DOWN)
