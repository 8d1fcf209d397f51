"""``scholarfolio bench search``: full-text latency, SQLite FTS5 beside tantivy, in one run.

The corpus is every real title and abstract of the bundled demo records,
cycled under new work ids until there are N works, in one SQLite store. Both
engines index the same texts (title weighted five times the abstract, accents
folded, English stems) and answer the same queries:

- ``and``: two words of one real title, both required (they always match);
- ``or``: one word from each of two titles, either one;

each timed as the engine's count of all matches and its best 20 (``and``,
``or``), and as the whole :func:`scholarfolio.search.search` call the site makes
(``search_and``, ``search_or``: name lookup, count, ranked page, first authors,
excerpts; OR queries first try AND, as the site does). FTS5 is measured first,
then the tantivy index is built and the same calls run through it. tantivy is
optional (``pip install tantivy``); without it only FTS5 is measured.
"""

from __future__ import annotations

import random
import re
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from scholarfolio import search
from scholarfolio.demo import all_demo_files
from scholarfolio.ingest import read_file
from scholarfolio.models import WorkRecord
from scholarfolio.search import engine
from scholarfolio.search.engine import TantivyWorks
from scholarfolio.search.query import STOPWORDS
from scholarfolio.store import Store, search_index
from scholarfolio.store.queries import BUILD_ID
from scholarfolio.store.search_index import TextQuery
from scholarfolio.store.writes import set_meta

PAGE = 20
INSERT_BATCH = 5_000
_QUERY_WORD = re.compile(r"[A-Za-z]{4,}")

Text = tuple[str, str]


def corpus_texts() -> list[Text]:
    """Every distinct (title, abstract) of the demo corpus that has an abstract."""
    seen: dict[Text, None] = {}
    for path in all_demo_files():
        for item in read_file(path):
            if isinstance(item, WorkRecord) and item.abstract and item.title:
                seen.setdefault((item.title, item.abstract), None)
    return list(seen)


def _words(title: str) -> list[str]:
    return [w.lower() for w in _QUERY_WORD.findall(title) if w.lower() not in STOPWORDS]


def two_word_queries(texts: Sequence[Text], count: int, seed: int = 7) -> list[tuple[str, str]]:
    """``count`` (AND query, OR query) pairs: two words of one title; words of two titles."""
    rng = random.Random(seed)
    titled = [words for words in (_words(title) for title, _ in texts) if len(words) >= 2]
    pairs = []
    for _ in range(count):
        first, second = rng.sample(titled, 2)
        pairs.append((" ".join(rng.sample(first, 2)), f"{rng.choice(first)} {rng.choice(second)}"))
    return pairs


def _rows(texts: Sequence[Text], works: int) -> Iterator[dict[str, Any]]:
    start = datetime(2015, 1, 1)
    for n in range(works):
        title, abstract = texts[n % len(texts)]
        yield {
            "id": n + 1,
            "title": title,
            "abstract": abstract,
            "date": start + timedelta(hours=n),
            "year": (start + timedelta(hours=n)).year,
        }


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))], 3)


def _latencies(run: Callable[[str], int], queries: Sequence[str]) -> dict[str, float]:
    for text in queries[:20]:
        run(text)  # warm the caches, as a serving process would be
    times: list[float] = []
    # CPU time of this process too: on a shared, busy machine the wall clock
    # also counts the time other processes held the cores.
    cpu: list[float] = []
    hits = misses = 0
    for text in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        found = run(text)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        hits += found
        misses += found == 0
    return {
        "p50_ms": _percentile(times, 0.5),
        "p99_ms": _percentile(times, 0.99),
        "max_ms": round(max(times), 3),
        "cpu_p50_ms": _percentile(cpu, 0.5),
        "cpu_p99_ms": _percentile(cpu, 0.99),
        "mean_hits": round(hits / len(queries), 1),
        "no_hits": misses,
    }


def _index_query(store: Store, match_all: bool) -> Callable[[str], int]:
    """A count and the best page, from whichever engine the site would use now."""

    def run(text: str) -> int:
        query = TextQuery(tuple(text.split()), match_all)
        with store.engine.connect() as conn:
            engine = TantivyWorks.current(conn)
            if engine is not None:
                return engine.search(query, PAGE, 0).total
            total = search_index.count_works(conn, query)
            search_index.match_works(conn, query, PAGE, 0)
        return total

    return run


def _full_search(store: Store) -> Callable[[str], int]:
    def run(text: str) -> int:
        return int(search.search(store, text)["total_works"])

    return run


def _measure(store: Store, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    and_queries, or_queries = [a for a, _ in pairs], [o for _, o in pairs]
    return {
        "and": _latencies(_index_query(store, True), and_queries),
        "or": _latencies(_index_query(store, False), or_queries),
        "search_and": _latencies(_full_search(store), and_queries),
        "search_or": _latencies(_full_search(store), or_queries),
    }


def _folder_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def _fts5(store: Store, folder: Path, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    started = time.perf_counter()
    with store.engine.begin() as conn:
        search_index.refresh(conn)
    seconds = time.perf_counter() - started
    figures = {"index_seconds": round(seconds, 1), "database_mb": _folder_mb(folder)}
    return figures | _measure(store, pairs)


def _tantivy(store: Store, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    started = time.perf_counter()
    with store.engine.begin() as conn:
        set_meta(conn, "last_build", datetime.now().isoformat(timespec="seconds"))
        set_meta(conn, BUILD_ID, uuid.uuid4().hex)
        generation = engine.rebuild(conn)
    if generation is None:
        return {"skipped": "tantivy is not installed (pip install tantivy)"}
    seconds = time.perf_counter() - started
    figures = {"index_seconds": round(seconds, 1), "index_mb": _folder_mb(generation)}
    return figures | _measure(store, pairs)


def bench_search(
    works: int,
    queries: int = 200,
    engines: Sequence[str] = ("fts5", "tantivy"),
    workdir: Path | None = None,
) -> dict[str, Any]:
    """Latency of two-word AND and OR queries over ``works`` cycled real abstracts."""
    texts = corpus_texts()
    # Queries come from indexed titles only, so every AND query matches.
    pairs = two_word_queries(texts[:works], queries)
    result: dict[str, Any] = {
        "benchmark": "search",
        "works": works,
        "distinct_abstracts": len(texts),
        "queries": queries,
        "page": PAGE,
    }
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        store = Store.open(str(Path(tmp) / "bench.db"))
        with store.engine.begin() as conn:
            for batch in _batches(_rows(texts, works), INSERT_BATCH):
                search_index.insert_bare_works(conn, batch)
        if "fts5" in engines:
            result["fts5"] = _fts5(store, Path(tmp), pairs)
        if "tantivy" in engines:
            result["tantivy"] = _tantivy(store, pairs)
        store.close()
    return result
