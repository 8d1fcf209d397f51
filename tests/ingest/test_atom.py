"""arXiv API Atom feeds of both generations (2016 and 2026)."""

from __future__ import annotations

from datetime import date, datetime

from scholarfolio.models import AuthorName, Reject, Version

from ._support import by_id, fixture, read_all, records_of


def test_2016_entry_with_doi_journal_ref_and_two_versions() -> None:
    (record,) = records_of(fixture("atom/2016_id_list_1111.2011v2.xml"))
    assert record.source == "arxiv-atom"
    assert record.arxiv_id == "1111.2011"
    assert record.title == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    )
    # published is v1; the entry is v2, dated by <updated>.
    assert record.versions == (
        Version(1, datetime(2011, 11, 8, 18, 48, 36)),
        Version(2, datetime(2012, 4, 2, 12, 38, 54)),
    )
    assert record.updated == date(2012, 4, 2)
    assert [a.name for a in record.authors] == [
        "James M. Murray",
        "Adrian Del Maestro",
        "Zlatko Tesanovic",
    ]
    assert record.doi == "10.1103/PhysRevB.85.115117"
    assert record.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert record.comments == "8 pages, 3 figures. Published version"
    assert record.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert record.abstract is not None
    assert record.abstract.startswith("Theoretical description of anisotropic systems")
    assert record.abstract.endswith("the theory describing a single node.")


def test_2016_search_with_old_style_id() -> None:
    records = by_id(
        records_of(fixture("atom/2016_search_au_del_maestro_AND_ti_quantum_criticality.xml"))
    )
    assert list(records) == ["1111.2011", "cond-mat/0607501"]
    old = records["cond-mat/0607501"]
    assert [a.name for a in old.authors] == ["R. G. Melko", "A. Del Maestro", "A. A. Burkov"]
    assert old.doi == "10.1103/PhysRevB.74.214517"
    assert old.versions[1] == Version(2, datetime(2006, 11, 6, 19, 33, 40))


def test_affiliations_and_primary_category() -> None:
    (record,) = records_of(fixture("atom/id_astro-ph_0601001.xml"))
    assert record.arxiv_id == "astro-ph/0601001"
    assert record.versions == (Version(1, datetime(2006, 1, 2, 14, 57, 58)),)
    assert record.authors == (
        AuthorName(raw="Andrew Gould", name="Andrew Gould", affiliations=("Ohio State",)),
        AuthorName(raw="Susan Dorsher", name="Susan Dorsher", affiliations=("Ohio State",)),
        AuthorName(raw="B. Scott Gaudi", name="B. Scott Gaudi", affiliations=("CfA",)),
        AuthorName(
            raw="Andrzej Udalski",
            name="Andrzej Udalski",
            affiliations=("Warsaw University Observatory",),
        ),
    )
    assert record.journal_ref == "ActaAstron.56:1-50,2006"
    assert record.doi is None
    assert record.categories == ("astro-ph",)


def test_2026_search_page() -> None:
    records = records_of(fixture("atom/q_testing_s0_m10.xml"))
    assert [r.arxiv_id for r in records] == [
        "2202.12139",
        "2405.13786",
        "2005.14124",
        "2204.08348",
        "2302.03287",
        "1202.4527",
        "2503.05378",
        "1205.1866",
        "2502.07719",
        "1812.11470",
    ]
    by_arxiv_id = by_id(records)
    # An entry at v3: v1 from <published>, v3 from <updated>, v2 known to exist but undated.
    assert by_arxiv_id["2204.08348"].versions == (
        Version(1, datetime(2022, 4, 18, 14, 46, 24)),
        Version(2, None),
        Version(3, datetime(2022, 7, 6, 5, 12, 56)),
    )
    # Primary category first, then the other terms without repeating it.
    assert by_arxiv_id["2005.14124"].categories == ("cs.SE", "cs.CR", "cs.LG")
    assert by_arxiv_id["2202.12139"].doi == "10.1109/ICSTW55395.2022.00035"


def test_double_encoded_names_are_repaired_but_raw_is_kept() -> None:
    record = by_id(records_of(fixture("atom/q_testing_s0_m10.xml")))["2405.13786"]
    assert [a.name for a in record.authors] == [
        "Aurora Ramírez",
        "Mario Berrios",
        "José Raúl Romero",
        "Robert Feldt",
    ]
    assert record.authors[2].raw == "JosÃ© RaÃºl Romero"


def test_error_entry_becomes_a_reject() -> None:
    (reject,) = read_all(fixture("atom/id_abc.xml"))
    assert isinstance(reject, Reject)
    assert reject.reason == "arXiv API error: incorrect id format for abc"
    assert reject.position == 1
    assert reject.excerpt == "https://arxiv.org/api/errors#incorrect_id_format_for_abc"


def test_empty_feed_yields_nothing() -> None:
    assert read_all(fixture("atom/id_0000.0000.xml")) == []
