"""OAI-PMH pages in the arXivRaw, arXiv and oai_dc formats, read from real responses."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from scholarfolio.ingest import read_file
from scholarfolio.models import AuthorName, Reject, Version, WorkRecord

from ._support import by_id, fixture, read_all, records_of

RAW_PAGE = fixture("oai/listrecords_arXivRaw_496549_46001_first100.xml")
ARXIV_PAGE = fixture("oai/listrecords_arXiv_436115_405001_cut.xml.gz")


def test_arxivraw_page_yields_every_record_in_order() -> None:
    records = records_of(RAW_PAGE)
    assert len(records) == 100
    assert {record.source for record in records} == {"arxiv-oai-arxivraw"}
    assert (records[0].arxiv_id, records[-1].arxiv_id) == ("0801.3673", "0801.3772")
    assert [record.locator.position for record in records] == list(range(1, 101))
    assert records[0].locator.line == 6  # the line of its <record>


def test_arxivraw_record_keeps_every_version_and_field() -> None:
    record = by_id(records_of(RAW_PAGE))["0801.3674"]
    assert record.title == (
        "A Study of Structure Formation and Reheating in the D3/D7 Brane Inflation Model"
    )
    assert record.versions == (
        Version(1, datetime(2008, 1, 23, 21, 13, 53), "33kb"),
        Version(2, datetime(2008, 2, 4, 15, 5, 55), "33kb"),
        Version(3, datetime(2008, 3, 19, 1, 33, 3), "34kb"),
        Version(4, datetime(2008, 9, 11, 22, 3, 53), "31kb"),
    )
    assert [(a.name, a.affiliations) for a in record.authors] == [
        ("Robert H. Brandenberger", ("McGill",)),
        ("Keshav Dasgupta", ("McGill",)),
        ("Anne-Christine Davis", ("DAMTP, Cambridge",)),
    ]
    assert record.categories == ("hep-th", "astro-ph", "gr-qc", "hep-ph")
    assert record.doi == "10.1103/PhysRevD.78.083502"
    assert record.journal_ref == "Phys.Rev.D78:083502,2008"
    assert record.submitter == "Robert Brandenberger"
    assert record.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    assert record.comments == (
        "Some sections expanded, typos corrected and references added. "
        "Final version to appear in Phys. Rev. D"
    )
    assert record.abstract is not None
    assert record.abstract.startswith("We study the spectrum of cosmological fluctuations")
    assert record.abstract.endswith("into matter fluctuations.")
    assert "  " not in record.abstract and "\n" not in record.abstract


def test_arxivraw_authors_are_split_and_decoded() -> None:
    records = by_id(records_of(RAW_PAGE))
    leon = records["0801.3713"].authors[2]
    assert (leon.raw, leon.name, leon.affiliations) == (
        "Jean-Claude L\\'eon",
        "Jean-Claude Léon",
        ("LGS",),
    )
    hurley = records["0801.3709"].authors[2]
    assert hurley.affiliations == (
        "Centre for Astrophysics & Supercomputing, Swinburne University of Technology, Australia",
    )
    assert records["0801.3698"].report_no == "LA-UR 07-7165"
    assert [v.number for v in records["0801.3707"].versions] == [1, 2, 3, 4, 5, 6]
    assert records["0801.3707"].versions[-1] == Version(6, datetime(2010, 4, 23, 0, 48, 37), "31kb")


def test_arxiv_format_page_from_gzip() -> None:
    records = records_of(ARXIV_PAGE)
    assert len(records) == 102
    assert {record.source for record in records} == {"arxiv-oai-arxiv"}
    first = records[0]
    assert first.arxiv_id == "1302.0649"
    assert (
        first.title
        == "Correlation effects in the electronic structure of the Ni-based superconducting KNi2S2"
    )
    assert [a.name for a in first.authors] == [
        "Feng Lu",
        "Wei-Hua Wang",
        "Xinjian Xie",
        "Fu-Chun Zhang",
    ]
    assert first.authors[1] == AuthorName(
        raw="Wei-Hua Wang", name="Wei-Hua Wang", keyname="Wang", forenames="Wei-Hua"
    )
    # Only the first submission date is known, and no update happened.
    assert first.versions == (Version(1, datetime(2013, 2, 4)),)
    assert first.updated is None
    assert first.categories == ("cond-mat.supr-con",)
    assert first.license == "http://creativecommons.org/licenses/by/3.0/"


def test_arxiv_format_keeps_all_628_authors() -> None:
    lhcb = by_id(records_of(ARXIV_PAGE))["1302.1213"]
    assert len(lhcb.authors) == 628
    assert lhcb.authors[0].name == "LHCb collaboration"
    assert lhcb.authors[-1] == AuthorName(
        raw="A. Zvyagin", name="A. Zvyagin", keyname="Zvyagin", forenames="A."
    )
    alves = [author for author in lhcb.authors if author.keyname == "Alves"]
    assert [(a.name, a.suffix) for a in alves] == [("A. A. Alves Jr", "Jr")]
    # v1 from <created>, the last update kept as a date: no later versions invented.
    assert lhcb.versions == (Version(1, datetime(2013, 2, 5)),)
    assert lhcb.updated == date(2013, 2, 23)
    assert lhcb.doi == "10.1103/PhysRevD.87.072004"
    assert (
        lhcb.journal_ref == "R. Aaij et. al, (LHCb Collaboration), Phys. Rev. D 87, 072004 (2013)"
    )
    assert lhcb.categories == ("hep-ex",)
    assert lhcb.locator.position == 102


def test_arxiv_format_suffixes_and_affiliations() -> None:
    records = by_id(records_of(ARXIV_PAGE))
    heath = records["1302.0749"].authors[1]
    assert (heath.name, heath.keyname, heath.forenames, heath.suffix) == (
        "Robert W. Heath Jr",
        "Heath",
        "Robert W.",
        "Jr",
    )
    mie = "Department of Physics Engineering, Mie University"
    assert [a.affiliations for a in records["1302.0669"].authors] == [(mie,), (mie,), (mie,)]


def test_hepcrawl_many_author_record_keeps_its_order() -> None:
    (record,) = records_of(fixture("oai/hepcrawl_sample_arxiv_record4.xml"))
    assert record.arxiv_id == "1603.05976"
    # 66 <author> elements; arXiv's parser made one of them a lone ":", which is no name.
    assert len(record.authors) == 65
    assert [a.name for a in record.authors[:4]] == [
        "Keck Array",
        "BICEP2 Collaborations",
        "P. Ade",
        "Z. Ahmed",
    ]
    assert record.authors[-1].name == "K. W. Yoon"
    assert record.categories == ("astro-ph.IM", "astro-ph.CO")


def test_hepcrawl_records_without_namespace_and_with_collaborations() -> None:
    records = records_of(fixture("oai/hepcrawl_sample_arxiv_record.xml"))
    assert len(records) == 12
    first = records[0]  # its <arXiv> element has no namespace declaration
    assert first.arxiv_id == "1601.03238"
    assert [a.name for a in first.authors] == [
        "Planck Collaboration",
        "Jieci Wang",
        "Zehua Tian",
        "Jiliang Jing",
        "Heng Fan",
    ]
    assert first.doi == "10.1103/PhysRevD.93.016005"
    assert first.license == "https://creativecommons.org/licenses/by/3.0/"
    assert first.versions == (Version(1, datetime(2016, 1, 13)),)
    assert records[1].authors[0].name == "Teresa Maria Montaruli for the IceCube Collaboration"


def test_hepcrawl_getrecord() -> None:
    (record,) = records_of(fixture("oai/hepcrawl_arxiv-single.xml"))
    assert record.arxiv_id == "1401.2122"
    assert record.title == "New integrable (3+1)-dimensional systems and contact geometry"
    assert record.categories == ("math.AP", "hep-th", "math-ph", "math.DG", "math.MP", "nlin.SI")
    assert record.journal_ref == "Lett. Math. Phys. 108 (2018), no. 2, 359-376"
    assert record.doi == "10.1007/s11005-017-1013-4"
    assert record.updated == date(2017, 10, 23)
    assert record.authors == (
        AuthorName(raw="A. Sergyeyev", name="A. Sergyeyev", keyname="Sergyeyev", forenames="A."),
    )
    # Paragraph breaks of the abstract become single spaces.
    assert record.abstract is not None
    assert "contact vector fields. In particular, we present" in record.abstract


def test_hepcrawl_listrecords_counts() -> None:
    records = records_of(fixture("oai/hepcrawl_arxiv-physics-hep-ex.xml"))
    assert [(r.arxiv_id, len(r.authors)) for r in records] == [
        ("1706.05371", 13),
        ("1706.09418", 5),
        ("1707.00874", 3),
    ]
    assert records[1].journal_ref == "Eur. Phys. J. C (2017) 77:856"


def test_oai_dc_record() -> None:
    (record,) = records_of(fixture("oai/getrecord_oai_dc_1401.2122_constructed.xml"))
    assert record.source == "arxiv-oai-dc"
    assert record.arxiv_id == "1401.2122"
    assert record.authors == (
        AuthorName(raw="Sergyeyev, A.", name="A. Sergyeyev", keyname="Sergyeyev", forenames="A."),
    )
    assert record.versions == (Version(1, datetime(2014, 1, 9)),)
    assert record.updated == date(2017, 10, 23)
    assert record.doi == "10.1007/s11005-017-1013-4"
    assert record.journal_ref == "Lett. Math. Phys. 108 (2018), no. 2, 359-376"
    assert record.comments is not None and record.comments.startswith("16 pages, LaTeX")
    assert record.abstract is not None and record.abstract.startswith("We introduce a novel")


def _edit_record(page: bytes, arxiv_id: str, edit: re.Pattern[bytes], replacement: bytes) -> bytes:
    """``page`` with one substitution made inside the <record> of ``arxiv_id``."""
    start = page.rindex(b"<record>", 0, page.index(f"<id>{arxiv_id}</id>".encode()))
    end = page.index(b"</record>", start) + len(b"</record>")
    return page[:start] + edit.sub(replacement, page[start:end], count=1) + page[end:]


def test_deleted_records_are_skipped_silently(tmp_path: Path) -> None:
    page = RAW_PAGE.read_bytes()
    # A deleted record is a header with status="deleted" and no metadata.
    whole_record = re.compile(rb"<record>.*</record>", re.DOTALL)
    deleted = (
        b'<record>\n<header status="deleted">\n <identifier>oai:arXiv.org:0801.3675'
        b"</identifier>\n <datestamp>2008-01-25</datestamp>\n</header>\n</record>"
    )
    path = tmp_path / "with_deleted.xml"
    path.write_bytes(_edit_record(page, "0801.3675", whole_record, deleted))
    items = read_all(path)
    assert len(items) == 99
    assert all(isinstance(item, WorkRecord) for item in items)
    assert "0801.3675" not in {item.arxiv_id for item in items if isinstance(item, WorkRecord)}
    fourth = items[2]
    assert isinstance(fourth, WorkRecord)
    assert (fourth.arxiv_id, fourth.locator.position) == ("0801.3676", 4)


def test_bad_record_is_rejected_and_the_rest_is_read(tmp_path: Path) -> None:
    page = RAW_PAGE.read_bytes()
    path = tmp_path / "bad_id.xml"
    path.write_bytes(
        _edit_record(page, "0801.3677", re.compile(rb"<id>0801\.3677</id>"), b"<id>abc</id>")
    )
    items = read_all(path)
    rejects = [item for item in items if isinstance(item, Reject)]
    assert len(items) == 100
    assert len(rejects) == 1
    (reject,) = rejects
    assert reject.position == 5
    assert "not an arXiv identifier: 'abc'" in reject.reason
    assert reject.line is not None and reject.line > 0
    assert reject.excerpt.startswith("oai:arXiv.org:0801.3677")


def test_oai_error_response_is_one_reject(tmp_path: Path) -> None:
    # The envelope of the real page around an OAI-PMH <error> (as arXiv answers an
    # expired resumption token).
    page = RAW_PAGE.read_bytes()
    envelope = page[: page.index(b"<ListRecords>")]
    body = (
        b'<error code="badResumptionToken">Invalid or expired resumptionToken</error>\n</OAI-PMH>\n'
    )
    path = tmp_path / "error.xml"
    path.write_bytes(envelope + body)
    (reject,) = read_all(path)
    assert isinstance(reject, Reject)
    assert reject.position == 0
    assert reject.reason == "OAI-PMH error badResumptionToken: Invalid or expired resumptionToken"


def test_oai_dc_without_creators_is_rejected(tmp_path: Path) -> None:
    source = fixture("oai/getrecord_oai_dc_1401.2122_constructed.xml").read_text(encoding="utf-8")
    path = tmp_path / "no_creator.xml"
    path.write_text(
        source.replace(" <dc:creator>Sergyeyev, A.</dc:creator>\n", ""), encoding="utf-8"
    )
    (reject,) = list(read_file(path))
    assert isinstance(reject, Reject)
    assert (reject.position, reject.reason) == (
        1,
        "oai_dc record without dc:creator: no author list to read",
    )


def test_entities_are_never_resolved(tmp_path: Path) -> None:
    page = fixture("oai/hepcrawl_arxiv-single.xml").read_bytes()
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    doctype = b'<!DOCTYPE OAI-PMH [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    hostile = page.replace(declaration, declaration + doctype).replace(
        b"<title>New integrable", b"<title>&secret;New integrable"
    )
    path = tmp_path / "external_entity.xml"
    path.write_bytes(hostile)
    # Neither expanded nor kept half-read: the record is rejected, naming the entity
    # (tests/ingest/test_hostile.py tries every XML attack).
    (reject,) = read_all(path)
    assert isinstance(reject, Reject)
    assert reject.reason == "refers to the XML entity &secret;: entities are never expanded or read"
