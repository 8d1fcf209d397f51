"""``scholarfolio identity``: S2AND evaluation, and human decisions about authors.

``eval``, ``cluster-s2and`` and ``calibrate`` work on S2AND datasets;
``merge``, ``split``, ``claim``, ``unclaim``, ``orcid``, ``undo`` and ``history``
record, apply and list human overrides (docs/identity.md).
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from scholarfolio import pipeline, profiles
from scholarfolio.identity import overrides
from scholarfolio.identity.cluster import (
    Disambiguation,
    Evaluation,
    calibrate_shipped,
    disambiguate,
)
from scholarfolio.identity.s2and import read_dataset, write_clusters
from scholarfolio.store import Store

_FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group()
def identity() -> None:
    """Author disambiguation: cluster signatures into people and measure it.

    Example: scholarfolio identity eval --s2and data/qian

    Human decisions (merge, split, claim, unclaim, orcid, undo) are stored with
    who, when and why, applied at once (the command rebuilds) and on every later
    build before any automatic rule. Example: scholarfolio identity history --json
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


# --- human decisions ------------------------------------------------------------


def _open(ctx: click.Context) -> Store:
    store: Store = ctx.find_root().obj["open"]()
    ctx.call_on_close(store.close)
    return store


def _default_user() -> str:
    return os.environ.get("USER") or getpass.getuser()


def _audited(command: Callable[..., None]) -> Callable[..., None]:
    """The --reason (required) and --by options every decision takes."""
    command = click.option(
        "--by", default=_default_user, show_default="$USER", help="Who decides (audit log)."
    )(command)
    return click.option("--reason", required=True, help="Why (audit log).")(command)


def _apply(store: Store, override_id: int, what: str) -> None:
    built = pipeline.build(store)
    click.echo(
        f"decision {override_id}: {what}; rebuilt {built.authors:,} authors "
        f"({built.resolve.redirects} redirect(s) added)"
    )


def _author(store: Store, text: str) -> str:
    return profiles.find_author(store, text)


@identity.command(name="merge")
@click.argument("survivor")
@click.argument("absorbed")
@_audited
@click.pass_context
def merge_command(ctx: click.Context, survivor: str, absorbed: str, reason: str, by: str) -> None:
    """Merge author ABSORBED into SURVIVOR: its id then redirects to SURVIVOR's.

    Authors are named by id, a source id (ORCID, OpenAlex A...) or an exact name.
    Example: scholarfolio identity merge pavel-nadolsky-1a2b3c4d p-m-nadolsky-5e6f7a8b
    --reason "same person, see ORCID record"
    """
    store = _open(ctx)
    kept, gone = _author(store, survivor), _author(store, absorbed)
    decided = overrides.merge(store, kept, gone, overrides.Audit(by, reason))
    _apply(store, decided, f"{gone} merged into {kept}")


def _pin_command(action: str, summary: str) -> None:
    @identity.command(name=action, help=summary)
    @click.argument("author")
    @click.option(
        "--work", required=True, help="Work id, arXiv id, DOI or OpenAlex W id of the paper."
    )
    @click.option("--position", type=int, default=None, help="Author position (1 = first).")
    @_audited
    @click.pass_context
    def command(
        ctx: click.Context, author: str, work: str, position: int | None, reason: str, by: str
    ) -> None:
        store = _open(ctx)
        author_id = _author(store, author)
        decide = {
            "split": overrides.split,
            "claim": overrides.claim,
            "unclaim": overrides.unclaim,
        }[action]
        decided = decide(store, author_id, work, position, overrides.Audit(by, reason))
        _apply(store, decided, f"{action} of {author_id}'s authorship on work {work}")


_pin_command(
    "split",
    "Take AUTHOR's authorship on a work out into an author of its own.\n\n"
    "Example: scholarfolio identity split jun-li-0a1b2c3d --work 1502.03167 --reason "
    '"another Jun Li"',
)
_pin_command(
    "claim",
    "Say the authorship on a work (the name compatible with AUTHOR's, or --position) "
    "is AUTHOR's.\n\nExample: scholarfolio identity claim jun-li-0a1b2c3d --work 42 "
    '--position 3 --reason "her paper, name misspelt"',
)
_pin_command(
    "unclaim",
    "Say AUTHOR's authorship on a work is not theirs: it goes where other evidence puts it, "
    "else to an author of its own.\n\nExample: scholarfolio identity unclaim "
    'jun-li-0a1b2c3d --work 42 --reason "a namesake in Beijing"',
)


@identity.command(name="orcid")
@click.argument("author")
@click.argument("orcid")
@_audited
@click.pass_context
def orcid_command(ctx: click.Context, author: str, orcid: str, reason: str, by: str) -> None:
    """Attach an ORCID to AUTHOR: authorships that carry it join the author.

    Example: scholarfolio identity orcid jun-li-0a1b2c3d 0000-0002-1825-0097 --reason "her CV"
    """
    store = _open(ctx)
    author_id = _author(store, author)
    decided = overrides.attach_orcid(store, author_id, orcid, overrides.Audit(by, reason))
    _apply(store, decided, f"ORCID {overrides.normalized_orcid(orcid)} attached to {author_id}")


@identity.command(name="undo")
@click.argument("decision", type=int)
@_audited
@click.pass_context
def undo_command(ctx: click.Context, decision: int, reason: str, by: str) -> None:
    """Stop applying a decision (it stays in the history, marked undone).

    Example: scholarfolio identity undo 3 --reason "merged the wrong Jun Li"
    """
    store = _open(ctx)
    undone = overrides.undo(store, decision, overrides.Audit(by, reason))
    _apply(store, undone, f"decision {decision} undone")


@identity.command(name="history")
@click.argument("author", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.pass_context
def history_command(ctx: click.Context, author: str | None, as_json: bool) -> None:
    """The audit log of human decisions (AUTHOR's only, if given), oldest first.

    Example: scholarfolio identity history jun-li-0a1b2c3d --json
    """
    store = _open(ctx)
    author_id = _history_author(store, author) if author else None
    entries = overrides.history(store, author_id)
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=1))
        return
    if not entries:
        click.echo("no identity decisions yet")
    for entry in entries:
        click.echo(_history_line(entry))


def _history_author(store: Store, text: str) -> str:
    # An absorbed or vanished id still has a history: take the text as it is then.
    logged = {e["author"] for e in overrides.history(store)} | {
        e["other"] for e in overrides.history(store) if e["other"]
    }
    return text if text in logged else _author(store, text)


def _history_line(entry: dict[str, Any]) -> str:
    target = {
        "merge": f"{entry['other']} into {entry['author']}",
        "orcid": f"{entry['orcid']} to {entry['author']}",
        "undo": f"decision {entry['undoes']}",
    }.get(entry["action"], f"{entry['author']} work {entry['work']} position {entry['position']}")
    undone = f"  [undone by {entry['undone_by']}]" if entry["undone"] else ""
    return (
        f"{entry['id']}\t{entry['at']}\t{entry['action']} {target}\t"
        f"by {entry['by']}: {entry['reason']}{undone}"
    )
