"""The web server keeps answering while a build runs, and every answer is wholly old or wholly new.

``scholarfolio serve`` runs in its own process on a built store; more records
are ingested, and ``scholarfolio build`` runs in another process while this test
asks for profile, search and work pages without pause, through the response
cache and around it (``Cache-Control: no-cache`` reads the store each time).
Every answer must be a 200 whose body is byte for byte the page before the
build or the page after it: a profile whose paper count, list of works and
last-build stamp came from two different states of the store would be neither.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from crash_support import db_location

from scholarfolio import pipeline, profiles
from scholarfolio.store import Store, queries

FIXTURES = Path(__file__).parent / "fixtures"
BUILT = [FIXTURES / "arxiv" / "snapshot", FIXTURES / "arxiv" / "oai"]
# Newer versions and more papers of the same field: profiles and searches change.
EXTRA = [FIXTURES / "arxiv" / "abs", FIXTURES / "arxiv" / "atom", FIXTURES / "csl"]
PATIENCE_SECONDS = 120.0
FRESH = {"Cache-Control": "no-cache"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture
def served(
    open_store: Callable[[str], AbstractContextManager[Store]],
) -> Iterator[tuple[Store, int]]:
    """A built store with more records ingested since, and ``scholarfolio serve`` on it."""
    with open_store("served") as store:
        pipeline.ingest_paths(store, BUILT)
        pipeline.build(store)
        port = _free_port()
        command = [sys.executable, "-m", "scholarfolio", "--db", db_location(store), "serve"]
        # No per-client rate limit: this test is one client asking as fast as it can.
        env = {**os.environ, "SCHOLARFOLIO_API_RATE": "0"}
        server = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + PATIENCE_SECONDS
        while server.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if _get(port, "/healthz", {})[0] == 200:
                    break
            time.sleep(0.1)
        assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
        pipeline.ingest_paths(store, EXTRA)
        yield store, port
        server.kill()
        server.wait()


def _paths(store: Store) -> list[str]:
    """Profiles (JSON and HTML) of the most prolific authors, searches, the home page, works."""
    leaders = [author["id"] for author in profiles.top_authors(store, 6)]
    paths = [f"/api/authors/{author}" for author in leaders] + [f"/authors/{leaders[0]}"]
    paths += ["/api/search?q=quantum", "/api/search?q=black+hole", "/search?q=field", "/"]
    return paths + ["/api/works/1", "/works/2", "/healthz"]


class _Reader(threading.Thread):
    """Asks for every path in turn, with and without the cache, until told to stop."""

    def __init__(self, port: int, paths: list[str]) -> None:
        super().__init__(daemon=True)
        self.port, self.paths = port, paths
        self.answers: list[tuple[str, int, bytes]] = []
        self.stop = threading.Event()
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                for path in self.paths:
                    for headers in ({}, FRESH):
                        status, body = _get(self.port, path, headers)
                        self.answers.append((path, status, body))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.failure = exc


def _consistent_profile(body: bytes) -> None:
    """One profile's figures agree with its own list of works."""
    profile: dict[str, Any] = json.loads(body)
    assert profile["metrics"]["works"] == profile["works_total"] == len(profile["works"])
    assert profile["metrics"]["citations"] == sum(w["citations"] for w in profile["works"])


def test_pages_served_during_a_build_are_all_old_or_all_new(served: tuple[Store, int]) -> None:
    store, port = served
    paths = _paths(store)
    before = {path: _get(port, path, FRESH) for path in paths}
    assert all(status == 200 for status, _ in before.values())
    readers = [_Reader(port, paths) for _ in range(3)]
    for reader in readers:
        reader.start()
    build = subprocess.run(
        [sys.executable, "-m", "scholarfolio", "--db", db_location(store), "build"],
        capture_output=True,
        timeout=PATIENCE_SECONDS,
    )
    # The response cache looks at the store's stamps once a second.
    time.sleep(2.5)
    for reader in readers:
        reader.stop.set()
        reader.join(PATIENCE_SECONDS)
        assert reader.failure is None, reader.failure
    assert build.returncode == 0, build.stderr.decode()
    after = {path: _get(port, path, FRESH) for path in paths}
    answers = [answer for reader in readers for answer in reader.answers]
    assert len(answers) > 10 * len(paths)
    for path, status, body in answers:
        assert status == 200, (path, status, body[:300])
        assert body in (before[path][1], after[path][1]), f"{path}: neither old nor new"
        if path.startswith("/api/authors/"):
            _consistent_profile(body)
    changed = [path for path in paths if before[path] != after[path]]
    # The build changed what these pages show, and readers saw both states.
    assert {"/", "/healthz", "/api/search?q=quantum"} <= set(changed)
    assert any(body == after[path][1] for path, _, body in answers if path in changed)
    assert any(body == before[path][1] for path, _, body in answers if path in changed)


def test_a_reader_sees_one_state_of_the_store_while_a_build_commits(
    open_store: Callable[[str], AbstractContextManager[Store]],
) -> None:
    # Deterministic: the build commits between two reads of one page's connection.
    with open_store("snapshot") as store:
        pipeline.ingest_paths(store, BUILT)
        pipeline.build(store)
        pipeline.ingest_paths(store, EXTRA)
        with store.engine.connect() as conn:
            stamp = queries.meta_value(conn, "last_build")
            works = conn.execute(sa.text("SELECT count(*) FROM works")).scalar_one()
            pipeline.build(store)
            assert queries.meta_value(conn, "last_build") == stamp
            assert conn.execute(sa.text("SELECT count(*) FROM works")).scalar_one() == works
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM works")).scalar_one() > works
