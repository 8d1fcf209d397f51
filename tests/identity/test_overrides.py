"""Human identity decisions: stored, audited, applied at once and on every rebuild, undoable.

Runs on Rayan Kanfar's real OpenAlex works (tests/fixtures/openalex: 8 works,
21 authors, two of them "Xin Ju" with different ORCIDs).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from scholarfolio import pipeline, profiles
from scholarfolio.cli import cli
from scholarfolio.errors import BadInput, NotFound
from scholarfolio.identity import overrides
from scholarfolio.store import Store, queries
from scholarfolio.web.app import create_app
from scholarfolio.works import list_works

KANFAR_WORKS = Path(__file__).parents[1] / "fixtures" / "openalex" / "idb03_A5071165005.json.gz"
KANFAR, TAPAN, GEGE = "A5071165005", "A5013088513", "A5007168661"
XIN_JU = ("A5036781407", "A5101867027")  # ORCIDs 0000-0003-4110-7472, 0000-0003-2742-3719
WORK = "W4407066027"  # Kanfar is its first author
AUDIT = overrides.Audit("alice", "checked by hand")


@pytest.fixture
def db(tmp_path: Path) -> str:
    location = str(tmp_path / "s.db")
    with Store.open(location) as store:
        pipeline.ingest_paths(store, [KANFAR_WORKS])
        pipeline.build(store)
    return location


def _run(db: str, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", db, *args], env={"USER": "tester"})
    return result


def _who(db: str, name: str) -> str:
    with Store.open(db) as store:
        return profiles.find_author(store, name)


def _works(db: str, author_id: str) -> int:
    with Store.open(db) as store:
        return int(profiles.get_profile(store, author_id)["metrics"]["works"])


def _first_author(db: str) -> str:
    with Store.open(db) as store:
        (work,) = list(list_works(store, WORK))
    return str(work["authors"][0]["id"])


def _rebuild(db: str) -> None:
    with Store.open(db) as store:
        pipeline.build(store)


def test_merge_redirects_holds_on_rebuild_and_undo_brings_the_id_back(db: str) -> None:
    tapan, gege = _who(db, TAPAN), _who(db, GEGE)
    assert (_works(db, tapan), _works(db, gege)) == (5, 2)
    merged = _run(db, "identity", "merge", tapan, gege, "--reason", "same person (test)")
    assert merged.exit_code == 0, merged.output
    assert merged.output.startswith(f"decision 1: {gege} merged into {tapan}")
    for _ in range(2):  # applied at once, then by every rebuild
        assert _who(db, gege) == _who(db, GEGE) == tapan
        assert _works(db, tapan) == 7
        with Store.open(db) as store:
            page = TestClient(create_app(store)).get(f"/authors/{gege}", follow_redirects=False)
            assert (page.status_code, page.headers["location"]) == (301, f"/authors/{tapan}")
        _rebuild(db)
    undone = _run(db, "identity", "undo", "1", "--reason", "they are two people")
    assert undone.exit_code == 0, undone.output
    for _ in range(2):
        assert (_who(db, TAPAN), _who(db, GEGE)) == (tapan, gege)
        assert (_works(db, tapan), _works(db, gege)) == (5, 2)
        with Store.open(db) as store, store.engine.connect() as conn:
            assert queries.redirect_target(conn, gege) is None
        _rebuild(db)
    history = json.loads(_run(db, "identity", "history", "--json").output)
    assert [(e["id"], e["action"], e["by"], e["undone"], e["undone_by"]) for e in history] == [
        (1, "merge", "tester", True, 2),
        (2, "undo", "tester", False, None),
    ]
    assert history[0]["reason"] == "same person (test)" and history[0]["at"].endswith("Z")
    assert (history[0]["author"], history[0]["other"], history[1]["undoes"]) == (tapan, gege, 1)


def test_split_keeps_the_larger_part_on_its_id_and_undo_rejoins(db: str) -> None:
    kanfar = _who(db, KANFAR)
    assert _first_author(db) == kanfar
    split = _run(db, "identity", "split", kanfar, "--work", WORK, "--reason", "a namesake")
    assert split.exit_code == 0, split.output
    alone = _first_author(db)
    assert alone != kanfar and _who(db, KANFAR) == kanfar
    assert (_works(db, kanfar), _works(db, alone)) == (7, 1)
    _rebuild(db)
    assert (_first_author(db), _works(db, kanfar)) == (alone, 7)  # the new id is stable too
    assert _run(db, "identity", "undo", "1", "--reason", "my mistake").exit_code == 0
    assert (_first_author(db), _works(db, kanfar)) == (kanfar, 8)
    with pytest.raises(NotFound):
        _works(db, alone)


def test_claim_overrides_a_split_and_unclaim_sends_it_to_its_own_author(db: str) -> None:
    kanfar = _who(db, KANFAR)
    with Store.open(db) as store:
        overrides.split(store, kanfar, WORK, None, AUDIT)
        pipeline.build(store)
        assert profiles.get_profile(store, kanfar)["metrics"]["works"] == 7
        overrides.claim(store, kanfar, WORK, None, AUDIT)  # the latest decision wins
        pipeline.build(store)
        assert profiles.get_profile(store, kanfar)["metrics"]["works"] == 8
        # All its evidence (ORCID, OpenAlex id) is Kanfar's, so it ends up alone.
        overrides.unclaim(store, kanfar, WORK, None, AUDIT)
        pipeline.build(store)
        profile = profiles.get_profile(store, kanfar)
        assert profile["metrics"]["works"] == 7
        # Only the decision that holds is evidence (the unclaim replaced the split and claim).
        assert [(d["id"], d["action"]) for d in profile["grouping"]["decisions"]] == [
            (3, "unclaim")
        ]
    assert _first_author(db) != kanfar
    assert [
        e["action"] for e in json.loads(_run(db, "identity", "history", kanfar, "--json").output)
    ] == [
        "split",
        "claim",
        "unclaim",
    ]


def test_claim_by_position_moves_another_name_and_needs_a_compatible_name_otherwise(
    db: str,
) -> None:
    tapan, gege = _who(db, TAPAN), _who(db, GEGE)
    with Store.open(db) as store:
        (work,) = [w for w in list_works(store) if gege in {a["id"] for a in w["authors"]}][:1]
        position = 1 + [a["id"] for a in work["authors"]].index(gege)
    refused = _run(db, "identity", "claim", tapan, "--work", str(work["id"]), "--reason", "x")
    assert refused.exit_code == 1
    assert refused.output.startswith(f"Error: work {work['id']} has no other authorship with a")
    claimed = _run(
        db,
        "identity",
        "claim",
        tapan,
        "--work",
        str(work["id"]),
        "--position",
        str(position),
        "--reason",
        "her name is misprinted",
    )
    assert claimed.exit_code == 0, claimed.output
    assert (_works(db, tapan), _works(db, gege)) == (6, 1)


def test_an_orcid_a_human_attaches_joins_an_orcid_conflict(db: str) -> None:
    first, second = _who(db, XIN_JU[0]), _who(db, XIN_JU[1])
    assert first != second  # two ORCIDs: two people for the automatic rules
    attached = _run(
        db,
        "identity",
        "orcid",
        first,
        "https://orcid.org/0000-0003-2742-3719",
        "--reason",
        "one person with two ORCID records",
    )
    assert attached.exit_code == 0, attached.output
    assert _who(db, XIN_JU[1]) == _who(db, second) == first
    assert _works(db, first) == 2
    assert _run(db, "identity", "undo", "1", "--reason", "two people after all").exit_code == 0
    assert (_who(db, XIN_JU[0]), _who(db, XIN_JU[1])) == (first, second)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["merge", "nobody-at-all", KANFAR, "--reason", "x"], "Error: no author matches"),
        (["undo", "99", "--reason", "x"], "Error: no identity decision 99"),
        (
            ["orcid", KANFAR, "0000-0003-2742-3718", "--reason", "x"],
            "Error: '0000-0003-2742-3718' is not an ORCID",
        ),
        (["split", KANFAR, "--work", "W0", "--reason", "x"], "Error: no work 'W0'"),
        (["merge", KANFAR, KANFAR, "--reason", "x"], "Error: "),
        (["merge", KANFAR, TAPAN, "--reason", "  "], "Error: a reason is required"),
    ],
)
def test_bad_input_is_one_clear_line(db: str, args: list[str], message: str) -> None:
    result = _run(db, "identity", *args)
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1
    assert json.loads(_run(db, "identity", "history", "--json").output) == []


def test_undo_twice_and_undoing_an_undo_are_refused(db: str) -> None:
    with Store.open(db) as store:
        decided = overrides.merge(store, _who(db, TAPAN), _who(db, GEGE), AUDIT)
        undo_id = overrides.undo(store, decided, AUDIT)
        with pytest.raises(BadInput, match="already undone"):
            overrides.undo(store, decided, AUDIT)
        with pytest.raises(BadInput, match="is an undo"):
            overrides.undo(store, undo_id, AUDIT)
