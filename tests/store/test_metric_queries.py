"""The full metrics read model: one JSON-ready dict per author (docs/metrics.md)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from scholarfolio import pipeline, profiles
from scholarfolio.demo import demo_files
from scholarfolio.metrics.indices import WINDOW_YEARS, window
from scholarfolio.store import Store, metric_queries
from scholarfolio.store.metric_queries import author_metrics_full, filled_years
from scholarfolio.store.schema import author_metrics


def test_filled_years_runs_from_the_first_work_or_citation_to_the_metrics_year() -> None:
    assert filled_years({2010: 3, 2013: 1}, 2009, 2014) == {
        2009: 0,
        2010: 3,
        2011: 0,
        2012: 0,
        2013: 1,
        2014: 0,
    }
    # A citation dated before the first work (preprint dates) widens the range.
    assert list(filled_years({2007: 2}, 2009, 2010)) == [2007, 2008, 2009, 2010]
    # All zero: the career years, every one 0; no dated work and no citations: empty.
    assert filled_years({}, 2024, 2026) == {2024: 0, 2025: 0, 2026: 0}
    assert filled_years({}, None, 2026) == {}
    assert filled_years({2030: 1}, 2029, 2026) == {2029: 0, 2030: 1}


def test_the_store_and_the_definitions_share_one_window() -> None:
    assert metric_queries.WINDOW_YEARS == WINDOW_YEARS
    assert list(window(2026)) == [2022, 2023, 2024, 2025, 2026]


def test_full_metrics_of_a_built_author(built_store: Store) -> None:
    leader = profiles.top_authors(built_store, 1)[0]
    profile = profiles.get_profile(built_store, leader["id"])
    with built_store.engine.connect() as conn:
        full = author_metrics_full(conn, leader["id"])
    json.dumps(full)
    for name in ("works", "citations", "h_index", "i10_index", "g_index"):
        assert full[name] == profile["metrics"][name]
    assert full["citing_works"] <= full["citations"]
    assert full["citations_no_self"] <= full["citations"]
    assert full["g_index"] >= full["h_index"] and full["h_index_5y"] <= full["h_index"]
    year = full["metrics_year"]
    assert full["window_5y"] == [year - 4, year]
    filled = full["citations_by_year_filled"]
    assert sum(filled.values()) == sum(profile["metrics"]["citations_by_year"].values())
    assert int(min(filled)) <= full["first_year"] and int(max(filled)) >= year
    assert full["m_quotient"] == round(full["h_index"] / (year - full["first_year"] + 1), 2)


def test_an_author_without_metrics_reads_as_zeros(store: Store) -> None:
    pipeline.ingest_paths(store, demo_files()[:1])
    with store.engine.connect() as conn:
        before_build = author_metrics_full(conn, "nobody")
    assert before_build["works"] == 0 and before_build["m_quotient"] is None
    assert before_build["metrics_year"] is None and before_build["citations_by_year_filled"] == {}
    pipeline.build(store)
    with store.engine.connect() as conn:
        counted = conn.scalar(sa.select(sa.func.count()).select_from(author_metrics))
        assert author_metrics_full(conn, "nobody")["metrics_year"] is not None
    assert counted and counted > 0
