"""Random small corpora as plain values, and the same corpora as engine arrays."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from scholarfolio.metrics.engine import NO_YEAR, MetricInputs, group_by_work
from scholarfolio.metrics.indices import recent
from scholarfolio.metrics.reference import PlainCorpus

YEAR = 2026


@st.composite
def plain_corpora(draw: st.DrawFn, max_works: int = 25, max_authors: int = 8) -> PlainCorpus:
    """Works with ids from 100 on, overlapping author lists, citations and yearly counts."""
    works = list(range(100, 100 + draw(st.integers(1, max_works))))
    authors = [f"a{n}" for n in range(draw(st.integers(1, max_authors)))]
    authorships = {
        (author, work)
        for work in works
        for author in draw(st.lists(st.sampled_from(authors), min_size=1, max_size=4))
    }
    edges = draw(
        st.sets(st.tuples(st.sampled_from(works), st.sampled_from(works)), max_size=4 * len(works))
    )
    edges = {(citing, cited) for citing, cited in edges if citing != cited}
    in_corpus = {work: sum(1 for _, cited in edges if cited == work) for work in works}
    # A source's count may exceed what the corpus holds; never less (docs/metrics.md).
    extra = draw(st.lists(st.integers(0, 40), min_size=len(works), max_size=len(works)))
    years = draw(
        st.lists(
            st.none() | st.integers(YEAR - 12, YEAR + 1), min_size=len(works), max_size=len(works)
        )
    )
    by_year = {
        work: draw(st.dictionaries(st.integers(YEAR - 9, YEAR), st.integers(1, 12), max_size=5))
        for work in works
    }
    return PlainCorpus(
        year=YEAR,
        work_citations={w: in_corpus[w] + bonus for w, bonus in zip(works, extra, strict=True)},
        work_years=dict(zip(works, years, strict=True)),
        work_by_year=by_year,
        authorships=authorships,
        edges=edges,
    )


def as_inputs(corpus: PlainCorpus) -> tuple[MetricInputs, list[str]]:
    """The corpus as engine arrays, self-citations flagged by their definition."""
    works = sorted(corpus.work_citations)
    work_index = {work: n for n, work in enumerate(works)}
    authors = sorted({author for author, _ in corpus.authorships})
    author_index = {author: n for n, author in enumerate(authors)}
    pairs = np.array(
        sorted((author_index[a], work_index[w]) for a, w in corpus.authorships), dtype=np.int64
    ).reshape(-1, 2)
    written: dict[int, set[str]] = {}
    for author, work in corpus.authorships:
        written.setdefault(work, set()).add(author)
    edges = np.array(
        sorted(
            (work_index[c], work_index[d], bool(written.get(c, set()) & written.get(d, set())))
            for c, d in corpus.edges
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    start, by_work = group_by_work(pairs[:, 0], pairs[:, 1], len(works))
    inputs = MetricInputs(
        year=corpus.year,
        work_citations=np.array([corpus.work_citations[w] for w in works]),
        work_citations_5y=np.array(
            [recent(corpus.work_by_year.get(w, {}), corpus.year) for w in works]
        ),
        work_year=np.array([NO_YEAR if (y := corpus.work_years[w]) is None else y for w in works]),
        pair_author=pairs[:, 0],
        pair_work=pairs[:, 1],
        edge_citing=edges[:, 0],
        edge_cited=edges[:, 1],
        edge_self=edges[:, 2].astype(bool),
        n_authors=len(authors),
        work_author_start=start,
        work_authors=by_work,
    )
    return inputs, authors
