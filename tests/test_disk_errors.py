"""A full disk and a read-only store: one clear line from the CLI, exit 1, and the store as it was.

The commands run in forked children (``crash_support.run_cli``). A full disk is
the child's file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that writes
past it fail with EFBIG, as they would with ENOSPC on a full disk); a read-only
store is a SQLite file opened with ``mode=ro``, or a PostgreSQL database whose
sessions default to read-only transactions.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from crash_support import db_location, dump_store, run_cli
from pg_support import POSTGRESQL
from sqlalchemy.pool import NullPool

from scholarfolio import pipeline
from scholarfolio.store import Store, failures

FIXTURES = Path(__file__).parent / "fixtures"
BUILT = [FIXTURES / "arxiv" / "snapshot", FIXTURES / "csl"]
INGESTED = [FIXTURES / "openalex" / "idb03_A5071165005.json.gz"]  # since the build
NEW = [FIXTURES / "arxiv" / "oai" / "listrecords_arXiv_436115_405001_cut.xml.gz"]
LIMIT = 32 * 1024  # bytes: far less than one batch of NEW or one build writes


@pytest.fixture
def location(open_store: Callable[[str], AbstractContextManager[Store]]) -> Iterator[str]:
    """A store built from BUILT, with INGESTED read since: both a build and an ingest have work."""
    with open_store("disk") as store:
        pipeline.ingest_paths(store, BUILT)
        pipeline.build(store)
        pipeline.ingest_paths(store, INGESTED)
        where = db_location(store)
        store.close()
        yield where


def _dump(location: str) -> dict[str, list[str]]:
    with Store.open(location) as store:
        return dump_store(store)


def _disk_full() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _one_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in output, output
    assert lines[0].startswith("Error: "), output
    return lines[0]


COMMANDS = {"ingest": ["ingest", *map(str, NEW)], "build": ["build"]}


@pytest.mark.sqlite_only("a PostgreSQL server's disk cannot be filled from a test")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_is_one_clear_error_and_changes_nothing(
    command: str, location: str, tmp_path: Path
) -> None:
    before = _dump(location)
    done = run_cli(["--db", location, *COMMANDS[command]], tmp_path / "log", prepare=_disk_full)
    assert done.code == 1
    assert _one_error_line(done.output) == (
        f"Error: cannot write to the store {location}: the disk is full for this process "
        f"(its file size limit, ulimit -f, is {LIMIT} bytes); "
        "the transaction under way was rolled back"
    )
    assert _dump(location) == before


@pytest.mark.sqlite_only("a PostgreSQL server's disk cannot be filled from a test")
def test_a_backup_onto_a_full_disk_is_one_clear_error_and_leaves_no_file(
    location: str, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    dest = folder / "backup.db"
    done = run_cli(["--db", location, "backup", str(dest)], tmp_path / "log", prepare=_disk_full)
    assert done.code == 1
    line = _one_error_line(done.output)
    assert line.startswith(f"Error: cannot back up the store {location}: ")
    assert "the disk is full for this process" in line
    assert list(folder.iterdir()) == []


def _read_only(location: str, store_kind: str) -> str:
    """The ``--db`` of the same store, read-only from now on."""
    if store_kind != POSTGRESQL:
        return f"sqlite:///file:{location}?mode=ro&uri=true"
    url = sa.make_url(location)
    admin = sa.create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(
            f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on'
        )
    admin.dispose()
    return location


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_store_is_one_clear_error_and_changes_nothing(
    command: str, location: str, store_kind: str, tmp_path: Path
) -> None:
    before = _dump(location)
    read_only = _read_only(location, store_kind)
    done = run_cli(["--db", read_only, *COMMANDS[command]], tmp_path / "log")
    assert done.code == 1
    line = _one_error_line(done.output)
    assert line.startswith("Error: cannot write to the store ")
    assert "the store is read-only" in line and line.endswith("was rolled back")
    assert _dump(location) == before
    # Reading a read-only store works as ever.
    shown = run_cli(["--db", read_only, "authors", "Nadolsky", "--json"], tmp_path / "read")
    assert shown.code == 0 and '"name": "P. M. Nadolsky"' in shown.output


def test_a_full_disk_on_postgresql_is_named_too() -> None:
    # What the server answers when it cannot extend a table (SQLSTATE 53100).
    error = psycopg.errors.DiskFull("could not extend file: No space left on device")
    assert failures.cause(error, "db:5432/profiles") == (
        "cannot write to the store db:5432/profiles: the disk is full; "
        "the transaction under way was rolled back"
    )
