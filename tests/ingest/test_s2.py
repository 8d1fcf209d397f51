"""Semantic Scholar Graph API responses and S2AG dataset lines, from real recordings."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest

from scholarfolio.ingest import read_file
from scholarfolio.ingest.jsondocs import Parsed
from scholarfolio.ingest.s2 import paper_reference
from scholarfolio.models import (
    AuthorRecord,
    CitationRecord,
    Reject,
    WorkRecord,
    source_family,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "s2"
TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"


def _items(name: str) -> list[Parsed]:
    return list(read_file(FIXTURES / name))


T = TypeVar("T")


def _of(kind: type[T], items: list[Parsed]) -> list[T]:
    return [item for item in items if isinstance(item, kind)]


@pytest.fixture(scope="module")
def turing_items() -> list[Parsed]:
    return _items("Paper.json.gz")


# --- paper objects --------------------------------------------------------------


def test_turing_paper(turing_items: list[Parsed]) -> None:
    paper = turing_items[0]
    assert isinstance(paper, WorkRecord)
    assert (paper.source, paper.source_id) == ("s2-paper", TURING)
    assert source_family(paper.source) == "s2"
    assert paper.title == "Computing Machinery and Intelligence"
    assert paper.doi == "10.1093/mind/lix.236.433"
    assert paper.ids == (
        ("s2", TURING),
        ("corpusid", "14636783"),
        ("doi", "10.1093/mind/lix.236.433"),
        ("mag", "2145482038"),
        ("dblp", "journals/x/Turing50"),
    )
    assert [(a.name, a.source_author_id) for a in paper.authors] == [("A. Turing", "2262347")]
    assert (paper.year, paper.published) == (1950, date(1950, 10, 1))
    assert paper.work_type == "JournalArticle"
    assert paper.abstract is not None
    assert paper.abstract.startswith("I propose to consider the question, “Can machines think?”")
    assert paper.reported is not None
    assert (paper.reported.count, paper.reported.as_of) == (10059, None)


def test_turing_1000_citations_become_edges_and_works(turing_items: list[Parsed]) -> None:
    edges = _of(CitationRecord, turing_items)
    assert len(edges) == 1000
    assert {edge.cited for edge in edges} == {("s2", TURING)}
    assert {edge.source for edge in edges} == {"s2-citations"}
    citing = {work.key: work for work in _of(WorkRecord, turing_items)[1:]}
    assert {edge.citing[1] for edge in edges} <= set(citing)
    assert edges[0].citing == ("s2", "619922f86647f431ab4e105683f1780605dd745d")
    lecun_papers = [
        work
        for work in citing.values()
        if any(author.source_author_id == "1688882" for author in work.authors)
    ]
    assert len(lecun_papers) == 2


def test_turing_references_resolved_and_unresolved(turing_items: list[Parsed]) -> None:
    paper = turing_items[0]
    assert isinstance(paper, WorkRecord)
    assert len(paper.references) == 8  # 14 listed, 6 without a paperId
    assert paper.references[0] == ("s2", "348f436fd9a3965f5ff17db031a9f43426f89b8e")
    rejects = _of(Reject, turing_items)
    assert len(rejects) == 6
    assert all("not resolved by Semantic Scholar (no paperId)" in r.reason for r in rejects)


def test_paper_with_null_values_is_rejected_for_its_missing_title() -> None:
    (item,) = _items("PaperWithNullValues.json")
    assert isinstance(item, Reject)
    assert item.reason == f"s2-paper: paper {TURING} has no title"


def test_citation_entry_alone_gives_the_paper_without_an_edge() -> None:
    (work,) = _items("Citation.json")
    assert isinstance(work, WorkRecord)
    assert work.source_id == "bdcbc589c8d1e4dd0c6572630f8511557406ad2f"
    assert ("dblp", "journals/ral/MonastirskyAS23") in work.ids


# --- authors --------------------------------------------------------------------


def test_turing_author_with_metrics_and_papers() -> None:
    items = _items("Author.json.gz")
    author = items[0]
    assert isinstance(author, AuthorRecord)
    assert (author.source, author.source_id, author.name) == ("s2-author", "2262347", "A. Turing")
    assert (author.h_index, author.works_count, author.citations) == (23, 60, 12415)
    assert author.ids == (("s2", "2262347"), ("dblp", "Alan M. Turing"))
    assert len(_of(WorkRecord, items)) == 60


def test_paper_authors_page() -> None:
    authors = _of(AuthorRecord, _items("test_get_paper_authors_000.json"))
    assert [(a.name, a.h_index) for a in authors][:2] == [("E. Duflo", 91), ("A. Banerjee", 90)]


def test_author_search_cassette() -> None:
    authors = _of(AuthorRecord, _items("cassette_s2_author_search.json"))
    assert len(authors) == 25
    assert all(author.source == "s2-author" for author in authors)


# --- pages, batches, errors -----------------------------------------------------


def test_citations_page_links_each_citing_paper_to_the_requested_paper() -> None:
    items = _items("test_get_paper_citations_000.json")
    works, edges = _of(WorkRecord, items), _of(CitationRecord, items)
    assert len(works) == len(edges) == 100
    assert {edge.cited for edge in edges} == {("corpusid", "14514057")}
    assert edges[0].citing == ("s2", "344e7fb2000d9063cbc9deb550e46946bafe3c90")
    assert works[0].title.startswith("We’ve got you covered!")


def test_last_citations_page_rejects_unresolved_papers() -> None:
    items = _items("test_get_paper_citations_018.json")
    assert len(_of(CitationRecord, items)) == 77
    rejects = _of(Reject, items)
    assert len(rejects) == 4
    assert rejects[0].reason.startswith("citingPaper not resolved by Semantic Scholar")


def test_references_page_cites_from_the_requested_doi() -> None:
    items = _items("test_get_paper_references_000.json")
    edges = _of(CitationRecord, items)
    assert len(edges) == 40 and len(_of(Reject, items)) == 10
    assert {edge.citing for edge in edges} == {("doi", "10.2139/ssrn.2250500")}


def test_batch_with_an_unknown_id_rejects_the_null() -> None:
    items = _items("test_get_papers_return_not_found_000.json")
    assert isinstance(items[0], Reject) and items[0].reason.startswith("null entry")
    works = _of(WorkRecord, items)
    assert len(works) == 3
    assert works[0].ids[:3] == (
        ("s2", "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce"),
        ("corpusid", "470667"),
        ("doi", "10.2139/ssrn.288970"),
    )
    authors = _items("test_get_authors_return_not_found_000.json")
    assert [getattr(item, "name", None) for item in authors[1:]] == [
        "E. Dijkstra",
        "D. Parnas",
        "I. Sommerville",
    ]


def test_bulk_search_page_with_token() -> None:
    works = _of(WorkRecord, _items("test_search_paper_bulk_retrieval_000.json.gz"))
    assert len(works) == 1000


def test_match_and_recommendation_answers() -> None:
    (match,) = _items("test_search_paper_match_title_000.json")
    assert isinstance(match, WorkRecord)
    assert match.title == "Mining association rules between sets of items in large databases"
    assert len(_of(WorkRecord, _items("test_get_recommended_papers_000.json"))) == 100


def test_not_found_response_is_rejected() -> None:
    (item,) = _items("test_not_found_000.json")
    assert isinstance(item, Reject) and "HTTP 404" in item.reason


def test_search_author_page() -> None:
    authors = _of(AuthorRecord, _items("test_search_author_000.json"))
    assert len(authors) == 59 and authors[0].name == "A. Turing"


# --- S2AG datasets --------------------------------------------------------------


def test_s2ag_papers() -> None:
    items = _items("s2ag_papers-sample.jsonl.gz")
    works = _of(WorkRecord, items)
    assert len(works) == 100 and len(items) == 100
    first = works[0]
    assert (first.source, first.source_id) == ("s2ag-paper", "108228682")
    assert source_family(first.source) == "s2"
    assert first.title.startswith("Optimization, characterization and immobilization")
    assert first.ids == (
        ("s2", "d5ec1ea2c9261c54cf41fef1e5c9f2f8abe28ce2"),
        ("corpusid", "108228682"),
        ("mag", "2921691074"),
    )
    assert first.authors[0].source_author_id == "93500598"
    assert first.reported is not None
    assert (first.reported.count, first.reported.as_of) == (0, date(2022, 1, 27))
    assert first.locator.line == 1


def test_s2ag_authors() -> None:
    authors = _of(AuthorRecord, _items("s2ag_authors-sample.jsonl.gz"))
    assert len(authors) == 100
    first = authors[0]
    assert (first.source, first.source_id, first.name) == (
        "s2ag-author",
        "123872165",
        "Julia Kornely",
    )
    assert (first.works_count, first.h_index) == (1, 0)
    bruhns = next(author for author in authors if author.source_id == "2034196174")
    assert bruhns.alternative_names == ("M. Bruhns", "Matthias Bruhns")


def test_s2ag_citation_edges() -> None:
    items = _items("s2ag_citations-sample.jsonl.gz")
    edges = _of(CitationRecord, items)
    assert len(edges) == 77
    assert edges[0].source == "s2ag-citations"
    assert (edges[0].citing, edges[0].cited) == (("corpusid", "20187272"), ("corpusid", "85219962"))
    rejects = _of(Reject, items)
    assert len(rejects) == 23
    assert rejects[0].line == 3
    assert "citedcorpusid null" in rejects[0].reason


@pytest.mark.parametrize(
    ("name", "dataset"),
    [("s2ag_paper-ids-sample.jsonl.gz", "paper-ids"), ("s2ag_tldrs-sample.jsonl.gz", "tldrs")],
)
def test_s2ag_datasets_not_read_are_rejected_as_not_supported(name: str, dataset: str) -> None:
    items = _items(name)
    assert len(items) == 100
    assert all(
        isinstance(item, Reject) and f"not supported: S2AG {dataset} records" in item.reason
        for item in items
    )


# --- schema drift ---------------------------------------------------------------


def _s2ag_lines() -> list[dict[str, Any]]:
    data = gzip.decompress((FIXTURES / "s2ag_papers-sample.jsonl.gz").read_bytes())
    return [json.loads(line) for line in data.splitlines()[:5]]


def test_s2ag_drift_unknown_and_missing_fields(tmp_path: Path) -> None:
    lines = _s2ag_lines()
    lines[0]["brandnewfield"] = [1, 2, 3]
    for key in ("externalids", "authors", "year", "citationcount", "journal", "updated"):
        lines[1].pop(key)
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    works = _of(WorkRecord, list(read_file(path)))
    assert len(works) == 5
    assert (works[1].authors, works[1].year, works[1].reported) == ((), None, None)


def test_s2ag_bad_line_rejected_rest_read(tmp_path: Path) -> None:
    lines = [json.dumps(line) for line in _s2ag_lines()]
    lines[2] = lines[2][:40]
    path = tmp_path / "papers.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_file(path))
    assert len(_of(WorkRecord, items)) == 4
    (bad,) = _of(Reject, items)
    assert bad.line == 3 and "not valid JSON" in bad.reason


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("CorpusID:14514057", ("corpusid", "14514057")),
        ("10.2139/ssrn.2250500", ("doi", "10.2139/ssrn.2250500")),
        ("DOI:10.1093/MIND/LIX.236.433", ("doi", "10.1093/mind/lix.236.433")),
        (TURING, ("s2", TURING)),
        ("arXiv:1706.03762v5", ("arxiv", "1706.03762")),
        ("PMCID:PMC5815332", ("pmcid", "PMC5815332")),
        ("URL:https://example.org/paper", None),
    ],
)
def test_paper_reference(given: str, expected: tuple[str, str] | None) -> None:
    assert paper_reference(given) == expected
