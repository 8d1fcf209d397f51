"""Every author's figures as Spark DataFrame operations: the numpy engine's numbers, distributed.

The same numbers as :mod:`scholarfolio.metrics.engine` (docs/metrics.md),
computed with Spark SQL's built-in operations only, so executors run no Python:

- per work: citations, citations without the self-citations the corpus shows,
  and citations in the five-year window;
- per (author, work): each of those three counts ranked within the author
  (a window sorted by the count, largest first) with its running sum; the
  h-index counts the ranks whose count reaches the rank, the g-index the ranks
  whose running sum reaches the rank squared (a prefix of the ranks, so the
  count is the largest such rank, never more than the works);
- distinct citing works: one row per (author, citing work) pair, which counts
  toward ``citing_works_no_self`` when at least one of its edges is not a
  self-citation.

Input is a :class:`SparkCorpus`, read from the Parquet files of
:mod:`scholarfolio.store.parquet_exchange` by :func:`read_store_export`, or
from the numpy engine's arrays written by :func:`write_arrays` (the benchmark,
and tests comparing the two engines on synthetic corpora); output is one row
per author with works: ``author_id`` and every column of
:data:`scholarfolio.metrics.engine.COLUMNS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from scholarfolio.metrics.engine import COLUMNS, NO_YEAR, MetricInputs
from scholarfolio.metrics.indices import window

# The three per-work counts the indices run over, by column suffix.
COUNTS = {"": "c", "_no_self": "c_no_self", "_5y": "c_5y"}


@dataclass(frozen=True)
class SparkCorpus:
    """The engine's inputs as DataFrames.

    ``works``: work, year (null when unknown), citations, citations_5y;
    ``pairs``: distinct (author, work); ``edges``: distinct (citing, cited) with
    ``self`` true when the two works share an author.
    """

    year: int
    works: DataFrame
    pairs: DataFrame
    edges: DataFrame


def read_store_export(spark: SparkSession, folder_uri: str, year: int) -> SparkCorpus:
    """The corpus from a store's Parquet export: five-year counts and self flags derived here."""
    years = window(year)
    by_year = spark.read.parquet(f"{folder_uri}/work_citations_by_year.parquet")
    recent = (
        by_year.where((F.col("year") >= years.start) & (F.col("year") < years.stop))
        .groupBy(F.col("work_id").alias("work"))
        .agg(F.sum("citations").alias("citations_5y"))
    )
    works = (
        spark.read.parquet(f"{folder_uri}/works.parquet")
        .select(F.col("work_id").alias("work"), "year", "citations")
        .join(recent, "work", "left")
        .select(
            "work", "year", "citations", F.coalesce("citations_5y", F.lit(0)).alias("citations_5y")
        )
    )
    pairs = (
        spark.read.parquet(f"{folder_uri}/authorships.parquet")
        .select(F.col("author_id").alias("author"), F.col("work_id").alias("work"))
        .distinct()
    )
    edges = spark.read.parquet(f"{folder_uri}/citations.parquet").select(
        F.col("citing_work_id").alias("citing"), F.col("cited_work_id").alias("cited")
    )
    # Both are read by several steps of the job: computed once, kept (spilling to disk).
    pairs = pairs.persist()
    return SparkCorpus(year, works, pairs, flag_self_citations(edges, pairs).persist())


def write_arrays(inputs: MetricInputs, folder: Path) -> None:
    """The numpy engine's inputs as Parquet files in ``folder`` (see :func:`read_arrays`)."""
    folder.mkdir(parents=True, exist_ok=True)
    year = np.asarray(inputs.work_year, dtype=np.int64)
    tables = {
        "works": {
            "work": pa.array(np.arange(inputs.n_works, dtype=np.int64)),
            "year": pa.array(year, mask=year == NO_YEAR, type=pa.int32()),
            "citations": pa.array(np.asarray(inputs.work_citations, dtype=np.int64)),
            "citations_5y": pa.array(np.asarray(inputs.work_citations_5y, dtype=np.int64)),
        },
        "pairs": {
            "author": pa.array(np.asarray(inputs.pair_author, dtype=np.int64)),
            "work": pa.array(np.asarray(inputs.pair_work, dtype=np.int64)),
        },
        "edges": {
            "citing": pa.array(np.asarray(inputs.edge_citing, dtype=np.int64)),
            "cited": pa.array(np.asarray(inputs.edge_cited, dtype=np.int64)),
            "self": pa.array(np.asarray(inputs.edge_self, dtype=np.bool_)),
        },
    }
    for name, columns in tables.items():
        pq.write_table(pa.table(columns), str(folder / f"{name}.parquet"))


