"""Crashes lose nothing: ingest, harvest and build killed at many points, then run again.

Each command is first run without interruption, which gives the reference
store and the number of its steps (SQL statements and commits, see
``crash_support``). Then, for kill points spread over those steps, the same
command runs in a fresh store and is killed with SIGKILL just before that
step, and is run again to the end: the store must end identical, table by
table, to the reference (no lost record, no duplicate, no half-applied merge).
A build is one transaction, so a killed build must also leave the store
exactly as it was before it started.

A few kills at wall-clock delays of real ``python -m scholarfolio``
processes cover what the step hook cannot reach (a kill inside the driver,
during a write to the disk). Every test runs on SQLite and, when
SCHOLARFOLIO_TEST_PG is set, on PostgreSQL.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from crash_support import (
    ChildResult,
    copy_sqlite,
    differences,
    dump_store,
    kill_points,
    run_cli,
)
from harvest.replay import ReplayServer
from harvest.support import ARXIV_FROM, add_arxiv_pages
from pg_support import POSTGRESQL, PostgresDatabases
from sqlalchemy.pool import NullPool

from scholarfolio import pipeline, search
from scholarfolio.search.query import MAX_PER_PAGE, Paging
from scholarfolio.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
# Small real corpora of several formats: arXiv snapshot lines, an OAI-PMH page,
# OpenAlex works with their authors, S2 citation edges, BibTeX and CSL. The
# snapshot and the OAI page share papers, so later files update earlier records.
CORPUS = [
    FIXTURES / "arxiv" / "snapshot",
    FIXTURES / "arxiv" / "oai" / "listrecords_arXiv_436115_405001_cut.xml.gz",
    FIXTURES / "openalex" / "idb03_A5071165005_works.jsonl.gz",
    FIXTURES / "openalex" / "idb03_A5071165005.json.gz",
    FIXTURES / "s2" / "s2ag_citations-sample.jsonl.gz",
    FIXTURES / "bibtex",
    FIXTURES / "csl",
]
# The part ingested and built before the build that gets killed; the rest comes after.
FIRST_PART, SECOND_PART = CORPUS[:3], CORPUS[3:]
BATCH = "15"  # records per ingest transaction: many batches from a small corpus
KILLS = 8  # kill points per command and store kind
SEARCHES = ("quantum", "black hole", "neural network")

Locations = Callable[[str], str]


@pytest.fixture
def locations(
    store_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Locations]:
    """Makes empty stores of this test's kind: ``locations(name)`` is a fresh ``--db`` value."""
    made: list[str] = []
    databases: PostgresDatabases | None = None
    if store_kind == POSTGRESQL:
        databases = request.getfixturevalue("postgres_databases")

    def make(name: str) -> str:
        if databases is None:
            return str(tmp_path / f"{name}.db")
        made.append(databases.create())
        return databases.url_of(made[-1])

    yield make
    for name in made:
        assert databases is not None
        databases.drop(name)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_INGEST_BATCH", BATCH)


def _copy(source: str, target: str) -> None:
    """Make ``target`` (a fresh store) hold exactly what ``source`` holds."""
    if "://" not in source:
        Path(target).unlink(missing_ok=True)
        copy_sqlite(Path(source), Path(target))
        return
    url = sa.make_url(target)
    admin = sa.create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{url.database}" WITH (FORCE)')
        conn.exec_driver_sql(
            f'CREATE DATABASE "{url.database}" TEMPLATE "{sa.make_url(source).database}"'
        )
    admin.dispose()


def _snapshot(location: str, folder: Path | None = None) -> dict[str, list[str]]:
    with Store.open(location) as store:
        dumped = dump_store(store, folder)
        # Every match, as a set: tantivy orders equal scores by its segments' layout.
        found = [search.search(store, q, Paging(per_page=MAX_PER_PAGE)) for q in SEARCHES]
        assert all(0 < result["total_works"] <= MAX_PER_PAGE for result in found)
        dumped["(searches)"] = [repr(sorted(w["id"] for w in result["works"])) for result in found]
    return dumped


def _build(location: str) -> None:
    with Store.open(location) as store:
        pipeline.build(store)


def _assert_same(got: dict[str, list[str]], expected: dict[str, list[str]], where: str) -> None:
    problems = differences(got, expected)
    assert not problems, f"{where}: " + "; ".join(problems)


def test_ingest_killed_at_every_kind_of_step_resumes_to_the_same_store(
    locations: Locations, tmp_path: Path
) -> None:
    args = ["ingest", *map(str, CORPUS)]
    reference = locations("reference")
    full = run_cli(["--db", reference, *args], tmp_path / "reference.log")
    assert full.code == 0, full.output
    _build(reference)
    expected = _snapshot(reference)
    assert len(expected["records"]) > 200 and len(expected["works"]) > 200
    points = kill_points(full.steps, KILLS)
    for point in points:
        location = locations(f"killed-{point}")
        killed = run_cli(["--db", location, *args], tmp_path / f"k{point}.log", kill_at=point)
        assert killed.code == -signal.SIGKILL, killed.output
        again = run_cli(["--db", location, *args], tmp_path / f"r{point}.log")
        assert again.code == 0, again.output
        _build(location)
        _assert_same(_snapshot(location), expected, f"ingest killed before step {point}")
    assert len(points) == KILLS and full.steps > 100


