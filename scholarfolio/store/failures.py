"""Database errors with a plain cause (a full disk, a read-only store, a busy writer) as StoreError.

The store's engine calls :func:`explain` for every error the driver raises
(SQLAlchemy's ``handle_error`` event). When the cause is one a user can act on,
it becomes a :class:`~scholarfolio.errors.StoreError` whose one line names it,
so the CLI prints that line and exits 1 instead of a traceback; the
transaction under way is rolled back as for any error, so the store keeps
what it held before it. Other errors pass through unchanged.
"""

from __future__ import annotations

import resource
import shutil
from pathlib import Path

from sqlalchemy.engine import ExceptionContext
from sqlalchemy.engine.url import URL

from scholarfolio.errors import StoreError

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL = 5, 6, 8, 10, 13
SQLITE_CANTOPEN = 14
SQLITE_IOERR_WRITE = 778
# PostgreSQL's SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
PG_DISK_FULL, PG_READ_ONLY, PG_NO_PRIVILEGE = "53100", "25006", "42501"
# Below this much free space a failed write is put down to a full disk.
NEARLY_FULL_BYTES = 16 * 2**20

ROLLED_BACK = "the transaction under way was rolled back"


def where(url: URL) -> str:
    """The store as a user names it: the SQLite file, or host/database (never a password)."""
    if url.get_backend_name() == "sqlite":
        return str(url.database or ":memory:")
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def explain(context: ExceptionContext) -> None:
    """Raise StoreError for a driver error with a plain cause; return to let others pass."""
    original = context.original_exception
    store = where(context.engine.url) if context.engine is not None else "the store"
    message = cause(original, store)
    if message is not None:
        raise StoreError(message) from original


def cause(error: BaseException, store: str) -> str | None:
    """The one-line explanation of a SQLite or PostgreSQL driver error, if it has a plain cause."""
    return _sqlite_cause(error, store) or _postgres_cause(error, store)


def _sqlite_cause(error: BaseException, store: str) -> str | None:
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    primary = code & 0xFF
    if primary == SQLITE_FULL:
        return f"cannot write to the store {store}: the disk is full; {ROLLED_BACK}"
    if code == SQLITE_IOERR_WRITE:
        return f"cannot write to the store {store}: {_write_failure(store)}; {ROLLED_BACK}"
    if primary == SQLITE_READONLY:
        return (
            f"cannot write to the store {store}: the store is read-only "
            f"(check the file's and its folder's permissions); {ROLLED_BACK}"
        )
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return (
            f"the store {store} is busy: another process has been writing to it for longer "
            f"than the busy timeout; run the command again once it is done ({ROLLED_BACK})"
        )
    if primary == SQLITE_CANTOPEN:
        return f"cannot open the store {store}: the file or its folder cannot be opened ({error})"
    return None


def _write_failure(store: str) -> str:
    """Why SQLite could not write its file: a full disk, a file size limit, or an I/O error."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft != resource.RLIM_INFINITY:
        # write() fails with EFBIG past the limit, which SQLite reports as an I/O error.
        return (
            f"the disk is full for this process (its file size limit, ulimit -f, is {soft} bytes)"
        )
    try:
        free = shutil.disk_usage(Path(store).parent).free
    except OSError:
        free = None
    if free is not None and free < NEARLY_FULL_BYTES:
        return f"the disk is full ({free} bytes free)"
    return "a disk I/O error while writing (the disk may be full or failing)"


def _postgres_cause(error: BaseException, store: str) -> str | None:
    state = getattr(error, "sqlstate", None)
    if state == PG_DISK_FULL:
        return f"cannot write to the store {store}: the disk is full; {ROLLED_BACK}"
    if state == PG_READ_ONLY:
        return (
            f"cannot write to the store {store}: the store is read-only "
            f"(a read-only transaction or server); {ROLLED_BACK}"
        )
    if state == PG_NO_PRIVILEGE:
        return (
            f"cannot write to the store {store}: the store is read-only for this database "
            f"user ({str(error).splitlines()[0]}); {ROLLED_BACK}"
        )
    return None
