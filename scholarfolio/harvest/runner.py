"""The resumable page loop every harvester shares.

A harvester is a :class:`PageSource`: it knows how to request the page at a
position and how to read a page (its record count and the next position). For
each page the loop

1. takes the state's position and page number;
2. reads that page from disk when it is there (a page is never downloaded
   twice), else requests it and saves it atomically;
3. ingests the page into the store (idempotent: reading a page again changes
   nothing);
4. saves the state pointing at the next page (the page's commit point) and
   reports a progress line.

A harvest killed anywhere in 1-4 resumes at step 1 with the same page, so it
ends with the same store as an uninterrupted one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Protocol

import httpx

from scholarfolio import pipeline
from scholarfolio.errors import BadInput, UpstreamError
from scholarfolio.harvest.folder import HarvestFolder, HarvestState, Scalar
from scholarfolio.harvest.http import Clock, SystemClock
from scholarfolio.models import IngestSummary
from scholarfolio.store import Store

# Ingests one saved page (the CLI passes pipeline.ingest_paths into its store).
PageSink = Callable[[Path], IngestSummary]
# Receives one progress line; the library itself prints nothing.
Report = Callable[[str], None]
Position = dict[str, Scalar]
Params = dict[str, Scalar]


def _quiet(_line: str) -> None:
    pass


@dataclass(frozen=True, slots=True)
class Page:
    """What a response page holds, as far as paging is concerned."""

    records: int
    next: Position | None  # where the following page starts; None after the last page
    keep: bool = True  # False for an answer with nothing to save (noRecordsMatch, empty end)
    date: str | None = None  # the server's date on the answer, when it gives one


class PageSource(Protocol):
    """One source's requests and pages."""

    name: str  # "arxiv", "openalex", "s2": the state's source and the messages' name
    suffix: str  # page files are page-NNNNNN.<suffix>.gz
    incremental: bool  # True: a finished harvest is followed by a new run from ``since``

    def defaults(self, saved: HarvestState | None, given: Mapping[str, Scalar]) -> Params:
        """Every parameter with its value for a new run when the user gives none."""

    def check(self, params: Params) -> None:
        """Raise BadInput when a new run cannot start with these parameters."""

    def begin(self, folder: HarvestFolder, params: Params, resumed: bool) -> None:
        """Prepare a run (save or load what resuming needs)."""

    def fetch(self, params: Params, position: Position | None) -> bytes:
        """The body of the page at ``position`` (None: the run's first page)."""

    def read(self, body: bytes, position: Position | None) -> Page:
        """Read a page body; UpstreamError when it is an error or unusable."""

    def since(self, state: HarvestState) -> str | None:
        """Where the next incremental run starts, once ``state``'s run is complete."""


@dataclass(frozen=True)
class HarvestEnv:
    """Where and how a harvest runs: its folder, its store, its progress lines, its clock."""

    folder: Path
    ingest: PageSink
    report: Report = _quiet
    clock: Clock = field(default_factory=SystemClock)
    transport: httpx.BaseTransport | None = None  # tests may pass an httpx test transport


@dataclass
class HarvestSummary:
    """What a harvest did in this invocation and where its run stands."""

    source: str
    folder: Path
    pages: int = 0  # pages of the run (all invocations)
    records: int = 0  # records in them
    downloaded: int = 0  # pages requested now
    reused: int = 0  # pages found on disk and not requested again
    complete: bool = False
    ingested: IngestSummary = field(default_factory=IngestSummary)

    def line(self) -> str:
        """One line for the end of the command."""
        status = "complete" if self.complete else "stopped"
        return (
            f"{self.source} harvest {status}: {self.pages} page(s), {self.records} records "
            f"in {self.folder} ({self.downloaded} downloaded now, {self.reused} already on "
            f"disk); {self.ingested.line()}"
        )


def store_sink(store: Store) -> PageSink:
    """Ingest each page into ``store``."""
    return lambda page: pipeline.ingest_paths(store, [page])


def option(name: str) -> str:
    """The command-line spelling of a parameter: ``max_results`` is ``--max-results``."""
    return "--" + name.replace("_", "-")


def _shown(value: Scalar) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def resolve_params(
    source: PageSource, saved: HarvestState | None, given: Mapping[str, Scalar], where: Path
) -> tuple[Params, bool]:
    """The run's parameters, and whether they resume ``saved``'s unfinished run.

    Resuming, every parameter given must equal the saved one (the others are
    inherited); a new run takes the given values over the source's defaults.
    """
    if saved is not None and not saved.complete:
        for name, value in given.items():
            held = saved.params.get(name)
            if value is not None and value != held:
                raise BadInput(
                    f"{where} holds an unfinished {source.name} harvest with {option(name)} "
                    f"{_shown(held)}, not {_shown(value)}: resume it with the same options "
                    "(or none), or use another --out"
                )
        return dict(saved.params), True
    params = source.defaults(saved, given)
    params.update({name: value for name, value in given.items() if value is not None})
    return params, False


def _describe(params: Params) -> str:
    return " ".join(f"{option(k)} {v}" for k, v in params.items() if v is not None) or "-"


