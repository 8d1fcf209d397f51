"""``scholarfolio export-site`` writes only inside its folder, whatever ids and names say.

Hostile records of real shape (an OpenAlex work from the "Deep learning" fixture
and a BibTeX file) carry path-like ids, DOIs, names and keys; after ingest, build
and export, every file that appeared anywhere under the test's folder is inside
the export folder.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scholarfolio import profiles
from scholarfolio.cli import cli
from scholarfolio.store import Store

from .conftest import CLOSURE

# Ids and names that would leave a folder if they became a path.
HOSTILE_NAMES = (
    "../../../../escaped",
    "/etc/passwd",
    "..",
    ".hidden",
    "C:\\Windows\\evil",
    "a/../../b",
    "~root",
    "nul\x00byte",
    "x" * 5000,
    "%2e%2e%2fencoded",
    "\u202eright-to-left",
)
HOSTILE_BIBTEX = r"""
@article{../../../escaped-key,
  author = {../../etc and {/etc/passwd} and {..} and Dupont, {\'E}mile},
  title  = {A title with ../../ and /absolute/paths},
  journal = {../../journal},
  year   = 2020,
  doi    = {10.1000/../../../etc/passwd},
}

@misc{/absolute/key,
  author = {{C:\Windows} and Normal, Person},
  title  = {Second hostile entry},
  year   = 2021,
  eprint = {../../1905.01234},
  archivePrefix = {arXiv},
}
"""


def hostile_openalex(work: dict[str, Any], number: int, name: str) -> dict[str, Any]:
    """The real record with its DOI, its first author's id and name, and a reference hostile.

    (A work id that is not ``W`` and digits is refused at ingest, see the last test.)
    """
    record = copy.deepcopy(work)
    record["id"] = f"https://openalex.org/W90000000{number:02d}"
    record["ids"] = {"openalex": record["id"], "doi": f"https://doi.org/10.1000/../{number}/.."}
    record["doi"] = record["ids"]["doi"]
    record["title"] = record["display_name"] = f"{name} {number}"
    first = record["authorships"][0]
    first["author"] = {"id": f"https://openalex.org/A../../{number}", "display_name": name}
    first["raw_author_name"] = name
    record["referenced_works"] = ["https://openalex.org/W../../../etc"]
    return record


def files_under(folder: Path) -> set[Path]:
    """Every file and symlink below ``folder``."""
    return {
        Path(root, name)
        for root, dirs, files in os.walk(folder)
        for name in [*files, *dirs]
        if Path(root, name).is_file() or Path(root, name).is_symlink()
    }


EXPORT_OPTIONS = ("--base-url", "https://x.example/", "--workers", "1")


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the hostile OpenAlex and BibTeX records (and one honest work)."""
    folder = tmp_path_factory.mktemp("hostile")
    works = json.loads(CLOSURE.read_text(encoding="utf-8"))
    records = [works[0]] + [
        hostile_openalex(works[1], number, name) for number, name in enumerate(HOSTILE_NAMES)
    ]
    (folder / "hostile_openalex.json").write_text(json.dumps(records), encoding="utf-8")
    (folder / "hostile.bib").write_text(HOSTILE_BIBTEX, encoding="utf-8")
    db = folder / "hostile.db"
    ingested = run(db, "ingest", str(folder / "hostile_openalex.json"), str(folder / "hostile.bib"))
    assert ingested.exit_code == 0, ingested.output
    assert run(db, "build").exit_code == 0
    return db


def test_hostile_records_are_in_the_store(hostile_store: Path) -> None:
    with Store.open(str(hostile_store)) as store:
        stats = profiles.corpus_stats(store)
        names = {author["name"] for author in profiles.search_authors(store, "etc")}
    # The hostile works and names made it in: the export below really meets them.
    assert stats["works"] >= 5
    assert any(".." in name or "/" in name for name in names), names


def test_export_writes_only_inside_its_folder(hostile_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "site"
    before = files_under(tmp_path.parent)
    result = run(hostile_store, "export-site", str(target), *EXPORT_OPTIONS)
    assert result.exit_code == 0, result.output
    written = files_under(tmp_path.parent) - before
    assert written, "the export wrote nothing"
    outside = sorted(str(path) for path in written if not path.resolve().is_relative_to(target))
    assert outside == []
    for path in written:
        relative = path.relative_to(target).as_posix()
        assert ".." not in relative.split("/") and "\x00" not in relative
        assert not path.is_symlink()
    assert (target / "index.html").is_file()
    assert len(list((target / "authors").iterdir())) > 10


def test_a_planted_symlink_does_not_lead_out(hostile_store: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "site"
    target.mkdir()
    (target / "works").symlink_to(outside, target_is_directory=True)
    result = run(hostile_store, "export-site", str(target), *EXPORT_OPTIONS)
    assert list(outside.iterdir()) == []
    # Refused with one clear line, not a traceback.
    assert result.exit_code != 0
    assert "Traceback" not in result.output and "leaves" in result.output


def test_a_path_for_a_work_id_is_refused_at_ingest(tmp_path: Path) -> None:
    work = json.loads(CLOSURE.read_text(encoding="utf-8"))[1]
    work["id"] = work["ids"]["openalex"] = "https://openalex.org/W../../../escaped"
    (tmp_path / "one.json").write_text(json.dumps([work]), encoding="utf-8")
    result = run(tmp_path / "one.db", "ingest", str(tmp_path / "one.json"))
    assert "0 works added, 0 updated, 1 rejected" in result.output
    assert "nothing could be read" in result.output
