"""Every author's figures for a small corpus, in plain Python straight from the definitions.

The slow, obvious version of :mod:`scholarfolio.metrics.engine`: sets for the
citing works, sorted lists for the indices. Tests run both on the same corpora
and require identical results (docs/metrics.md has the definitions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from scholarfolio.metrics.indices import g_index, h_index, i10_index, m_quotient, recent

Figure = int | float | None
_Citers = tuple[dict[int, set[int]], dict[int, set[int]]]


@dataclass(frozen=True)
class PlainCorpus:
    """A corpus as plain values: what the engine's arrays hold, keyed by ids."""

    year: int
    # Every work's citations (the largest of its counts) and year (None when unknown).
    work_citations: Mapping[int, int]
    work_years: Mapping[int, int | None]
    # Citations per work and calendar year (the work_citations_by_year table).
    work_by_year: Mapping[int, Mapping[int, int]]
    authorships: Collection[tuple[str, int]]
    # Distinct (citing work, cited work) pairs inside the corpus.
    edges: Collection[tuple[int, int]]


def _by_work(pairs: Collection[tuple[str, int]]) -> dict[int, set[str]]:
    authors: dict[int, set[str]] = defaultdict(set)
    for author, work in pairs:
        authors[work].add(author)
    return authors


def _citers(corpus: PlainCorpus) -> _Citers:
    """Citing works of each work: all of them, and those sharing no author with it."""
    authors = _by_work(corpus.authorships)
    every: dict[int, set[int]] = defaultdict(set)
    others: dict[int, set[int]] = defaultdict(set)
    for citing, cited in corpus.edges:
        every[cited].add(citing)
        if not authors[citing] & authors[cited]:
            others[cited].add(citing)
    return every, others


def _indices(
    counts: list[int], first_year: int | None, year: int, suffix: str
) -> dict[str, Figure]:
    h = h_index(counts)
    figures: dict[str, Figure] = {
        f"citations{suffix}": sum(counts),
        f"h_index{suffix}": h,
        f"g_index{suffix}": g_index(counts),
        f"i10_index{suffix}": i10_index(counts),
    }
    if suffix != "_5y":
        figures[f"m_quotient{suffix}"] = m_quotient(h, first_year, year)
    return figures


def _author(corpus: PlainCorpus, works: set[int], citers: _Citers) -> dict[str, Figure]:
    every, others = citers
    years = [y for w in works if (y := corpus.work_years.get(w)) is not None]
    first_year = min(years) if years else None
    own = [corpus.work_citations[w] for w in works]
    # What the corpus shows to be self-citations comes off each work's figure.
    without_self = [corpus.work_citations[w] - len(every[w] - others[w]) for w in works]
    last_five = [recent(corpus.work_by_year.get(w, {}), corpus.year) for w in works]
    figures: dict[str, Figure] = {
        "works": len(works),
        "first_year": first_year,
        "citing_works": len(set().union(*(every[w] for w in works))),
        "citing_works_no_self": len(set().union(*(others[w] for w in works))),
    }
    figures.update(_indices(own, first_year, corpus.year, ""))
    figures.update(_indices(without_self, first_year, corpus.year, "_no_self"))
    figures.update(_indices(last_five, first_year, corpus.year, "_5y"))
    return figures


def author_metrics(corpus: PlainCorpus) -> dict[str, dict[str, Figure]]:
    """Every author's figures, keyed by author id and then by author_metrics column."""
    works: dict[str, set[int]] = defaultdict(set)
    for author, work in corpus.authorships:
        works[author].add(work)
    citers = _citers(corpus)
    return {author: _author(corpus, own, citers) for author, own in works.items()}
