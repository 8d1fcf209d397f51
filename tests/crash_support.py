"""Helpers of the crash tests: CLI runs killed at a chosen step, and whole-store dumps.

:func:`run_cli` runs one ``scholarfolio`` command line in a forked child
process (the test process has imported everything already, so a child costs
milliseconds where a fresh interpreter costs a second). The child counts
*steps*: every SQL statement it sends and every commit, on any engine. Given
``kill_at=N`` it sends itself SIGKILL just before step N, so a loop over N
stops the command before each statement or commit of its run, inside its
transactions and between them; without it the command runs to the end and the
count of its steps is returned.

:func:`dump_store` reads every table of a store (records, human decisions and
derived tables alike) into sorted JSON rows, with what legitimately differs
between two stores holding the same data taken out: row ids that a sequence
hands out (PostgreSQL does not give back the numbers of a rolled-back insert),
timestamps of when a row was written, and the folder a harvest wrote to.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from scholarfolio.cli import main
from scholarfolio.store import Store

# Columns that say when a row was written, or number rows from a sequence.
VOLATILE = {"created_at", "updated_at", "ingested_at"}
SEQUENCE_IDS = {"records", "source_authors", "provenance", "rejects", "identity_overrides"}
# Columns that point at a record by its id: compared by the record's source and source id.
RECORD_REFS = {"record_id", "representative", "apart_from", "author_source", "matched"}
# meta holds the times of the last ingest and build and the build's random id; their presence is
# compared, not their value.
TIMED_META = {"last_ingest", "last_build", "build_id"}
# As the build's time, in derived rows.
BUILD_TIMES = {("author_metrics", "as_of")}
SKIPPED = {"alembic_version"}


@dataclass(frozen=True)
class ChildResult:
    """How a forked command ended: its exit code (-9 when killed), steps taken, its output."""

    code: int
    steps: int
    output: str


def run_cli(
    args: Sequence[str],
    log: Path,
    kill_at: int | None = None,
    prepare: Callable[[], None] | None = None,
) -> ChildResult:
    """Run ``scholarfolio ARGS`` in a forked child; SIGKILL it before step ``kill_at`` if given.

    The CLI is imported here, in the parent, so each child starts with it loaded.
    """
    counted = log.with_suffix(".steps")
    counted.unlink(missing_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        _child(list(args), log, counted, kill_at, prepare)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    steps = int(counted.read_text()) if counted.exists() else 0
    return ChildResult(code, steps, log.read_text(errors="replace") if log.exists() else "")


def _child(
    args: list[str],
    log: Path,
    counted: Path,
    kill_at: int | None,
    prepare: Callable[[], None] | None,
) -> None:  # pragma: no cover - runs in the child
    code = 70
    try:
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        # pytest's capture put objects of its own in sys.stdout and sys.stderr.
        sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
        steps = 0

        def step(*_args: Any) -> None:
            nonlocal steps
            steps += 1
            if kill_at is not None and steps >= kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        sa.event.listen(Engine, "before_cursor_execute", step)
        sa.event.listen(Engine, "commit", step)
        if prepare is not None:
            prepare()
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        counted.write_text(str(steps))
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def kill_points(steps: int, count: int) -> list[int]:
    """``count`` distinct steps spread evenly over a run of ``steps`` (first and last included)."""
    if steps < 2:
        return [1]
    chosen = {1 + round(i * (steps - 1) / (count - 1)) for i in range(count)}
    return sorted(chosen)


def dump_store(store: Store, folder: Path | None = None) -> dict[str, list[str]]:
    """Every table as sorted JSON rows, comparable between two stores of the same data."""
    with store.engine.connect() as conn:
        records = {
            row.id: f"{row.source}:{row.source_id}"
            for row in conn.execute(sa.text("SELECT id, source, source_id FROM records"))
        }
        tables: dict[str, list[str]] = {}
        for table in sorted(set(sa.inspect(conn).get_table_names()) - SKIPPED):
            rows = conn.execute(sa.text(f"SELECT * FROM {table}")).mappings()
            tables[table] = sorted(_row(table, dict(row), records, folder) for row in rows)
    return tables


def _row(table: str, row: dict[str, Any], records: dict[Any, str], folder: Path | None) -> str:
    kept: dict[str, Any] = {}
    for column, value in row.items():
        if column in VOLATILE or (table, column) in BUILD_TIMES:
            continue
        if column == "id" and table in SEQUENCE_IDS:
            continue
        if table == "meta" and column == "value" and row.get("key") in TIMED_META:
            value = "(set)"
        elif column in RECORD_REFS and value is not None:
            value = records.get(value, f"(no record {value})")
        elif isinstance(value, str) and folder is not None:
            value = value.replace(str(folder), "FOLDER")
        kept[column] = value
    return json.dumps(kept, sort_keys=True, default=str)


def differences(got: dict[str, list[str]], expected: dict[str, list[str]]) -> list[str]:
    """What differs between two dumps, table by table, briefly (for assertion messages)."""
    found: list[str] = []
    for table in sorted(set(got) | set(expected)):
        mine, theirs = set(got.get(table, [])), set(expected.get(table, []))
        if len(got.get(table, [])) != len(expected.get(table, [])) or mine != theirs:
            extra, missing = sorted(mine - theirs)[:2], sorted(theirs - mine)[:2]
            found.append(
                f"{table}: {len(got.get(table, []))} rows, expected "
                f"{len(expected.get(table, []))}; extra {extra}; missing {missing}"
            )
    return found


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite store file (the online backup API)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def db_location(store: Store) -> str:
    """What ``--db`` takes to open this store again: the SQLite file, or the full URL."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=False)
