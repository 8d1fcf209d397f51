"""Fixtures of the harvest tests: the replay server and a fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .replay import ReplayServer
from .support import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def replay(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    """A running replay server; the test fails if a request had no recording or one went unused."""
    # A proxy configured in the environment must not carry requests meant for 127.0.0.1.
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    server = ReplayServer()
    server.clock = clock
    server.start()
    yield server
    server.stop()
    problems = server.problems()
    if problems:
        pytest.fail("replay server: " + "; ".join(problems), pytrace=False)
