"""arXiv .abs records and listing files."""

from __future__ import annotations

from datetime import datetime

from scholarfolio.models import Version

from ._support import fixture, records_of


def test_old_style_record_with_three_versions() -> None:
    (record,) = records_of(fixture("abs/hep-th_9901001.abs"))
    assert record.source == "arxiv-abs"
    assert record.arxiv_id == "hep-th/9901001"
    assert record.title == "String Junctions and Their Duals in Heterotic String Theory"
    assert [a.name for a in record.authors] == ["Yosuke Imamura"]
    assert record.submitter == "Yosuke Imamura"  # e-mail address removed
    assert record.versions == (
        Version(1, datetime(1999, 1, 1, 1, 1, 10), "15kb"),
        Version(2, datetime(1999, 1, 5, 21, 36, 42), "15kb"),
        Version(3, datetime(1999, 5, 10, 4, 45, 54), "15kb"),
    )
    assert record.categories == ("hep-th",)
    assert record.report_no == "YITP-99-1"
    assert record.journal_ref == "Prog.Theor.Phys.101:1155-1164,1999"
    assert record.doi == "10.1143/PTP.101.1155"
    assert record.comments == "13 pages + 4 eps figures, PTPTeX, typographical errors corrected"
    assert record.abstract == (
        "We explicitly give the correspondence between spectra of heterotic string theory "
        "compactified on $T^2$ and string junctions in type IIB theory compactified on $S^2$."
    )
    assert record.locator.line == 3


def test_latin1_record_and_size_flags() -> None:
    (record,) = records_of(fixture("abs/1607.08199.abs"))
    assert record.journal_ref == (
        "Épijournal de Géométrie Algébrique, Volume 1 (September 1, 2017) epiga:3255"
    )
    assert [a.name for a in record.authors] == [
        "Marcello Bernardara",
        "Emanuele Macrì",
        "Benjamin Schmidt",
        "Xiaolei Zhao",
    ]
    assert [(v.number, v.size) for v in record.versions] == [
        (1, "39kb"),
        (2, "39kb"),
        (3, "41kb"),
        (4, "41kb"),
        (5, "122kb"),
    ]
    assert record.versions[4].submitted == datetime(2017, 4, 5, 18, 19, 17)
    assert record.license == "http://creativecommons.org/licenses/by-sa/4.0/"


def test_numbered_affiliations_in_abs() -> None:
    (record,) = records_of(fixture("abs/0704.0789.abs"))
    assert len(record.authors) == 16
    assert record.authors[0].name == "Nicole M. Silvestri"
    assert record.authors[0].affiliations == ("University of Washington",)
    assert record.authors[-1].name == "Stephanie A. Snedden"
    assert record.authors[-1].affiliations == ("Apache Point Observatory",)
    assert record.doi == "10.1086/519242"


def test_thousands_of_authors_are_all_kept() -> None:
    (record,) = records_of(fixture("abs/1411.4413.abs"))
    # 2,830 comma-separated names after "The CMS and LHCb Collaborations:".
    assert len(record.authors) == 2831
    assert record.authors[0].name == "The CMS and LHCb Collaborations"
    assert record.authors[1].name == "V. Khachatryan"
    assert record.authors[-1].name == "E. Pesen"
    assert "P.M. Bjørnstad" in {a.name for a in record.authors}
    assert record.report_no == "CERN-PH-EP-2014-220, CMS-BPH-13-007, LHCb-PAPER-2014-049"
    assert record.doi == "10.1038/nature14474"
    assert record.categories == ("hep-ex", "hep-ph")


def test_phenix_author_list_with_thin_space_before_jr() -> None:
    (record,) = records_of(fixture("abs/1310.8286.abs"))
    assert len(record.authors) == 380
    assert (record.authors[0].name, record.authors[-1].name) == ("A. Adare", "L. Zolin")
    assert "M. Finger Jr." in {a.name for a in record.authors}


def test_listing_file_of_concatenated_records() -> None:
    records = records_of(fixture("abs/listing_math-ph_9701.gz"))
    assert len(records) == 17
    assert records[0].arxiv_id == "cond-mat/9701067"
    assert records[6].arxiv_id == "math/9701214"  # written "math.AP/9701214"
    assert all(record.abstract is None for record in records)
    # "Date (revised):" lines without a number follow the previous version.
    finster = records[2]
    assert finster.arxiv_id == "funct-an/9701002"
    assert [(v.number, v.submitted) for v in finster.versions] == [
        (1, datetime(1997, 1, 6, 17, 8, 35)),
        (2, datetime(1997, 3, 12, 14, 43, 13)),
        (3, datetime(1998, 6, 5, 20, 35, 6)),
        (4, datetime(1999, 4, 7, 14, 58, 32)),
    ]
    # The last record's date line is really written "kDate:", so no version is known.
    assert (records[-1].arxiv_id, records[-1].versions) == ("q-alg/9701031", ())


def test_daily_listing_with_abstracts_and_a_replacement() -> None:
    records = records_of(fixture("abs/listing_q-fin_new.MF.gz"))
    assert [r.arxiv_id for r in records] == ["2303.08217", "2303.08760", "2303.08477", "2212.06733"]
    assert [a.name for a in records[2].authors] == ["Michał Barski", "Rafał Łochowski"]
    assert records[0].abstract is not None
    assert records[0].abstract.startswith("In this paper, we deal with an axiomatic approach")
    replaced = records[3]
    assert replaced.title == "Sequential decompositions at their limit"
    assert replaced.abstract is None
