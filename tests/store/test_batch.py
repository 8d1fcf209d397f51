"""The metrics batch agrees with the reference definitions on real works."""

from __future__ import annotations

import random
from collections import defaultdict

import sqlalchemy as sa

from scholarfolio import pipeline, profiles
from scholarfolio.demo import demo_files
from scholarfolio.metrics.batch import badge_quotas, compute_all
from scholarfolio.metrics.reference import PlainCorpus
from scholarfolio.metrics.reference import author_metrics as author_metrics_reference
from scholarfolio.models import CitationRecord, Locator
from scholarfolio.store import Store
from scholarfolio.store.schema import author_metrics, authorships, citations, records, works
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


def _add_self_citations(store: Store, count: int) -> None:
    # Each of the first authors with two works cites one of them from the other.
    with store.engine.begin() as conn:
        rows = conn.execute(
            sa.select(authorships.c.author_id, works.c.arxiv_id)
            .select_from(authorships.join(works, works.c.id == authorships.c.work_id))
            .order_by(authorships.c.author_id, works.c.id)
        ).all()
        by_author: dict[str, list[str]] = defaultdict(list)
        for author_id, arxiv_id in rows:
            by_author[author_id].append(arxiv_id)
        pairs = [ids[:2] for ids in by_author.values() if len(set(ids)) > 1][:count]
        write_citation_claims(conn, [_claim(later, earlier) for earlier, later in pairs])


def _plain_corpus(store: Store, year: int) -> PlainCorpus:
    """The built store's works, authorships and edges, with figures derived by hand."""
    with store.engine.connect() as conn:
        dated = conn.execute(sa.select(works.c.id, works.c.year, works.c.date)).all()
        pairs = conn.execute(
            sa.select(authorships.c.author_id, authorships.c.work_id).where(
                authorships.c.author_id.is_not(None)
            )
        ).all()
        edges = {(a, b) for a, b in conn.execute(sa.select(citations))}
    date_year = {work: date.year for work, _, date in dated if date is not None}
    cited_by: dict[int, set[int]] = defaultdict(set)
    by_year: dict[int, dict[int, int]] = defaultdict(dict)
    for citing, cited in edges:
        cited_by[cited].add(citing)
        if citing in date_year:
            counts = by_year[cited]
            counts[date_year[citing]] = counts.get(date_year[citing], 0) + 1
    return PlainCorpus(
        year=year,
        work_citations={work: len(cited_by[work]) for work, _, _ in dated},
        work_years={work: work_year for work, work_year, _ in dated},
        work_by_year=by_year,
        authorships={(author, work) for author, work in pairs},
        edges=edges,
    )


def test_engine_agrees_with_reference_on_real_works_and_random_citations(store: Store) -> None:
    pipeline.ingest_paths(store, demo_files()[:2])
    edges = _add_random_citations(store, seed=7)
    pipeline.build(store)
    _add_self_citations(store, 40)
    pipeline.build(store)
    # Most of these works are from 2008: a window ending in 2010 covers them.
    with store.engine.begin() as conn:
        compute_all(conn, badge_quotas(), 2010)
        work_of = {a: w for a, w in conn.execute(sa.select(works.c.arxiv_id, works.c.id))}
        computed = {row.author_id: row._asdict() for row in conn.execute(sa.select(author_metrics))}

    corpus = _plain_corpus(store, 2010)
    # One citing work counts once per cited work, however often it is reported.
    assert {(work_of[a], work_of[b]) for a, b in edges if a != b} <= set(corpus.edges)
    expected = author_metrics_reference(corpus)
    assert set(computed) == set(expected)
    assert max(row["h_index"] for row in computed.values()) >= 3
    assert sum(row["citations"] - row["citations_no_self"] for row in computed.values()) >= 40
    assert sum(row["citations_5y"] for row in computed.values()) > 0
    for author_id, figures in expected.items():
        row = computed[author_id]
        assert {name: row[name] for name in figures} == figures, author_id


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
