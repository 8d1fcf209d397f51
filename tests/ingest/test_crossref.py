"""Crossref REST API works, read through the JSON plumbing from real recorded responses."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scholarfolio.ingest import read_file
from scholarfolio.ingest.crossref import crossref_record, is_crossref
from scholarfolio.ingest.csl import markup_to_text, normalize_doi
from scholarfolio.ingest.jsondocs import default_registry
from scholarfolio.models import AuthorName, Locator, Reject, ReportedCitations, WorkRecord

CROSSREF = Path(__file__).resolve().parent.parent / "fixtures" / "crossref"
PLOS = "test-works__test_works_with_one_id_000.json"
JCLINPATH = "test-workscontainer__test_workscontainer_with_two_ids_000.json"
CITEPROC = "test-content_negotation__test_content_negotiation_citeproc_json_001.json"
CURSOR_PAGE = "test-cursor__test_cursor_max_001.json"
TYPES_PAGE = "test-types__test_types_mixed_ids_works_warn_002.json"


def read(name: str) -> list[WorkRecord | Reject]:
    """Everything ``read_file`` yields for a Crossref fixture, records and Rejects."""
    return [item for item in read_file(CROSSREF / name) if isinstance(item, WorkRecord | Reject)]


def works(name: str) -> dict[str, WorkRecord]:
    """The records of a fixture by DOI; fails the test on any Reject."""
    items = read(name)
    assert not [item for item in items if isinstance(item, Reject)]
    return {item.source_id or "": item for item in items if isinstance(item, WorkRecord)}


def message(name: str) -> dict[str, Any]:
    """The ``message`` (one work) of a recorded response."""
    with open(CROSSREF / name, encoding="utf-8") as handle:
        recorded: dict[str, Any] = json.load(handle)
    return dict(recorded["response"]["message"])


def test_single_work() -> None:
    work = works(PLOS)["10.1371/journal.pone.0033693"]
    assert work.source == "crossref-work"
    assert work.doi == "10.1371/journal.pone.0033693"
    assert work.ids == (("doi", "10.1371/journal.pone.0033693"),)
    assert work.title == (
        "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia"
        " in the Basal Ganglia of Mice"
    )
    assert [author.name for author in work.authors] == [
        "Shankar Sadasivan",
        "Brooks B. Pond",
        "Amar K. Pani",
        "Chunxu Qu",
        "Yun Jiao",
        "Richard J. Smeyne",
    ]
    assert (work.authors[1].keyname, work.authors[1].forenames) == ("Pond", "Brooks B.")
    assert (work.year, work.published) == (2012, date(2012, 3, 21))
    assert (work.venue, work.work_type) == ("PLoS ONE", "journal-article")
    assert len(work.references) == 65
    assert work.references[:2] == (
        ("doi", "10.1038/sj.npp.1301164"),
        ("doi", "10.1586/14737175.5.3.325"),
    )
    assert work.reported == ReportedCitations(72, as_of=date(2026, 6, 6))
    assert work.arxiv_id is None and work.versions == ()


def test_orcid_affiliations_and_markup() -> None:
    work = works(JCLINPATH)["10.1136/jclinpath-2020-206745"]
    assert work.title == (
        "Construction of a reference material panel for detecting KRAS / NRAS / EGFR / BRAF / MET"
        " mutations in plasma ctDNA"
    )
    assert len(work.authors) == 15
    assert work.authors[0].name == "Jun Xu"
    assert work.authors[0].affiliations == (
        "Department of Neurosurgery, China-Japan Friendship Hospital, Beijing, China",
    )
    with_orcid = [author for author in work.authors if author.orcid]
    assert [(author.name, author.orcid) for author in with_orcid] == [
        ("Xuexi Yang", "0000-0002-3513-6501")
    ]
    assert work.abstract is not None
    assert work.abstract.startswith("Background The absence of high-quality next-generation")
    assert "<" not in work.abstract
    assert work.reported == ReportedCitations(10, as_of=date(2026, 2, 20))


def test_citeproc_json_from_crossref_is_a_crossref_work() -> None:
    work = works(CITEPROC)["10.1126/science.169.3946.635"]
    assert work.source == "crossref-work"
    assert work.title == (
        "The Structure of Ordinary Water: New data and interpretations are yielding new insights"
        " into this fascinating substance."
    )
    assert work.authors == (
        AuthorName(
            raw="Henry S. Frank",
            name="Henry S. Frank",
            keyname="Frank",
            forenames="Henry S.",
            affiliations=(
                "University of Pittsburgh, Mellon Institute of Carnegie-Mellon University",
            ),
        ),
    )
    assert work.abstract is not None
    assert work.abstract.startswith("The train of thought pursued in this article")
    assert work.abstract.endswith("place in our conclusions.")
    assert (work.year, work.published, work.venue) == (1970, date(1970, 8, 14), "Science")
    assert len(work.references) == 45  # of 76 references, 45 give a DOI
    assert work.reported == ReportedCitations(92, as_of=date(2026, 6, 3))


def test_work_list_page() -> None:
    page = works(CURSOR_PAGE)
    assert len(page) == 20
    proceedings = page["10.1145/3027385.3027428"]
    assert proceedings.title == (
        "Widget, widget as you lead, I am performing well indeed! using results from an"
        " exploratory offline study to inform an empirical online study about a learning"
        " analytics widget in a collaborative learning environment"
    )
    assert proceedings.venue == (
        "Proceedings of the Seventh International Learning Analytics & Knowledge Conference"
    )
    assert [author.keyname for author in proceedings.authors] == [
        "Scheffel",
        "Drachsler",
        "Kreijns",
        "de Kraker",
        "Specht",
    ]
    assert proceedings.reported is not None and proceedings.reported.count == 11
    blog = page["10.59350/895qm-mnq80"]
    assert (blog.work_type, blog.published, blog.venue) == (
        "posted-content",
        date(2008, 6, 18),
        None,
    )
    assert blog.authors[0].orcid == "0000-0001-7542-0286"
    undated = page["10.1007/978-1-4302-0386-5_8"]  # "issued": {"date-parts": [[null]]}
    assert (undated.year, undated.published, undated.authors) == (None, None, ())


def test_organisation_author_and_year_only_date() -> None:
    report = works(TYPES_PAGE)["10.15554/pci.cta-17"]
    assert report.authors == (
        AuthorName(raw="Concrete Technology Associates", name="Concrete Technology Associates"),
    )
    assert (report.year, report.published, report.work_type) == (1981, None, "report")


def test_work_without_title_is_rejected_and_the_other_kept() -> None:
    items = read("test-works__test_works_sample_000.json")
    assert [item.source_id for item in items if isinstance(item, WorkRecord)] == [
        "10.3917/mult.095.0001"
    ]
    rejects = [item for item in items if isinstance(item, Reject)]
    assert [reject.reason for reject in rejects] == ["work 10.7752/jpes.2018.03256: no title"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "test-cursor__test_cursor_fails_cursor_value_000.json",
            "HTTP 404 from GET https://api.crossref.org/works?query=widget&cursor=thing:"
            " resource-failure: Cursor specified but it is invalid",
        ),
        (
            "test-funders__test_funders_fail_limit_000.json",
            "HTTP 400 from GET https://api.crossref.org/funders?rows=things: validation-failure:"
            " Integer specified as things but must be a positive integer less than or equal to"
            " 1000.",
        ),
        ("test-journals__test_journals_ids_001.json", "not a work: message-type journal"),
        (
            "test-registration_agency__test_registration_agency_000.json",
            "not a work: message-type work-agency",
        ),
    ],
)
def test_failed_calls_and_other_messages_are_rejected(name: str, reason: str) -> None:
    items = read(name)
    assert len(items) == 1
    assert isinstance(items[0], Reject)
    assert items[0].reason == reason


def test_empty_work_list_yields_nothing() -> None:
    assert read("test-pagination_params__test_limit_of_zero_with_id_000.json") == []


def test_arxiv_ids_from_relations_and_arxiv_dois() -> None:
    # A real work with relations added: Crossref writes them this way, but none
    # of the recorded works points to arXiv.
    work = message(PLOS)
    work["relation"] = {
        "has-preprint": [
            {"id-type": "arxiv", "id": "arXiv:1706.03762v5", "asserted-by": "subject"}
        ],
        "is-version-of": [{"id-type": "doi", "id": "10.48550/arXiv.2603.05498"}],
        "references": [{"id-type": "arxiv", "id": "hep-th/9901001"}],
    }
    record = crossref_record(work, Locator("test", 1))
    assert record.ids == (
        ("doi", "10.1371/journal.pone.0033693"),
        ("arxiv", "1706.03762"),
        ("arxiv", "2603.05498"),
    )
    work["DOI"] = "10.48550/arXiv.2301.00001"
    work["relation"] = {}
    record = crossref_record(work, Locator("test", 1))
    assert record.ids == (("doi", "10.48550/arxiv.2301.00001"), ("arxiv", "2301.00001"))


def test_crossref_kind_is_tried_before_csl() -> None:
    names = default_registry().names()
    assert names.index("crossref") < names.index("csl-json")
    assert is_crossref(message(PLOS))
    assert not is_crossref({"type": "article-journal", "title": "A", "DOI": "10.1/x"})


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("10.1126/science.169.3946.635", "10.1126/science.169.3946.635"),
        ("https://doi.org/10.7554/eLife.32822", "10.7554/elife.32822"),
        ("http://dx.doi.org/10.1000%2FABC", "10.1000/abc"),
        ("doi: 10.1000/XYZ", "10.1000/xyz"),
        ("not a doi", None),
        ("", None),
    ],
)
def test_normalize_doi(written: str, expected: str | None) -> None:
    assert normalize_doi(written) == expected


def test_markup_is_stripped_without_expanding_entities() -> None:
    jats = "<jats:title>Abstract</jats:title><jats:p>A &amp; B</jats:p><jats:p>p < 0.05</jats:p>"
    assert markup_to_text(jats) == "A & B p < 0.05"
    declared = '<!DOCTYPE x [<!ENTITY big "AAAA">]><jats:p>&big; stays</jats:p>'
    assert markup_to_text(declared) is not None
    assert "AAAA" not in (markup_to_text(declared) or "")
    assert markup_to_text("<jats:p>&lt;p&gt;twice &lt;em&gt;escaped&lt;/em&gt;</jats:p>") == (
        "twice escaped"
    )
