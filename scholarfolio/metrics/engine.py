"""The vectorized all-author metrics engine: numpy over whole arrays, no loop over authors.

Input is the corpus as arrays (:class:`MetricInputs`): each work's citations,
the distinct (author, work) authorships grouped by author, and the distinct
citation edges sorted by citing work with their self-citation flags. Output is
one array per ``author_metrics`` column (:data:`COLUMNS`), one entry per author
who has works. The definitions are in docs/metrics.md; the plain-Python
reference (:mod:`scholarfolio.metrics.reference`) computes the same numbers.

How: the indices need each author's citation counts in descending order. A
comparison sort costs O(n log n); here each author's counts are capped at the
author's number of works plus one (the h- and g-index cannot tell larger counts
apart, except through their sum, which is kept aside), so one counting sort
over all authors (a histogram with one block of bins per author, expanded back
with ``np.repeat``) orders them in linear time. Everything after that is
segmented sums over contiguous runs (``np.add.reduceat``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.integer[Any]]
Column = NDArray[np.int64] | NDArray[np.float64]

# Stands for "no year" in year arrays; larger than any year, so minimums skip it.
NO_YEAR = int(np.iinfo(np.int32).max)
# Citing edges handled per step of the distinct-citing-works count (bounds memory).
EDGES_PER_STEP = 200_000
# Kept (citing work, author) pairs counted at once (one pass over the author counters).
COUNT_BATCH = 8_000_000

COLUMNS = (
    "works",
    "citations",
    "citing_works",
    "h_index",
    "g_index",
    "i10_index",
    "first_year",
    "m_quotient",
    "citations_no_self",
    "citing_works_no_self",
    "h_index_no_self",
    "g_index_no_self",
    "i10_index_no_self",
    "m_quotient_no_self",
    "citations_5y",
    "h_index_5y",
    "g_index_5y",
    "i10_index_5y",
)


@dataclass(frozen=True)
class MetricInputs:
    """The corpus as arrays; works and authors are dense indices from 0."""

    # The calendar year the figures are computed in (the five-year window ends here).
    year: int
    # Per work: citations (the largest of its counts), citations in the five-year
    # window (from its yearly counts), and its year (NO_YEAR when unknown).
    work_citations: IntArray
    work_citations_5y: IntArray
    work_year: IntArray
    # Distinct (author, work) authorships, grouped by author (authors non-decreasing).
    pair_author: IntArray
    pair_work: IntArray
    # Distinct in-corpus citations (citing, cited), sorted by citing work, and
    # whether the two works share an author.
    edge_citing: IntArray
    edge_cited: IntArray
    edge_self: NDArray[np.bool_]
    n_authors: int
    # The same authorships grouped by work: work w's authors are
    # work_authors[work_author_start[w]:work_author_start[w + 1]] (see group_by_work).
    work_author_start: NDArray[np.int64]
    work_authors: IntArray

    @property
    def n_works(self) -> int:
        """How many works the per-work arrays cover."""
        return len(self.work_citations)


@dataclass(frozen=True)
class AuthorFigures:
    """One array per column of :data:`COLUMNS`, aligned with ``authors``."""

    authors: NDArray[np.int64]
    columns: dict[str, Column]


@dataclass(frozen=True)
class _Runs:
    """Each author's contiguous run of authorships, and its block of histogram bins."""

    authors: NDArray[np.int64]
    starts: NDArray[np.int64]
    sizes: NDArray[np.int64]
    # Per authorship: the author's number of works n, and the 1-based rank
    # position inside the run (and its square, for the g-index).
    size_of_pair: NDArray[np.int32]
    rank: NDArray[np.int32]
    rank_squared: NDArray[np.int64]
    # Each author has n + 2 bins standing for the values n + 1 ("more than n")
    # down to 0; per authorship, the index of its author's 0 bin; per bin, its value.
    zero_bin_of_pair: NDArray[np.int64]
    bin_value: NDArray[np.int32]


