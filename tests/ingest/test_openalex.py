"""OpenAlex works and authors, read from real API objects, pages, dumps and cassettes."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scholarfolio.ingest import read_file
from scholarfolio.ingest.jsondocs import Parsed
from scholarfolio.ingest.openalex import rebuild_abstract, short_id
from scholarfolio.models import AuthorRecord, Reject, WorkRecord, source_family

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "openalex"


def _items(name: str) -> list[Parsed]:
    return list(read_file(FIXTURES / name))


def _only_work(name: str) -> WorkRecord:
    (work,) = _items(name)
    assert isinstance(work, WorkRecord)
    return work


def _works_by_id(name: str) -> dict[str, WorkRecord]:
    return {item.key: item for item in _items(name) if isinstance(item, WorkRecord)}


def _only_author(name: str) -> AuthorRecord:
    (author,) = _items(name)
    assert isinstance(author, AuthorRecord)
    return author


def _write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


# --- works ----------------------------------------------------------------------


def test_state_of_oa_work() -> None:
    work = _only_work("W2741809807.json")
    assert work.source == "openalex-work" and source_family(work.source) == "openalex"
    assert work.source_id == "W2741809807"
    assert work.title.startswith("The state of OA: a large-scale analysis")
    assert work.doi == "10.7717/peerj.4375"
    assert work.ids == (
        ("doi", "10.7717/peerj.4375"),
        ("openalex", "W2741809807"),
        ("mag", "2741809807"),
        ("pmid", "29456894"),
        ("pmcid", "PMC5815332"),
    )
    assert (work.year, work.published) == (2018, date(2018, 2, 13))
    assert (work.venue, work.work_type, work.arxiv_id) == ("PeerJ", "article", None)


def test_state_of_oa_authors_in_order_with_ids_and_orcids() -> None:
    authors = _only_work("W2741809807.json").authors
    assert [author.name for author in authors][:2] == ["Heather Piwowar", "Jason Priem"]
    assert authors[0].source_author_id == "A5048491430"
    assert authors[0].orcid == "0000-0003-1613-5981"
    assert authors[1].source_author_id == "A5023888391"
    assert authors[1].orcid == "0000-0001-6187-6610"
    assert authors[0].affiliations == ("Impactstory, Sanford, NC, USA",)
    assert len(authors) == 9


def test_abstract_is_rebuilt_from_the_inverted_index() -> None:
    abstract = _only_work("W2741809807.json").abstract
    assert abstract is not None
    assert abstract.startswith(
        "Despite growing interest in Open Access (OA) to scholarly literature,"
    )


def test_references_and_reported_citations() -> None:
    work = _only_work("W2741809807.json")
    assert len(work.references) == 45
    assert all(scheme == "openalex" and value.startswith("W") for scheme, value in work.references)
    assert work.reported is not None
    assert work.reported.count == 962
    assert work.reported.as_of == date(2025, 6, 11)
    assert work.reported.by_year[0] == (2017, 9)
    assert work.reported.by_year[-1] == (2025, 30)
    assert dict(work.reported.by_year)[2020] == 179


def test_deep_learning_lecun_bengio_hinton() -> None:
    work = _works_by_id("closure_raw_works.json")["W2919115771"]
    assert work.title == "Deep learning"
    assert [(a.name, a.source_author_id, a.orcid) for a in work.authors] == [
        ("Yann LeCun", "A5001226970", None),
        ("Yoshua Bengio", "A5086198262", "0000-0002-9322-3515"),
        ("Geoffrey E. Hinton", "A5108093963", None),
    ]
    # The byline as printed keeps its own spelling; the name is OpenAlex's.
    assert work.authors[2].raw == "Geoffrey Hinton"
    assert work.doi == "10.1038/nature14539" and work.venue == "Nature"
    assert len(work.references) == 53
    assert work.reported is not None and work.reported.count == 82963
    assert work.abstract is None  # OpenAlex has no abstract for it


def test_repeated_author_in_a_byline_is_kept() -> None:
    work = _works_by_id("closure_raw_works.json")["W2923418412"]
    ids = [author.source_author_id for author in work.authors]
    assert len(ids) == 8
    assert ids[-2:] == ["A5006539124", "A5006539124"]
    assert ids.count(None) == 2  # authorships OpenAlex did not attach to a profile


def test_arxiv_id_from_an_arxiv_doi_or_an_arxiv_location() -> None:
    works = _works_by_id("idb03_A5071165005.json.gz")
    by_doi = works["W4381247932"]
    assert (by_doi.doi, by_doi.arxiv_id) == ("10.48550/arxiv.2306.09648", "2306.09648")
    by_location = works["W3003329782"]
    assert (by_location.doi, by_location.arxiv_id) == ("10.2523/iptc-19693-ms", "2001.10156")
    assert ("arxiv", "2001.10156") in by_location.ids
    nisq = _works_by_id("closure_raw_works.json")["W2781738013"]
    assert nisq.arxiv_id == "1801.00862"


def test_legacy_host_venue_is_the_venue() -> None:
    work = _only_work("W-api-response.json")
    assert work.venue == "Physical Review Letters"
    assert work.source_id == "W2755950973"


# --- authors --------------------------------------------------------------------


def test_hinton_author_with_summary_stats() -> None:
    hinton = _only_author("closure_raw_author_A5108093963.json")
    assert (hinton.source, hinton.source_id, hinton.name) == (
        "openalex-author",
        "A5108093963",
        "Geoffrey E. Hinton",
    )
    assert (hinton.h_index, hinton.i10_index) == (138, 305)
    assert (hinton.works_count, hinton.citations) == (385, 452327)
    assert "Hinton, Geoffrey E." in hinton.alternative_names
    assert hinton.as_of == date(2026, 8, 6)


def test_priem_author_ids() -> None:
    priem = _only_author("A5023888391.json")
    assert priem.orcid == "0000-0001-6187-6610"
    assert priem.ids == (
        ("openalex", "A5023888391"),
        ("orcid", "0000-0001-6187-6610"),
        ("scopus", "36455008000"),
    )
    assert (priem.h_index, priem.i10_index, priem.works_count) == (17, 20, 62)


def test_deleted_author_is_rejected_with_the_reason() -> None:
    (item,) = _items("A5317838346.json")
    assert isinstance(item, Reject)
    assert "deleted OpenAlex entity A5317838346" in item.reason


def test_other_entities_are_not_supported() -> None:
    (item,) = _items("T11636.json")
    assert isinstance(item, Reject)
    assert item.reason.startswith("not supported: OpenAlex topic T11636")


# --- dumps, pages, cassettes, snapshot lines --------------------------------------


def test_idb03_profile_dump_yields_the_author_then_its_works() -> None:
    items = _items("idb03_A5071165005.json.gz")
    author, *works = items
    assert isinstance(author, AuthorRecord)
    assert (author.source_id, author.name, author.orcid) == (
        "A5071165005",
        "Rayan Kanfar",
        "0000-0003-4321-5573",
    )
    assert (author.works_count, author.h_index) == (8, 4)
    assert len(works) == 8 and all(isinstance(work, WorkRecord) for work in works)


def test_cassette_works_page() -> None:
    works = _works_by_id("cassette_author_works.json.gz")
    assert len(works) == 10
    assert works["W4390690464"].title.startswith("DeepSeek LLM")


def test_snapshot_lines_match_the_dump() -> None:
    from_lines = list(_works_by_id("idb03_A5071165005_works.jsonl.gz"))
    from_dump = list(_works_by_id("idb03_A5071165005.json.gz"))
    assert len(from_lines) == 8
    assert from_lines == from_dump


# --- schema drift ---------------------------------------------------------------


def _work_object() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / "W2741809807.json").read_bytes())
    return loaded


def test_unknown_fields_are_ignored(tmp_path: Path) -> None:
    drifted = _work_object() | {"brand_new_field": {"nested": [1, 2]}, "fwci": "not a number"}
    path = _write_json(tmp_path / "drift.json", drifted)
    (work,) = list(read_file(path))
    assert isinstance(work, WorkRecord) and work.source_id == "W2741809807"


@pytest.mark.parametrize("missing", ["absent", "null"])
def test_optional_fields_may_be_missing_or_null(tmp_path: Path, missing: str) -> None:
    optional = (
        "doi", "ids", "publication_year", "publication_date", "primary_location", "locations",
        "type", "abstract_inverted_index", "referenced_works", "cited_by_count",
        "counts_by_year", "updated_date", "authorships",
    )  # fmt: skip
    work = _work_object()
    for key in optional:
        if missing == "absent":
            work.pop(key)
        else:
            work[key] = None
    (record,) = list(read_file(_write_json(tmp_path / "sparse.json", work)))
    assert isinstance(record, WorkRecord)
    assert (record.doi, record.abstract, record.reported, record.authors) == (None, None, None, ())
    assert record.ids == (("openalex", "W2741809807"),)


def test_authorship_fields_may_be_null(tmp_path: Path) -> None:
    work = _work_object()
    work["authorships"][0]["author"] = {"id": None, "display_name": None, "orcid": None}
    work["authorships"][0]["institutions"] = None
    (record,) = list(read_file(_write_json(tmp_path / "nulls.json", work)))
    assert isinstance(record, WorkRecord)
    assert record.authors[0].name == "Heather Piwowar"  # from raw_author_name
    assert record.authors[0].source_author_id is None


def test_wrong_type_rejects_the_object_naming_the_field(tmp_path: Path) -> None:
    works = [_work_object() | {"authorships": "Heather Piwowar"}, _work_object()]
    items = list(read_file(_write_json(tmp_path / "bad.json", works)))
    assert isinstance(items[0], Reject)
    assert items[0].reason == 'openalex-work: "authorships" should be an array, found str'
    assert isinstance(items[1], WorkRecord)


def test_work_without_title_is_rejected(tmp_path: Path) -> None:
    work = _work_object() | {"title": None, "display_name": None}
    (item,) = list(read_file(_write_json(tmp_path / "untitled.json", work)))
    assert isinstance(item, Reject) and "W2741809807 has no title" in item.reason


# --- helpers --------------------------------------------------------------------


def test_rebuild_abstract_orders_words_by_position() -> None:
    assert rebuild_abstract({"world": [1], "hello": [0, 2]}) == "hello world hello"
    assert rebuild_abstract({}) is None and rebuild_abstract(None) is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://openalex.org/W2741809807", "W2741809807"),
        ("W2741809807", "W2741809807"),
        ("https://api.openalex.org/works/w2741809807", "W2741809807"),
        ("https://openalex.org/keywords/cardiac-imaging", None),
        (None, None),
    ],
)
def test_short_id(given: str | None, expected: str | None) -> None:
    assert short_id(given) == expected


def test_gzip_magic_not_name_decides(tmp_path: Path) -> None:
    renamed = tmp_path / "author.json"
    renamed.write_bytes((FIXTURES / "idb03_A5071165005.json.gz").read_bytes())
    assert len(list(read_file(renamed))) == 9
    plain = tmp_path / "plain.json.gz"
    plain.write_bytes(gzip.decompress(renamed.read_bytes()))
    assert len(list(read_file(plain))) == 9
