"""Ingest and build end to end on the real demo records: keys, updates, rejects."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scholarfolio import pipeline, profiles
from scholarfolio.demo import demo_files
from scholarfolio.errors import BadInput
from scholarfolio.identity.names import author_id_for
from scholarfolio.store import Store, queries

RAW_PAGE = "oai_listrecords_arXivRaw_token_496549_46001.xml.gz"
SNAPSHOT = "snapshot_0704.0001-0704.0200.jsonl.gz"


def demo_file(name: str) -> Path:
    return next(path for path in demo_files() if path.name == name)


def snapshot_lines() -> list[str]:
    with gzip.open(demo_file(SNAPSHOT), "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def test_a_real_oai_page_goes_in_once(store: Store) -> None:
    first = pipeline.ingest_paths(store, [demo_file(RAW_PAGE)])
    assert (first.added, first.updated, first.rejected) == (1000, 0, 0)
    again = pipeline.ingest_paths(store, [demo_file(RAW_PAGE)])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1000)
    with store.engine.connect() as conn:
        assert queries.corpus_counts(conn)["records"] == 1000
    pipeline.build(store)
    with store.engine.connect() as conn:
        assert queries.corpus_counts(conn)["works"] == 1000


def test_a_newer_version_updates_the_work_and_keeps_every_version(
    store: Store, tmp_path: Path
) -> None:
    real = json.loads(snapshot_lines()[0])  # 0704.0001: v1 2007-04-02, v2 2007-07-24
    older = dict(real, versions=real["versions"][:1], update_date="2007-04-03")
    (tmp_path / "old.jsonl").write_text(json.dumps(older) + "\n", encoding="utf-8")
    (tmp_path / "new.jsonl").write_text(json.dumps(real) + "\n", encoding="utf-8")

    assert pipeline.ingest_paths(store, [tmp_path / "old.jsonl"]).added == 1
    newer = pipeline.ingest_paths(store, [tmp_path / "new.jsonl"])
    assert (newer.added, newer.updated) == (0, 1)
    # Reading the older record again must not roll the work back.
    stale = pipeline.ingest_paths(store, [tmp_path / "old.jsonl"])
    assert (stale.added, stale.updated, stale.unchanged) == (0, 0, 1)

    pipeline.build(store)
    profile = profiles.get_profile(store, author_id_for("c balazs"))
    (work,) = profile["works"]
    assert (work["arxiv_id"], work["version"], work["date"]) == ("0704.0001", "v2", "2007-04-02")
    assert [a["name"] for a in work["authors"]] == [
        "C. Balázs",
        "E. L. Berger",
        "P. M. Nadolsky",
        "C.-P. Yuan",
    ]


def test_bad_lines_are_rejected_and_the_good_ones_kept(store: Store, tmp_path: Path) -> None:
    lines = snapshot_lines()[:3]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(
        (lines[0] + "\n{not json\n" + lines[1] + "\n").encode()
        + "Caf\xe9 latin-1\n".encode("latin-1")
        + (lines[2] + "\n").encode()
    )
    summary = pipeline.ingest_paths(store, [mixed])
    assert (summary.added, summary.rejected) == (3, 2)
    with store.engine.connect() as conn:
        stored = list(queries.list_rejects(conn))
    assert [(r.file, r.line) for r in stored] == [(str(mixed), 2), (str(mixed), 4)]
    # A second read replaces the file's rejects instead of piling them up.
    pipeline.ingest_paths(store, [mixed])
    with store.engine.connect() as conn:
        assert queries.corpus_counts(conn)["rejects"] == 2


def test_a_missing_path_is_bad_input(store: Store, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file or folder"):
        pipeline.ingest_paths(store, [tmp_path / "nope.xml"])


def test_build_links_every_authorship_and_keeps_ids_across_rebuilds(store: Store) -> None:
    pipeline.ingest_paths(store, [demo_file(RAW_PAGE), demo_file(SNAPSHOT)])
    first = pipeline.build(store)
    assert first.works == 1200
    ids_before = {a["id"] for a in profiles.top_authors(store, 10_000)}
    second = pipeline.build(store)
    assert second.resolve.new_authors == 0
    assert {a["id"] for a in profiles.top_authors(store, 10_000)} == ids_before
    assert len(ids_before) == first.authors


def test_real_oai_record_becomes_a_profile(store: Store) -> None:
    pipeline.ingest_paths(store, [demo_file(RAW_PAGE)])
    pipeline.build(store)
    (match,) = profiles.search_authors(store, "brandenberger")
    profile = profiles.get_profile(store, match["id"])
    assert profile["name"] == "Robert H. Brandenberger"
    work = next(w for w in profile["works"] if w["arxiv_id"] == "0801.3674")
    assert (work["version"], work["date"]) == ("v4", "2008-01-23")
    assert [a["name"] for a in work["authors"]] == [
        "Robert H. Brandenberger",
        "Keshav Dasgupta",
        "Anne-Christine Davis",
    ]
    assert work["doi"] == "10.1103/PhysRevD.78.083502"
    assert work["categories"] == ["hep-th", "astro-ph", "gr-qc", "hep-ph"]
