"""Reading S2AND datasets, and labelled calibration data made from OpenAlex."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scholarfolio.demo import openalex_demo_files
from scholarfolio.errors import BadInput
from scholarfolio.identity.s2and import (
    Dataset,
    block_key,
    dataset_from_openalex,
    openalex_works,
    read_dataset,
    split_name,
    with_namesakes,
    write_clusters,
)

S2AND = Path(__file__).parents[1] / "fixtures" / "s2and"


def test_the_dummy_dataset_reads_into_plain_dataclasses() -> None:
    dataset = read_dataset(S2AND / "dummy")
    assert len(dataset.signatures) == 9 and len(dataset.papers) == 7
    first = dataset.signatures["0"]
    assert (first.first, first.last, first.block) == ("Dr A'bdul", "Sattar", "a sattary")
    assert first.affiliations == ("Bridgewater State University",)
    assert first.source_ids == ("ORCID:1",) and first.position == 1
    assert dataset.signatures["1"].source_ids == ("DBLP:1",)
    # "Extracted" ids are names read off the paper, not author ids.
    assert dataset.signatures["4"].source_ids == ()
    assert dataset.clusters == {"1": ("0", "1"), "2": ("2",), "3": ("3", "4")}
    assert dataset.seeds == {("0", "1"): "disallow", ("1", "2"): "require"}
    paper = dataset.papers["53235312"]
    assert paper.year == 2006 and paper.authors == ("Torben Lorenzen", "Abdul Sattar")
    assert paper.title.startswith("Teach graphics using excel")


def test_gzipped_files_and_a_missing_papers_file_are_fine() -> None:
    qian = read_dataset(S2AND / "qian")
    assert len(qian.signatures) == 6542 and len(qian.blocks()) == 606
    assert qian.papers == {} and len(qian.clusters or {}) == 1188
    assert qian.gold()["0"] == "1"


def test_a_folder_without_signatures_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="signatures.json"):
        read_dataset(tmp_path)
    with pytest.raises(BadInput, match="not a folder"):
        read_dataset(tmp_path / "missing")
    (tmp_path / "signatures.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(BadInput, match="not readable JSON"):
        read_dataset(tmp_path)


def test_prefixed_file_names_and_unknown_seed_rules(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    folder.mkdir()
    signature = {"signature_id": "a", "paper_id": 1, "author_info": {"first": "Ada", "last": "Li"}}
    (folder / "tiny_signatures.json").write_text(json.dumps({"a": signature}), encoding="utf-8")
    dataset = read_dataset(folder)
    assert dataset.signatures["a"].block == "a li" and dataset.clusters is None
    with pytest.raises(BadInput, match="no clusters.json"):
        dataset.gold()
    (folder / "cluster_seeds.json").write_text('{"a": {"b": "maybe"}}', encoding="utf-8")
    with pytest.raises(BadInput, match="require"):
        read_dataset(folder)


def test_clusters_are_written_sorted(tmp_path: Path) -> None:
    out = tmp_path / "clusters.json"
    write_clusters({"b": "x/1", "a": "x/0"}, out)
    assert list(json.loads(out.read_text(encoding="utf-8"))) == ["a", "b"]


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("Moujahed I. Al-Husseini", ("Moujahed", "I.", "Al-Husseini")),
        ("H.J. Droste", ("H.", "J.", "Droste")),
        ("DROSTE, HENK, Shell Research B.V.,", ("Henk", "", "Droste")),
        ("and Henk Droste", ("Henk", "", "Droste")),
        ("Luiz Fernando De Ros", ("Luiz", "Fernando", "De Ros")),
        ("Koeshidayatullah, A.", ("A.", "", "Koeshidayatullah")),
        ("Madonna", ("", "", "Madonna")),
    ],
)
def test_names_written_as_one_string_split_into_parts(raw: str, parts: tuple[str, ...]) -> None:
    # Real raw_author_name values from the bundled OpenAlex works.
    assert split_name(raw) == parts


def test_blocks_are_first_initial_and_surname() -> None:
    assert block_key("Jun-Li", "Ruiz-Cristina") == "j ruizcristina"
    assert block_key("", "Madonna") == "madonna"


def _one_author_dataset() -> Dataset:
    return dataset_from_openalex(openalex_works(openalex_demo_files()[:1]))


def test_openalex_authorships_with_an_orcid_become_labelled_signatures() -> None:
    dataset = _one_author_dataset()
    gold = dataset.gold()
    assert len(dataset.signatures) >= 30 and len(dataset.clusters or {}) >= 10
    # Every labelled signature of one ORCID holder carries that person's surname.
    for person, members in (dataset.clusters or {}).items():
        surnames = {block_key("x", dataset.signatures[m].last).split()[1] for m in members}
        assert len(surnames) <= 2, person
        assert all(gold[m] == person for m in members)
    paper = next(iter(dataset.papers.values()))
    assert paper.authors and paper.title


def test_namesakes_share_one_name_but_keep_their_own_people() -> None:
    dataset = _one_author_dataset()
    doubled = with_namesakes(dataset, group_sizes=(3,))
    copies = {k: v for k, v in doubled.signatures.items() if k.startswith("n:")}
    assert len(copies) == len(dataset.signatures)
    people = {p: m for p, m in (doubled.clusters or {}).items() if p.startswith("n:")}
    assert sum(len(m) for m in people.values()) == len(copies)
    blocks = {copies[m].block for members in people.values() for m in members}
    assert all(block.startswith("n:") for block in blocks)
    # Groups of three people each share one surname: far fewer surnames than people.
    surnames = {copy.last for copy in copies.values()}
    assert len(surnames) <= len(people) // 3 + 1
