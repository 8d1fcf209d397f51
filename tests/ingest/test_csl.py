"""CSL-JSON items from manubot (arXiv, PubMed Central, DataCite, pandoc) and Crossref."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from scholarfolio.ingest import read_file
from scholarfolio.ingest.csl import csl_record, date_from_parts, is_csl_item, person_name
from scholarfolio.models import AuthorName, Locator, Reject, WorkRecord

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CSL = FIXTURES / "csl"


def read(name: str) -> list[WorkRecord | Reject]:
    """Everything ``read_file`` yields for a CSL fixture, records and Rejects."""
    return [item for item in read_file(CSL / name) if isinstance(item, WorkRecord | Reject)]


def only_record(name: str) -> WorkRecord:
    """The one record of a fixture."""
    items = read(name)
    assert len(items) == 1 and isinstance(items[0], WorkRecord), items
    return items[0]


def test_arxiv_item_with_literal_names() -> None:
    item = only_record("manubot_arxiv-joss-csl_raw.json")
    assert item.source == "csl-json"
    assert item.source_id == "oGNtTmrp"
    assert item.title == "Journal of Open Source Software (JOSS): design and first-year review"
    assert len(item.authors) == 16
    assert item.authors[0] == AuthorName(raw="Arfon M Smith", name="Arfon M Smith")
    assert item.authors[-1].name == "Jacob T Vanderplas"
    assert item.ids == (("doi", "10.7717/peerj-cs.147"), ("arxiv", "1707.02264"))
    # date-parts written as strings: ["2017", "07", "07"]
    assert (item.year, item.published) == (2017, date(2017, 7, 7))
    assert (item.venue, item.work_type) == ("arXiv", "report")
    assert item.abstract is not None
    assert item.abstract.startswith("This article describes the motivation, design, and progress")
    assert "\n" not in item.abstract


def test_pubmed_central_item() -> None:
    item = only_record("manubot_pmc-scihub-study-csl_raw.json")
    assert item.source_id == "vkig9eAb"
    assert item.doi == "10.7554/elife.32822"
    assert item.ids == (
        ("doi", "10.7554/elife.32822"),
        ("pmid", "29424689"),
        ("pmcid", "PMC5832410"),
    )
    assert [author.keyname for author in item.authors] == [
        "Himmelstein",
        "Romero",
        "Levernier",
        "Munro",
        "McLaughlin",
        "Greshake Tzovaras",
        "Greene",
    ]
    assert "Rodgers" not in {author.keyname for author in item.authors}  # the editor
    assert (item.year, item.published, item.venue) == (2018, None, "eLife")


def test_datacite_html_abstract() -> None:
    item = only_record("manubot_datacite-thesis-csl_pruned.json")
    assert item.source_id == "AflvSRWR"
    assert item.title == (
        "The hetnet awakens: understanding complex diseases through data integration and open"
        " science"
    )
    assert item.abstract is not None
    assert item.abstract.startswith(
        "The PhD Dissertation of Daniel S. Himmelstein. This is my thesis from my PhD in"
        " Biological & Medical Informatics"
    )
    assert "<" not in item.abstract and "&amp;" not in item.abstract
    assert (item.year, item.published) == (2017, None)


def test_pandoc_bibliography() -> None:
    first, webpage = read("manubot_pandoc_bibliography.json")
    assert isinstance(first, WorkRecord) and isinstance(webpage, WorkRecord)
    assert first.source_id == "doi:10.7554/elife.32822"  # the id as written
    assert first.abstract is not None and first.abstract.startswith("The website Sci-Hub enables")
    assert first.published == date(2018, 3, 1)
    assert (first.locator.position, webpage.locator.position) == (1, 2)
    # Neither id nor DOI: the URL identifies the item.
    assert webpage.source_id == (
        "http://blogs.nature.com/naturejobs/2018/02/20/"
        "techblog-manubot-powers-a-crowdsourced-deep-learning-review/"
    )
    assert (webpage.work_type, webpage.authors, webpage.year) == ("webpage", (), None)


def test_item_without_title_is_rejected() -> None:
    items = read("manubot_null-date-parts-csl_raw.json")
    assert len(items) == 1 and isinstance(items[0], Reject)
    assert items[0].reason.startswith("unrecognised JSON object (keys: DOI, id, issued, source")


def test_crossref_citeproc_item_read_as_csl() -> None:
    # Read through the CSL kind directly: by default Crossref's kind claims it.
    with open(
        FIXTURES
        / "crossref"
        / ("test-content_negotation__test_content_negotiation_citeproc_json_001.json"),
        encoding="utf-8",
    ) as handle:
        response = json.load(handle)["response"]
    assert is_csl_item(response)
    item = csl_record(response, Locator("citeproc", 1))
    assert (item.source, item.source_id) == ("csl-json", "10.1126/science.169.3946.635")
    assert item.title == "The Structure of Ordinary Water"
    assert (item.venue, item.year, item.published) == ("Science", 1970, date(1970, 8, 14))
    assert item.authors[0].affiliations == (
        "University of Pittsburgh, Mellon Institute of Carnegie-Mellon University",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"date-parts": [[2018, 3, 1]]}, (2018, date(2018, 3, 1))),
        ({"date-parts": [["2017", "07", "07"]]}, (2017, date(2017, 7, 7))),
        ({"date-parts": [[2021, 7]]}, (2021, None)),
        ({"date-parts": [[None]]}, (None, None)),
        ({"date-parts": [[2019, 2, 30]]}, (2019, None)),
        ({"date-parts": [[2017, 1], [2017, 3]]}, (2017, None)),
        ({"raw": "2022"}, (2022, None)),
        ({"raw": "2022-05-04"}, (2022, date(2022, 5, 4))),
        ({"literal": "Spring 1999"}, (1999, None)),
        (None, (None, None)),
    ],
)
def test_date_from_parts(value: object, expected: tuple[int | None, date | None]) -> None:
    assert date_from_parts(value) == expected


def test_person_name_with_particles_and_suffix() -> None:
    name = person_name(
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van", "suffix": "Jr."}
    )
    assert name == AuthorName(
        raw="Ludwig van Beethoven Jr.",
        name="Ludwig van Beethoven Jr.",
        keyname="van Beethoven",
        forenames="Ludwig",
        suffix="Jr.",
    )
    assert person_name({"ORCID": "http://orcid.org/0000-0002-1825-0097"}) is None
