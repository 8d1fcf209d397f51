"""The all-author metrics pass and the badge rules."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.engine import Connection

from scholarfolio import settings
from scholarfolio.metrics import engine
from scholarfolio.metrics.indices import window
from scholarfolio.store import batch
from scholarfolio.store.batch import BadgeQuota
from scholarfolio.store.metric_arrays import StoredCorpus, load_corpus, replace_author_metrics
from scholarfolio.store.metric_queries import METRICS_YEAR
from scholarfolio.store.writes import set_meta

FAMOUS = "Famous Author"
PROLIFIC = "Prolific Author"


def badge_quotas(environ: Mapping[str, str] | None = None) -> list[BadgeQuota]:
    """The badge rules from the settings registry (see docs/metrics.md)."""
    return [
        BadgeQuota(
            FAMOUS,
            "citations",
            settings.FAMOUS_TOP_FRACTION.get(environ),
            settings.FAMOUS_MIN_CITATIONS.get(environ),
        ),
        BadgeQuota(
            PROLIFIC,
            "works",
            settings.PROLIFIC_TOP_FRACTION.get(environ),
            settings.PROLIFIC_MIN_WORKS.get(environ),
        ),
    ]


def engine_inputs(stored: StoredCorpus, year: int) -> engine.MetricInputs:
    """The stored arrays as the engine's inputs for the given calendar year."""
    start, by_work = engine.group_by_work(
        stored.pair_author, stored.pair_work, len(stored.work_ids)
    )
    return engine.MetricInputs(
        year=year,
        work_citations=stored.work_citations,
        work_citations_5y=stored.work_citations_in_window,
        work_year=stored.work_year,
        pair_author=stored.pair_author,
        pair_work=stored.pair_work,
        edge_citing=stored.edge_citing,
        edge_cited=stored.edge_cited,
        edge_self=stored.edge_self,
        n_authors=len(stored.author_ids),
        work_author_start=start,
        work_authors=by_work,
    )


def compute_author_metrics(conn: Connection, year: int) -> None:
    """Every author's figures (docs/metrics.md) by the vectorized engine, written in bulk."""
    stored = load_corpus(conn, window(year), engine.NO_YEAR)
    figures = engine.compute(engine_inputs(stored, year))
    author_ids = [stored.author_ids[index] for index in figures.authors.tolist()]
    replace_author_metrics(conn, author_ids, engine.as_values(figures))
    set_meta(conn, METRICS_YEAR, str(year))


def compute_all(conn: Connection, quotas: list[BadgeQuota], year: int) -> None:
    """Per-work citations, then every author's metrics, yearly citations and badges.

    ``year`` is the calendar year the figures are computed in: the five-year
    window ends with it and the m-quotient counts career years up to it.
    """
    batch.compute_work_metrics(conn)
    batch.compute_work_citations_by_year(conn)
    compute_author_metrics(conn, year)
    batch.compute_citations_by_year(conn)
    batch.assign_badges(conn, quotas)
