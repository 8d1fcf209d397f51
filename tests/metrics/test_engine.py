"""The vectorized engine agrees with the plain reference; the indices keep their laws."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarfolio.metrics import engine, synthetic
from scholarfolio.metrics.indices import g_index, h_index
from scholarfolio.metrics.reference import PlainCorpus, author_metrics

from .corpora import as_inputs, plain_corpora

counts = st.lists(st.integers(0, 200), max_size=40)


def _engine_metrics(corpus: PlainCorpus) -> dict[str, dict[str, int | float | None]]:
    inputs, authors = as_inputs(corpus)
    figures = engine.compute(inputs)
    values = engine.as_values(figures)
    return {
        authors[index]: {name: values[name][row] for name in engine.COLUMNS}
        for row, index in enumerate(figures.authors.tolist())
    }


@settings(max_examples=300, deadline=None)
@given(plain_corpora())
def test_engine_agrees_with_the_reference_on_random_corpora(corpus: PlainCorpus) -> None:
    assert _engine_metrics(corpus) == author_metrics(corpus)


@settings(max_examples=50, deadline=None)
@given(plain_corpora(max_works=60, max_authors=3))
def test_engine_agrees_when_authors_write_many_works(corpus: PlainCorpus) -> None:
    # Few authors over many works: long runs, capped counts, many shared citing works.
    assert _engine_metrics(corpus) == author_metrics(corpus)


def test_engine_agrees_when_steps_split_the_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = synthetic.corpus(3_000)
    whole = engine.citing_works(inputs)
    monkeypatch.setattr(engine, "EDGES_PER_STEP", 7)
    monkeypatch.setattr(engine, "COUNT_BATCH", 50)
    stepped = engine.citing_works(inputs)
    assert all(np.array_equal(a, b) for a, b in zip(whole, stepped, strict=True))


@given(counts)
def test_h_never_exceeds_works_and_g_is_at_least_h(citations: list[int]) -> None:
    h, g = h_index(citations), g_index(citations)
    assert h <= len(citations) and g <= len(citations)
    assert g >= h


@given(counts, st.data())
def test_one_more_citation_never_lowers_h_or_g(citations: list[int], data: st.DataObject) -> None:
    if not citations:
        return
    which = data.draw(st.integers(0, len(citations) - 1))
    more = [count + (n == which) for n, count in enumerate(citations)]
    assert h_index(more) >= h_index(citations)
    assert g_index(more) >= g_index(citations)


@given(counts)
def test_engine_indices_match_the_definitions_for_one_author(citations: list[int]) -> None:
    if not citations:
        return
    corpus = PlainCorpus(
        year=2026,
        work_citations=dict(enumerate(citations)),
        work_years=dict.fromkeys(range(len(citations))),
        work_by_year={},
        authorships={("solo", n) for n in range(len(citations))},
        edges=set(),
    )
    (solo,) = _engine_metrics(corpus).values()
    assert (solo["h_index"], solo["g_index"]) == (h_index(citations), g_index(citations))
    assert solo["m_quotient"] is None and solo["first_year"] is None


def test_a_corpus_without_authorships_gives_no_rows() -> None:
    corpus = PlainCorpus(2026, {1: 3}, {1: 2020}, {}, set(), set())
    assert _engine_metrics(corpus) == {} == author_metrics(corpus)
