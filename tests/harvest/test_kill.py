"""A harvest killed with SIGKILL and resumed ends with the same store as an uninterrupted one.

The killed and the resumed harvests are real ``python -m scholarfolio harvest
arxiv`` processes talking to the replay server; the reference harvest runs in
this process on the fake clock.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from scholarfolio import pipeline
from scholarfolio.harvest import ArxivQuery, harvest_arxiv, store_sink
from scholarfolio.store import Store

from .replay import ReplayServer
from .support import ARXIV_FROM, FakeClock, add_arxiv_pages, dump_store, make_env

POLL_SECONDS = 0.005
PATIENCE_SECONDS = 30.0


def _page_landed(folder: Path) -> bool:
    return (folder / "page-000001.xml.gz").exists()


def _state_moved_on(folder: Path) -> bool:
    try:
        state = json.loads((folder / ".harvest-state.json").read_text())
    except (FileNotFoundError, ValueError):
        return False
    return bool(state["next_page"] == 2)


def _harvest(db: Path, folder: Path, base_url: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "scholarfolio", "--db", str(db), "harvest", "arxiv"]
    options = ["--out", str(folder), "--base-url", base_url, "--from", ARXIV_FROM]
    return subprocess.Popen(
        command + options,
        cwd=folder.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            _, err = process.communicate()
            pytest.fail(f"the harvest ended before it could be killed: {err.decode()[-500:]}")
        time.sleep(POLL_SECONDS)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize(
    "moment",
    [_page_landed, _state_moved_on],
    ids=["as-soon-as-page-1-lands", "once-the-state-points-at-page-2"],
)
def test_a_killed_harvest_resumes_to_the_same_store(
    moment: Callable[[Path], bool], replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    first, second = add_arxiv_pages(replay)
    base_url = replay.url + "/oai2"
    killed_db, killed_folder = tmp_path / "killed.db", tmp_path / "killed" / "arxiv"
    killed_folder.parent.mkdir()

    _kill_when(_harvest(killed_db, killed_folder, base_url), lambda: moment(killed_folder))
    resumed = _harvest(killed_db, killed_folder, base_url)
    out, err = resumed.communicate(timeout=PATIENCE_SECONDS)
    assert resumed.returncode == 0, err.decode()
    assert "arxiv harvest complete: 2 page(s), 80 records" in out.decode()
    # The page saved before the kill was not requested again.
    assert (first.hits, second.hits) == (1, 1)

    reference_folder = tmp_path / "reference" / "arxiv"
    with (
        Store.open(str(tmp_path / "reference.db")) as reference,
        Store.open(str(killed_db)) as store,
    ):
        env = make_env(reference_folder, store_sink(reference), clock, [])
        harvest_arxiv(ArxivQuery(from_date=ARXIV_FROM, base_url=base_url), env)
        pipeline.build(reference)
        pipeline.build(store)
        expected = dump_store(reference, reference_folder)
        assert dump_store(store, killed_folder) == expected
    assert len(expected["records"]) == 80 and len(expected["works"]) == 80
    assert len(expected["authorships"]) > 80 and len(expected["work_versions"]) >= 80
