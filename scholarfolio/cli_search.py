"""``scholarfolio bench search``: full-text latency of FTS5 and tantivy (docs/performance.md)."""

from __future__ import annotations

import json

import click

from scholarfolio.errors import BadInput


@click.command(name="search")
@click.option("--works", default=200_000, show_default=True, help="Works in the index.")
@click.option("--queries", default=200, show_default=True, help="Two-word queries of each kind.")
@click.option(
    "--engine",
    "engines",
    type=click.Choice(["fts5", "tantivy"]),
    multiple=True,
    help="Engine to measure (repeatable; default: both, tantivy when installed).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line.")
def bench_search(works: int, queries: int, engines: tuple[str, ...], as_json: bool) -> None:
    """p50/p99 latency of two-word AND and OR queries over N cycled real abstracts.

    Example: scholarfolio bench search --works 200000 --json
    """
    from scholarfolio.search.bench import bench_search as run_bench

    if works < 2 or queries < 1:
        raise BadInput("--works must be at least 2 and --queries at least 1")
    result = run_bench(works, queries, engines or ("fts5", "tantivy"))
    if as_json:
        click.echo(json.dumps(result))
        return
    for engine in ("fts5", "tantivy"):
        for kind, figures in result.get(engine, {}).items():
            click.echo(f"{engine} {kind}: {figures}")
