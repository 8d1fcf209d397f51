"""Incremental builds leave exactly the store a full build leaves (every derived table).

Real records only: the arXiv, OpenAlex, Semantic Scholar, Crossref, CSL and
BibTeX fixtures and a part of the demo's OpenAlex profiles (with their
citation graph), ingested in two days. Each test compares an incremental
build with a full build of a store with the same history, row by row except
timestamps (:mod:`scholarfolio.store.snapshot`).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from pg_support import OpenStore

from scholarfolio import pipeline
from scholarfolio.bench_incremental import bench_incremental
from scholarfolio.cli import cli
from scholarfolio.demo import openalex_demo_files
from scholarfolio.identity import overrides
from scholarfolio.metrics.batch import badge_quotas
from scholarfolio.store import Store
from scholarfolio.store.batch import BadgeQuota, assign_badges, assign_badges_by_threshold
from scholarfolio.store.metric_queries import METRICS_YEAR
from scholarfolio.store.schema import author_badges, author_metrics, citation_claims, works
from scholarfolio.store.snapshot import derived_rows
from scholarfolio.store.writes import set_meta

FIXTURES = Path(__file__).parent / "fixtures"
ARXIV = FIXTURES / "arxiv"
OTHER_SOURCES = [
    FIXTURES / "s2" / "Paper.json.gz",
    FIXTURES / "crossref" / "test-works__test_works_sample_000.json",
    FIXTURES / "csl",
    FIXTURES / "bibtex",
    FIXTURES / "openalex" / "W2741809807.json",
]
PROFILES = openalex_demo_files()[:16]
# Day one, then day two: profiles whose works cite and are cited by day one's.
DAY_ONE: list[Path] = [ARXIV / "snapshot", *PROFILES[0::2], *OTHER_SOURCES[:2]]
DAY_TWO: list[Path] = [ARXIV / "oai", ARXIV / "atom", *PROFILES[1::2], *OTHER_SOURCES[2:]]


def _history(store: Store, days: Sequence[Sequence[Path]], full_last: bool) -> Any:
    built = None
    for number, day in enumerate(days):
        pipeline.ingest_paths(store, day)
        built = pipeline.build(store, full=full_last and number == len(days) - 1)
    return built


def _rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.engine.connect() as conn:
        return derived_rows(conn)


def _assert_same(incremental: Store, full: Store) -> None:
    left, right = _rows(incremental), _rows(full)
    assert list(left) == list(right)
    for table in left:
        assert left[table] == right[table], f"{table} differs"


def test_a_second_day_builds_incrementally_into_the_full_result(open_store: OpenStore) -> None:
    with open_store("incremental") as first, open_store("full") as second:
        built = _history(first, [DAY_ONE, DAY_TWO], full_last=False)
        rebuilt = _history(second, [DAY_ONE, DAY_TWO], full_last=True)
        assert built.incremental and built.full_reason is None
        assert not rebuilt.incremental and rebuilt.full_reason == "asked for"
        _assert_same(first, second)
        rows = _rows(first)
        # Real content: citations between the days, merged records, badges.
        assert len(rows["citations"]) > 1_000
        assert len(rows["works"]) < len(rows["work_members"])
        assert rows["author_badges"]


def test_the_same_as_building_both_days_at_once(open_store: OpenStore) -> None:
    """Work ids depend on history (they stay stable); everything else does not."""
    with open_store("incremental") as first, open_store("at_once") as second:
        _history(first, [DAY_ONE, DAY_TWO], full_last=False)
        pipeline.ingest_paths(second, DAY_ONE)
        pipeline.ingest_paths(second, DAY_TWO)
        pipeline.build(second, full=True)
        assert _canonical(first) == _canonical(second)


def _canonical(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The derived rows with each work id replaced by its first record (same ingest order)."""
    rows = _rows(store)
    first_record: dict[int, int] = {}
    for work_id, record_id, *_ in rows["work_members"]:
        first_record[work_id] = min(record_id, first_record.get(work_id, record_id))
    work_columns = {
        "works": (0,),
        "work_members": (0,),
        "work_ids": (0,),
        "work_versions": (0,),
        "authorships": (0,),
        "citations": (0, 1),
        "work_reported": (0,),
        "work_metrics": (0,),
        "work_citations_by_year": (0,),
        "work_keys": (1,),
    }
    canonical = {}
    for table, table_rows in rows.items():
        if table == "meta":
            continue  # the next free work id
        columns = work_columns.get(table, ())
        canonical[table] = sorted(
            (
                tuple(first_record[v] if i in columns else v for i, v in enumerate(row))
                for row in table_rows
            ),
            key=repr,
        )
    return canonical


def test_changed_records_and_a_third_day(open_store: OpenStore, tmp_path: Path) -> None:
    """A record read again with a new title leaves its work; a later day adds more."""
    changed = _retitled_snapshot(tmp_path)
    days = [DAY_ONE, [changed, *PROFILES[1:6:2]], DAY_TWO]
    with open_store("incremental") as first, open_store("full") as second:
        assert _history(first, days, full_last=False).incremental
        _history(second, days, full_last=True)
        _assert_same(first, second)


