"""``scholarfolio bench fuzz``: coverage-guided fuzzing of the parsers with atheris."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from scholarfolio.errors import BadInput, BenchError


@click.command(name="fuzz")
@click.option("--target", "target_name", required=True, help="A harness name, or 'all'.")
@click.option("--seconds", default=60, show_default=True, help="Fuzzing time of each target.")
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep each target's corpus in DIR/TARGET (default: a temporary folder).",
)
@click.option(
    "--crashes",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("fuzz-crashes"),
    show_default=True,
    help="Crashing inputs and logs go to DIR/TARGET.",
)
@click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The fixtures folder that seeds the corpora (default: tests/fixtures).",
)
@click.option("--list", "list_only", is_flag=True, help="List the targets and stop.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per target.")
def bench_fuzz(
    target_name: str,
    seconds: int,
    corpus: Path | None,
    crashes: Path,
    seeds: Path | None,
    list_only: bool,
    as_json: bool,
) -> None:
    """Fuzz one parser harness (or all, one after the other) for N seconds each.

    Each target runs in its own process; a crash is reported with its input
    saved under --crashes. Needs atheris: pip install 'scholarfolio[fuzz]'.

    Example: scholarfolio bench fuzz --target all --seconds 120
    """
    from scholarfolio.fuzz import runner
    from scholarfolio.fuzz.targets import TARGETS

    if list_only:
        for target in TARGETS.values():
            click.echo(f"{target.name}: {target.about}")
        return
    names = runner.chosen_targets(target_name)
    if seconds < 1:
        raise BadInput("--seconds must be at least 1")
    if not runner.atheris_available():
        raise BenchError("atheris is not installed: pip install 'scholarfolio[fuzz]'")
    fixtures = seeds or runner.default_fixtures()
    with tempfile.TemporaryDirectory(prefix="scholarfolio-fuzz-") as scratch:
        corpus_root = corpus or Path(scratch)
        for name in names:
            result = runner.run_target(name, seconds, corpus_root, crashes, fixtures)
            click.echo(json.dumps(result.as_dict()) if as_json else result.line())
