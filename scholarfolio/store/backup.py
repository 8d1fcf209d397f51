"""Backups of a whole store, and restoring one: ``scholarfolio backup DEST`` / ``restore SRC``.

A backup holds the whole database, every table: the source records, the
human decisions (works splits, identity overrides and their audit trail), the
id bookkeeping (work keys, author nodes and redirects) and the derived tables
of the last build. Nothing is chosen table by table, so a table added later is
in the backup too.

- **SQLite**: one SQLite database file, written with SQLite's online backup API
  while other processes keep reading and writing the store (the copy is one
  consistent snapshot). It opens as a store with ``--db`` as it is. The tantivy
  search folder (``<store>.search/``) is not copied: it is derived from the
  works and :func:`restore`'s caller rebuilds it (until then, and if it cannot,
  search answers from the FTS5 tables, which are in the file).
- **PostgreSQL**: a ``pg_dump --format=custom`` archive, restored with
  ``pg_restore --clean --if-exists --single-transaction``. The programs are
  taken from ``PATH``, else the newest ``/usr/lib/postgresql/*/bin``.

Either way the backup is written beside ``DEST`` under a temporary name and
renamed when complete, so ``DEST`` is never half a backup, and a restore
replaces the store in one transaction: readers see the old store or the
restored one. A restore refuses a store that holds anything unless forced, and
a backup of a schema revision this version does not know; an older one is
migrated after the restore.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from scholarfolio.errors import BadInput, StoreError
from scholarfolio.store import Store, failures
from scholarfolio.store.connect import known_revisions, migrate
from scholarfolio.store.schema import metadata
from scholarfolio.store.transactions import reading

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
PG_BIN = "/usr/lib/postgresql/*/bin"
# pg_dump and pg_restore on a large store take minutes; this only catches a hang.
PG_TIMEOUT_SECONDS = 6 * 3600
# Tables that hold no data of the store's own.
NOT_DATA = {"alembic_version"}


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What was backed up or restored: the kind of backup, its file and size, the store's tables."""

    kind: str
    path: Path
    size: int
    revision: str
    tables: int


def backup(store: Store, dest: Path, force: bool = False) -> BackupSummary:
    """Write a backup of the whole store to ``dest``; BadInput if it exists (unless ``force``)."""
    if dest.is_dir():
        raise BadInput(f"{dest} is a folder; give the backup file's name")
    if dest.exists() and not force:
        raise BadInput(f"{dest} already exists; choose another name or use --force to replace it")
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    try:
        if store.dialect == "sqlite":
            _sqlite_backup(_sqlite_file(store), partial)
        else:
            _pg_dump(store.engine.url, partial)
        os.replace(partial, dest)
    except OSError as exc:
        raise StoreError(f"cannot write the backup {dest}: {_os_cause(exc)}") from None
    finally:
        partial.unlink(missing_ok=True)
    return _summary(store, dest)


def restore(store: Store, source: Path, force: bool = False) -> BackupSummary:
    """Replace the store's content with the backup at ``source`` (a non-empty store needs force)."""
    kind = backup_kind(source)
    if kind != store.dialect:
        raise BadInput(
            f"{source} is a {kind} backup and the store is {store.dialect}; "
            f"restore it into a {kind} store"
        )
    if not force and not is_empty(store):
        raise BadInput(
            "the store is not empty; restoring would replace everything in it "
            "(use --force to do so)"
        )
    if kind == "sqlite":
        _check_revision(_sqlite_revision(source), source)
        store.engine.dispose()
        _sqlite_restore(source, _sqlite_file(store))
    else:
        _check_revision(_pg_revision(source), source)
        store.engine.dispose()
        _pg_restore(store, source)
    store.engine.dispose()
    migrate(store.engine)
    return _summary(store, source)


def backup_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql``, from the file's first bytes; BadInput for anything else."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BadInput(f"no backup at {path}") from None
    except OSError as exc:
        raise BadInput(f"cannot read the backup {path}: {_os_cause(exc)}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BadInput(
        f"{path} is not a scholarfolio backup (neither a SQLite file nor a pg_dump archive)"
    )


def is_empty(store: Store) -> bool:
    """Whether no table of the store's schema holds a row (a freshly made store is empty).

    The full-text index's own tables (FTS5 keeps a few rows even when empty) do not count.
    """
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
                return False
    return True


