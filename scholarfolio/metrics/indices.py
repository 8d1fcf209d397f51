"""The citation indices as plain Python over one author's per-work citation counts.

These are the reference definitions (docs/metrics.md); the batch engine in
:mod:`scholarfolio.store.batch` computes the same numbers in SQL for all
authors at once, and tests check that the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence


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
