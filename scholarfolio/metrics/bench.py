"""``scholarfolio bench metrics``: the engine's core against a hardware yardstick, in one run.

The yardstick (``limit_seconds``) is the time numpy takes, in the same process,
to sort the corpus's (author, citations) pairs packed into one int64 each: the
least work a sort-based h-index needs. The engine's core (``seconds``) is
:func:`scholarfolio.metrics.engine.compute` on the synthetic corpus of
:mod:`scholarfolio.metrics.synthetic`, split into its two stages: the indices
over the (author, work) pairs, and the distinct citing works over every
(citing work, author of the cited work) pair. Each timing is the best of
``repeat`` interleaved rounds, because the machines this runs on are shared
and noisy. With ``--engine spark``, ``seconds`` is one Spark job on the same
corpus (read it from Parquet, compute every column, write the results), in a
session started before the timing; the numpy stages still run beside it, for
``numpy_seconds``.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import numpy as np

from scholarfolio.errors import BadInput
from scholarfolio.metrics import engine, spark_engine, synthetic
from scholarfolio.metrics.engine import MetricInputs

ENGINES = ("numpy", "spark")


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux: the whole process, generator included.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _best_times(repeat: int, stages: dict[str, Callable[[], object]]) -> dict[str, float]:
    # Rounds interleave the stages, so load from other processes drifting
    # during the run hits the yardstick and the engine alike; best of each.
    best = dict.fromkeys(stages, float("inf"))
    for _ in range(repeat):
        for name, run in stages.items():
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def _sort_pairs(inputs: MetricInputs) -> Callable[[], object]:
    citations = np.asarray(inputs.work_citations, dtype=np.int64)[inputs.pair_work]
    packed = (np.asarray(inputs.pair_author, dtype=np.int64) << 32) | citations
    return lambda: np.sort(packed)


def _pairs_expanded(inputs: MetricInputs) -> int:
    listed = np.diff(inputs.work_author_start)
    return int(listed[inputs.edge_cited].sum())


def bench_metrics(papers: int, engine_name: str = "numpy", repeat: int = 1) -> dict[str, Any]:
    """Time the engine's core on a synthetic corpus of ``papers`` works; one flat dict."""
    if engine_name not in ENGINES:
        raise BadInput(f"unknown engine {engine_name!r}; choose from {', '.join(ENGINES)}")
    if papers < 10 or repeat < 1:
        raise BadInput("--papers must be at least 10 and --repeat at least 1")
    if engine_name == "spark":
        spark_engine.require()
    started = time.perf_counter()
    inputs = synthetic.corpus(papers)
    generate_seconds = time.perf_counter() - started
    stages: dict[str, Callable[[], object]] = {
        "limit": _sort_pairs(inputs),
        "indices": lambda: engine.author_indices(inputs),
        "citing": lambda: engine.citing_works(inputs),
    }
    with ExitStack() as spark:
        if engine_name == "spark":
            # Parquet files written and the session started outside the timing.
            stages["spark"] = spark.enter_context(spark_engine.bench_run(inputs))
        best = _best_times(repeat, stages)
    limit, indices, citing = best["limit"], best["indices"], best["citing"]
    numpy_seconds = indices + citing
    seconds = best.get("spark", numpy_seconds)
    return {
        "benchmark": "metrics",
        "engine": engine_name,
        "papers": papers,
        "edges": len(inputs.edge_cited),
        "authorships": len(inputs.pair_author),
        "authors": inputs.n_authors,
        "self_citation_share": round(float(np.mean(inputs.edge_self)), 3),
        "citing_author_pairs": _pairs_expanded(inputs),
        "generate_seconds": round(generate_seconds, 3),
        "seconds": round(seconds, 4),
        "indices_seconds": round(indices, 4),
        "citing_works_seconds": round(citing, 4),
        "limit_seconds": round(limit, 6),
        "ratio": round(seconds / limit, 2),
        # The numpy engine in the same run (equal to seconds for --engine numpy).
        "numpy_seconds": round(numpy_seconds, 4),
        "indices_ratio": round(indices / limit, 2),
        "repeat": repeat,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }
