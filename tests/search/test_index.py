"""The search index follows the store: filled by migration 0002, rebuilt by every build."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from scholarfolio import pipeline, search
from scholarfolio.store import Store
from scholarfolio.store.connect import _alembic_config, migrate

ARXIV = Path(__file__).parents[1] / "fixtures" / "arxiv"


def _tables(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())


def test_upgrading_a_built_store_indexes_what_it_holds(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "s.db"))
    pipeline.ingest_paths(store, [ARXIV])
    pipeline.build(store)
    before = search.search(store, "spreadsheet integrity")
    config = _alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    assert not {"works_fts", "authors_fts"} & _tables(store)
    migrate(store.engine)
    assert {"works_fts", "authors_fts"} <= _tables(store)
    assert search.search(store, "spreadsheet integrity") == before
    assert before["total_works"] == 2
    assert search.search_authors(store, "perez calero", 5)[0]["name"] == "A. Pérez-Calero Yzquierdo"
    store.close()


def test_a_build_reindexes_new_works(store: Store) -> None:
    pipeline.ingest_paths(store, [ARXIV / "snapshot"])
    pipeline.build(store)
    assert search.search(store, "spreadsheet integrity")["works_match"] == "any"
    pipeline.ingest_paths(store, [ARXIV / "oai"])
    pipeline.build(store)
    found = search.search(store, "spreadsheet integrity")
    assert (found["works_match"], found["total_works"]) == ("all", 2)
