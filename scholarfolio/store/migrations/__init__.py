"""Alembic migrations of the store; run by :func:`scholarfolio.store.connect.migrate`."""