def read_arrays(spark: SparkSession, folder_uri: str, year: int) -> SparkCorpus:
    """The corpus :func:`write_arrays` wrote: authors are the engine's author indices."""
    return SparkCorpus(
        year,
        spark.read.parquet(f"{folder_uri}/works.parquet"),
        spark.read.parquet(f"{folder_uri}/pairs.parquet"),
        spark.read.parquet(f"{folder_uri}/edges.parquet"),
    )


def flag_self_citations(edges: DataFrame, pairs: DataFrame) -> DataFrame:
    """The edges with ``self``: true when the citing and the cited work share an author."""
    citing_authors = pairs.select(F.col("work").alias("citing"), "author")
    cited_authors = pairs.select(F.col("work").alias("cited"), "author")
    shared = (
        edges.join(citing_authors, "citing")
        .join(cited_authors, ["cited", "author"])
        .select("citing", "cited")
        .distinct()
        .withColumn("self", F.lit(True))
    )
    return edges.join(shared, ["citing", "cited"], "left").select(
        "citing", "cited", F.coalesce("self", F.lit(False)).alias("self")
    )


def work_self_citations(corpus: SparkCorpus) -> DataFrame:
    """Per work with any: ``work`` and ``self_citations``, the citing works sharing an author."""
    return (
        corpus.edges.where(F.col("self"))
        .groupBy(F.col("cited").alias("work"))
        .agg(F.count(F.lit(1)).alias("self_citations"))
    )


def _per_pair(corpus: SparkCorpus) -> DataFrame:
    # Each authorship with its work's three counts, each ranked within the author.
    self_citations = work_self_citations(corpus)
    per_work = corpus.works.join(self_citations, "work", "left").select(
        "work",
        "year",
        F.col("citations").cast("long").alias("c"),
        (F.col("citations") - F.coalesce("self_citations", F.lit(0)))
        .cast("long")
        .alias("c_no_self"),
        F.col("citations_5y").cast("long").alias("c_5y"),
    )
    pairs = corpus.pairs.join(per_work, "work")
    for count in COUNTS.values():
        # ROWS, not the default RANGE frame: tied counts still get one rank each.
        ranked = Window.partitionBy("author").orderBy(F.col(count).desc())
        so_far = ranked.rowsBetween(Window.unboundedPreceding, Window.currentRow)
        pairs = pairs.withColumn(f"{count}_rank", F.row_number().over(ranked).cast("long"))
        pairs = pairs.withColumn(f"{count}_running", F.sum(count).over(so_far))
    return pairs


def _tally(condition: Column) -> Column:
    return F.sum(F.when(condition, 1).otherwise(0)).cast("long")


def _indices(suffix: str, count: str) -> list[Column]:
    rank = F.col(f"{count}_rank")
    return [
        F.sum(count).cast("long").alias(f"citations{suffix}"),
        _tally(F.col(count) >= rank).alias(f"h_index{suffix}"),
        _tally(F.col(f"{count}_running") >= rank * rank).alias(f"g_index{suffix}"),
        _tally(F.col(count) >= 10).alias(f"i10_index{suffix}"),
    ]


def _citing_works(corpus: SparkCorpus) -> DataFrame:
    # One row per (author of a cited work, citing work): self when all its edges are.
    authors = corpus.pairs.select(F.col("work").alias("cited"), "author")
    per_pair = (
        corpus.edges.join(authors, "cited")
        .groupBy("author", "citing")
        .agg(F.min(F.col("self").cast("int")).alias("all_self"))
    )
    return per_pair.groupBy("author").agg(
        F.count(F.lit(1)).alias("citing_works"),
        _tally(F.col("all_self") == 0).alias("citing_works_no_self"),
    )


def _m_quotient(h_index: str, year: int) -> Column:
    # Double division, as numpy's int64 / int64: the same IEEE result to the last bit.
    years = F.greatest(F.lit(1), F.lit(year) - F.col("first_year") + 1).cast("double")
    return F.when(F.col("first_year").isNull(), F.lit(None)).otherwise(
        F.col(h_index).cast("double") / years
    )


def author_metrics(corpus: SparkCorpus) -> DataFrame:
    """One row per author with works: ``author_id`` and every column of ``COLUMNS``."""
    aggregates = [F.count(F.lit(1)).alias("works"), F.min("year").alias("first_year")]
    for suffix, count in COUNTS.items():
        aggregates.extend(_indices(suffix, count))
    figures = (
        _per_pair(corpus)
        .groupBy("author")
        .agg(*aggregates)
        .join(_citing_works(corpus), "author", "left")
        .fillna(0, ["citing_works", "citing_works_no_self"])
        .withColumn("m_quotient", _m_quotient("h_index", corpus.year))
        .withColumn("m_quotient_no_self", _m_quotient("h_index_no_self", corpus.year))
    )
    return figures.select(F.col("author").alias("author_id"), *COLUMNS)
