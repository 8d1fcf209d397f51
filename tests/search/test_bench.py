"""``scholarfolio bench search`` measures both engines on the same real texts and queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scholarfolio.cli import cli
from scholarfolio.search.bench import corpus_texts, two_word_queries


def test_queries_are_words_of_real_titles() -> None:
    texts = corpus_texts()
    assert len(texts) > 4000  # every distinct demo abstract
    pairs = two_word_queries(texts[:50], 30)
    titles = " ".join(title.lower() for title, _ in texts[:50])
    for and_query, or_query in pairs:
        assert all(word in titles for word in and_query.split() + or_query.split())
    assert pairs == two_word_queries(texts[:50], 30)  # seeded: the same every run


def test_the_command_reports_both_engines_and_every_and_query_matches(tmp_path: Path) -> None:
    pytest.importorskip("tantivy")
    result = CliRunner().invoke(
        cli, ["bench", "search", "--works", "400", "--queries", "25", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["works"], report["queries"]) == (400, 25)
    for engine, kinds in (
        ("fts5", ("and", "or", "search_and", "search_or")),
        ("tantivy", ("and", "or")),
    ):
        for kind in kinds:
            figures = report[engine][kind]
            assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"], (engine, kind)
        assert report[engine]["and"]["no_hits"] == 0
    # Same texts, same queries: the two engines find nearly the same works (their stemmers differ).
    fts5, tantivy = report["fts5"]["or"]["mean_hits"], report["tantivy"]["or"]["mean_hits"]
    assert abs(fts5 - tantivy) <= 0.1 * fts5


def test_bad_sizes_are_one_clear_error() -> None:
    result = CliRunner().invoke(cli, ["bench", "search", "--works", "1"])
    assert result.exit_code == 1
    assert "--works must be at least 2" in result.output
