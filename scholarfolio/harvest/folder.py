"""A harvest folder: the saved response pages and the state that says what comes next.

Layout of a folder (default ``harvest/<source>/``)::

    page-000001.xml.gz     one response body per page, gzipped, numbered in request order
    page-000002.xml.gz     (``.json.gz`` for OpenAlex and Semantic Scholar)
    .harvest-state.json    the run's parameters, the next request, counts, completion
    .harvest.lock          held while a harvest writes here (the OS drops it if it dies)

Every file is written atomically (a hidden temporary file, then a rename), so a
harvest killed at any moment leaves the old file or the new one, never half of
one. Hidden names keep ``scholarfolio ingest harvest/arxiv/`` to the pages.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from scholarfolio.errors import BadInput

STATE_FILE = ".harvest-state.json"
LOCK_FILE = ".harvest.lock"
STATE_FORMAT = 1
_PAGE_NAME = re.compile(r"^page-(\d{6,})\.\w+\.gz$")

Scalar = str | int | None


@dataclass(frozen=True, slots=True)
class HarvestState:
    """Where a harvest stands. Saved after each page: it is the page's commit point.

    ``position`` is where the request for page ``next_page`` starts (an OAI
    resumption token, an OpenAlex cursor, an S2 token or batch chunk); None means
    the run's first request. ``pages`` and ``records`` count the current run.
    """

    source: str
    params: dict[str, Scalar]
    position: dict[str, Scalar] | None = None
    next_page: int = 1
    pages: int = 0
    records: int = 0
    complete: bool = False
    started: str = ""
    finished: str | None = None
    run_date: str | None = None  # the server's date on the run's first answer
    since: str | None = None  # where the next incremental run starts

    def to_json(self) -> dict[str, Any]:
        """The state as the JSON object saved on disk."""
        return {"format": STATE_FORMAT, **asdict(self)}

    @classmethod
    def from_json(cls, data: object, where: Path) -> HarvestState:
        """Read a saved state; BadInput when it is not one this version wrote."""
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise BadInput(f"{where} is not a harvest state file (format {STATE_FORMAT})")
        values = {key: value for key, value in data.items() if key != "format"}
        try:
            return cls(**values)
        except TypeError as error:
            raise BadInput(f"{where} is not a harvest state file: {error}") from None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old or the new file."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    # The rename itself survives a power cut only once the folder is synced.
    if sys.platform == "win32":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _lock(handle: IO[bytes], folder: Path) -> None:
    if sys.platform == "win32":
        return
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise BadInput(f"another harvest is running in {folder}") from None


class HarvestFolder:
    """The pages and state of one harvest folder; :meth:`locked` opens it for a harvest."""

    def __init__(self, path: Path, suffix: str) -> None:
        self.path = path
        self.suffix = suffix

    @classmethod
    @contextmanager
    def locked(cls, path: Path, suffix: str) -> Iterator[HarvestFolder]:
        """Create the folder if needed and hold its lock for the duration."""
        if path.exists() and not path.is_dir():
            raise BadInput(f"--out {path} is a file, not a folder")
        path.mkdir(parents=True, exist_ok=True)
        with open(path / LOCK_FILE, "ab") as lock:
            _lock(lock, path)
            folder = cls(path, suffix)
            folder.remove_leftovers()
            yield folder

    @property
    def state_path(self) -> Path:
        """Where the state file lives."""
        return self.path / STATE_FILE

    def remove_leftovers(self) -> None:
        """Delete temporary files a killed harvest left behind."""
        for leftover in self.path.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)

    def load_state(self) -> HarvestState | None:
        """The saved state, or None in a folder no harvest has used."""
        try:
            text = self.state_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
        except ValueError as error:
            raise BadInput(f"{self.state_path} is damaged: {error}") from None
        return HarvestState.from_json(data, self.state_path)

    def save_state(self, state: HarvestState) -> None:
        """Write the state atomically."""
        text = json.dumps(state.to_json(), indent=2, ensure_ascii=False) + "\n"
        atomic_write(self.state_path, text.encode("utf-8"))

    def page_path(self, number: int) -> Path:
        """``page-000042.xml.gz``."""
        return self.path / f"page-{number:06d}.{self.suffix}.gz"

    def last_page_number(self) -> int:
        """The highest page number on disk, 0 when there is none."""
        numbers = (_PAGE_NAME.match(entry.name) for entry in self.path.iterdir())
        return max((int(match[1]) for match in numbers if match), default=0)

    def save_page(self, path: Path, body: bytes) -> None:
        """Save one response body, gzipped (fixed mtime: same body, same bytes)."""
        atomic_write(path, gzip.compress(body, compresslevel=6, mtime=0))

    def read_page(self, path: Path) -> bytes | None:
        """A saved page's body; None when missing or unreadable (it is fetched again)."""
        try:
            return gzip.decompress(path.read_bytes())
        except (OSError, EOFError, zlib.error):
            return None

    def save_extra(self, name: str, data: bytes) -> None:
        """Save a hidden side file (an id list the run needs to resume)."""
        atomic_write(self.path / f".{name}", data)

    def read_extra(self, name: str) -> bytes | None:
        """A side file saved by :meth:`save_extra`, or None."""
        try:
            return (self.path / f".{name}").read_bytes()
        except FileNotFoundError:
            return None
