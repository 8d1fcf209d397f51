"""``scholarfolio harvest``: resumable live harvests from arXiv, OpenAlex and Semantic Scholar.

Thin like the rest of the CLI: parse the options, call :mod:`scholarfolio.harvest`,
print its progress lines on stderr and its summary on stdout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from scholarfolio import settings
from scholarfolio.harvest import (
    ArxivQuery,
    HarvestEnv,
    HarvestSummary,
    OpenAlexQuery,
    S2Query,
    harvest_arxiv,
    harvest_openalex,
    harvest_s2,
    store_sink,
)
from scholarfolio.harvest.arxiv import ARXIV_OAI, PREFIXES
from scholarfolio.harvest.openalex import ENTITIES, OPENALEX_API, PER_PAGE
from scholarfolio.harvest.s2 import FIELDS, S2_API
from scholarfolio.store import Store

# Pages and state go to harvest/<source>/ under the working directory by default.
DEFAULT_ROOT = Path("harvest")

F = TypeVar("F", bound=Callable[..., Any])


def _folder_options(default_base: str) -> Callable[[F], F]:
    """The --out and --base-url options every harvest command shares."""

    def decorate(command: F) -> F:
        command = click.option(
            "--base-url",
            default=default_base,
            show_default=True,
            help="The API's address (another mirror, or a local test server).",
        )(command)
        return click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            help="Folder for the pages and the state [default: harvest/SOURCE]; "
            "the same folder resumes an unfinished harvest.",
        )(command)

    return decorate


def _env(ctx: click.Context, source: str, out: Path | None) -> HarvestEnv:
    store: Store = ctx.obj["open"]()
    ctx.call_on_close(store.close)
    folder = out if out is not None else DEFAULT_ROOT / source
    return HarvestEnv(folder=folder, ingest=store_sink(store), report=_progress)


def _progress(line: str) -> None:
    click.echo(line, err=True)


def _done(summary: HarvestSummary) -> None:
    click.echo(summary.line())


@click.group()
def harvest() -> None:
    """Download metadata from arXiv, OpenAlex or Semantic Scholar into the store.

    Every answer page is saved under --out with a state file, and ingested
    before the next request. Run the same command again to resume: saved pages
    are never downloaded twice.

    Example: scholarfolio harvest arxiv --set cs --from 2024-05-01
    """


@harvest.command(name="arxiv")
@click.option(
    "--from",
    "from_date",
    metavar="DATE",
    help="Records added or changed on or after this day (YYYY-MM-DD) "
    "[default: the date of the last complete harvest in --out].",
)
@click.option("--until", metavar="DATE", help="... and on or before this day (YYYY-MM-DD).")
@click.option("--set", "set_spec", metavar="SET", help="One arXiv set: cs, math, physics:hep-th.")
@click.option("--prefix", type=click.Choice(PREFIXES), help="Metadata format [default: arXiv].")
@_folder_options(ARXIV_OAI)
@click.pass_context
def arxiv_command(
    ctx: click.Context,
    from_date: str | None,
    until: str | None,
    set_spec: str | None,
    prefix: str | None,
    out: Path | None,
    base_url: str,
) -> None:
    """Harvest arXiv over OAI-PMH (resumption tokens; 503 Retry-After honoured).

    Example: scholarfolio harvest arxiv --set physics:hep-th --from 2024-05-01
    """
    query = ArxivQuery(from_date, until, set_spec, prefix, base_url)
    _done(harvest_arxiv(query, _env(ctx, "arxiv", out)))


@harvest.command(name="openalex")
@click.option("--filter", "filter_", metavar="F", help="An OpenAlex filter: author.id:A5023888391.")
@click.option("--search", metavar="Q", help="Full-text search.")
@click.option("--entity", type=click.Choice(ENTITIES), help="What to list [default: works].")
@click.option(
    "--api-key",
    metavar="K",
    envvar=settings.OPENALEX_API_KEY.env_var,
    help="OpenAlex API key (sent as api_key, never stored).",
)
@click.option(
    "--mailto",
    metavar="M",
    envvar=settings.OPENALEX_MAILTO.env_var,
    help="Contact e-mail (mailto parameter and User-Agent).",
)
@click.option("--per-page", type=int, help=f"Results per page, 1-200 [default: {PER_PAGE}].")
@click.option("--max-results", type=int, metavar="N", help="Stop after about N records.")
@_folder_options(OPENALEX_API)
@click.pass_context
def openalex_command(
    ctx: click.Context,
    filter_: str | None,
    search: str | None,
    entity: str | None,
    api_key: str | None,
    mailto: str | None,
    per_page: int | None,
    max_results: int | None,
    out: Path | None,
    base_url: str,
) -> None:
    """Harvest OpenAlex works or authors by cursor paging.

    Example: scholarfolio harvest openalex --filter author.id:A5023888391 --mailto me@example.org
    """
    query = OpenAlexQuery(entity, filter_, search, per_page, max_results, api_key, mailto, base_url)
    _done(harvest_openalex(query, _env(ctx, "openalex", out)))


@harvest.command(name="s2")
@click.option("--query", metavar="Q", help="Bulk search query (paged by token).")
@click.option(
    "--paper-ids",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File of paper ids, one per line (fetched 500 per batch request).",
)
@click.option("--fields", metavar="LIST", help=f"Comma-separated fields [default: {FIELDS}].")
@click.option(
    "--api-key",
    metavar="K",
    envvar=settings.S2_API_KEY.env_var,
    help="Semantic Scholar API key (x-api-key header).",
)
@_folder_options(S2_API)
@click.pass_context
def s2_command(
    ctx: click.Context,
    query: str | None,
    paper_ids: Path | None,
    fields: str | None,
    api_key: str | None,
    out: Path | None,
    base_url: str,
) -> None:
    """Harvest Semantic Scholar papers: a bulk search or a list of ids (1 request/s).

    Example: scholarfolio harvest s2 --query "author disambiguation" --api-key KEY
    """
    options = S2Query(query, fields, paper_ids, api_key, base_url)
    _done(harvest_s2(options, _env(ctx, "s2", out)))