def _runs(pair_author: IntArray) -> _Runs:
    count = len(pair_author)
    change = np.flatnonzero(pair_author[1:] != pair_author[:-1]) + 1
    starts = np.concatenate(([0], change)).astype(np.int64)
    sizes = np.diff(np.append(starts, count))
    rank = (np.arange(1, count + 1, dtype=np.int64) - np.repeat(starts, sizes)).astype(np.int32)
    blocks = sizes + 2
    block_starts = np.cumsum(blocks) - blocks
    offset = np.arange(int(blocks.sum()), dtype=np.int64) - np.repeat(block_starts, blocks)
    return _Runs(
        authors=np.asarray(pair_author, dtype=np.int64)[starts],
        starts=starts,
        sizes=sizes,
        size_of_pair=np.repeat(sizes, sizes).astype(np.int32),
        rank=rank,
        rank_squared=rank.astype(np.int64) ** 2,
        zero_bin_of_pair=np.repeat(block_starts + sizes + 1, sizes),
        bin_value=(np.repeat(sizes, blocks) + 1 - offset).astype(np.int32),
    )


def as_values(figures: AuthorFigures) -> dict[str, list[int | float | None]]:
    """The columns as plain Python lists, with None for an unknown year or m-quotient."""
    values: dict[str, list[int | float | None]] = {}
    for name, column in figures.columns.items():
        if name == "first_year":
            values[name] = [None if year == NO_YEAR else year for year in column.tolist()]
        elif column.dtype.kind == "f":
            values[name] = [None if np.isnan(m) else m for m in column.tolist()]
        else:
            values[name] = column.tolist()
    return values


def _run_sum(values: NDArray[Any], runs: _Runs) -> NDArray[np.int64]:
    return np.add.reduceat(values, runs.starts, dtype=np.int64)


def _descending(counts: IntArray, runs: _Runs) -> NDArray[np.int32]:
    """Each author's counts, largest first, capped at the author's works + 1 (counting sort)."""
    capped = np.minimum(counts, runs.size_of_pair + 1)
    histogram = np.bincount(runs.zero_bin_of_pair - capped, minlength=len(runs.bin_value))
    return np.repeat(runs.bin_value, histogram)


def _indices(counts: IntArray, runs: _Runs, suffix: str) -> dict[str, Column]:
    """Sum, h-, g- and i10-index of each author's per-work counts."""
    total = _run_sum(counts, runs)
    ranked = _descending(counts, runs)
    h_index = _run_sum(ranked >= runs.rank, runs)
    # A capped entry stands for a count above the number of works: the g-index
    # condition holds at its rank. Capped entries come first in a run, so the
    # running sum at any later rank holds all of their real counts, which is
    # the total less the uncapped entries.
    capped = ranked > runs.size_of_pair
    uncapped = np.where(capped, 0, ranked)
    running = np.cumsum(uncapped, dtype=np.int64)
    before = running[runs.starts] - uncapped[runs.starts]
    ends = runs.starts + runs.sizes - 1
    above = total - (running[ends] - before)
    running -= np.repeat(before - above, runs.sizes)
    g_index = _run_sum(capped | (running >= runs.rank_squared), runs)
    return {
        f"citations{suffix}": total,
        f"h_index{suffix}": h_index,
        f"g_index{suffix}": g_index,
        f"i10_index{suffix}": _run_sum(counts >= 10, runs),
    }


def _m_quotient(h_index: Column, first_year: NDArray[np.int64], year: int) -> Column:
    years = np.maximum(1, year - first_year + 1)
    return np.where(first_year == NO_YEAR, np.nan, h_index / years)


def self_citations(inputs: MetricInputs) -> NDArray[np.int64]:
    """Per work: the citing works in the corpus that share an author with it."""
    return np.bincount(inputs.edge_cited[inputs.edge_self], minlength=inputs.n_works)


