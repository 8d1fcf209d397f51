"""Kaggle arXiv snapshot lines."""

from __future__ import annotations

from datetime import date, datetime

from scholarfolio.models import AuthorName, Version

from ._support import by_id, fixture, records_of

SNAPSHOT = fixture("snapshot/arxiv-metadata-oai-snapshot_first60.jsonl")


def test_every_line_is_a_record() -> None:
    records = records_of(SNAPSHOT)
    assert len(records) == 60
    assert {record.source for record in records} == {"arxiv-snapshot"}
    assert (records[0].arxiv_id, records[-1].arxiv_id) == ("0704.0001", "0704.0060")
    assert [(r.locator.position, r.locator.line) for r in records[:3]] == [(1, 1), (2, 2), (3, 3)]


def test_first_record_fields() -> None:
    record = by_id(records_of(SNAPSHOT))["0704.0001"]
    assert record.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert record.versions == (
        Version(1, datetime(2007, 4, 2, 19, 18, 42)),
        Version(2, datetime(2007, 7, 24, 20, 10, 27)),
    )
    assert record.updated == date(2008, 11, 26)
    assert record.submitter == "Pavel Nadolsky"
    assert record.doi == "10.1103/PhysRevD.76.013009"
    assert record.journal_ref == "Phys.Rev.D76:013009,2007"
    assert record.report_no == "ANL-HEP-PR-07-12"
    assert record.comments == "37 pages, 15 figures; published version"
    assert record.categories == ("hep-ph",)
    assert record.license is None
    assert record.abstract is not None
    assert record.abstract.startswith("A fully differential calculation in perturbative")
    # Name parts from authors_parsed, the raw text from "authors".
    assert record.authors[0] == AuthorName(
        raw="C. Bal\\'azs", name="C. Balázs", keyname="Balázs", forenames="C."
    )
    assert record.authors[3] == AuthorName(
        raw="C.-P. Yuan", name="C.-P. Yuan", keyname="Yuan", forenames="C.-P."
    )


def test_categories_license_and_suffix() -> None:
    records = by_id(records_of(SNAPSHOT))
    assert records["0704.0002"].categories == ("math.CO", "cs.CG")
    assert records["0704.0002"].license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    evans = records["0704.0009"].authors[5]
    assert (evans.name, evans.keyname, evans.forenames, evans.suffix) == (
        "Neal J. Evans II",
        "Evans",
        "Neal J.",
        "II",
    )
    assert len(records["0704.0009"].authors) == 7


def test_collaboration_and_et_al() -> None:
    babar = by_id(records_of(SNAPSHOT))["0704.0020"]
    assert [a.name for a in babar.authors] == ["The BABAR Collaboration", "B. Aubert"]
    assert babar.report_no == "BABAR-PUB-07/015, SLAC-PUB-12417"


def test_numbered_affiliations_come_from_the_raw_string() -> None:
    records = by_id(records_of(SNAPSHOT))
    # authors_parsed gives "1 and 2" as the affiliation; the raw string resolves it.
    mishchenko = records["0704.0025"].authors[0]
    assert mishchenko.keyname == "Mishchenko"
    assert mishchenko.affiliations == (
        "CREST, Japan Science and Technology Agency",
        "Russian Research Centre ``Kurchatov Institute''",
    )
    assert [a.affiliations for a in records["0704.0052"].authors] == [
        ("Harvard University",),
        ("Harvard University",),
    ]
