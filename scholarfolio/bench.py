"""Benchmark commands: speed as ratios measured in one run (never as timed tests).

``scholarfolio bench ingest`` replays the bundled real snapshot lines under new
arXiv ids until it has the requested number of records, then times a
parse-only pass and a full ingest of the same file into a fresh SQLite store.
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

from scholarfolio import pipeline
from scholarfolio.demo import demo_files
from scholarfolio.ingest import read_file
from scholarfolio.models import WorkRecord
from scholarfolio.store import Store


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _template_records() -> list[dict[str, Any]]:
    snapshot = next(path for path in demo_files() if path.name.startswith("snapshot_"))
    with gzip.open(snapshot, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _synthetic_id(n: int) -> str:
    # Five-digit new-style ids (valid from January 2015), 99,999 per month.
    month = n // 99_999
    return f"{15 + month // 12:02d}{1 + month % 12:02d}.{1 + n % 99_999:05d}"


def synthetic_snapshot_lines(records: int) -> Iterator[str]:
    """``records`` snapshot lines: real records cycled under fresh ids."""
    templates = _template_records()
    for n in range(records):
        yield json.dumps(dict(templates[n % len(templates)], id=_synthetic_id(n)))


def write_snapshot(path: Path, records: int) -> Path:
    """Write a gzipped synthetic snapshot file and return its path."""
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for line in synthetic_snapshot_lines(records):
            handle.write(line + "\n")
    return path


def _parse_only(path: Path) -> int:
    return sum(1 for item in read_file(path) if isinstance(item, WorkRecord))


def bench_ingest(records: int, workdir: Path | None = None) -> dict[str, Any]:
    """Records per second for parsing alone and for a full ingest, and their ratio."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        folder = Path(tmp)
        source = write_snapshot(folder / "snapshot.jsonl.gz", records)
        started = time.perf_counter()
        parsed = _parse_only(source)
        parse_seconds = time.perf_counter() - started
        store = Store.open(str(folder / "bench.db"))
        started = time.perf_counter()
        summary = pipeline.ingest_paths(store, [source])
        ingest_seconds = time.perf_counter() - started
        store.close()
    parse_rate = parsed / parse_seconds
    ingest_rate = summary.added / ingest_seconds
    return {
        "benchmark": "ingest",
        "records": records,
        "added": summary.added,
        "parse_seconds": round(parse_seconds, 3),
        "parse_records_per_second": round(parse_rate),
        "ingest_seconds": round(ingest_seconds, 3),
        "ingest_records_per_second": round(ingest_rate),
        "ratio": round(ingest_rate / parse_rate, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }
