"""The Spark engine gives exactly the numpy engine's figures, on the real demo corpus and others.

One local Spark session (local[2], no UI, 4 shuffle partitions) serves the
whole module: starting the JVM is the slow part. Needs PySpark, PyArrow and
Java 17+ (the dev extra and .ci/run install them).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from scholarfolio import pipeline
from scholarfolio.cli import cli
from scholarfolio.demo import demo_files, openalex_demo_files
from scholarfolio.errors import BadInput
from scholarfolio.metrics import engine, spark_engine, synthetic
from scholarfolio.metrics.engine import MetricInputs
from scholarfolio.metrics.reference import PlainCorpus
from scholarfolio.metrics.reference import author_metrics as reference_metrics
from scholarfolio.store import Store
from scholarfolio.store.metric_queries import METRICS_YEAR
from scholarfolio.store.schema import (
    author_badges,
    author_citations_by_year,
    author_metrics,
    meta,
    work_metrics,
)

from . import corpora
from .corpora import as_inputs

needs_spark = pytest.mark.skipif(
    find_spec("pyspark") is None or find_spec("pyarrow") is None,
    reason="PySpark and PyArrow are not installed (pip install -e '.[dev]')",
)

Rows = dict[Any, dict[str, Any]]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One small local Spark session for the module; the engine uses it while it runs."""
    with spark_engine.spark_session("local[2]") as session:
        yield session


def _demo_corpus() -> list[Path]:
    # The real arXiv files and the OpenAlex authors with their citation graph.
    arxiv = [p for p in demo_files() if p.name.startswith(("snapshot_", "atom_"))]
    return arxiv + openalex_demo_files()


def _tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    # Everything the author-metrics pass and the steps after it write.
    with store.engine.connect() as conn:
        tables = {
            table.name: sorted(tuple(row) for row in conn.execute(sa.select(table)))
            for table in (author_metrics, author_badges, author_citations_by_year, work_metrics)
        }
        tables["metrics_year"] = [
            tuple(row) for row in conn.execute(sa.select(meta).where(meta.c.key == METRICS_YEAR))
        ]
    return tables


@pytest.fixture(scope="module")
def both_builds(
    spark: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, list[tuple[Any, ...]]], str]:
    """The demo corpus built by numpy and, from scratch in another store, by the CLI on Spark."""
    folder = tmp_path_factory.mktemp("engines")
    numpy_store = Store.open(str(folder / "numpy.db"))
    pipeline.ingest_paths(numpy_store, _demo_corpus())
    pipeline.build(numpy_store)
    spark_store = Store.open(str(folder / "spark.db"))
    pipeline.ingest_paths(spark_store, _demo_corpus())
    result = CliRunner().invoke(
        cli, ["--db", str(folder / "spark.db"), "build", "--engine", "spark"]
    )
    assert result.exit_code == 0, result.output
    built = (_tables(numpy_store), _tables(spark_store), result.output)
    numpy_store.close()
    spark_store.close()
    return built


@needs_spark
def test_spark_build_writes_exactly_the_numpy_builds_figures(
    both_builds: tuple[dict[str, list[tuple[Any, ...]]], dict[str, list[tuple[Any, ...]]], str],
) -> None:
    numpy_tables, spark_tables, output = both_builds
    authors = len(numpy_tables["author_metrics"])
    assert output.startswith(f"built {authors} author profiles over 2803 works")
    # Every column of every row, the m-quotient floats included, compared exactly.
    assert spark_tables == numpy_tables


@needs_spark
def test_the_compared_demo_figures_exercise_every_definition(
    both_builds: tuple[dict[str, list[tuple[Any, ...]]], dict[str, list[tuple[Any, ...]]], str],
) -> None:
    # Real values, so the equality above cannot hold by both sides being empty or trivial.
    rows = [
        dict(zip(author_metrics.c.keys(), row, strict=True))
        for row in both_builds[1]["author_metrics"]
    ]
    assert len(rows) > 4_000
    assert max(r["h_index"] for r in rows) >= 30
    assert any(r["g_index"] > r["h_index"] for r in rows)
    assert any(0 < r["citing_works"] < r["citations"] for r in rows)
    assert any(r["citing_works_no_self"] < r["citing_works"] for r in rows)
    assert any(r["citations_no_self"] < r["citations"] for r in rows)
    assert any(0 < r["h_index_5y"] < r["h_index"] for r in rows)
    assert any(r["m_quotient"] is not None and r["m_quotient"] % 1 for r in rows)
    assert both_builds[1]["author_badges"]
    # Each work's self-citations, kept for incremental builds (a column of work_metrics).
    own = work_metrics.c.keys().index("self_citations")
    assert sum(row[own] for row in both_builds[1]["work_metrics"]) > 100


def _spark_rows(spark: Any, inputs: MetricInputs, folder: Path) -> Rows:
    from scholarfolio.metrics.spark_metrics import author_metrics as spark_metrics
    from scholarfolio.metrics.spark_metrics import read_arrays, write_arrays

    write_arrays(inputs, folder)
    frame = spark_metrics(read_arrays(spark, folder.as_uri(), inputs.year))
    return {row["author_id"]: row.asDict() for row in frame.collect()}


