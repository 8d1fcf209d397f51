"""`scholarfolio bench metrics` runs end to end at a tiny size (never a timed test)."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from scholarfolio.cli import cli
from scholarfolio.metrics import synthetic

KEYS = {"papers", "edges", "authorships", "seconds", "peak_rss_mb", "limit_seconds", "ratio"}


def test_bench_metrics_prints_one_json_line() -> None:
    result = CliRunner().invoke(cli, ["bench", "metrics", "--papers", "3000", "--json"])
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    report = json.loads(line)
    assert set(report) >= KEYS
    assert report["papers"] == 3000 and report["edges"] > 10 * 3000 * 0.9
    assert report["authorships"] > 3000 and report["ratio"] > 0


def test_bench_metrics_rejects_an_unknown_engine_in_one_line() -> None:
    result = CliRunner().invoke(cli, ["bench", "metrics", "--papers", "100", "--engine", "sql"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: unknown engine 'sql'; choose from numpy, spark"


def test_synthetic_corpus_is_shaped_like_real_data_and_fixed_by_its_seed() -> None:
    corpus = synthetic.corpus(20_000)
    assert 3.2 < len(corpus.pair_author) / 20_000 < 3.6
    assert 9 < len(corpus.edge_cited) / 20_000 < 11.5
    citations = np.bincount(corpus.edge_cited, minlength=20_000)
    # Heavy tails: the most cited work and the most prolific author stand far out.
    assert citations.max() > 50 * citations.mean()
    assert np.bincount(corpus.pair_author).max() > 20
    assert 0.03 < corpus.edge_self.mean() < 0.15
    # Edges run from later to earlier papers, sorted by citing paper, each once.
    assert (corpus.edge_citing > corpus.edge_cited).all()
    assert (np.diff(corpus.edge_citing) >= 0).all()
    again = synthetic.corpus(20_000)
    assert np.array_equal(again.edge_cited, corpus.edge_cited)
