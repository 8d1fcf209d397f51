"""``scholarfolio export-site DIR``: the whole web site as static files."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from scholarfolio import profiles
from scholarfolio.export.site import export_site
from scholarfolio.store import Store

err = Console(stderr=True, highlight=False)

# URLs exported per author and per work (page, JSON, feed and BibTeX; page, JSON, BibTeX).
_URLS_PER_AUTHOR = 4
_URLS_PER_WORK = 3


def _open(ctx: click.Context) -> Store:
    store: Store = ctx.find_root().obj["open"]()
    ctx.call_on_close(store.close)
    return store


@click.command(name="export-site")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--base-url",
    default=None,
    help="Public address the files will be served from, for feed ids and links "
    "[default: SCHOLARFOLIO_BASE_URL, else http://HOST:PORT/ of the settings].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes sharing the work [default: one per CPU].",
)
@click.pass_context
def export_site_command(
    ctx: click.Context, folder: Path, base_url: str | None, workers: int | None
) -> None:
    """Write every page, feed, BibTeX file and JSON document as static files.

    Pages are folders with an index.html (serve FOLDER at the root of a site);
    search needs the server and is left out.

    Example: scholarfolio export-site public/ --base-url https://profiles.example.org/
    """
    store = _open(ctx)
    stats = profiles.corpus_stats(store)
    total = 3 + stats["authors"] * _URLS_PER_AUTHOR + stats["works"] * _URLS_PER_WORK
    columns = (TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("export", total=total)
        summary = export_site(
            store,
            folder,
            base_url,
            progress=lambda url: bar.advance(task),
            workers=workers or os.cpu_count() or 1,
        )
    click.echo(summary.line())
    for skipped in summary.skipped:
        click.echo(f"skipped (not a safe file name): {skipped!r}", err=True)
    for failed in summary.failed:
        click.echo(f"failed: {failed}", err=True)
    if summary.failed:
        raise click.ClickException(f"{len(summary.failed)} URL(s) could not be exported")
