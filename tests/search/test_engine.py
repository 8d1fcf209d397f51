"""The tantivy index beside a SQLite store: written by builds, used only while it is current."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scholarfolio import pipeline, search
from scholarfolio.search.engine import CURRENT, TantivyWorks, index_folder
from scholarfolio.store import Store, queries, search_index
from scholarfolio.store.search_index import TextQuery

pytest.importorskip("tantivy")
ARXIV = Path(__file__).parents[1] / "fixtures" / "arxiv"


def _folder(store: Store) -> Path:
    with store.engine.connect() as conn:
        folder = index_folder(conn)
    assert folder is not None
    return folder


def test_a_build_leaves_one_index_of_its_own_beside_the_store(built_store: Store) -> None:
    folder = _folder(built_store)
    assert folder.name == "scholarfolio.db.search"
    pointer = json.loads((folder / CURRENT).read_text(encoding="utf-8"))
    with built_store.engine.connect() as conn:
        assert pointer["build"] == queries.build_stamp(conn)
        assert TantivyWorks.current(conn) is not None
    assert [p.name for p in folder.iterdir() if p.is_dir()] == [pointer["generation"]]


@pytest.mark.parametrize(
    "words", [("gravity",), ("spreadsheet", "integrity"), ("dark", "matter"), ("dark matter",)]
)
def test_tantivy_and_fts5_rank_the_same_works(built_store: Store, words: tuple[str, ...]) -> None:
    query = TextQuery(words)
    with built_store.engine.connect() as conn:
        engine = TantivyWorks.current(conn)
        assert engine is not None
        hits = engine.search(query, 100, 0)
        fts5 = [row.id for row in search_index.match_works(conn, query, 100, 0)]
        assert hits.total == search_index.count_works(conn, query) == len(fts5)
    assert [work_id for work_id, _ in hits.ranked] == fts5


def test_the_engines_differ_only_where_their_stemmers_do(built_store: Store) -> None:
    # FTS5 stems with Porter, tantivy with Snowball English: "network" ranks the
    # same 16 works, in a slightly different order.
    query = TextQuery(("network",))
    with built_store.engine.connect() as conn:
        engine = TantivyWorks.current(conn)
        assert engine is not None
        tantivy = [work_id for work_id, _ in engine.search(query, 100, 0).ranked]
        fts5 = [row.id for row in search_index.match_works(conn, query, 100, 0)]
    assert sorted(tantivy) == sorted(fts5) and len(fts5) == 16
    assert tantivy[:2] == fts5[:2]


def _ids(result: dict[str, object]) -> list[object]:
    return [work["id"] for work in result["works"]]  # type: ignore[attr-defined, index]


def test_an_index_that_is_not_the_last_builds_is_never_used(store: Store) -> None:
    pipeline.ingest_paths(store, [ARXIV / "oai"])
    pipeline.build(store)
    pipeline.build(store)
    folder = _folder(store)
    # The last build's index and the one before it (for readers still on that build).
    assert len([p for p in folder.iterdir() if p.is_dir()]) == 2
    fresh = search.search(store, "spreadsheet integrity")
    # As if a build had written its index and then rolled back.
    pointer = json.loads((folder / CURRENT).read_text(encoding="utf-8"))
    stale_pointer = dict(pointer, build="2001-01-01T00:00:00", previous=[])
    (folder / CURRENT).write_text(json.dumps(stale_pointer))
    with store.engine.connect() as conn:
        assert TantivyWorks.current(conn) is None
    stale = search.search(store, "spreadsheet integrity")
    assert _ids(stale) == _ids(fresh) and stale["total_works"] == fresh["total_works"] == 2
    # A store copied without its folder still answers, through FTS5.
    shutil.rmtree(folder)
    assert _ids(search.search(store, "spreadsheet integrity")) == _ids(fresh)


def test_fts5_folds_accents_too(ml_store: Store) -> None:
    with ml_store.engine.connect() as conn:
        rows = search_index.match_works(conn, TextQuery(("etica", "inteligencia")), 5, 0)
    assert rows[0].title == "Ética e inteligencia artificial"
