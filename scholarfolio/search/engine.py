"""The works full-text engine of a SQLite store: a tantivy index in a folder beside the file.

Chosen by measurement (docs/performance.md, "Search"): over 200,000 abstracts
tantivy answers two-word queries with BM25 in under a millisecond at p99,
where SQLite FTS5 needs tens of milliseconds once a query matches thousands
of works (it scores every match). FTS5 stays as the fallback, so search always
answers, and always consistently with the store:

- the index lives in ``<store file>.search/``, one folder per build, with a
  ``CURRENT`` file naming the folder and the build it was made from, and the
  previous build's folder (a build writes its index before it commits: until
  then, readers still see the previous build and keep searching its index);
- it is used only when that build is the store's last build; an index left
  behind by a build that rolled back, a store copied without its folder, or
  tantivy not installed all fall back to FTS5, which the build refreshes in
  its own transaction.

PostgreSQL stores use PostgreSQL's full text (:mod:`scholarfolio.store.search_index`).
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from scholarfolio.store import queries, search_index
from scholarfolio.store.search_index import ABSTRACT_WEIGHT, TITLE_WEIGHT, TextQuery

CURRENT = "CURRENT"
ANALYZER = "scholarfolio"
WRITER_HEAP = 128 * 2**20


def _tantivy() -> Any:
    try:
        return importlib.import_module("tantivy")
    except ImportError:
        return None


def index_folder(conn: Connection) -> Path | None:
    """Where a SQLite file store keeps its tantivy index; None for other stores."""
    if conn.dialect.name != "sqlite":
        return None
    database = conn.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + ".search")


def _analyzer(tantivy: Any) -> Any:
    # Words as FTS5 reads them: lower case, accents folded, English stems.
    filters = tantivy.Filter
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(filters.remove_long(40))
        .filter(filters.lowercase())
        .filter(filters.ascii_fold())
        .filter(filters.stemmer("english"))
        .build()
    )


def _schema(tantivy: Any) -> Any:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=False)
    builder.add_text_field("title", tokenizer_name=ANALYZER)
    builder.add_text_field("abstract", tokenizer_name=ANALYZER)
    return builder.build()


def rebuild(conn: Connection) -> Path | None:
    """Index every work of the store anew (tantivy, when installed, for SQLite file stores).

    Runs inside the build's transaction: the index records the build it belongs
    to and is used only once that build is committed.
    """
    tantivy, folder = _tantivy(), index_folder(conn)
    if tantivy is None or folder is None:
        return None
    stamp = queries.build_stamp(conn)
    generation = folder / f"index-{uuid.uuid4().hex[:12]}"
    generation.mkdir(parents=True)
    index = tantivy.Index(_schema(tantivy), path=str(generation))
    index.register_tokenizer(ANALYZER, _analyzer(tantivy))
    writer = index.writer(heap_size=WRITER_HEAP)
    for work_id, title, abstract in search_index.work_texts(conn):
        writer.add_document(tantivy.Document(id=work_id, title=title, abstract=abstract or ""))
    writer.commit()
    writer.wait_merging_threads()
    _point_to(folder, generation.name, stamp)
    return generation


def _indexes(folder: Path) -> list[dict[str, str]]:
    """The indexes ``CURRENT`` names, newest first: each a generation folder and its build."""
    try:
        pointer = json.loads((folder / CURRENT).read_text(encoding="utf-8"))
        newest = {"generation": pointer["generation"], "build": pointer["build"]}
        return [newest, *pointer.get("previous", [])]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _point_to(folder: Path, generation: str, stamp: str) -> None:
    kept = [{"generation": generation, "build": stamp}]
    kept += [index for index in _indexes(folder) if index["generation"] != generation][:1]
    pending = folder / f"{CURRENT}.{uuid.uuid4().hex[:8]}"
    pending.write_text(json.dumps({**kept[0], "previous": kept[1:]}), encoding="utf-8")
    # Atomic: a reader sees the old index or the new one, never half of either.
    os.replace(pending, folder / CURRENT)
    names = {index["generation"] for index in kept}
    for old in folder.iterdir():
        if old.is_dir() and old.name not in names:
            shutil.rmtree(old, ignore_errors=True)


@functools.lru_cache(maxsize=2)
def _opened(generation: str) -> TantivyWorks:
    # Opening an index costs milliseconds; a generation folder never changes once
    # written (a build makes a new one), so keeping the last two open is safe.
    tantivy = _tantivy()
    return TantivyWorks(tantivy, tantivy.Index.open(generation))


@dataclass(frozen=True, slots=True)
class Hits:
    """One page of ranked work ids with their scores, and how many works match."""

    total: int
    ranked: list[tuple[int, float]]


class TantivyWorks:
    """An open tantivy index of works' titles and abstracts."""

    def __init__(self, tantivy: Any, index: Any) -> None:
        self.tantivy = tantivy
        self.index = index
        self.schema = index.schema
        self.analyzer = _analyzer(tantivy)
        self.searcher = index.searcher()

    @classmethod
    def current(cls, conn: Connection) -> TantivyWorks | None:
        """The index of the store's last build, or None (use FTS5)."""
        tantivy, folder = _tantivy(), index_folder(conn)
        if tantivy is None or folder is None:
            return None
        built = queries.build_stamp(conn)
        # The index of the build this reader's snapshot of the store shows.
        mine = next((index for index in _indexes(folder) if index["build"] == built), None)
        if mine is None:
            return None
        try:
            return _opened(str(folder / mine["generation"]))
        except (OSError, ValueError, KeyError):
            return None

    def _field_query(self, field: str, words: Sequence[str]) -> Any:
        query = self.tantivy.Query
        if len(words) == 1:
            return query.term_query(self.schema, field, words[0])
        return query.phrase_query(self.schema, field, list(words))

    def _query(self, text: TextQuery) -> Any:
        occur = self.tantivy.Occur
        clauses = []
        for phrase in text.phrases:
            words = self.analyzer.analyze(phrase)
            if not words:
                continue
            fields = [
                (occur.Should, self.tantivy.Query.boost_query(self._field_query(field, words), w))
                for field, w in (("title", TITLE_WEIGHT), ("abstract", ABSTRACT_WEIGHT))
            ]
            clause = self.tantivy.Query.boolean_query(fields)
            clauses.append((occur.Must if text.match_all else occur.Should, clause))
        return self.tantivy.Query.boolean_query(clauses) if clauses else None

    def search(self, text: TextQuery, limit: int, offset: int) -> Hits:
        """The works matching ``text``, best first: ``limit`` of them after ``offset``."""
        query = self._query(text)
        if query is None:
            return Hits(0, [])
        found = self.searcher.search(query, limit, count=True, offset=offset)
        ranked = [
            (int(self.searcher.doc(address)["id"][0]), float(score))
            for score, address in found.hits
        ]
        return Hits(int(found.count), ranked)
