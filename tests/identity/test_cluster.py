"""Clustering signatures into people: hand-made hard cases, the rules' order, the scores."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from scholarfolio.demo import openalex_demo_files
from scholarfolio.identity.cluster import (
    calibrate,
    cluster_dataset,
    disambiguate,
    evaluate,
    subblocks,
)
from scholarfolio.identity.pairwise import (
    NAMES_AND_AFFILIATIONS,
    WITH_PAPERS,
    Evidence,
    calibration_features,
)
from scholarfolio.identity.s2and import (
    Dataset,
    Paper,
    Signature,
    block_key,
    dataset_from_openalex,
    openalex_works,
    split_name,
    with_namesakes,
)

# (signature id, name on the paper, affiliation, paper title, co-authors, year)
Authorship = tuple[str, str, str, str, Sequence[str], int]


def dataset(authorships: Sequence[Authorship], with_papers: bool = True) -> Dataset:
    """Signatures in position 0 of their own paper, with the paper when asked for."""
    signatures, papers = {}, {}
    for sid, name, affiliation, title, coauthors, year in authorships:
        first, middle, last = split_name(name)
        signatures[sid] = Signature(
            sid,
            f"p{sid}",
            first,
            middle,
            last,
            block_key(first, last),
            (affiliation,) if affiliation else (),
            0,
        )
        papers[f"p{sid}"] = Paper(f"p{sid}", title, "", "", year, (name, *coauthors))
    return Dataset(signatures, papers if with_papers else {})


def people(assignment: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for sid, cluster in assignment.items():
        groups.setdefault(cluster, set()).add(sid)
    return {frozenset(group) for group in groups.values()}


def test_namesakes_with_disjoint_coauthors_stay_apart() -> None:
    # Two Wei Wangs: one in machine learning, one in hydrology; half the papers give no
    # affiliation, and no co-author, topic or venue is shared.
    ml = ("Alice Smith", "Bob Jones")
    water = ("Dmitri Ivanov", "Elena Petrova")
    data = dataset(
        [
            (
                "1",
                "Wei Wang",
                "Tsinghua University",
                "Graph neural networks for molecules",
                ml,
                2019,
            ),
            ("2", "Wei Wang", "", "Scalable graph neural networks", ml[:1], 2020),
            ("3", "Wei Wang", "Tsinghua Univ.", "Message passing on large graphs", ml[1:], 2021),
            ("4", "Wei Wang", "Hohai University", "Soil erosion in arid river basins", water, 2005),
            ("5", "Wei Wang", "", "Sediment transport in flash floods of arid basins", water, 2007),
            ("6", "Wei Wang", "Hohai Univ.", "Arid basin hydrology and sediment", water[:1], 2008),
        ]
    )
    result = cluster_dataset(data, WITH_PAPERS)
    assert people(result.assignment) == {frozenset("123"), frozenset("456")}


def test_one_person_under_initials_hyphenation_and_a_move_comes_together() -> None:
    coauthors = ("Anna Berg", "Tom Reed")
    data = dataset(
        [
            (
                "1",
                "Jun-Li Zhang",
                "Massachusetts Institute of Technology",
                "Protein folding with deep learning",
                coauthors,
                2015,
            ),
            (
                "2",
                "Junli Zhang",
                "MIT, Cambridge, MA",
                "Deep learning of protein structure",
                coauthors[:1],
                2016,
            ),
            (
                "3",
                "J.-L. Zhang",
                "Stanford University",
                "Protein structure prediction at scale",
                coauthors,
                2018,
            ),
            (
                "4",
                "J.-L. Zhang",
                "Dept. of Biology, Stanford Univ.",
                "Folding proteins with deep transformers",
                coauthors[:1],
                2019,
            ),
            # Same co-authors, topic and place, but "Jian" can never be "Jun-Li" nor "J.-L.".
            (
                "5",
                "Jian Zhang",
                "Stanford University",
                "Protein folding with deep learning",
                coauthors,
                2018,
            ),
        ]
    )
    result = cluster_dataset(data, WITH_PAPERS)
    assert people(result.assignment) == {frozenset("1234"), frozenset("5")}
    assert result.decided_by["names"] == 4  # Jian against each of the others


def test_initials_without_evidence_do_not_join_a_full_name() -> None:
    data = dataset(
        [
            ("1", "Jun Li", "Peking University", "", (), 2010),
            ("2", "Jun Li", "Peking Univ., Beijing", "", (), 2011),
            ("3", "J. Li", "", "", (), 2012),
            ("4", "Jun Li", "", "", (), 2013),
            ("5", "J. Li", "Peking University", "", (), 2014),
        ],
        with_papers=False,
    )
    result = cluster_dataset(data, NAMES_AND_AFFILIATIONS)
    # The bare "Jun Li" joins the Peking Jun Li; the bare "J. Li" joins the cluster that
    # evidence gave a "J. Li" (through the shared affiliation), never a name by initial alone.
    assert people(result.assignment) == {frozenset("12345")}
    alone = cluster_dataset(
        Dataset({k: v for k, v in data.signatures.items() if k != "5"}), NAMES_AND_AFFILIATIONS
    )
    assert people(alone.assignment) == {frozenset("124"), frozenset("3")}


def test_human_decisions_then_names_then_papers_then_orcids_decide() -> None:
    base = dataset(
        [(str(i), "Maria Garcia", "University of Valencia", "", (), 2000) for i in range(1, 6)],
        with_papers=False,
    )
    signatures = dict(base.signatures)
    signatures["3"] = Signature(
        "3",
        "p3",
        "Maria",
        "",
        "Garcia",
        "m garcia",
        ("University of Valencia",),
        0,
        ("ORCID:0000-0001",),
    )
    signatures["4"] = Signature(
        "4",
        "p4",
        "Maria",
        "",
        "Garcia",
        "m garcia",
        ("University of Valencia",),
        0,
        ("ORCID:0000-0002",),
    )
    signatures["5"] = Signature(
        "5", "p1", "Maria", "", "Garcia", "m garcia", ("University of Valencia",), 1
    )
    seeds = {("1", "2"): "disallow"}
    result = cluster_dataset(Dataset(signatures, seeds=seeds), NAMES_AND_AFFILIATIONS)
    found = people(result.assignment)
    assert not any({"1", "2"} <= group for group in found)  # the human said apart
    assert not any({"3", "4"} <= group for group in found)  # two ORCIDs
    assert not any({"1", "5"} <= group for group in found)  # one paper, two names
    assert result.decided_by["seed"] == 1 and result.decided_by["orcid"] == 1
    assert result.decided_by["same_paper"] == 1


def test_a_required_pair_merges_against_the_score() -> None:
    data = dataset(
        [
            ("1", "Ana Silva", "University of Porto", "", (), 2000),
            ("2", "Ana Silva", "Kyoto University", "", (), 2001),
        ],
        with_papers=False,
    )
    apart = cluster_dataset(data, NAMES_AND_AFFILIATIONS)
    assert len(people(apart.assignment)) == 2
    seeded = Dataset(data.signatures, seeds={("1", "2"): "require"})
    assert people(cluster_dataset(seeded, NAMES_AND_AFFILIATIONS).assignment) == {frozenset("12")}


def test_b3_and_pairwise_scores_by_hand() -> None:
    gold = {"a": "1", "b": "1", "c": "1", "d": "2"}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    evaluation = evaluate(predicted, gold)
    # B3 precision: a, b 1; c, d 1/2 -> 0.75. Recall: a, b 2/3; c 1/3; d 1 -> 2/3.
    assert evaluation.b3.precision == pytest.approx(0.75)
    assert evaluation.b3.recall == pytest.approx(2 / 3)
    assert evaluation.b3.f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    # Pairs: predicted (a,b) (c,d); gold (a,b) (a,c) (b,c): one right of two, one found of three.
    assert evaluation.pairwise.precision == pytest.approx(0.5)
    assert evaluation.pairwise.recall == pytest.approx(1 / 3)
    assert (evaluation.signatures, evaluation.people) == (4, 2)


def test_very_large_blocks_are_cut_by_first_name() -> None:
    data = dataset(
        [
            (str(i), name, "", "", (), 2000)
            for i, name in enumerate(["Jun Wang", "Jing Wang", "J. Wang", "Jun Wang", "Jun Wang"])
        ],
        with_papers=False,
    )
    parts = subblocks(list(data.signatures.values()), Evidence(data), limit=2)
    assert sorted(len(p) for p in parts) == [1, 1, 1, 2]
    assert disambiguate(data).model_name == "names-and-affiliations"


def test_calibration_on_openalex_learns_what_evidence_means() -> None:
    works = openalex_works(openalex_demo_files()[:4])
    data = with_namesakes(dataset_from_openalex(works)).without_papers()
    fitted = calibrate(data, calibration_features(papers=False), thresholds=(0.3,))
    weights = dict(zip(fitted.model.features, fitted.model.weights, strict=True))
    assert weights["affiliation_cosine"] > 1 and weights["middle_conflict"] < -1
    assert fitted.evaluation.b3.f1 > 0.7