def _numpy_rows(inputs: MetricInputs) -> Rows:
    figures = engine.compute(inputs)
    values = engine.as_values(figures)
    return {
        author: {"author_id": author, **{name: values[name][n] for name in engine.COLUMNS}}
        for n, author in enumerate(figures.authors.tolist())
    }


@needs_spark
def test_spark_agrees_with_numpy_on_a_synthetic_corpus(spark: Any, tmp_path: Path) -> None:
    inputs = synthetic.corpus(3_000)
    spark_rows = _spark_rows(spark, inputs, tmp_path)
    assert len(spark_rows) == 1_897
    assert spark_rows == _numpy_rows(inputs)


def _random_corpus(rng: np.random.Generator, first_work: int, prefix: str) -> PlainCorpus:
    """A small random corpus shaped like tests/metrics/corpora.py's, from a seeded generator.

    Works without a year, tied counts, counts above the number of works,
    self-citations and authors listed on few or many works all come up often.
    """
    works = list(range(first_work, first_work + int(rng.integers(1, 26))))
    authors = [f"{prefix}a{n}" for n in range(int(rng.integers(1, 9)))]
    authorships = {
        (str(author), work)
        for work in works
        for author in rng.choice(authors, size=int(rng.integers(1, 5)))
    }
    edges = {
        (int(citing), int(cited))
        for citing, cited in rng.choice(works, size=(int(rng.integers(0, 4 * len(works) + 1)), 2))
        if citing != cited
    }
    in_corpus = {work: sum(1 for _, cited in edges if cited == work) for work in works}
    return PlainCorpus(
        year=corpora.YEAR,
        work_citations={work: in_corpus[work] + int(rng.integers(0, 41)) for work in works},
        work_years={
            work: None if rng.random() < 0.2 else corpora.YEAR + int(rng.integers(-12, 2))
            for work in works
        },
        work_by_year={
            work: {corpora.YEAR - int(y): int(rng.integers(1, 13)) for y in rng.integers(0, 10, 3)}
            for work in works
        },
        authorships=authorships,
        edges=edges,
    )


def _merged(parts: list[PlainCorpus]) -> PlainCorpus:
    # Disjoint works and authors: each author's figures are those of their own part.
    return PlainCorpus(
        year=corpora.YEAR,
        work_citations={w: c for part in parts for w, c in part.work_citations.items()},
        work_years={w: y for part in parts for w, y in part.work_years.items()},
        work_by_year={w: y for part in parts for w, y in part.work_by_year.items()},
        authorships={pair for part in parts for pair in part.authorships},
        edges={edge for part in parts for edge in part.edges},
    )


@needs_spark
def test_spark_agrees_with_the_reference_on_random_corpora(spark: Any, tmp_path: Path) -> None:
    # Eighty random corpora side by side in one Spark job (each job costs seconds).
    rng = np.random.default_rng(20261129)
    corpus = _merged([_random_corpus(rng, 100 * n, f"c{n}") for n in range(80)])
    inputs, authors = as_inputs(corpus)
    spark_rows = {
        authors[index]: {name: row[name] for name in engine.COLUMNS}
        for index, row in _spark_rows(spark, inputs, tmp_path).items()
    }
    expected = reference_metrics(corpus)
    assert len(expected) > 300
    assert sum(figures["m_quotient"] is None for figures in expected.values()) > 5
    assert spark_rows == expected


@needs_spark
def test_bench_metrics_runs_the_spark_engine_at_a_tiny_size(spark: Any) -> None:
    arguments = ["bench", "metrics", "--papers", "500", "--engine", "spark", "--json"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    report = json.loads(line)
    assert (report["engine"], report["papers"]) == ("spark", 500)
    assert report["seconds"] > 0 and report["numpy_seconds"] > 0 and report["limit_seconds"] > 0
    # At 500 papers a Spark job costs seconds, the numpy sort microseconds.
    assert report["ratio"] > 1


@needs_spark
def test_a_failed_spark_job_is_one_line(spark: Any, tmp_path: Path) -> None:
    from pyspark.errors import PySparkException

    missing = (tmp_path / "missing.parquet").as_uri()
    with pytest.raises(PySparkException) as caught:
        spark.read.parquet(missing).count()
    message = str(spark_engine.failure(caught.value))
    assert message.startswith("the Spark job failed: [PATH_NOT_FOUND] Path does not exist: ")
    assert "missing.parquet" in message and "\n" not in message


@needs_spark
def test_spark_build_without_java_says_what_to_install_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "build", "--engine", "spark"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: the spark engine needs Java 17 or later on PATH or in JAVA_HOME "
        "(Debian: apt-get install openjdk-17-jre-headless)\n"
    )


def test_spark_build_without_pyspark_says_what_to_install_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "build", "--engine", "spark"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: the spark engine needs PySpark and PyArrow (and Java 17+): "
        "pip install 'scholarfolio[spark]'\n"
    )


def test_an_unknown_engine_is_refused_by_the_library(store: Store) -> None:
    with pytest.raises(BadInput, match="unknown engine 'duckdb'; choose from numpy, spark"):
        pipeline.build(store, engine="duckdb")