def author_indices(inputs: MetricInputs) -> AuthorFigures:
    """Every column except the distinct citing works, for every author with works."""
    runs = _runs(inputs.pair_author)
    # One gather of the per-work columns (random access) instead of four.
    table = np.stack(
        [
            inputs.work_citations,
            inputs.work_citations - self_citations(inputs),
            inputs.work_citations_5y,
            inputs.work_year,
        ],
        axis=1,
    )
    narrow = np.int32 if table.size == 0 or table.max() <= NO_YEAR else np.int64
    per_work = np.take(table.astype(narrow), inputs.pair_work, axis=0)
    first_year = np.minimum.reduceat(per_work[:, 3], runs.starts).astype(np.int64)
    columns: dict[str, Column] = {"works": runs.sizes, "first_year": first_year}
    for column, suffix in ((0, ""), (1, "_no_self"), (2, "_5y")):
        columns.update(_indices(np.ascontiguousarray(per_work[:, column]), runs, suffix))
    for suffix in ("", "_no_self"):
        columns[f"m_quotient{suffix}"] = _m_quotient(
            columns[f"h_index{suffix}"], first_year, inputs.year
        )
    return AuthorFigures(runs.authors, columns)


def group_by_work(
    pair_author: IntArray, pair_work: IntArray, n_works: int
) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
    """The authorships regrouped by work: (start of each work's run, then its authors)."""
    order = np.argsort(pair_work, kind="stable")
    per_work = np.bincount(pair_work, minlength=n_works)
    start = np.concatenate(([0], np.cumsum(per_work))).astype(np.int64)
    return start, np.asarray(pair_author, dtype=np.int32)[order]


def _step_ends(citing: IntArray) -> list[int]:
    # Steps end where the citing work changes, so one citing work is never split.
    ends = []
    end = 0
    while end < len(citing):
        end = min(end + EDGES_PER_STEP, len(citing))
        end = int(np.searchsorted(citing, citing[end - 1], side="right"))
        ends.append(end)
    return ends


def _pair_keys(inputs: MetricInputs, begin: int, end: int, shift: int) -> NDArray[np.int64]:
    """One key per (citing edge, author of the cited work): citing | author | self flag."""
    cited = np.asarray(inputs.edge_cited[begin:end], dtype=np.int64)
    first = inputs.work_author_start[cited]
    listed = inputs.work_author_start[cited + 1] - first
    position = np.repeat(first - (np.cumsum(listed) - listed), listed)
    position += np.arange(len(position), dtype=np.int64)
    edge = np.asarray(inputs.edge_citing[begin:end], dtype=np.int64) << shift
    edge |= inputs.edge_self[begin:end]
    key = np.repeat(edge, listed)
    key |= inputs.work_authors[position].astype(np.int64) << 1
    return key


def citing_works(inputs: MetricInputs) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per author index: distinct citing works in the corpus, all and excluding self-citations.

    Each edge becomes one (citing work, author of the cited work) pair per
    author; a pair counts once however many of the author's works it cites.
    The packed keys put the self flag lowest, so within a pair the flag 0 (a
    citation that is not a self-citation) sorts first. Edges arrive sorted by
    citing work, so the keys are already grouped and the stable sort (timsort)
    only orders each citing work's short run.
    """
    size = 2 * inputs.n_authors
    shift = size.bit_length()
    counts = np.zeros(size, dtype=np.int64)
    kept: list[NDArray[np.int64]] = []
    begin = 0
    for end in _step_ends(inputs.edge_citing):
        key = _pair_keys(inputs, begin, end, shift)
        key.sort(kind="stable")
        pair = key >> 1
        first = np.empty(len(key), dtype=np.bool_)
        first[0] = True
        np.not_equal(pair[1:], pair[:-1], out=first[1:])
        # The low bits of a kept key are 2 * author + flag.
        kept.append(key[first] & ((1 << shift) - 1))
        begin = end
        if sum(len(part) for part in kept) >= COUNT_BATCH or begin == len(inputs.edge_citing):
            counts += np.bincount(np.concatenate(kept), minlength=size)
            kept.clear()
    others = counts[0::2]
    return others + counts[1::2], others


def compute(inputs: MetricInputs) -> AuthorFigures:
    """Every column of :data:`COLUMNS` for every author with works."""
    if len(inputs.pair_author) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return AuthorFigures(empty, {name: empty for name in COLUMNS})
    figures = author_indices(inputs)
    every, others = citing_works(inputs)
    figures.columns["citing_works"] = every[figures.authors]
    figures.columns["citing_works_no_self"] = others[figures.authors]
    return figures