def _summary(store: Store, path: Path) -> BackupSummary:
    with reading(store.engine) as conn:
        tables = len(set(sa.inspect(conn).get_table_names()) - NOT_DATA)
        revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    return BackupSummary(store.dialect, path, path.stat().st_size, str(revision), tables)


def _check_revision(revision: str | None, source: Path) -> None:
    if revision is None:
        raise BadInput(f"{source} is not a scholarfolio backup (it has no schema revision)")
    if revision not in known_revisions():
        raise BadInput(
            f"{source} comes from a newer scholarfolio (schema revision {revision}); "
            "upgrade scholarfolio to restore it"
        )


def _os_cause(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return f"the disk is full ({exc.strerror})"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied ({exc.filename or exc.strerror})"
    return exc.strerror or str(exc)


# --- SQLite ----------------------------------------------------------------------


def _sqlite_file(store: Store) -> Path:
    database = store.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise StoreError("only a SQLite store in a file (--db PATH) can be backed up or restored")
    return Path(database)


def _sqlite_backup(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    dst = sqlite3.connect(target)
    try:
        # pages=-1: one step, one read transaction on the store: one snapshot.
        src.backup(dst, pages=-1)
        # The copy is one self-contained file, not a WAL database that needs its -wal.
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        why = failures.cause(exc, str(target)) or str(exc)
        raise StoreError(f"cannot back up the store {source}: {why}") from None
    finally:
        dst.close()
        src.close()


def _sqlite_revision(source: Path) -> str | None:
    try:
        with _closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _sqlite_restore(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=10)
    try:
        # The backup API writes the store in one transaction: a reader sees the
        # old store or the restored one, and a crash midway leaves the old one.
        dst.execute("PRAGMA journal_mode=WAL")
        src.backup(dst, pages=-1)
    except sqlite3.Error as exc:
        why = failures.cause(exc, str(target)) or str(exc)
        raise StoreError(f"cannot restore into the store {target}: {why}") from None
    finally:
        dst.close()
        src.close()


class _closing:
    """``contextlib.closing`` for a sqlite3 connection (whose own ``with`` only commits)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *_exc: object) -> None:
        self.conn.close()


# --- PostgreSQL ------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: on PATH, else the newest PostgreSQL's bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"{PG_BIN}/{name}"), key=_major_version)
    if candidates:
        return candidates[-1]
    raise StoreError(
        f"{name} was found neither on PATH nor in {PG_BIN}; install PostgreSQL's "
        "client programs (apt-get install postgresql-client) to back up or restore "
        "a PostgreSQL store"
    )


def _major_version(path: str) -> int:
    found = re.search(r"/postgresql/(\d+)/", path)
    return int(found.group(1)) if found else 0


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The libpq URI (without the password) and the environment that carries the password."""
    plain = url.set(drivername="postgresql", password=None)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        raise StoreError(
            f"{what} took longer than {PG_TIMEOUT_SECONDS} s and was stopped"
        ) from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise StoreError(f"{what} failed: {lines[-1] if lines else f'exit {done.returncode}'}")
    return done.stdout


def _pg_dump(url: URL, target: Path) -> None:
    uri, env = _libpq(url)
    command = [pg_tool("pg_dump"), "--format=custom", f"--file={target}", f"--dbname={uri}"]
    _run(command, env, "pg_dump")


def _pg_revision(source: Path) -> str | None:
    # The data of alembic_version, as the COPY block of a plain SQL script.
    command = [pg_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-"]
    script = _run([*command, str(source)], dict(os.environ), "pg_restore (reading the backup)")
    lines = script.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and number + 1 < len(lines):
            value = lines[number + 1].strip()
            return None if value == "\\." else value
    return None


def _pg_tables(source: Path) -> set[str]:
    listing = _run([pg_tool("pg_restore"), "--list", str(source)], dict(os.environ), "pg_restore")
    return set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, flags=re.MULTILINE))


def _pg_restore(store: Store, source: Path) -> None:
    # Tables the backup lacks (the store is of a newer revision) would be in the
    # way of migrating the restored schema: dropped first. --clean replaces the
    # others within pg_restore's one transaction.
    in_backup = _pg_tables(source)
    with store.engine.begin() as conn:
        for table in sorted(set(sa.inspect(conn).get_table_names()) - in_backup):
            quoted = conn.dialect.identifier_preparer.quote(table)
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {quoted} CASCADE"))
    store.engine.dispose()
    uri, env = _libpq(store.engine.url)
    command = [
        pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        f"--dbname={uri}",
        str(source),
    ]
    _run(command, env, "pg_restore")
