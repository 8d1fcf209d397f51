"""The fuzz harnesses without atheris (seeds, mutations, saved crashes), and `bench fuzz`.

CI does not need atheris: every harness's one-input function runs here over its
seed inputs from tests/fixtures, a few deterministic mutations of them and every
input the fuzzer once crashed on (tests/fixtures/fuzz_regressions/TARGET/). Only
the short real run of `scholarfolio bench fuzz` needs atheris and is skipped
without it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from scholarfolio.cli import cli
from scholarfolio.fuzz import runner
from scholarfolio.fuzz.targets import TARGETS, seed_inputs

FIXTURES = Path(__file__).parent / "fixtures"
REGRESSIONS = FIXTURES / "fuzz_regressions"
HOSTILE = (
    b"\x00",
    b"\xff\xfe",
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"&e;",
    b"[" * 5000,
    b"{" * 5000,
    b"\\'{",
    "\u202e".encode(),
    b'"\\ud800"',
)


def _mutations(data: bytes, seed: int) -> Iterator[bytes]:
    """Cut in half, a few flipped bytes, and a hostile string spliced in the middle."""
    shuffle = random.Random(seed)
    yield data[: len(data) // 2]
    flipped = bytearray(data)
    for _flip in range(min(8, len(flipped))):
        flipped[shuffle.randrange(len(flipped))] = shuffle.randrange(256)
    yield bytes(flipped)
    middle = len(data) // 2
    yield data[:middle] + shuffle.choice(HOSTILE) + data[middle:]


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_each_harness_survives_its_seeds_and_their_mutations(name: str) -> None:
    target = TARGETS[name]
    seeds = list(seed_inputs(target, FIXTURES))
    assert seeds, f"{name} has no seed inputs"
    for index, data in enumerate(seeds[:40]):
        target.run(data)
        for mutated in _mutations(data, index):
            target.run(mutated)


def _regressions() -> list[tuple[str, Path]]:
    return [
        (folder.name, path)
        for folder in sorted(REGRESSIONS.iterdir())
        for path in sorted(folder.iterdir())
    ]


@pytest.mark.parametrize(("name", "path"), _regressions(), ids=lambda value: str(value))
def test_inputs_that_once_crashed_a_harness_no_longer_do(name: str, path: Path) -> None:
    TARGETS[name].run(path.read_bytes())


def test_every_saved_crash_belongs_to_a_target() -> None:
    assert {name for name, _path in _regressions()} <= set(TARGETS)
    assert {"atom", "crossref"} <= {name for name, _path in _regressions()}


def test_bench_fuzz_lists_its_targets() -> None:
    result = CliRunner().invoke(cli, ["bench", "fuzz", "--target", "all", "--list"])
    assert result.exit_code == 0, result.output
    names = [line.split(":")[0] for line in result.output.splitlines()]
    assert names == list(TARGETS)


def test_an_unknown_target_is_one_clear_line() -> None:
    result = CliRunner().invoke(cli, ["bench", "fuzz", "--target", "yaml", "--seconds", "1"])
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1].startswith("Error")
    assert "unknown fuzz target 'yaml': choose one of oai, atom" in result.output


def test_without_atheris_bench_fuzz_says_so_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "atheris_available", lambda: False)
    result = CliRunner().invoke(cli, ["bench", "fuzz", "--target", "ids", "--seconds", "1"])
    assert result.exit_code != 0
    (line,) = result.output.strip().splitlines()
    assert "atheris is not installed: pip install 'scholarfolio[fuzz]'" in line


@pytest.mark.skipif(not runner.atheris_available(), reason="atheris (the fuzz extra) is absent")
def test_a_short_fuzz_run_reports_its_executions(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["bench", "fuzz", "--target", "ids", "--seconds", "2", "--json"]
        + ["--corpus", str(tmp_path / "corpus"), "--crashes", str(tmp_path / "crashes")],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["target"] == "ids"
    assert report["crash"] is None
    assert report["executions"] > 0
    assert report["seeds"] == len(list((tmp_path / "corpus" / "ids").glob("seed-*")))
