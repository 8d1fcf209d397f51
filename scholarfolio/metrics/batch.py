"""The all-author metrics pass and the badge rules."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.engine import Connection

from scholarfolio import settings
from scholarfolio.errors import BadInput
from scholarfolio.metrics import engine, spark_engine
from scholarfolio.metrics.indices import window
from scholarfolio.store import batch
from scholarfolio.store.batch import BadgeQuota
from scholarfolio.store.metric_arrays import StoredCorpus, load_corpus, replace_author_metrics
from scholarfolio.store.metric_delta import store_self_citations
from scholarfolio.store.metric_queries import METRICS_YEAR
from scholarfolio.store.writes import set_meta

# The all-author engines: numpy in process, or Spark (the optional extra scholarfolio[spark]).
ENGINES = ("numpy", "spark")
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


def compute_author_metrics(
    conn: Connection, year: int, engine_name: str = "numpy", spark_master: str | None = None
) -> None:
    """Every author's figures (docs/metrics.md) by the chosen engine, written in bulk.

    ``numpy``: the vectorized engine in this process; ``spark``: Spark over a
    Parquet export of the store (metrics/spark_engine.py), on ``spark_master``.
    """
    if engine_name not in ENGINES:
        raise BadInput(f"unknown engine {engine_name!r}; choose from {', '.join(ENGINES)}")
    if engine_name == "spark":
        spark_engine.compute_author_metrics(conn, year, spark_master)
        set_meta(conn, METRICS_YEAR, str(year))
        return
    stored = load_corpus(conn, window(year), engine.NO_YEAR)
    inputs = engine_inputs(stored, year)
    figures = engine.compute(inputs)
    author_ids = [stored.author_ids[index] for index in figures.authors.tolist()]
    replace_author_metrics(conn, author_ids, engine.as_values(figures))
    # Kept for incremental builds (scholarfolio.incremental).
    own = engine.self_citations(inputs)
    store_self_citations(conn, stored.work_ids.tolist(), own.tolist())
    set_meta(conn, METRICS_YEAR, str(year))


def compute_all(
    conn: Connection,
    quotas: list[BadgeQuota],
    year: int,
    engine_name: str = "numpy",
    spark_master: str | None = None,
) -> None:
    """Per-work citations, then every author's metrics, yearly citations and badges.

    ``year`` is the calendar year the figures are computed in: the five-year
    window ends with it and the m-quotient counts career years up to it.
    """
    batch.compute_work_metrics(conn)
    batch.compute_work_citations_by_year(conn)
    compute_author_metrics(conn, year, engine_name, spark_master)
    batch.compute_citations_by_year(conn)
    batch.assign_badges(conn, quotas)
