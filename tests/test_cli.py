"""The command line: the contract's commands, one clear line for every user error."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from click.testing import CliRunner, Result

from scholarfolio.cli import cli
from scholarfolio.demo import demo_files

SNAPSHOT = next(p for p in demo_files() if p.name.startswith("snapshot_"))


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_ingest_build_authors_author_rejects(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    bad = tmp_path / "notes.txt"
    bad.write_text("these are not arXiv records\n", encoding="utf-8")

    ingested = run(db, "ingest", str(SNAPSHOT), str(bad))
    assert ingested.exit_code == 0, ingested.output
    assert "200 works added, 0 updated, 1 rejected from 2 file(s)" in ingested.output

    built = run(db, "build")
    assert built.exit_code == 0 and "author profiles over 200 works" in built.output

    found = run(db, "authors", "nadolsky", "--json")
    (match,) = json.loads(found.output)
    assert set(match) == {"id", "name", "works", "citations", "h_index"}
    assert match["name"] == "P. M. Nadolsky"

    shown = run(db, "author", "P. M. Nadolsky", "--json")
    profile = json.loads(shown.output)
    assert profile["id"] == match["id"]
    assert "0704.0001" in [w["arxiv_id"] for w in profile["works"]]

    text = run(db, "author", match["id"])
    assert "Total Citations 0" in text.output and "#1 " in text.output

    listed = run(db, "rejects")
    assert f"{bad}: record 0" in listed.output and "unknown format" in listed.output.lower()


def test_nothing_readable_and_strict_exit_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n", encoding="utf-8")
    result = run(tmp_path / "s.db", "ingest", str(bad))
    assert result.exit_code == 1
    assert "nothing could be read" in result.output
    strict = run(tmp_path / "s.db", "ingest", "--strict", str(SNAPSHOT), str(bad))
    assert strict.exit_code == 1 and "rejected (--strict)" in strict.output


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    missing = run(tmp_path / "s.db", "ingest", str(tmp_path / "nope.xml"))
    assert missing.exit_code == 1
    assert missing.output.strip() == f"Error: no such file or folder: {tmp_path / 'nope.xml'}"

    scheme = CliRunner().invoke(cli, ["--db", "mysql://u@h/db", "build"])
    assert scheme.exit_code == 1
    assert scheme.output.startswith("Error: unknown database scheme 'mysql'")
    assert "Traceback" not in scheme.output

    unknown = run(tmp_path / "s.db", "author", "Nobody Atall")
    assert unknown.exit_code == 1 and "no author matches 'Nobody Atall'" in unknown.output


def test_serve_on_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(tmp_path / "s.db", "serve", "--port", str(port))
    assert result.exit_code == 1
    assert f"port {port}" in result.output and "already in use" in result.output
    assert "Traceback" not in result.output


def test_demo_builds_the_bundled_corpus(tmp_path: Path) -> None:
    result = run(tmp_path / "demo.db", "demo", "--no-serve")
    assert result.exit_code == 0, result.output
    # 3,210 arXiv records and 2,643 distinct OpenAlex works (561 repeats across
    # the 58 author files are already current when met again).
    assert "demo corpus: 5853 works added, 0 updated, 0 rejected (561 already current)" in (
        result.output
    )
    assert "58 source author records" in result.output
