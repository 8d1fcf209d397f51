"""The whole site as static files: every page, feed, BibTeX file and JSON document.

:func:`export_site` asks the web application itself for each URL, in process
(no server, no network), so the files are what ``scholarfolio serve`` would
send: the same routes, views and templates. What it writes::

    index.html                    the home page
    authors/{id}/index.html       each profile (and its further pages: page-2.html, ...)
    authors/{id}.json             the profile as JSON
    authors/{id}/feed.atom        the author's Atom feed
    authors/{id}/works.bib        the author's works as BibTeX
    works/{id}/index.html         each work (and further pages of its lists)
    works/{id}.json, works/{id}.bib
    api/openapi.json, api/docs/index.html, static/...

Links inside the pages are rewritten to these files (see
:mod:`scholarfolio.export.layout`); search has no static form, so its forms
are left out. Ids that are not safe file names are skipped and reported.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import queue
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

from scholarfolio import settings, works
from scholarfolio.errors import BadInput
from scholarfolio.export.layout import SiteWriter, Target, rewrite_links, safe_segment, target
from scholarfolio.store import Store
from scholarfolio.web.app import create_app

# A worker process costs a second or two to start: fewer authors and works than
# this per worker are exported faster by one process.
MIN_UNITS_PER_WORKER = 200
# Pages of one list followed from a page: far more than any real list needs,
# and a bound if a template ever links pages without end.
MAX_PAGES_PER_LIST = 1000

Progress = Callable[[str], None]


@dataclass
class ExportSummary:
    """What an export wrote, what it left out, and how long it took."""

    folder: Path
    files: int = 0
    bytes: int = 0
    authors: int = 0
    works: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        """One line for people."""
        shown = f" for {self.authors:,} authors and {self.works:,} works" if self.authors else ""
        text = (
            f"wrote {self.files:,} files ({self.bytes / 1e6:,.1f} MB){shown} to {self.folder} "
            f"in {self.seconds:,.1f} s"
        )
        if self.skipped:
            text += f"; skipped {len(self.skipped)} unsafe id(s)"
        if self.failed:
            text += f"; {len(self.failed)} URL(s) failed"
        return text


def default_base_url() -> str:
    """The public address feeds and ids use when none is given: the setting, else the
    address ``serve`` listens on."""
    return settings.BASE_URL.get() or f"http://{settings.HOST.get()}:{settings.PORT.get()}/"


def _site_units(store: Store, summary: ExportSummary) -> Iterator[list[str]]:
    """Every URL of the site that has a static form, grouped by the author or work they show."""
    yield ["/", "/api/openapi.json", "/api/docs"]
    for author_id in works.all_author_ids(store):
        if not safe_segment(author_id):
            summary.skipped.append(author_id)
            continue
        summary.authors += 1
        yield [
            f"/authors/{author_id}",
            f"/api/authors/{author_id}",
            f"/authors/{author_id}/feed.atom",
            f"/authors/{author_id}/works.bib",
        ]
    for work_id in works.all_work_ids(store):
        summary.works += 1
        yield [f"/works/{work_id}", f"/api/works/{work_id}", f"/works/{work_id}.bib"]


class _Exporter:
    """Fetches URLs from the app and writes them, following links to further list pages."""

    def __init__(
        self, client: httpx.AsyncClient, writer: SiteWriter, summary: ExportSummary
    ) -> None:
        self.client = client
        self.writer = writer
        self.summary = summary
        self.done: set[str] = set()
        self.pending: list[Target] = []
        self.queued: set[str] = set()
        self.pages_per_list: dict[str, int] = {}

    async def save(self, wanted: Target) -> None:
        """Fetch one URL and write it; a page's further list pages are queued."""
        if wanted.file in self.done:
            return
        self.done.add(wanted.file)
        self.queued.add(wanted.file)
        response = await self.client.get(wanted.url)
        if response.status_code != 200:
            self.summary.failed.append(f"{wanted.url}: {response.status_code}")
            return
        content = response.content
        if wanted.is_html:
            page_path = wanted.url.split("?", 1)[0]
            page = rewrite_links(response.text, wanted.url, lambda t: self._linked(page_path, t))
            content = page.encode("utf-8")
        self.writer.write(wanted.file, content)

    def _linked(self, page_path: str, linked: Target) -> None:
        """Queue another page of one of this page's own lists (other pages have their turn)."""
        base = linked.url.split("?", 1)[0]
        if "?" not in linked.url or base != page_path or linked.file in self.queued:
            return
        count = self.pages_per_list.get(base, 0)
        if count < MAX_PAGES_PER_LIST:
            self.pages_per_list[base] = count + 1
            self.queued.add(linked.file)
            self.pending.append(linked)

    async def drain(self) -> None:
        """Export every list page found so far, and those they link to."""
        while self.pending:
            await self.save(self.pending.pop())


