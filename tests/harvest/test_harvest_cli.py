"""``scholarfolio harvest``: options in, progress on stderr, a summary or one error line out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scholarfolio.cli import cli

from .replay import ReplayServer, Reply, fixture_bytes
from .support import oai_first_target, s2_recording, s2_reply, s2_target, target, xml_reply

KEY = "s2-k3y-of-the-tester"


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "harvest", *args])


def test_an_incremental_arxiv_run_with_nothing_new_completes(
    replay: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    no_match = xml_reply("arxiv/noRecordsMatch_constructed.xml")
    replay.add("GET", oai_first_target(**{"from": "2013-05-24"}), no_match)
    result = run(
        tmp_path / "s.db", "arxiv", "--from", "2013-05-24", "--base-url", replay.url + "/oai2"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("arxiv harvest complete: 0 page(s), 0 records in harvest/arxiv")
    assert "arxiv: no more records" in result.stderr
    assert (tmp_path / "harvest" / "arxiv" / ".harvest-state.json").exists()


def test_openalex_authors_search_prints_pages_and_a_summary(
    replay: ReplayServer, tmp_path: Path
) -> None:
    page = Reply(fixture_bytes("openalex/authors_search_daya_guo.json.gz"))
    replay.add("GET", target("/authors", search="daya guo", per_page="200", cursor="*"), page)
    out = tmp_path / "authors"
    result = run(
        tmp_path / "s.db",
        "openalex",
        "--entity",
        "authors",
        "--search",
        "daya guo",
        "--out",
        str(out),
        "--base-url",
        replay.url,
    )
    assert result.exit_code == 0, result.output
    assert "page 1: 1 records (1 in this harvest)" in result.stderr
    assert result.stdout.startswith(f"openalex harvest complete: 1 page(s), 1 records in {out}")


def test_bad_options_are_one_line_errors(tmp_path: Path) -> None:
    result = run(tmp_path / "s.db", "openalex", "--search", "x", "--per-page", "0")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: --per-page must be between 1 and 200, not 0"
    ]
    assert "Traceback" not in result.output


def test_an_upstream_refusal_is_one_line_without_the_key(
    replay: ReplayServer, tmp_path: Path
) -> None:
    forbidden = s2_recording("s2/paper_batch_403_forbidden.json.gz")
    body = json.loads(forbidden["request_body"])
    replay.add("POST", s2_target(forbidden), s2_reply(forbidden), json_body=body)
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(body["ids"]), encoding="utf-8")
    fields = forbidden["request_uri"].split("fields=", 1)[1].replace("%2C", ",")
    result = run(
        tmp_path / "s.db",
        "s2",
        "--paper-ids",
        str(ids),
        "--fields",
        fields,
        "--api-key",
        KEY,
        "--out",
        str(tmp_path / "s2"),
        "--base-url",
        replay.url + "/graph/v1",
    )
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("Error: Semantic Scholar answered HTTP 403 Forbidden")
    assert "run the same command again to resume" in line
    assert KEY not in result.output