def _retitled_snapshot(folder: Path) -> Path:
    source = next((ARXIV / "snapshot").iterdir())
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle if line.strip()]
    for line in lines[:3]:
        line["title"] = f"{line['title']} (extended version)"
        line["update_date"] = "2030-01-01"
    target = folder / "retitled.jsonl"
    target.write_text("".join(json.dumps(line) + "\n" for line in lines[:3]), encoding="utf-8")
    return target


def test_nothing_new_changes_nothing(open_store: OpenStore) -> None:
    with open_store("again") as opened:
        _history(opened, [DAY_ONE], full_last=True)
        before = _rows(opened)
        again = pipeline.build(opened)
        assert again.incremental and again.merging.records == 0
        assert _rows(opened) == before


def test_a_new_metrics_year_or_new_claims_need_a_full_build(open_store: OpenStore) -> None:
    with open_store("fallback") as opened:
        _history(opened, [[ARXIV / "snapshot"]], full_last=True)
        with opened.engine.begin() as conn:
            set_meta(conn, METRICS_YEAR, "1999")
        assert pipeline.build(opened).full_reason == "the calendar year of the metrics changed"
        # Semantic Scholar papers come with citation claims (edges between ids).
        pipeline.ingest_paths(opened, [FIXTURES / "s2" / "Paper.json.gz"])
        with opened.engine.connect() as conn:
            assert conn.scalar(sa.select(sa.func.count()).select_from(citation_claims)) == 1_000
        reason = pipeline.build(opened).full_reason
        assert reason == "citation claims, work splits or identity overrides changed"
        assert pipeline.build(opened).incremental


@pytest.mark.parametrize("fraction", [0.01, 0.2, 0.5, 1.0])
def test_badge_thresholds_give_the_ranked_badges(built_store: Store, fraction: float) -> None:
    quotas = [
        BadgeQuota("many citations", "citations", fraction, 1),
        BadgeQuota("many works", "works", fraction, 0),
    ]
    with built_store.engine.connect() as conn, conn.begin() as transaction:
        assign_badges(conn, quotas)
        ranked = sorted(conn.execute(sa.select(author_badges)).all())
        assign_badges_by_threshold(conn, quotas)
        by_threshold = sorted(conn.execute(sa.select(author_badges)).all())
        transaction.rollback()
    assert ranked == by_threshold
    assert ranked, "some author gets a badge"
    if fraction == 1.0:
        with built_store.engine.connect() as conn:
            authors = conn.scalar(sa.select(sa.func.count()).select_from(author_metrics))
        assert sum(1 for _, badge in ranked if badge == "many works") == authors


def test_the_default_badge_rules_are_quotas() -> None:
    assert {quota.column for quota in badge_quotas()} == {"citations", "works"}


def test_build_command_is_incremental_unless_full(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", db, "ingest", str(ARXIV / "snapshot")])
    assert first.exit_code == 0, first.output
    built = runner.invoke(cli, ["--db", db, "build"])
    assert built.exit_code == 0 and "full build: no earlier build" in built.output
    again = runner.invoke(cli, ["--db", db, "build"])
    assert again.exit_code == 0 and "incremental build" in again.output
    forced = runner.invoke(cli, ["--db", db, "build", "--full"])
    assert forced.exit_code == 0 and "full build: asked for" in forced.output
    with Store.open(db) as store, store.engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(works)) == 60


def test_bench_incremental_runs_at_a_tiny_size() -> None:
    result = bench_incremental(base=300, add=20)
    assert result["incremental"] is True
    assert result["identical"] is True
    assert result["base"] == 300 and result["add"] == 20
    assert result["incremental_seconds"] > 0 and result["full_seconds"] > 0


def test_bench_incremental_command_prints_one_json_line() -> None:
    arguments = ["bench", "incremental", "--base", "200", "--add", "10", "--json"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    line = json.loads(result.output)
    assert line["benchmark"] == "incremental" and line["identical"] is True


def test_with_a_human_merge_every_authorship_is_resolved_again(open_store: OpenStore) -> None:
    def day_one_and_merge(store: Store) -> None:
        _history(store, [DAY_ONE], full_last=True)
        with store.engine.connect() as conn:
            first, second = conn.scalars(
                sa.select(author_metrics.c.author_id)
                .order_by(author_metrics.c.works.desc(), author_metrics.c.author_id)
                .limit(2)
            ).all()
        overrides.merge(store, first, second, overrides.Audit("test", "one person"))
        assert pipeline.build(store).full_reason == (
            "citation claims, work splits or identity overrides changed"
        )

    with open_store("incremental") as first, open_store("full") as second:
        day_one_and_merge(first)
        day_one_and_merge(second)
        pipeline.ingest_paths(first, DAY_TWO)
        pipeline.ingest_paths(second, DAY_TWO)
        assert pipeline.build(first).incremental
        pipeline.build(second, full=True)
        _assert_same(first, second)
