"""``scholarfolio backup DEST`` and ``scholarfolio restore SRC``: the store to a file and back."""

from __future__ import annotations

from pathlib import Path

import click

from scholarfolio.search.engine import rebuild as rebuild_search_index
from scholarfolio.store import Store
from scholarfolio.store.backup import BackupSummary, backup, restore


def _open(ctx: click.Context) -> Store:
    store: Store = ctx.find_root().obj["open"]()
    ctx.call_on_close(store.close)
    return store


def _size(summary: BackupSummary) -> str:
    return f"{summary.size / 2**20:.1f} MB"


@click.command(name="backup")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace DEST if it exists.")
@click.pass_context
def backup_command(ctx: click.Context, dest: Path, force: bool) -> None:
    """Write the whole store to one file, while it keeps serving.

    A SQLite store becomes one SQLite file (online backup; open it with --db as
    it is); a PostgreSQL store a pg_dump archive (needs pg_dump). Every table is
    in it: records, identity overrides and their audit log, works splits, builds.

    Example: scholarfolio backup backups/scholarfolio-2024-06-01.db
    """
    summary = backup(_open(ctx), dest, force)
    click.echo(
        f"backed up the {summary.kind} store ({summary.tables} tables, schema "
        f"{summary.revision}) to {summary.path} ({_size(summary)})"
    )


@click.command(name="restore")
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a store that is not empty.")
@click.pass_context
def restore_command(ctx: click.Context, src: Path, force: bool) -> None:
    """Replace the store's content with a backup made by `scholarfolio backup`.

    Refuses a store that holds anything unless --force. A SQLite store gets its
    search index rebuilt; an older backup is migrated to this version's schema.

    Example: scholarfolio --db restored.db restore backups/scholarfolio-2024-06-01.db
    """
    store = _open(ctx)
    summary = restore(store, src, force)
    with store.engine.begin() as conn:
        rebuild_search_index(conn)
    click.echo(
        f"restored the {summary.kind} store from {summary.path} "
        f"({summary.tables} tables, schema {summary.revision})"
    )
