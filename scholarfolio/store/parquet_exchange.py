"""The metrics inputs of the store written as Parquet files, and author metrics read back.

An engine outside the database (Apache Spark, :mod:`scholarfolio.metrics.spark_engine`)
reads the corpus from plain columnar files rather than through SQL, so the
files can sit on storage every machine of a cluster reads. One file per table,
each written in one ordered scan of the store, a batch of rows at a time
(bounded memory on any corpus size):

- ``works.parquet``: ``work_id`` (int64), ``year`` (int32, null when unknown),
  ``citations`` (int64: the work's ``citations``, 0 when it has none);
- ``work_citations_by_year.parquet``: ``work_id``, ``year``, ``citations``;
- ``authorships.parquet``: ``author_id`` (string), ``work_id``, one row per
  authorship resolved to an author (an author listed twice on one paper
  appears twice: the engine keeps distinct pairs);
- ``citations.parquet``: ``citing_work_id``, ``cited_work_id``, each edge once.

The engine writes one row per author with the ``author_metrics`` columns as a
folder of Parquet part files; :func:`import_author_metrics` replaces the
table's rows with them. It also writes each work's self-citations (``work``,
``self_citations``, works with any), which :func:`import_work_self_citations`
keeps in ``work_metrics`` as the numpy engine does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.metric_delta import store_self_citations
from scholarfolio.store.schema import (
    author_metrics,
    authorships,
    citations,
    work_citations_by_year,
    work_metrics,
    works,
)

# Rows fetched from the store and written to Parquet at a time (one row group each).
EXPORT_BATCH = 500_000
# Rows per INSERT batch when loading the results back.
IMPORT_BATCH = 5_000

WORKS = pa.schema([("work_id", pa.int64()), ("year", pa.int32()), ("citations", pa.int64())])
WORK_CITATIONS_BY_YEAR = pa.schema(
    [("work_id", pa.int64()), ("year", pa.int32()), ("citations", pa.int64())]
)
AUTHORSHIPS = pa.schema([("author_id", pa.string()), ("work_id", pa.int64())])
CITATIONS = pa.schema([("citing_work_id", pa.int64()), ("cited_work_id", pa.int64())])


def _queries() -> dict[str, tuple[pa.Schema, sa.Select[Any]]]:
    return {
        "works": (
            WORKS,
            sa.select(works.c.id, works.c.year, sa.func.coalesce(work_metrics.c.citations, 0))
            .select_from(works.outerjoin(work_metrics, work_metrics.c.work_id == works.c.id))
            .order_by(works.c.id),
        ),
        "work_citations_by_year": (
            WORK_CITATIONS_BY_YEAR,
            sa.select(
                work_citations_by_year.c.work_id,
                work_citations_by_year.c.year,
                work_citations_by_year.c.citations,
            ).order_by(work_citations_by_year.c.work_id, work_citations_by_year.c.year),
        ),
        "authorships": (
            AUTHORSHIPS,
            sa.select(authorships.c.author_id, authorships.c.work_id)
            .where(authorships.c.author_id.is_not(None))
            .order_by(authorships.c.author_id, authorships.c.work_id),
        ),
        "citations": (
            CITATIONS,
            sa.select(citations.c.citing_work_id, citations.c.cited_work_id).order_by(
                citations.c.citing_work_id, citations.c.cited_work_id
            ),
        ),
    }


def _write_table(conn: Connection, query: sa.Select[Any], schema: pa.Schema, path: Path) -> int:
    written = 0
    # Per statement: Connection.execution_options would keep streaming on for every
    # later statement of the build (PostgreSQL cannot stream a DELETE).
    result = conn.execute(query, execution_options={"yield_per": EXPORT_BATCH})
    with pq.ParquetWriter(str(path), schema) as writer:
        for rows in result.partitions():
            columns = list(zip(*rows, strict=True))
            arrays = [
                pa.array(values, type=field.type)
                for values, field in zip(columns, schema, strict=True)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            written += len(rows)
    return written


def export_corpus(conn: Connection, folder: Path) -> dict[str, int]:
    """Write the four input tables into ``folder`` (created); rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        name: _write_table(conn, query, schema, folder / f"{name}.parquet")
        for name, (schema, query) in _queries().items()
    }


def import_author_metrics(conn: Connection, folder: Path) -> int:
    """Replace ``author_metrics`` with the rows of the Parquet files in ``folder``; how many.

    The files hold ``author_id`` and every computed column by its table name;
    rows load in batches, so the results never sit in memory whole.
    """
    conn.execute(author_metrics.delete())
    dataset = ds.dataset(str(folder), format="parquet")
    loaded = 0
    for batch in dataset.to_batches(batch_size=IMPORT_BATCH):
        rows: list[dict[str, Any]] = batch.to_pylist()
        if rows:
            conn.execute(author_metrics.insert(), rows)
            loaded += len(rows)
    return loaded


def import_work_self_citations(conn: Connection, folder: Path) -> int:
    """Keep each work's self-citations from the Parquet files in ``folder``; works written."""
    loaded = 0
    for batch in ds.dataset(str(folder), format="parquet").to_batches(batch_size=IMPORT_BATCH):
        columns = batch.to_pydict()
        store_self_citations(conn, columns["work"], columns["self_citations"])
        loaded += batch.num_rows
    return loaded
