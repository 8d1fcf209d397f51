"""``scholarfolio bench incremental``: a day of new works, incremental build against full."""

from __future__ import annotations

import json

import click

from scholarfolio.errors import BadInput


@click.command(name="incremental")
@click.option("--base", default=200_000, show_default=True, help="Works in the store first.")
@click.option("--add", default=2_000, show_default=True, help="New works of the day.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line.")
def bench_incremental(base: int, add: int, as_json: bool) -> None:
    """Time an incremental build of ADD new works on BASE against a full rebuild, in one run.

    Example: scholarfolio bench incremental --base 2000000 --add 20000 --json
    """
    from scholarfolio.bench_incremental import bench_incremental as run_bench

    if base < 1 or add < 1:
        raise BadInput("--base and --add must be at least 1")
    result = run_bench(base, add)
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key}: {value}")
