"""``scholarfolio bench soak``: the server under steady load with a build halfway (soak.py)."""

from __future__ import annotations

import json

import click

from scholarfolio.errors import BadInput


@click.command(name="soak")
@click.option("--minutes", default=10.0, show_default=True, help="Length of the load.")
@click.option("--db", "db", default=None, help="Serve this built store (default: the demo).")
@click.option(
    "--ingest",
    "extra",
    multiple=True,
    help="A file to ingest into --db at half time, before the build (repeatable).",
)
@click.option("--connections", default=8, show_default=True, help="wrk connections per page kind.")
@click.option("--urls", default=100, show_default=True, help="Real URLs of each page kind.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def bench_soak(
    minutes: float,
    db: str | None,
    extra: tuple[str, ...],
    connections: int,
    urls: int,
    as_json: bool,
) -> None:
    """wrk on profile, search and work pages for --minutes, a build at half time (127.0.0.1).

    Reports requests, errors, 5xx, p50/p99 per page kind, server memory and the build.
    Needs wrk (apt-get install wrk). Example: scholarfolio bench soak --minutes 10 --json
    """
    from scholarfolio.soak import SoakPlan, soak

    if extra and not db:
        raise BadInput("--ingest needs --db (the demo holds back files of its own)")
    result = soak(db, SoakPlan(round(minutes * 60), connections, urls), extra)
    if as_json:
        click.echo(json.dumps(result))
        return
    totals = result["totals"]
    click.echo(
        f"{totals['requests']} requests: {totals['non_2xx_3xx']} not 2xx/3xx, "
        f"{totals['server_errors_5xx']} 5xx, {totals['socket_errors']} socket errors"
    )
    for kind, figures in result["kinds"].items():
        click.echo(
            f"{kind}: {figures['requests_per_second']} req/s, "
            f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms"
        )
    rss, build = result["rss_kb"], result["build"]
    click.echo(f"server RSS: {rss['start']} KiB at start, {rss['end']} KiB at end")
    state = f"finished in {build['seconds']} s" if build["finished"] else "did NOT finish"
    click.echo(f"build at {build['started_after_s']} s: {state}")
    click.echo("passed" if result["passed"] else "FAILED")
