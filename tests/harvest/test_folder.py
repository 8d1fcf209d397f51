"""The harvest folder: atomic files, leftovers, the lock, and states it cannot use."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from scholarfolio.errors import BadInput
from scholarfolio.harvest import ArxivQuery, harvest_arxiv
from scholarfolio.harvest.folder import STATE_FILE, HarvestFolder, HarvestState

from .support import FakeClock, Recorder, make_env


def test_pages_and_state_are_written_whole_and_leftovers_removed(tmp_path: Path) -> None:
    (tmp_path / ".page-000003.xml.gz.tmp").write_bytes(b"half a page")
    with HarvestFolder.locked(tmp_path, "xml") as folder:
        assert not list(tmp_path.glob(".*.tmp"))
        page = folder.page_path(3)
        folder.save_page(page, b"<OAI-PMH/>")
        folder.save_state(HarvestState("arxiv", {"from": None}, next_page=4))
        assert gzip.decompress(page.read_bytes()) == b"<OAI-PMH/>"
        assert folder.read_page(folder.page_path(4)) is None
        assert folder.last_page_number() == 3
        assert folder.load_state() == HarvestState("arxiv", {"from": None}, next_page=4)
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            ".harvest-state.json",
            ".harvest.lock",
            "page-000003.xml.gz",
        ]


def test_one_harvest_at_a_time_per_folder(tmp_path: Path, clock: FakeClock) -> None:
    with HarvestFolder.locked(tmp_path, "xml"), pytest.raises(BadInput, match="another harvest"):
        harvest_arxiv(ArxivQuery(), make_env(tmp_path, Recorder(), clock, []))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is damaged"),
        ('{"format": 99}', "is not a harvest state file"),
        ('{"format": 1, "source": "arxiv"}', "is not a harvest state file"),
        ('{"format": 1, "source": "openalex", "params": {}}', "holds a openalex harvest"),
    ],
)
def test_a_state_it_cannot_use_is_bad_input(
    content: str, expected: str, tmp_path: Path, clock: FakeClock
) -> None:
    (tmp_path / STATE_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(BadInput, match=expected):
        harvest_arxiv(ArxivQuery(), make_env(tmp_path, Recorder(), clock, []))
