"""The Parquet export holds every metrics input of the store, and the import loads results back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from scholarfolio.store import Store
from scholarfolio.store.schema import (
    author_metrics,
    authorships,
    citations,
    work_citations_by_year,
    work_metrics,
    works,
)

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from scholarfolio.store.parquet_exchange import (  # noqa: E402 (needs pyarrow)
    export_corpus,
    import_author_metrics,
)


def _count(conn: sa.Connection, table: sa.Table, *where: Any) -> int:
    query = sa.select(sa.func.count()).select_from(table).where(*where)
    return int(conn.execute(query).scalar_one())


def test_export_writes_every_input_row_of_the_store(built_store: Store, tmp_path: Path) -> None:
    with built_store.engine.connect() as conn:
        written = export_corpus(conn, tmp_path)
        assert written == {
            "works": _count(conn, works),
            "work_citations_by_year": _count(conn, work_citations_by_year),
            "authorships": _count(conn, authorships, authorships.c.author_id.is_not(None)),
            "citations": _count(conn, citations),
        }
        assert written["works"] > 100 and written["authorships"] > written["works"]
        exported = pq.read_table(tmp_path / "works.parquet").to_pydict()
        total = conn.execute(sa.select(sa.func.sum(work_metrics.c.citations))).scalar_one()
        unknown = _count(conn, works, works.c.year.is_(None))
    assert exported["work_id"] == sorted(exported["work_id"])
    assert sum(exported["citations"]) == total
    assert exported["year"].count(None) == unknown
    pairs = pq.read_table(tmp_path / "authorships.parquet").to_pydict()
    assert None not in pairs["author_id"]


def test_import_replaces_the_author_metrics_rows(built_store: Store, tmp_path: Path) -> None:
    # In a transaction rolled back at the end: the built store is shared. The
    # export runs first on the same connection, as in a build, which must not
    # leave the connection streaming results (PostgreSQL cannot stream a DELETE).
    with built_store.engine.connect() as conn, conn.begin() as transaction:
        export_corpus(conn, tmp_path / "corpus")
        before = [row._asdict() for row in conn.execute(sa.select(author_metrics))]
        assert len(before) > 100
        # Two part files, as Spark writes them, and its marker file beside them.
        half = len(before) // 2
        results = tmp_path / "author_metrics"
        results.mkdir()
        pq.write_table(pa.Table.from_pylist(before[:half]), results / "part-00000.parquet")
        pq.write_table(pa.Table.from_pylist(before[half:]), results / "part-00001.parquet")
        (results / "_SUCCESS").write_bytes(b"")
        conn.execute(author_metrics.update().values(h_index=0))
        assert import_author_metrics(conn, results) == len(before)
        after = [row._asdict() for row in conn.execute(sa.select(author_metrics))]
        transaction.rollback()
    key = "author_id"
    assert sorted(after, key=lambda row: row[key]) == sorted(before, key=lambda row: row[key])
