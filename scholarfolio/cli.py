"""The command line: parse, call the library, print. No domain logic lives here."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from scholarfolio import pipeline, profiles, settings
from scholarfolio.demo import all_demo_files
from scholarfolio.errors import BadInput, ScholarfolioError
from scholarfolio.metrics import spark_engine
from scholarfolio.models import IngestSummary
from scholarfolio.store import Store, queries

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


class _Group(click.Group):
    """Turns any library error into one clear line and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScholarfolioError as exc:
            raise click.ClickException(str(exc)) from None


class _BarProgress:
    """Draws one rich progress bar per file from the library's progress events."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def file_started(self, path: Path, size: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        self.task = self.progress.add_task(path.name, total=size or None)

    def advanced(self, nbytes: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, nbytes)


def _open(ctx: click.Context) -> Store:
    store: Store = ctx.obj["open"]()
    ctx.call_on_close(store.close)
    return store


def _print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@click.group(cls=_Group)
@click.option(
    "--db",
    envvar=settings.DB.env_var,
    default=settings.DB.default,
    show_default=True,
    help="Store: a SQLite file path, sqlite:///PATH or postgresql://... URL.",
)
@click.version_option(package_name="scholarfolio")
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """Researcher profiles from open bibliographic metadata.

    Example: scholarfolio ingest harvest/*.xml && scholarfolio build && scholarfolio serve
    """
    ctx.obj = {"db": db, "open": lambda: Store.open(db)}


def _ingest(store: Store, paths: Sequence[str]) -> IngestSummary:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        return pipeline.ingest_paths(store, paths, _BarProgress(bar))


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--strict", is_flag=True, help="Exit with status 1 when any record is rejected.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], strict: bool) -> None:
    """Read metadata files or folders: arXiv, OpenAlex, Semantic Scholar, Crossref, CSL, BibTeX.

    Example: scholarfolio ingest harvest/ arxiv-metadata-oai-snapshot.json.gz
    """
    summary = _ingest(_open(ctx), paths)
    click.echo(f"{summary.line()} from {summary.files} file(s)")
    if summary.rejected:
        click.echo("see them with: scholarfolio rejects", err=True)
    if summary.read == 0:
        raise click.ClickException("nothing could be read from the given files")
    if strict and summary.rejected:
        raise click.ClickException(f"{summary.rejected} record(s) rejected (--strict)")


@cli.command()
@click.option(
    "--engine",
    type=click.Choice(["numpy", "spark"]),
    default="numpy",
    show_default=True,
    help="Author metrics in process (numpy) or on Apache Spark (docs/scaling.md).",
)
@click.option(
    "--spark-master",
    envvar=settings.SPARK_MASTER.env_var,
    default=settings.SPARK_MASTER.default,
    show_default=True,
    help="Spark master URL for --engine spark.",
)
@click.option("--full", is_flag=True, help="Rebuild everything, not only what changed.")
@click.pass_context
def build(ctx: click.Context, engine: str, spark_master: str, full: bool) -> None:
    """Resolve authors and compute metrics and badges for every author.

    Only what changed since the last build is rederived unless --full (same result).
    Example: scholarfolio build --engine spark --spark-master spark://head:7077
    """
    if engine == "spark":
        spark_engine.require()
    summary = pipeline.build(_open(ctx), engine=engine, spark_master=spark_master, full=full)
    kind = "incremental build" if summary.incremental else f"full build: {summary.full_reason}"
    click.echo(
        f"built {summary.authors} author profiles over {summary.works} works "
        f"({summary.resolve.new_authors} new authors; {kind})"
    )


@cli.command(name="authors")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", default=50, show_default=True, help="At most this many matches.")
@click.pass_context
def authors_command(ctx: click.Context, query: str, as_json: bool, limit: int) -> None:
    """Find authors by name (accents, case and hyphens do not matter).

    Example: scholarfolio authors "shwartz ziv" --json
    """
    matches = profiles.search_authors(_open(ctx), query, limit)
    if as_json:
        _print_json(matches)
        return
    table = Table("id", "name", "works", "citations", "h-index")
    for match in matches:
        table.add_row(
            match["id"],
            match["name"],
            str(match["works"]),
            str(match["citations"]),
            str(match["h_index"]),
        )
    out.print(table if matches else f"no author matches {query!r}")


def _print_profile(profile: dict[str, Any]) -> None:
    metrics = profile["metrics"]
    out.print(f"[bold]{profile['name']}[/bold]  ({profile['id']})", markup=True)
    if profile["badges"]:
        out.print("badges: " + ", ".join(profile["badges"]), markup=False)
    if profile["name_variants"]:
        out.print("also published as: " + "; ".join(profile["name_variants"]), markup=False)
    out.print(
        f"Total Citations {metrics['citations']}   h-index {metrics['h_index']}   "
        f"Papers {metrics['works']}   i10-index {metrics['i10_index']}   "
        f"g-index {metrics['g_index']}",
        markup=False,
    )
    for work in profile["works"]:
        names = [a["name"] for a in work["authors"]]
        shown = ", ".join(names[:5]) + (f" +{len(names) - 5}" if len(names) > 5 else "")
        if work["arxiv_id"]:
            label = f"{work['arxiv_id']}{work['version'] or ''}"
        else:
            label = next((f"{k}:{v}" for k, v in sorted(work["ids"].items())), f"work {work['id']}")
        out.print(
            f"#{work['rank']} {label} {work['date'] or ''}  "
            f"{work['title']}\n    {shown}  [{work['citations']} citations]",
            markup=False,
        )


@cli.command(name="author")
@click.argument("id_or_name")
@click.option("--json", "as_json", is_flag=True, help="Print the profile JSON.")
@click.pass_context
def author_command(ctx: click.Context, id_or_name: str, as_json: bool) -> None:
    """Show one author's profile, by id or by name.

    Example: scholarfolio author "Robert H. Brandenberger" --json
    """
    store = _open(ctx)
    profile = profiles.get_profile(store, profiles.find_author(store, id_or_name))
    if as_json:
        _print_json(profile)
    else:
        _print_profile(profile)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_context
def rejects(ctx: click.Context, as_json: bool) -> None:
    """List the records that could not be read, with file, position and reason.

    Example: scholarfolio rejects --json
    """
    store = _open(ctx)
    count = 0
    with store.engine.connect() as conn:
        for row in queries.list_rejects(conn):
            count += 1
            if as_json:
                click.echo(json.dumps(dict(row._mapping), ensure_ascii=False))
            else:
                where = f"record {row.position}" + (f", line {row.line}" if row.line else "")
                click.echo(f"{row.file}: {where}: {row.reason}")
    if count == 0 and not as_json:
        click.echo("no rejects")


def _serve(store: Store, host: str, port: int) -> None:
    from scholarfolio.web.server import serve

    click.echo(f"serving on http://{host}:{port}/ (Ctrl+C to stop)")
    serve(store, host, port)


@cli.command()
@click.option("--host", default=settings.HOST.get(), show_default=True)
@click.option("--port", default=settings.PORT.get(), show_default=True, type=int)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the profiles as HTML and JSON.

    Example: scholarfolio serve --port 8080
    """
    _serve(_open(ctx), host, port)


@cli.command()
@click.option("--host", default=settings.HOST.get(), show_default=True)
@click.option("--port", default=settings.PORT.get(), show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Build the demo store and exit.")
@click.pass_context
def demo(ctx: click.Context, host: str, port: int, no_serve: bool) -> None:
    """Build profiles from the bundled real arXiv and OpenAlex sample and serve them.

    Example: scholarfolio demo --port 8000
    """
    store = _open(ctx)
    files = all_demo_files()
    if not files:
        raise BadInput("the demo corpus is missing from this installation")
    summary = _ingest(store, [str(path) for path in files])
    click.echo(f"demo corpus: {summary.line()}")
    built = pipeline.build(store)
    click.echo(
        f"built {built.authors} author profiles over {built.works} works into {ctx.obj['db']}"
    )
    if not no_serve:
        _serve(store, host, port)


@cli.group()
def bench() -> None:
    """Benchmarks: speed as ratios measured in one run (see docs/performance.md)."""


@bench.command(name="ingest")
@click.option("--records", default=100_000, show_default=True, help="Snapshot lines to ingest.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line.")
def bench_ingest(records: int, as_json: bool) -> None:
    """Ingest rate of snapshot lines against a parse-only pass over the same lines.

    Example: scholarfolio bench ingest --records 200000 --json
    """
    from scholarfolio.bench import bench_ingest as run_bench

    if records < 1:
        raise BadInput("--records must be at least 1")
    result = run_bench(records)
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key}: {value}")


@bench.command(name="web")
@click.option("--db", "db", default=None, help="Measure this store (default: build the demo).")
@click.option("--seconds", default=10, show_default=True, help="Length of each wrk run.")
@click.option("--server", "servers", multiple=True, help="granian, uvicorn (default: both).")
@click.option("--query", default="red sea", show_default=True, help="The search measured.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def bench_web(
    db: str | None, seconds: int, servers: tuple[str, ...], query: str, as_json: bool
) -> None:
    """Profile JSON, HTML and search rates beside nginx serving the same bytes (127.0.0.1).

    Needs wrk and nginx (apt-get install wrk nginx). Example: scholarfolio bench web --json
    """
    from scholarfolio.webbench import Load, installed_candidates
    from scholarfolio.webbench import bench_web as run_bench

    if not 1 <= seconds <= 300:
        raise BadInput("--seconds must be between 1 and 300")
    result = run_bench(db, Load(seconds=seconds), list(servers) or installed_candidates(), query)
    click.echo(json.dumps(result, indent=None if as_json else 2))


@bench.command(name="metrics")
@click.option("--papers", default=1_000_000, show_default=True, help="Synthetic works.")
@click.option("--engine", "engine_name", default="numpy", show_default=True, help="numpy or spark.")
@click.option("--repeat", default=1, show_default=True, help="Best of this many timings.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line.")
def bench_metrics(papers: int, engine_name: str, repeat: int, as_json: bool) -> None:
    """The metrics engine's core against numpy sorting the (author, citations) pairs.

    Example: scholarfolio bench metrics --papers 2000000 --json
    """
    from scholarfolio.metrics.bench import bench_metrics as run_bench

    result = run_bench(papers, engine_name, repeat)
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key}: {value}")


@cli.command(name="settings")
def settings_command() -> None:
    """List every setting with its environment variable, value and meaning.

    Example: SCHOLARFOLIO_FAMOUS_MIN_CITATIONS=50 scholarfolio settings
    """
    for setting in settings.REGISTRY:
        value = setting.get()
        shown = ("(set)" if value else "") if setting.secret else str(value)
        click.echo(f"{setting.env_var}={shown}\n    {setting.help}")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``scholarfolio`` command."""
    cli.main(args=list(argv) if argv is not None else sys.argv[1:], prog_name="scholarfolio")


def _register_command_groups() -> None:
    # The groups live in their own modules to keep this one small; they take
    # the store from the root context like every command here.
    from scholarfolio.cli_admin import backup_command, restore_command
    from scholarfolio.cli_export import export_site_command
    from scholarfolio.cli_fuzz import bench_fuzz
    from scholarfolio.cli_harvest import harvest
    from scholarfolio.cli_identity import identity
    from scholarfolio.cli_incremental import bench_incremental
    from scholarfolio.cli_search import bench_search
    from scholarfolio.cli_soak import bench_soak
    from scholarfolio.cli_works import works

    cli.add_command(harvest)
    cli.add_command(works)
    cli.add_command(export_site_command)
    bench.add_command(bench_search)
    bench.add_command(bench_soak)
    bench.add_command(bench_fuzz)
    bench.add_command(bench_incremental)
    cli.add_command(identity)
    cli.add_command(backup_command)
    cli.add_command(restore_command)


_register_command_groups()
