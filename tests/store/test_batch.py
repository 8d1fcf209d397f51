"""The SQL metrics batch agrees with the reference definitions on real works."""

from __future__ import annotations

import random
from collections import defaultdict

import sqlalchemy as sa

from scholarfolio import pipeline, profiles
from scholarfolio.demo import demo_files
from scholarfolio.metrics.indices import g_index, h_index, i10_index
from scholarfolio.models import CitationRecord, Locator
from scholarfolio.store import Store
from scholarfolio.store.schema import author_metrics, authorships, records, works
from scholarfolio.store.writes import write_citation_claims


def _random_edges(arxiv_ids: list[str], seed: int) -> list[tuple[str, str]]:
    # Heavy-tailed in-degree, like real citation graphs: a few works get most.
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) for rank in range(len(arxiv_ids))]
    edges = []
    for citing in arxiv_ids:
        for cited in rng.choices(arxiv_ids, weights=weights, k=rng.randint(0, 12)):
            edges.append((citing, cited))
    return edges


def _claim(citing: str, cited: str) -> CitationRecord:
    return CitationRecord("test", ("arxiv", citing), ("arxiv", cited), Locator("test", 1))


def _add_random_citations(store: Store, seed: int) -> list[tuple[str, str]]:
    with store.engine.begin() as conn:
        arxiv_ids = list(conn.scalars(sa.select(records.c.arxiv_id).order_by(records.c.id)))
        edges = _random_edges(arxiv_ids, seed)
        write_citation_claims(conn, [_claim(a, b) for a, b in edges])
        # Reporting the same edges again adds nothing.
        write_citation_claims(conn, [_claim(a, b) for a, b in edges])
    return edges


def test_engine_agrees_with_reference_on_real_works_and_random_citations(store: Store) -> None:
    pipeline.ingest_paths(store, demo_files()[:2])
    edges = _add_random_citations(store, seed=7)
    pipeline.build(store)

    with store.engine.connect() as conn:
        work_of = {a: w for a, w in conn.execute(sa.select(works.c.arxiv_id, works.c.id))}
        papers: dict[str, set[int]] = defaultdict(set)
        for author_id, work_id in conn.execute(
            sa.select(authorships.c.author_id, authorships.c.work_id)
        ):
            papers[author_id].add(work_id)
        computed = {row.author_id: row for row in conn.execute(sa.select(author_metrics))}

    # One citing work counts once per cited work, however often it is reported.
    cited_by: dict[int, set[int]] = defaultdict(set)
    for citing, cited in edges:
        if citing != cited:
            cited_by[work_of[cited]].add(work_of[citing])
    assert set(computed) == set(papers)
    assert max(row.h_index for row in computed.values()) >= 3
    for author_id, work_set in papers.items():
        counts = [len(cited_by[w]) for w in work_set]
        row = computed[author_id]
        expected = (len(counts), sum(counts), h_index(counts), i10_index(counts), g_index(counts))
        assert (row.works, row.citations, row.h_index, row.i10_index, row.g_index) == expected


def test_yearly_citations_add_up_and_badges_follow_the_rule(store: Store) -> None:
    pipeline.ingest_paths(store, demo_files()[:2])
    _add_random_citations(store, seed=11)
    pipeline.build(store)
    top = profiles.top_authors(store, 5)
    leader = profiles.get_profile(store, top[0]["id"])
    yearly = leader["metrics"]["citations_by_year"]
    assert sum(yearly.values()) == leader["metrics"]["citations"]
    # The corpus has about 4,000 authors: the top 1% by citations, if at
    # least 100, are famous; the leader has the most citations of all.
    assert ("Famous Author" in leader["badges"]) == (leader["metrics"]["citations"] >= 100)