def _base_store(locations: Locations, tmp_path: Path) -> str:
    """A store built once from the first part of the corpus, with the second part ingested since."""
    base = locations("base")
    for part in (FIRST_PART, SECOND_PART):
        done = run_cli(["--db", base, "ingest", *map(str, part)], tmp_path / "base.log")
        assert done.code == 0, done.output
        if part is FIRST_PART:
            _build(base)
    return base


def test_build_killed_anywhere_leaves_the_store_as_it_was_and_resumes_to_the_same_store(
    locations: Locations, tmp_path: Path
) -> None:
    base = _base_store(locations, tmp_path)
    before = dump_store_at(base)
    reference = locations("reference")
    _copy(base, reference)
    full = run_cli(["--db", reference, "build"], tmp_path / "reference.log")
    assert full.code == 0, full.output
    expected = _snapshot(reference)
    assert before != dump_store_at(reference)  # the build had work to do
    points = kill_points(full.steps, KILLS)
    for point in points:
        location = locations(f"killed-{point}")
        _copy(base, location)
        killed = run_cli(["--db", location, "build"], tmp_path / f"k{point}.log", kill_at=point)
        assert killed.code == -signal.SIGKILL, killed.output
        _assert_same(dump_store_at(location), before, f"build killed before step {point}")
        again = run_cli(["--db", location, "build"], tmp_path / f"r{point}.log")
        assert again.code == 0, again.output
        _assert_same(_snapshot(location), expected, f"build killed before step {point}")
    assert len(points) == KILLS and full.steps > 50


def dump_store_at(location: str) -> dict[str, list[str]]:
    with Store.open(location) as store:
        return dump_store(store)


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """The recorded arXiv OAI-PMH pages served on 127.0.0.1 (see tests/harvest/replay.py)."""
    server = ReplayServer()
    add_arxiv_pages(server)
    server.start()
    yield server
    server.stop()
    assert not server.unmatched, server.unmatched


def _no_waiting() -> None:
    # The child asks the replay server, not arXiv: no need for arXiv's 3 s between requests.
    import scholarfolio.harvest.arxiv

    scholarfolio.harvest.arxiv.INTERVAL = 0.0


def test_harvest_killed_anywhere_resumes_to_the_same_store(
    locations: Locations, replay: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    def harvest(location: str, folder: Path, log: str, kill_at: int | None = None) -> ChildResult:
        options = ["--out", str(folder), "--base-url", replay.url + "/oai2", "--from", ARXIV_FROM]
        args = ["--db", location, "harvest", "arxiv", *options]
        return run_cli(args, tmp_path / log, kill_at=kill_at, prepare=_no_waiting)

    reference, reference_folder = locations("reference"), tmp_path / "reference"
    full = harvest(reference, reference_folder, "reference.log")
    assert full.code == 0, full.output
    _build(reference)
    expected = _snapshot(reference, reference_folder)
    assert len(expected["records"]) == 80
    points = kill_points(full.steps, KILLS)
    for point in points:
        location, folder = locations(f"killed-{point}"), tmp_path / f"killed-{point}"
        killed = harvest(location, folder, f"k{point}.log", kill_at=point)
        assert killed.code == -signal.SIGKILL, killed.output
        again = harvest(location, folder, f"r{point}.log")
        assert again.code == 0, again.output
        _build(location)
        _assert_same(_snapshot(location, folder), expected, f"harvest killed before step {point}")
    assert len(points) == KILLS


def _real_process(location: str, args: list[str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "scholarfolio", "--db", location, *args]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.sqlite_only("time: real processes cost a second each; step kills cover PostgreSQL")
@pytest.mark.parametrize("command", ["ingest", "build"])
def test_real_processes_killed_at_moments_in_their_run_lose_nothing(
    command: str, locations: Locations, tmp_path: Path
) -> None:
    # The delays are a spread, not a timing: whatever moment each kill lands on
    # (importing, reading, writing, committing), the outcome must be the same.
    base = _base_store(locations, tmp_path) if command == "build" else None
    args = ["build"] if command == "build" else ["ingest", *map(str, CORPUS)]
    reference = locations("reference")
    if base is not None:
        _copy(base, reference)
    started = time.monotonic()
    finished = _real_process(reference, args)
    _, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err.decode()
    took = time.monotonic() - started
    if command == "ingest":
        _build(reference)
    expected = _snapshot(reference)
    for fraction in (0.55, 0.75, 0.95):
        location = locations(f"killed-{fraction}")
        if base is not None:
            _copy(base, location)
        process = _real_process(location, args)
        time.sleep(took * fraction)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        again = _real_process(location, args)
        _, err = again.communicate(timeout=300)
        assert again.returncode == 0, err.decode()
        if command == "ingest":
            _build(location)
        _assert_same(_snapshot(location), expected, f"{command} killed after {fraction:.0%}")
