"""The one error hierarchy of scholarfolio.

Every error the library raises on purpose derives from :class:`ScholarfolioError`,
so the CLI and the web layer can turn any of them into one clear message:

- :class:`BadInput`: the user gave something unusable (a missing file, an unknown
  format, a malformed query). The message says what was expected.
- :class:`NotFound`: a named thing (an author, a work) is not in the store.
  Its subclass :class:`Moved` says the thing now answers under another id
  (an author absorbed by a merge); the web answers a permanent redirect.
- :class:`StoreError`: the store cannot be opened or used (unknown ``--db``
  scheme, a missing database driver, a store that is not a scholarfolio store).
- :class:`ServeError`: the web server cannot start (a port in use).
- :class:`UpstreamError`: a remote source misbehaved (used by the harvesters).
- :class:`BenchError`: a benchmark cannot run (a tool such as wrk or nginx is
  missing, or a process it started failed).
- :class:`EngineError`: the metrics engine cannot run (Spark could not start,
  or its job failed).

A malformed *record* inside an input file is not an exception: it becomes a
:class:`scholarfolio.models.Reject` and the ingest goes on.
"""

from __future__ import annotations


class ScholarfolioError(Exception):
    """Base class of every error scholarfolio raises on purpose."""


class BadInput(ScholarfolioError):
    """The user supplied input that cannot be used."""


class NotFound(ScholarfolioError):
    """A requested author, work or file does not exist."""


class Moved(NotFound):
    """The requested id was absorbed by a merge and now answers as ``new_id``."""

    def __init__(self, old_id: str, new_id: str) -> None:
        super().__init__(f"{old_id!r} is now {new_id!r}")
        self.old_id = old_id
        self.new_id = new_id


class StoreError(ScholarfolioError):
    """The store cannot be opened or used."""


class ServeError(ScholarfolioError):
    """The web server cannot start."""


class UpstreamError(ScholarfolioError):
    """A remote source returned an error or unusable data."""


class BenchError(ScholarfolioError):
    """A benchmark cannot run: a tool it needs is missing, or a process it started failed."""


class EngineError(ScholarfolioError):
    """The metrics engine cannot run: Spark could not start or its job failed."""