def _absorb(total: IngestSummary, part: IngestSummary) -> None:
    """Add one page's ingest counts to the harvest's (every count field, and the per-format)."""
    for column in fields(IngestSummary):
        mine, theirs = getattr(total, column.name), getattr(part, column.name)
        if isinstance(mine, dict) and isinstance(theirs, dict):
            for name, count in theirs.items():
                mine[name] = mine.get(name, 0) + count
        elif isinstance(mine, int) and isinstance(theirs, int):
            setattr(total, column.name, mine + theirs)


class _Run:
    """One invocation of the page loop over an open folder."""

    def __init__(self, source: PageSource, folder: HarvestFolder, env: HarvestEnv) -> None:
        self.source = source
        self.folder = folder
        self.env = env
        self.summary = HarvestSummary(source.name, folder.path)

    def start(self, saved: HarvestState | None, given: Mapping[str, Scalar]) -> HarvestState:
        """The state to continue from: the unfinished run, or a new run (saved at once)."""
        if saved is not None and saved.source != self.source.name:
            raise BadInput(
                f"{self.folder.path} holds a {saved.source} harvest, not {self.source.name}: "
                "use another --out"
            )
        params, resumed = resolve_params(self.source, saved, given, self.folder.path)
        if resumed and saved is not None:
            self.env.report(
                f"{self.source.name}: resuming the harvest in {self.folder.path} at page "
                f"{saved.next_page} ({saved.pages} page(s), {saved.records} records so far)"
            )
            self.source.begin(self.folder, params, resumed=True)
            return saved
        if saved is not None and saved.params == params and not self.source.incremental:
            return saved
        self.source.check(params)
        self.source.begin(self.folder, params, resumed=False)
        state = HarvestState(
            source=self.source.name,
            params=params,
            next_page=self.folder.last_page_number() + 1,
            started=self.env.clock.now().isoformat(timespec="seconds"),
        )
        self.folder.save_state(state)
        self.env.report(
            f"{self.source.name}: harvesting into {self.folder.path} ({_describe(params)})"
        )
        return state

    def step(self, state: HarvestState) -> HarvestState:
        """Handle the page at the state's position; the state after it, already saved."""
        path = self.folder.page_path(state.next_page)
        body = self.folder.read_page(path) if path.exists() else None
        downloaded = body is None
        if body is None:
            body = self.source.fetch(state.params, state.position)
        page = self.source.read(body, state.position)
        ingested = None
        if page.keep:
            if downloaded:
                self.folder.save_page(path, body)
            ingested = self.env.ingest(path)
        state = self._advance(state, page)
        self.folder.save_state(state)
        self._tally(state, page, downloaded, ingested)
        return state

    def _advance(self, state: HarvestState, page: Page) -> HarvestState:
        kept = 1 if page.keep else 0
        state = replace(
            state,
            position=page.next,
            next_page=state.next_page + kept,
            pages=state.pages + kept,
            records=state.records + page.records,
            run_date=state.run_date or page.date,
        )
        limit = state.params.get("max_results")
        if page.next is None or (isinstance(limit, int) and state.records >= limit):
            finished = self.env.clock.now().isoformat(timespec="seconds")
            state = replace(state, complete=True, finished=finished)
            state = replace(state, since=self.source.since(state))
        return state

    def _tally(
        self, state: HarvestState, page: Page, downloaded: bool, ingested: IngestSummary | None
    ) -> None:
        if ingested is None:
            self.env.report(f"{self.source.name}: no more records")
            return
        _absorb(self.summary.ingested, ingested)
        self.summary.downloaded += int(downloaded)
        self.summary.reused += int(not downloaded)
        where = "" if downloaded else " (already on disk)"
        self.env.report(
            f"page {state.next_page - 1}{where}: {page.records} records "
            f"({state.records} in this harvest); {ingested.line()}"
        )

    def finish(self, state: HarvestState) -> HarvestSummary:
        """The summary, with the run's totals."""
        self.summary.pages = state.pages
        self.summary.records = state.records
        self.summary.complete = state.complete
        return self.summary


def run_harvest(source: PageSource, env: HarvestEnv, given: Mapping[str, Scalar]) -> HarvestSummary:
    """Start or resume the harvest in ``env.folder`` and page until it is complete.

    ``given`` holds the parameters the user gave (None for those left out).
    Raises BadInput for parameters that contradict an unfinished harvest, and
    UpstreamError (with the progress kept) when the source fails.
    """
    with HarvestFolder.locked(env.folder, source.suffix) as folder:
        run = _Run(source, folder, env)
        state = run.start(folder.load_state(), given)
        if state.complete:
            env.report(
                f"{source.name}: the harvest in {folder.path} is already complete; "
                "use another --out to harvest again"
            )
        try:
            while not state.complete:
                state = run.step(state)
        except UpstreamError as error:
            raise UpstreamError(
                f"{error}. Progress is saved in {folder.path} ({state.pages} page(s)): "
                "run the same command again to resume"
            ) from error
        return run.finish(state)
