"""``scholarfolio identity``: author disambiguation on S2AND datasets (docs/identity.md)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from scholarfolio.identity.cluster import (
    Disambiguation,
    Evaluation,
    calibrate_shipped,
    disambiguate,
)
from scholarfolio.identity.s2and import read_dataset, write_clusters

_FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group()
def identity() -> None:
    """Author disambiguation: cluster signatures into people and measure it.

    Example: scholarfolio identity eval --s2and data/qian
    """


@identity.command(name="eval")
@click.option("--s2and", "folder", type=_FOLDER, required=True, help="S2AND dataset folder.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_command(folder: Path, as_json: bool) -> None:
    """Cluster an S2AND dataset and score it against its clusters.json (B3 and pairwise).

    Example: scholarfolio identity eval --s2and data/qian --json
    """
    dataset = read_dataset(folder)
    run = disambiguate(dataset)
    evaluation = run.evaluate(dataset.gold())
    if as_json:
        click.echo(json.dumps(_report(folder, run, evaluation)))
        return
    click.echo(_summary(folder, run))
    click.echo(f"{'':10}{'precision':>10}{'recall':>10}{'F1':>10}")
    for label, scores in (("B3", evaluation.b3), ("pairwise", evaluation.pairwise)):
        click.echo(f"{label:10}{scores.precision:10.3f}{scores.recall:10.3f}{scores.f1:10.3f}")
    click.echo(f"{evaluation.people:,} gold people; decided by: {_rules(run)}")


@identity.command(name="cluster-s2and")
@click.argument("folder", type=_FOLDER)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="JSON file to write: {signature_id: cluster_id}.",
)
def cluster_command(folder: Path, out: Path) -> None:
    """Cluster the signatures of an S2AND dataset into people and write the assignment.

    Example: scholarfolio identity cluster-s2and data/qian --out qian-clusters.json
    """
    run = disambiguate(read_dataset(folder))
    write_clusters(run.result.assignment, out)
    click.echo(_summary(folder, run))
    clusters = len(set(run.result.assignment.values()))
    click.echo(f"wrote {len(run.result.assignment):,} signatures in {clusters:,} clusters to {out}")


@identity.command(name="calibrate")
@click.option("--papers/--no-papers", default=False, help="Fit the model that uses papers.json.")
def calibrate_command(papers: bool) -> None:
    """Fit the pair model on the bundled OpenAlex calibration data (slow: about a minute).

    Prints the weights and threshold that scholarfolio/identity/pairwise.py ships.
    Example: scholarfolio identity calibrate --papers
    """
    fitted = calibrate_shipped(papers)
    click.echo(json.dumps({**asdict(fitted.model), "pairs": fitted.pairs}, indent=1))
    click.echo(f"calibration B3 F1 {fitted.evaluation.b3.f1:.3f}", err=True)


def _summary(folder: Path, run: Disambiguation) -> str:
    return (
        f"{folder.name}: {run.signatures:,} signatures in {run.blocks:,} blocks, "
        f"model {run.model_name}; {run.seconds:.1f} s CPU ({run.per_second:,.0f} signatures/s)"
    )


def _rules(run: Disambiguation) -> str:
    return ", ".join(f"{rule} {count:,}" for rule, count in run.result.decided_by.items())


def _report(folder: Path, run: Disambiguation, evaluation: Evaluation) -> dict[str, Any]:
    return {
        "dataset": folder.name,
        "model": run.model_name,
        "signatures": run.signatures,
        "blocks": run.blocks,
        "people": evaluation.people,
        "b3": asdict(evaluation.b3),
        "pairwise": asdict(evaluation.pairwise),
        "decided_by": dict(run.result.decided_by),
        "cpu_seconds": round(run.seconds, 3),
        "signatures_per_second": round(run.per_second),
    }