def _copy_static(writer: SiteWriter) -> None:
    static = resources.files("scholarfolio.web").joinpath("static")
    for item in static.iterdir():
        if item.is_file() and safe_segment(item.name):
            writer.write(f"static/{item.name}", item.read_bytes())


async def _export(
    store: Store,
    urls: Iterable[str],
    writer: SiteWriter,
    summary: ExportSummary,
    base_url: str,
    progress: Progress,
) -> None:
    transport = httpx.ASGITransport(app=create_app(store))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        exporter = _Exporter(client, writer, summary)
        for url in urls:
            wanted = target(url)
            if wanted is None:
                summary.skipped.append(url)
                continue
            await exporter.save(wanted)
            await exporter.drain()
            progress(url)


def _export_part(location: str, folder: str, base_url: str, urls: list[str], events: Any) -> Any:
    """One worker process's share of an export: its own store connection and app."""
    summary = ExportSummary(folder=Path(folder))
    writer = SiteWriter(Path(folder))
    with Store.open(location) as store:
        asyncio.run(_export(store, urls, writer, summary, base_url, events.put))
    return writer.files, writer.bytes, summary.failed


def _in_processes(
    location: str,
    shares: list[list[str]],
    writer: SiteWriter,
    base_url: str,
    summary: ExportSummary,
    progress: Progress,
) -> None:
    """Export each share of the URLs in its own process, reporting progress as they go."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(len(shares), context) as pool:
        events = manager.Queue()
        folder = str(writer.root)
        running = [
            pool.submit(_export_part, location, folder, base_url, share, events) for share in shares
        ]
        while not all(part.done() for part in running) or not events.empty():
            try:
                progress(events.get(timeout=0.2))
            except queue.Empty:
                continue
        for part in running:
            files, size, failed = part.result()
            writer.files += files
            writer.bytes += size
            summary.failed.extend(failed)


def _location(store: Store) -> str | None:
    """The store's address for another process to open, or None for an in-memory store."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


def export_site(
    store: Store,
    folder: Path | str,
    base_url: str | None = None,
    progress: Progress | None = None,
    urls: Iterable[str] | None = None,
    workers: int = 1,
) -> ExportSummary:
    """Write the whole site as static files under ``folder`` (created if missing).

    ``base_url`` is the public address the files will be served from; feeds use
    it for their ids and links. ``progress`` is called with each URL exported.
    ``urls`` exports only those server URLs (and the further pages of their
    lists) instead of the whole site. Up to ``workers`` processes share the work,
    one per :data:`MIN_UNITS_PER_WORKER` authors and works (each opens the store
    again; an in-memory store is exported by one).
    """
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise BadInput(f"{root} exists and is not a folder")
    base = base_url or default_base_url()
    if not base.startswith(("http://", "https://")):
        raise BadInput(f"the base URL must start with http:// or https:// (got {base!r})")
    if workers < 1:
        raise BadInput(f"workers must be 1 or more (got {workers})")
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary = ExportSummary(folder=root)
    writer = SiteWriter(root)
    report = progress or (lambda url: None)
    units = list(_site_units(store, summary)) if urls is None else [list(urls)]
    location = _location(store)
    workers = min(workers, len(units) // MIN_UNITS_PER_WORKER)
    if workers <= 1 or location is None:
        wanted = [url for unit in units for url in unit]
        asyncio.run(_export(store, wanted, writer, summary, base, report))
    else:
        shares = [[url for unit in units[i::workers] for url in unit] for i in range(workers)]
        _in_processes(location, [share for share in shares if share], writer, base, summary, report)
    _copy_static(writer)
    summary.files, summary.bytes = writer.files, writer.bytes
    summary.seconds = time.perf_counter() - started
    return summary
