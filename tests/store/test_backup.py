"""``scholarfolio backup`` and ``restore``: a restored store gives back every profile and decision.

The corpus is real (CSL items, two of which are one paper; Rayan Kanfar's
OpenAlex works with two "Xin Ju"; arXiv snapshot lines), and the store holds
both kinds of human decision: a works split and an identity merge with its
audit row. Runs on SQLite and, when SCHOLARFOLIO_TEST_PG is set, PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from crash_support import db_location as location
from pg_support import POSTGRESQL

from scholarfolio import pipeline, profiles
from scholarfolio.cli import cli
from scholarfolio.dedup.overrides import split_work
from scholarfolio.errors import BadInput, StoreError
from scholarfolio.identity import overrides
from scholarfolio.search import search
from scholarfolio.search.engine import TantivyWorks
from scholarfolio.store import Store, backup
from scholarfolio.works import list_works

FIXTURES = Path(__file__).parents[1] / "fixtures"
CORPUS = [
    FIXTURES / "csl",
    FIXTURES / "openalex" / "idb03_A5071165005.json.gz",
    FIXTURES / "arxiv" / "snapshot",
]
LATER = [FIXTURES / "arxiv" / "oai" / "listrecords_arXiv_436115_405001_cut.xml.gz"]
XIN_JU = ("A5036781407", "A5101867027")  # two OpenAlex authors, different ORCIDs
AUDIT = overrides.Audit("alice", "same person, checked by hand")


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _merged_work(store: Store) -> int:
    """The one work of the corpus made of two records (two CSL items of one paper)."""
    with store.engine.connect() as conn:
        query = "SELECT work_id FROM work_members GROUP BY work_id HAVING count(*) = 2"
        return int(conn.execute(sa.text(query)).scalar_one())


def _decisions(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.engine.connect() as conn:
        splits = conn.execute(
            sa.text(
                "SELECT a.source_id, b.source_id, s.reason FROM work_splits s "
                "JOIN records a ON a.id = s.record_id JOIN records b ON b.id = s.apart_from"
            )
        )
        audit = conn.execute(
            sa.text(
                "SELECT action, author_id, other_id, created_by, reason, created_at "
                "FROM identity_overrides"
            )
        )
        return {"splits": sorted(map(tuple, splits)), "overrides": sorted(map(tuple, audit))}


def _profiles(store: Store) -> dict[str, Any]:
    """Every author's profile JSON, and every work."""
    everyone = profiles.top_authors(store, 100_000)
    return {
        "profiles": {a["id"]: profiles.get_profile(store, a["id"]) for a in everyone},
        "works": sorted(repr(work) for work in list_works(store)),
    }


@pytest.fixture
def source(store: Store) -> Iterator[Store]:
    """A built store with a works split and an identity merge (built again after both)."""
    pipeline.ingest_paths(store, CORPUS)
    pipeline.build(store)
    assert split_work(store, _merged_work(store), None, "two editions, not one paper") == 1
    first, second = (profiles.find_author(store, openalex) for openalex in XIN_JU)
    overrides.merge(store, first, second, AUDIT)
    pipeline.build(store)
    yield store


def test_a_restored_backup_gives_the_same_profiles_splits_and_overrides(
    source: Store, open_store: Any, tmp_path: Path
) -> None:
    expected, decisions = _profiles(source), _decisions(source)
    assert len(expected["profiles"]) > 150
    survivor = profiles.find_author(source, XIN_JU[0])
    assert len(decisions["splits"]) == 1
    assert [row[:2] for row in decisions["overrides"]] == [("merge", survivor)]
    saved = tmp_path / "scholarfolio.backup"
    made = _run("--db", location(source), "backup", str(saved))
    assert made.exit_code == 0, made.output
    assert made.output.startswith(f"backed up the {source.dialect} store (")

    # The store moves on: more records, another build.
    pipeline.ingest_paths(source, LATER)
    pipeline.build(source)
    assert _profiles(source) != expected

    refused = _run("--db", location(source), "restore", str(saved))
    assert refused.exit_code == 1
    assert "the store is not empty" in refused.output and "--force" in refused.output
    assert _run("--db", location(source), "restore", str(saved), "--force").exit_code == 0
    with open_store("restored") as fresh:
        restored = _run("--db", location(fresh), "restore", str(saved))
        assert restored.exit_code == 0, restored.output
        for store in (source, fresh):
            store.engine.dispose()
            assert _profiles(store) == expected
            assert _decisions(store) == decisions


def test_decisions_restored_from_a_backup_hold_in_the_next_build(
    source: Store, tmp_path: Path
) -> None:
    merged_work_records = _decisions(source)["splits"][0][:2]
    survivor = profiles.find_author(source, XIN_JU[0])
    saved = tmp_path / "backup"
    backup.backup(source, saved)
    pipeline.ingest_paths(source, LATER)
    backup.restore(source, saved, force=True)
    pipeline.build(source)
    with source.engine.connect() as conn:
        works_of = dict(
            conn.execute(
                sa.text(
                    "SELECT r.source_id, m.work_id FROM work_members m "
                    "JOIN records r ON r.id = m.record_id"
                )
            ).all()
        )
    # The split holds: the two records are two works; the merge holds: one author.
    assert works_of[merged_work_records[0]] != works_of[merged_work_records[1]]
    assert {profiles.find_author(source, openalex) for openalex in XIN_JU} == {survivor}


def test_a_restored_sqlite_store_searches_with_a_rebuilt_index(
    source: Store, store_kind: str, tmp_path: Path
) -> None:
    if store_kind == POSTGRESQL:
        pytest.skip("the tantivy index belongs to SQLite stores")
    saved, target = tmp_path / "backup.db", tmp_path / "restored.db"
    assert _run("--db", location(source), "backup", str(saved)).exit_code == 0
    assert not (tmp_path / "backup.db.search").exists()  # the index is not in the backup
    assert _run("--db", str(target), "restore", str(saved)).exit_code == 0
    with Store.open(str(target)) as restored:
        with restored.engine.connect() as conn:
            assert TantivyWorks.current(conn) is not None
        assert search(restored, "Kanfar") == search(source, "Kanfar")


def test_backup_refuses_to_replace_a_file_and_restore_refuses_what_is_no_backup(
    source: Store, tmp_path: Path
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("an earlier backup")
    with pytest.raises(BadInput, match="already exists; choose another name or use --force"):
        backup.backup(source, taken)
    assert taken.read_text() == "an earlier backup"
    with pytest.raises(BadInput, match="is not a scholarfolio backup"):
        backup.restore(source, taken, force=True)
    with pytest.raises(BadInput, match="^no backup at "):
        backup.restore(source, tmp_path / "missing", force=True)


def test_a_backup_of_one_kind_cannot_be_restored_into_a_store_of_the_other(
    source: Store, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    if source.dialect == "sqlite":
        other.write_bytes(backup.PG_MAGIC + b"\x01\x0e")
        kind = "postgresql"
    else:
        with Store.open(str(other)):
            pass
        kind = "sqlite"
    with pytest.raises(BadInput, match=f"is a {kind} backup and the store is {source.dialect}"):
        backup.restore(source, other, force=True)


def test_without_pg_dump_a_postgresql_backup_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(backup, "PG_BIN", str(tmp_path / "none"))
    with pytest.raises(StoreError) as caught:
        backup.pg_tool("pg_dump")
    assert str(caught.value) == (
        f"pg_dump was found neither on PATH nor in {tmp_path / 'none'}; install PostgreSQL's "
        "client programs (apt-get install postgresql-client) to back up or restore a "
        "PostgreSQL store"
    )
