"""A synthetic citation corpus made directly as engine arrays, for the metrics benchmark.

Shaped like real bibliographic data, from a fixed seed:

- papers in time order, the yearly output growing linearly over 35 years;
- 1 + Poisson(2.5) authors per paper (about 3.5), drawn from authors whose
  productivity follows Lotka's law (Zipf, exponent 2: most authors write one
  paper, a few write hundreds);
- Poisson(10) references per paper to earlier papers, chosen in proportion to a
  heavy-tailed (Pareto, shape 1.5) fitness, which gives the power-law citation
  in-degree of real citation graphs; besides those, about one reference in
  twelve goes to an earlier paper of one of the citing paper's authors (a
  self-citation, flagged as such; a random reference that happens to share an
  author is left unflagged, which changes the figures, not the work).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scholarfolio.metrics.engine import MetricInputs, group_by_work
from scholarfolio.metrics.indices import window

YEAR = 2026
YEARS_SPANNED = 35
AUTHORS_PER_PAPER = 3.5
REFERENCES_PER_PAPER = 10.0
SELF_CITATION_SHARE = 0.1
MOST_PAPERS_PER_AUTHOR = 2_000
FITNESS_SHAPE = 1.5

I32 = NDArray[np.int32]


@dataclass(frozen=True)
class _Authorships:
    # Distinct (author, paper) pairs grouped by author, papers ascending in a run.
    author: I32
    paper: I32
    n_authors: int


def _distinct(keys: NDArray[np.int64]) -> NDArray[np.int64]:
    # Sort and drop repeats (np.unique is much slower on large int64 arrays here).
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def _years(rng: np.random.Generator, papers: int) -> I32:
    # Output grows linearly with time: the share of papers up to t grows as t².
    elapsed = np.sqrt(np.sort(rng.random(papers))) * YEARS_SPANNED
    return (YEAR - YEARS_SPANNED + 1 + elapsed.astype(np.int32)).clip(max=YEAR).astype(np.int32)


def _authorships(rng: np.random.Generator, papers: int) -> _Authorships:
    per_paper = 1 + rng.poisson(AUTHORS_PER_PAPER - 1, papers)
    slots = int(per_paper.sum())
    productivity = rng.zipf(2.0, slots).clip(max=MOST_PAPERS_PER_AUTHOR)
    n_authors = int(np.searchsorted(np.cumsum(productivity), slots)) + 1
    author = np.repeat(np.arange(n_authors, dtype=np.int32), productivity[:n_authors])[:slots]
    author = rng.permutation(author)
    paper = np.repeat(np.arange(papers, dtype=np.int64), per_paper)
    # One name twice on a paper is one authorship.
    key = _distinct((author.astype(np.int64) << 32) | paper)
    return _Authorships(
        (key >> 32).astype(np.int32), (key & 0xFFFFFFFF).astype(np.int32), n_authors
    )


def _random_references(rng: np.random.Generator, papers: int) -> tuple[I32, I32]:
    counts = rng.poisson(REFERENCES_PER_PAPER, papers)
    counts[0] = 0
    citing = np.repeat(np.arange(papers, dtype=np.int32), counts)
    # An urn with a heavy-tailed (Pareto) number of tickets per paper, in paper
    # order: a uniform ticket among those of earlier papers picks the cited one.
    tickets = 1 + (rng.pareto(FITNESS_SHAPE, papers) * 2).astype(np.int64)
    urn = np.repeat(np.arange(papers, dtype=np.int32), tickets)
    before = (np.cumsum(tickets) - tickets)[citing]
    return citing, urn[(rng.random(len(citing)) * before).astype(np.int64)]


def _self_references(rng: np.random.Generator, shares: _Authorships) -> tuple[I32, I32]:
    # For some authorships, cite an earlier paper of the same author.
    sizes = np.bincount(shares.author, minlength=shares.n_authors)
    starts = np.cumsum(sizes) - sizes
    position = np.arange(len(shares.author)) - starts[shares.author]
    papers = len(shares.author) / AUTHORS_PER_PAPER
    share = SELF_CITATION_SHARE * REFERENCES_PER_PAPER * papers / len(shares.author)
    chosen = np.flatnonzero((position > 0) & (rng.random(len(position)) < share))
    earlier = (rng.random(len(chosen)) * position[chosen]).astype(np.int64)
    cited = shares.paper[starts[shares.author[chosen]] + earlier]
    return shares.paper[chosen], cited


def _edges(
    rng: np.random.Generator, papers: int, shares: _Authorships
) -> tuple[I32, I32, NDArray[np.bool_]]:
    plain_citing, plain_cited = _random_references(rng, papers)
    own_citing, own_cited = _self_references(rng, shares)
    key = np.concatenate(
        (
            ((plain_citing.astype(np.int64) << 32) | plain_cited) << 1,
            (((own_citing.astype(np.int64) << 32) | own_cited) << 1) | 1,
        )
    )
    del plain_citing, plain_cited, own_citing, own_cited
    key = np.sort(key)
    pair = key >> 1
    # The same reference drawn twice is one citation; keep the self-citation flag.
    last = np.concatenate((pair[1:] != pair[:-1], [True]))
    key = key[last]
    return (key >> 33).astype(np.int32), ((key >> 1) & 0xFFFFFFFF).astype(np.int32), (key & 1) == 1


def corpus(papers: int, seed: int = 20261206) -> MetricInputs:
    """A synthetic corpus of ``papers`` works as engine inputs."""
    rng = np.random.default_rng(seed)
    years = _years(rng, papers)
    shares = _authorships(rng, papers)
    citing, cited, is_self = _edges(rng, papers, shares)
    citations = np.bincount(cited, minlength=papers)
    recent = np.bincount(cited[years[citing] >= window(YEAR).start], minlength=papers)
    start, authors = group_by_work(shares.author, shares.paper, papers)
    return MetricInputs(
        year=YEAR,
        work_citations=citations,
        work_citations_5y=recent,
        work_year=years,
        pair_author=shares.author,
        pair_work=shares.paper,
        edge_citing=citing,
        edge_cited=cited,
        edge_self=is_self,
        n_authors=shares.n_authors,
        work_author_start=start,
        work_authors=authors,
    )
