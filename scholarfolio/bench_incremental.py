"""``scholarfolio bench incremental``: a day of new works, built incrementally and in full.

The corpus is the metrics benchmark's synthetic citation graph
(:mod:`scholarfolio.metrics.synthetic`: Zipf author productivity, power-law
citation in-degree, about 3.5 authors and 10 references per paper) written as
OpenAlex work lines: ids, DOI, title, date, authorships with OpenAlex author
ids, referenced works and the reported citation count. Papers are in time
order, so the last ``add`` of ``base + add`` papers are the newest: they cite
the older ones (and each other), as a day of new works does.

One run: ingest the first ``base`` works and build; ingest the ``add`` newest
and time the incremental build; then time a full rebuild of the same store and
check that both leave the same derived tables.
"""

from __future__ import annotations

import gzip
import json
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from scholarfolio import pipeline
from scholarfolio.metrics import synthetic
from scholarfolio.metrics.engine import MetricInputs
from scholarfolio.store import Store
from scholarfolio.store.snapshot import derived_digest

WORK_BASE = 100_000_000
SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "ta",
    "se",
    "lu",
    "na",
    "vi",
    "po",
    "re",
    "di",
    "ga",
    "zo",
    "fe",
    "hu",
    "ni",
    "ba",
    "le",
    "to",
    "mu",
    "sa",
    "ki",
    "do",
    "ra",
    "ve",
    "li",
    "no",
    "pa",
    "ce",
    "tu",
    "mo",
    "si",
    "ja",
    "be",
    "ru",
    "ho",
    "fa",
    "gi",
    "wa",
    "ne",
    "ko",
    "da",
    "pi",
    "zu",
    "la",
    "me",
    "so",
]
TOPICS = (
    "graphs",
    "spectra",
    "lattices",
    "networks",
    "manifolds",
    "galaxies",
    "proteins",
    "markets",
    "solvers",
    "operators",
)


def _word(n: int, length: int) -> str:
    parts = []
    for _ in range(length):
        n, digit = divmod(n, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts)


def _title(paper: int) -> str:
    # The first words differ from paper to paper: title buckets stay small.
    mixed = (paper * 2_654_435_761) % (1 << 32)
    return f"{_word(mixed, 3).capitalize()} {_word(mixed >> 16, 2)} of {TOPICS[paper % 10]}"


def _author_name(author: int) -> str:
    mixed = (author * 2_246_822_519) % (1 << 32)
    return f"{_word(mixed, 2).capitalize()} {_word(mixed >> 12, 3).capitalize()}"


def _work_url(paper: int) -> str:
    return f"https://openalex.org/W{WORK_BASE + paper}"


def openalex_lines(corpus: MetricInputs, start: int, stop: int) -> Iterator[str]:
    """OpenAlex work lines for papers ``start`` to ``stop`` of the synthetic corpus."""
    cites_from = np.searchsorted(corpus.edge_citing, np.arange(start, stop + 1))
    cited_by = np.bincount(corpus.edge_cited, minlength=corpus.n_works)
    for paper in range(start, stop):
        year = int(corpus.work_year[paper])
        first, last = corpus.work_author_start[paper], corpus.work_author_start[paper + 1]
        authors = corpus.work_authors[first:last].tolist()
        lo, hi = cites_from[paper - start], cites_from[paper - start + 1]
        references = corpus.edge_cited[lo:hi].tolist()
        yield json.dumps(
            {
                "id": _work_url(paper),
                "display_name": _title(paper),
                "doi": f"https://doi.org/10.5555/synthetic.{paper}",
                "publication_year": year,
                "publication_date": f"{year}-{1 + paper % 12:02d}-{1 + paper % 28:02d}",
                "type": "article",
                "authorships": [
                    {
                        "author": {
                            "id": f"https://openalex.org/A{WORK_BASE + author}",
                            "display_name": _author_name(author),
                        },
                        "raw_author_name": _author_name(author),
                    }
                    for author in authors
                ],
                "referenced_works": [_work_url(cited) for cited in references],
                "cited_by_count": int(cited_by[paper]),
            }
        )


def write_works(path: Path, corpus: MetricInputs, start: int, stop: int) -> Path:
    """Write papers ``start`` to ``stop`` as a gzipped OpenAlex JSON lines file."""
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for line in openalex_lines(corpus, start, stop):
            handle.write(line + "\n")
    return path


def _timed_build(store: Store, full: bool) -> tuple[float, pipeline.BuildSummary]:
    started = time.perf_counter()
    summary = pipeline.build(store, full=full)
    return time.perf_counter() - started, summary


def bench_incremental(base: int, add: int, workdir: Path | None = None) -> dict[str, Any]:
    """Time an incremental build of ``add`` new works on ``base`` against a full rebuild."""
    corpus = synthetic.corpus(base + add)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        folder = Path(tmp)
        first = write_works(folder / "base.jsonl.gz", corpus, 0, base)
        second = write_works(folder / "day.jsonl.gz", corpus, base, base + add)
        store = Store.open(str(folder / "bench.db"))
        started = time.perf_counter()
        pipeline.ingest_paths(store, [first])
        ingest_seconds = time.perf_counter() - started
        base_seconds, _ = _timed_build(store, full=True)
        pipeline.ingest_paths(store, [second])
        incremental_seconds, built = _timed_build(store, full=False)
        with store.engine.connect() as conn:
            after_incremental = derived_digest(conn)
        full_seconds, _ = _timed_build(store, full=True)
        with store.engine.connect() as conn:
            identical = derived_digest(conn) == after_incremental
        store.close()
    return {
        "benchmark": "incremental",
        "base": base,
        "add": add,
        "authorships": len(corpus.pair_author),
        "edges": len(corpus.edge_citing),
        "ingest_base_seconds": round(ingest_seconds, 3),
        "build_base_seconds": round(base_seconds, 3),
        "incremental": built.incremental,
        "incremental_seconds": round(incremental_seconds, 3),
        "full_seconds": round(full_seconds, 3),
        "ratio": round(incremental_seconds / full_seconds, 3),
        "identical": identical,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
