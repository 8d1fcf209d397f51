"""Split-profile repair on real data: the idb03 department's hand-curated people.

The 58 OpenAlex files of ``scholarfolio/demo_data/openalex_idb03`` (each one
Author and that author's Works) are ingested and built; the project's own
identity table (``tests/fixtures/openalex/idb03_people.csv``, 60 people with
their ORCIDs and up to three OpenAlex ids each) says who is who. Every person
must be one profile, and no profile may hold two people.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from scholarfolio import pipeline
from scholarfolio.demo import openalex_demo_files
from scholarfolio.store import Store
from scholarfolio.store.queries import author_by_source_id

PEOPLE = Path(__file__).parents[1] / "fixtures" / "openalex" / "idb03_people.csv"
AL_RAMADAN = "idb0001-alramadan-khalid"


def _people() -> dict[str, list[str]]:
    with PEOPLE.open(encoding="utf-8") as handle:
        return {
            row["internal_id"]: [
                row[f"openalex_id{n}"] for n in (1, 2, 3) if row[f"openalex_id{n}"]
            ]
            for row in csv.DictReader(handle)
        }


@pytest.fixture(scope="module")
def profiles_of(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, set[str]]]:
    """Each person of the table -> the profiles their OpenAlex ids landed in."""
    store = Store.open(str(tmp_path_factory.mktemp("idb03") / "s.db"))
    pipeline.ingest_paths(store, openalex_demo_files())
    pipeline.build(store)
    with store.engine.connect() as conn:
        found = {
            person: {
                author
                for openalex_id in ids
                if (author := author_by_source_id(conn, "openalex", openalex_id)) is not None
            }
            for person, ids in _people().items()
        }
    store.close()
    yield found


def test_the_table_is_the_curated_one() -> None:
    people = _people()
    assert len(people) == 60
    assert people[AL_RAMADAN] == ["A5085007251", "A5104094821", "A5021382014"]
    assert sum(len(ids) > 1 for ids in people.values()) == 1


def test_every_person_is_one_profile(profiles_of: dict[str, set[str]]) -> None:
    split = {person: found for person, found in profiles_of.items() if len(found) > 1}
    assert split == {}
    assert len(profiles_of[AL_RAMADAN]) == 1
    # The four people whose own files were not obtainable still appear as co-authors.
    assert sum(1 for found in profiles_of.values() if found) >= 56


def test_no_two_people_share_a_profile(profiles_of: dict[str, set[str]]) -> None:
    holders: dict[str, list[str]] = defaultdict(list)
    for person, found in profiles_of.items():
        for author in found:
            holders[author].append(person)
    assert {author: people for author, people in holders.items() if len(people) > 1} == {}
