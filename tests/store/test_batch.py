"""The SQL metrics batch agrees with the reference definitions on real works."""

from __future__ import annotations

import random
from collections import defaultdict

import sqlalchemy as sa

from scholarfolio import pipeline, profiles
from scholarfolio.demo import demo_files
from scholarfolio.metrics.indices import g_index, h_index, i10_index
from scholarfolio.store import Store
from scholarfolio.store.schema import author_metrics, authorships, works
from scholarfolio.store.writes import write_citations


def _random_edges(work_ids: list[int], seed: int) -> list[tuple[int, int]]:
    # Heavy-tailed in-degree, like real citation graphs: a few works get most.
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) for rank in range(len(work_ids))]
    edges = []
    for citing in work_ids:
        for cited in rng.choices(work_ids, weights=weights, k=rng.randint(0, 12)):
            edges.append((citing, cited))
    return edges


def test_engine_agrees_with_reference_on_real_works_and_random_citations(store: Store) -> None:
    pipeline.ingest_paths(store, demo_files()[:2])
    with store.engine.begin() as conn:
        work_ids = list(conn.scalars(sa.select(works.c.id).order_by(works.c.id)))
        edges = _random_edges(work_ids, seed=7)
        added = write_citations(conn, edges, "test")
        # Reporting the same edges again adds nothing: one citing work counts once.
        assert write_citations(conn, edges, "test") == 0
    pipeline.build(store)

    cited_by: dict[int, set[int]] = defaultdict(set)
    for citing, cited in edges:
        if citing != cited:
            cited_by[cited].add(citing)
    assert added == sum(len(c) for c in cited_by.values())

    with store.engine.connect() as conn:
        papers: dict[str, set[int]] = defaultdict(set)
        for author_id, work_id in conn.execute(
            sa.select(authorships.c.author_id, authorships.c.work_id)
        ):
            papers[author_id].add(work_id)
        computed = {row.author_id: row for row in conn.execute(sa.select(author_metrics))}

    assert set(computed) == set(papers)
    assert max(row.h_index for row in computed.values()) >= 3
    for author_id, work_set in papers.items():
        counts = [len(cited_by[w]) for w in work_set]
        row = computed[author_id]
        expected = (len(counts), sum(counts), h_index(counts), i10_index(counts), g_index(counts))
        assert (row.works, row.citations, row.h_index, row.i10_index, row.g_index) == expected


def test_yearly_citations_add_up_and_badges_follow_the_rule(store: Store) -> None:
    pipeline.ingest_paths(store, demo_files()[:2])
    with store.engine.begin() as conn:
        work_ids = list(conn.scalars(sa.select(works.c.id).order_by(works.c.id)))
        write_citations(conn, _random_edges(work_ids, seed=11), "test")
    pipeline.build(store)
    top = profiles.top_authors(store, 5)
    leader = profiles.get_profile(store, top[0]["id"])
    yearly = leader["metrics"]["citations_by_year"]
    assert sum(yearly.values()) == leader["metrics"]["citations"]
    # The corpus has about 4,000 authors: the top 1% by citations, if at
    # least 100, are famous; the leader has the most citations of all.
    assert ("Famous Author" in leader["badges"]) == (leader["metrics"]["citations"] >= 100)
