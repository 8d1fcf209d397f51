"""Work pages, their JSON, BibTeX and feed downloads, on real records."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import bibtexparser
import pytest
from html_tree import Element, parse
from lxml import etree
from pg_support import OpenStore
from starlette.testclient import TestClient

from scholarfolio import pipeline, profiles, works
from scholarfolio.store import Store
from scholarfolio.web.app import create_app

CLOSURE = Path(__file__).parents[1] / "fixtures" / "openalex" / "closure_raw_works.json"
Page = Callable[..., Element]


@pytest.fixture(scope="module")
def closure(open_store: OpenStore) -> Iterator[tuple[Store, TestClient]]:
    """ "Deep learning", the paper it cites and the four papers citing it (real OpenAlex)."""
    with open_store("closure") as store:
        pipeline.ingest_paths(store, [CLOSURE])
        pipeline.build(store)
        with TestClient(create_app(store)) as client:
            yield store, client


def _work_id(store: Store, identifier: str) -> int:
    (work,) = works.list_works(store, identifier)
    return int(work["id"])


def test_deep_learning_json_lists_what_it_cites_and_who_cites_it(
    closure: tuple[Store, TestClient],
) -> None:
    store, client = closure
    deep = _work_id(store, "W2919115771")
    work = client.get(f"/api/works/{deep}").json()
    assert work["title"] == "Deep learning"
    assert [a["name"] for a in work["authors"]] == [
        "Yann LeCun",
        "Yoshua Bengio",
        "Geoffrey E. Hinton",
    ]
    assert work["authors"][1]["orcid"] == "0000-0002-9322-3515"
    assert work["cites"]["total"] == 1
    assert [w["title"] for w in work["cites"]["works"]] == [
        "Learning representations by back-propagating errors"
    ]
    cited_by = work["cited_by"]
    assert (cited_by["total"], cited_by["page"], cited_by["pages"]) == (4, 1, 1)
    # Most cited first, each with its first authors and how many there are.
    assert [(w["title"][:30], w["citations"]) for w in cited_by["works"]] == [
        ("Quantum Computing in the NISQ ", 8441),
        ("Using Deep Learning for Image-", 4734),
        ("Deep learning with coherent na", 3152),
        ("Machine Learning–Based Model f", 647),
    ]
    assert cited_by["works"][2]["authors_total"] == 11
    assert work["citations_in_corpus"] == 4
    assert work["reported_citations"] == {"openalex": 82963}
    assert work["reported_citations_as_of"] == {"openalex": "2026-08-06"}
    (record,) = work["records"]
    assert (record["source"], record["id"], record["rule"]) == (
        "openalex",
        "W2919115771",
        "first record",
    )
    assert record["ids"]["pmid"] == ["26017442"]
    assert work["citations_by_year"]["2016"] == 1174
    assert work["bibtex"].startswith("@article{lecun2015deep,")


def test_lists_are_paginated_with_totals(closure: tuple[Store, TestClient]) -> None:
    store, client = closure
    deep = _work_id(store, "W2919115771")
    first = client.get(f"/api/works/{deep}?per_page=3").json()["cited_by"]
    second = client.get(f"/api/works/{deep}?per_page=3&cited_by_page=2").json()["cited_by"]
    assert (first["total"], first["pages"], len(first["works"])) == (4, 2, 3)
    assert (second["page"], [w["citations"] for w in second["works"]]) == (2, [647])
    past = client.get(f"/api/works/{deep}?per_page=3&cited_by_page=3").json()["cited_by"]
    assert (past["total"], past["works"]) == (4, [])
    html = parse(client.get(f"/works/{deep}?per_page=3").text)
    pager = html.find("nav", attrs={"aria-label": "Pages of cited by"})
    assert "Page 1 of 2" in pager.text()
    assert pager.find("a", attrs={"rel": "next"}).attrs["href"] == (
        f"/works/{deep}?cites_page=1&cited_by_page=2&per_page=3"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("per_page=101", "per_page must be between 1 and 100 (got 101)"),
        ("cites_page=0", "cites_page must be 1 or more (got 0)"),
        ("cited_by_page=two", "cited_by_page must be a whole number from 1 up (got 'two')"),
    ],
)
def test_bad_paging_is_a_400_that_says_what_is_valid(
    closure: tuple[Store, TestClient], query: str, message: str
) -> None:
    store, client = closure
    response = client.get(f"/api/works/{_work_id(store, 'W2919115771')}?{query}")
    assert response.status_code == 400
    assert response.json() == {"error": {"status": 400, "message": message}}


def test_other_ids_of_a_work_redirect_to_its_page(closure: tuple[Store, TestClient]) -> None:
    store, client = closure
    deep = _work_id(store, "W2919115771")
    for path, target in (
        ("/works/W2919115771", f"/works/{deep}"),
        ("/api/works/W2919115771", f"/api/works/{deep}"),
        ("/works/W2919115771.bib", f"/works/{deep}.bib"),
    ):
        response = client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (301, target)
    missing = client.get("/api/works/999999")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"].startswith("no work with id '999999'")


def test_work_page_shows_versions_sources_and_provenance(built_store: Store, page: Page) -> None:
    work_id = _work_id(built_store, "1607.08199")
    doc = page(f"/works/{work_id}")
    assert doc.find("h1").text() == "Bridgeland Stability Conditions on Fano Threefolds"
    versions = doc.find("ol", cls="versions").find_all("li")
    assert [v.find("a").text() for v in versions] == ["v1", "v2", "v3", "v4", "v5"]
    assert versions[0].find("a").attrs["href"] == "https://arxiv.org/abs/1607.08199v1"
    assert versions[0].find("time").attrs["datetime"].startswith("2016-07-27")
    record = doc.find("li", cls="record")
    assert record.attrs["data-source"] == "arxiv"
    assert record.find("a").attrs["href"] == "https://arxiv.org/abs/1607.08199"
    provenance = doc.find(attrs={"data-provenance": "citations"})
    assert (
        "citing works in this corpus" in provenance.text() or "citing work in" in provenance.text()
    )
    assert doc.find("link", attrs={"type": "application/json"}).attrs["href"] == (
        f"/api/works/{work_id}"
    )


def test_2831_authors_render_collapsed_and_complete(built_store: Store, client: TestClient) -> None:
    work_id = _work_id(built_store, "1411.4413")
    response = client.get(f"/works/{work_id}")
    doc = parse(response.text)
    shown = doc.find("p", cls="authors-shown").find_all("a")
    assert [a.text() for a in shown] == [
        "The CMS and LHCb Collaborations",
        "V. Khachatryan",
        "A.M. Sirunyan",
        "A. Tumasyan",
        "W. Adam",
    ]
    more = doc.find("details", cls="more-authors")
    assert "open" not in more.attrs
    assert more.find("summary").find(cls="when-closed").text() == "+2,826 more authors"
    assert len(more.find_all("a")) == 2826
    # LaTeX in the title is shown as text and markup, never as raw dollars.
    title = doc.find("h1")
    assert "$" not in title.text() and title.text().startswith("Observation of the rare B")
    assert len(response.content) < 300_000


def test_html_escapes_titles_from_the_data(built_store: Store, client: TestClient) -> None:
    work_id = _work_id(built_store, "2302.03287")
    html = client.get(f"/works/{work_id}").text
    assert "Promises &amp; Perils" in html and "Promises & Perils" not in html


def test_work_bibtex_download(closure: tuple[Store, TestClient]) -> None:
    store, client = closure
    response = client.get(f"/works/{_work_id(store, 'W2919115771')}.bib")
    assert response.headers["content-type"] == "text/x-bibtex; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="lecun2015deep.bib"'
    (entry,) = bibtexparser.parse_string(response.text).entries
    assert entry.key == "lecun2015deep" and entry.fields_dict["doi"].value == "10.1038/nature14539"
    # Downloads are cacheable like pages: the same ETag answers 304 without a body.
    again = client.get(response.url.path, headers={"If-None-Match": response.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")


def test_author_bibtex_has_every_work_newest_first(closure: tuple[Store, TestClient]) -> None:
    store, client = closure
    hinton = profiles.find_author(store, "A5108093963")
    response = client.get(f"/authors/{hinton}/works.bib")
    assert response.headers["content-disposition"] == f'attachment; filename="{hinton}.bib"'
    entries = bibtexparser.parse_string(response.text).entries
    assert [entry.key for entry in entries] == ["lecun2015deep", "rumelhart1986learning"]


def test_author_feed_route(closure: tuple[Store, TestClient]) -> None:
    store, client = closure
    hinton = profiles.find_author(store, "A5108093963")
    response = client.get(f"/authors/{hinton}/feed.atom")
    assert response.headers["content-type"] == "application/atom+xml"
    feed = etree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.findtext("a:id", namespaces=ns) == f"http://testserver/authors/{hinton}/feed.atom"
    assert len(feed.findall("a:entry", ns)) == 2
    assert client.get("/authors/nobody-at-all-000000/feed.atom").status_code == 404


def test_profile_links_its_feed_bibtex_and_work_pages(
    closure: tuple[Store, TestClient],
) -> None:
    store, client = closure
    hinton = profiles.find_author(store, "A5108093963")
    doc = parse(client.get(f"/authors/{hinton}").text)
    feed = doc.find("link", attrs={"type": "application/atom+xml"})
    assert feed.attrs["href"] == f"/authors/{hinton}/feed.atom"
    hrefs = {a.attrs.get("href") for a in doc.find_all("a")}
    assert f"/authors/{hinton}/works.bib" in hrefs
    titles = [h.find("a") for h in doc.find_all("h3", cls="work-title")]
    assert [t.attrs["href"] for t in titles] == [
        f"/works/{_work_id(store, 'W2919115771')}",
        f"/works/{_work_id(store, 'W1498436455')}",
    ]
