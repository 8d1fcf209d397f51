"""The citation indices as plain Python over one author's per-work citation counts.

These are the reference definitions (docs/metrics.md); the vectorized engine in
:mod:`scholarfolio.metrics.engine` computes the same numbers for all authors at
once, and tests check that the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# Five calendar years, the current one included (docs/metrics.md).
WINDOW_YEARS = 5


def h_index(citations: Sequence[int]) -> int:
    """The largest h such that h works have at least h citations each."""
    ranked = sorted(citations, reverse=True)
    return sum(1 for rank, count in enumerate(ranked, start=1) if count >= rank)


def i10_index(citations: Sequence[int]) -> int:
    """The number of works with at least 10 citations."""
    return sum(1 for count in citations if count >= 10)


def g_index(citations: Sequence[int]) -> int:
    """The largest g such that the top g works have at least g² citations together.

    Capped at the number of works: g never counts works the author does not have.
    """
    total = 0
    g = 0
    for rank, count in enumerate(sorted(citations, reverse=True), start=1):
        total += count
        if total >= rank * rank:
            g = rank
    return g


def career_years(first_year: int | None, year: int) -> int | None:
    """Years since the first work, that year counting as 1 (never less than 1)."""
    if first_year is None:
        return None
    return max(1, year - first_year + 1)


def m_quotient(h: int, first_year: int | None, year: int) -> float | None:
    """The h-index divided by the career years; None when no work has a year."""
    years = career_years(first_year, year)
    return None if years is None else h / years


def window(year: int) -> range:
    """The calendar years the five-year figures count: ``year - 4`` to ``year``."""
    return range(year - WINDOW_YEARS + 1, year + 1)


def recent(by_year: Mapping[int, int], year: int) -> int:
    """Citations received in the five-year window ending in ``year``."""
    return sum(by_year.get(y, 0) for y in window(year))
