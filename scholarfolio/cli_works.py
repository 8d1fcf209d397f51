"""``scholarfolio works``: list works with their provenance, and undo merges."""

from __future__ import annotations

import json
from typing import Any

import click

from scholarfolio import pipeline
from scholarfolio.dedup.overrides import split_work
from scholarfolio.store import Store
from scholarfolio.works import list_works


class _ListOrCommand(click.Group):
    """``works [QUERY]`` lists; ``works split ...`` runs the subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            ctx.meta["works_query"] = args.pop(0)
        return super().parse_args(ctx, args)


def _open(ctx: click.Context) -> Store:
    store: Store = ctx.find_root().obj["open"]()
    ctx.call_on_close(store.close)
    return store


def _line(work: dict[str, Any]) -> str:
    sources = ", ".join(f"{s['source']}:{s['id']}" for s in work["sources"])
    reported = ", ".join(f"{k} {v}" for k, v in work["reported_citations"].items())
    return (
        f"{work['id']}\t{work['date'] or '-'}\t{work['title']}\n"
        f"\t{work['citations']} citations ({work['citations_in_corpus']} in corpus"
        f"{'; ' + reported if reported else ''}) from {sources}"
    )


@click.group(cls=_ListOrCommand, invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line.")
@click.pass_context
def works(ctx: click.Context, as_json: bool) -> None:
    """List works (all of them, streamed, or those matching QUERY: title words or an id).

    Each work shows its ids, the records merged into it and every citation count
    with its source. Example: scholarfolio works "deep learning" --json
    """
    if ctx.invoked_subcommand is not None:
        return
    for work in list_works(_open(ctx), ctx.meta.get("works_query")):
        click.echo(json.dumps(work, ensure_ascii=False) if as_json else _line(work))


@works.command(name="split")
@click.argument("work_id", type=int)
@click.option(
    "--record",
    "record",
    default=None,
    help="SOURCE:ID of the record to take out (default: undo every merge of the work).",
)
@click.option("--reason", default="split by hand", show_default=True)
@click.pass_context
def split_command(ctx: click.Context, work_id: int, record: str | None, reason: str) -> None:
    """Undo a merge: keep records of a work apart from now on, then rebuild.

    The decision is stored and applied before every automatic rule on every
    rebuild. Example: scholarfolio works split 42 --record openalex:W2919115771
    """
    store = _open(ctx)
    pairs = split_work(store, work_id, record, reason)
    built = pipeline.build(store)
    click.echo(f"kept {pairs} record pair(s) apart; rebuilt {built.works} works")
