"""Helpers for statements restricted to a set of ids (incremental builds)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TypeVar

T = TypeVar("T")

# Ids bound per statement: well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 5_000


def chunks(values: Collection[T], size: int = CHUNK) -> Iterator[list[T]]:
    """The values in sorted lists of at most ``size`` (nothing for no values)."""
    ordered = sorted(values)  # type: ignore[type-var]
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]
