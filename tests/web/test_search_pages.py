"""The search pages (HTML and JSON) and the home page, on the real fixture corpus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from html_tree import Element
from starlette.testclient import TestClient

from scholarfolio import profiles, search
from scholarfolio.search.query import Paging
from scholarfolio.store import Store

Page = Callable[..., Element]


def test_search_page_lists_matching_authors_with_their_numbers(
    built_store: Store, page: Page
) -> None:
    doc = page("/search?q=perez+calero")
    assert doc.find("h1").text() == "Results for “perez calero”"
    assert doc.find("input", attrs={"name": "q"}).attrs["value"] == "perez calero"
    [row] = doc.find(cls="author-list").find_all("li")
    [match] = profiles.search_authors(built_store, "perez calero")
    assert row.find("a").text() == "A. Pérez-Calero Yzquierdo"
    assert row.find("a").attrs["href"] == f"/authors/{match['id']}"
    plural = "paper" if match["works"] == 1 else "papers"
    assert row.find(cls="author-row-stats").text() == (
        f"{match['works']} {plural} {match['citations']} citations h-index {match['h_index']}"
    )


def test_search_page_lists_matching_works_best_first(built_store: Store, page: Page) -> None:
    doc = page("/search?q=spreadsheet+integrity")
    assert doc.find(cls="search-summary").text() == "0 authors and 2 works found"
    entries = doc.find(cls="search-works").find_all(cls="work-summary")
    expected = search.search(built_store, "spreadsheet integrity")["works"]
    assert [entry.find("h3").find("a").attrs["href"] for entry in entries] == [
        f"/works/{work['id']}" for work in expected
    ]
    assert [entry.find("h3").text() for entry in entries] == [
        "Ensuring Spreadsheet Integrity with Model Master",
        "Regulation and the Integrity of Spreadsheets in the Information Supply Chain",
    ]
    first = entries[0]
    assert first.find("time").attrs["datetime"] == expected[0]["date"]
    assert first.find(cls="arxiv-id").text() == f"arXiv:{expected[0]['arxiv_id']}"
    assert first.find(cls="snippet").text().startswith(expected[0]["snippet"][:40])


def test_a_work_with_thousands_of_authors_is_listed_collapsed(page: Page) -> None:
    [entry] = page("/search?q=CMS+LHCb").find(cls="search-works").find_all(cls="work-summary")
    authors = entry.find(cls="work-summary-authors")
    assert len(authors.find_all("a")) == 5
    assert authors.text().endswith("+2,826 more")
    # The LaTeX of the title is shown readably, not as dollars and backslashes.
    title = entry.find("h3").text()
    assert "$" not in title and "\\" not in title and "→" in title


def test_when_no_work_has_every_word_the_page_says_so(page: Page) -> None:
    works = page("/search?q=spreadsheet+gravitino").find(cls="search-works")
    assert works.find(cls="notice").text() == (
        "No work has all of the words; these have some of them."
    )
    assert len(works.find_all(cls="work-summary")) == 3


def test_search_without_matches_says_so(page: Page) -> None:
    doc = page("/search?q=zzyzzyx")
    assert doc.find(cls="empty").text().startswith("No author or work matches “zzyzzyx”.")
    assert doc.find_all(cls="search-works") == doc.find_all(cls="search-authors") == []


def test_pages_link_to_each_other(page: Page) -> None:
    doc = page("/search?q=network&page=2&per_page=5")
    pager = doc.find("nav", attrs={"aria-label": "Result pages"})
    assert pager.find(cls="pager-position").text() == "Page 2 of 4"
    links = {link.attrs["rel"]: link.attrs["href"] for link in pager.find_all("a")}
    assert links == {
        "prev": "/search?q=network&page=1&per_page=5",
        "next": "/search?q=network&page=3&per_page=5",
    }
    assert doc.find(cls="search-works").find(cls="range").text() == "6–10 of 16"
    assert doc.find("ol", cls="work-summaries").attrs["start"] == "6"


def test_search_escapes_the_query(client: TestClient) -> None:
    html = client.get("/search", params={"q": "<script>x</script>"}).text
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_empty_search_is_an_html_400(page: Page) -> None:
    doc = page("/search?q=", status=400)
    assert doc.find(cls="error-status").text() == "400"
    assert doc.find("h1").text() == "Bad Request"
    assert doc.find(cls="error-message").text().startswith("the query is empty")


def test_search_json_is_exactly_the_library_dict(built_store: Store, client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "network", "page": "2", "per_page": "5"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body == search.search(built_store, "network", Paging(2, 5))
    assert set(body) == {
        "query", "authors", "works", "total_authors", "total_works", "works_match",
        "page", "per_page", "pages",
    }  # fmt: skip
    assert (body["total_works"], body["page"], body["per_page"], body["pages"]) == (16, 2, 5, 4)
    assert {"id", "title", "date", "arxiv_id", "citations"} <= set(body["works"][0])


def test_search_json_finds_authors_and_works_together(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "csorgo"}).json()
    assert [author["name"] for author in body["authors"]] == ["T. Csörgő"]
    assert set(body["authors"][0]) == {"id", "name", "works", "citations", "h_index"}
    assert body["total_authors"] == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "the query is empty"),
        ({}, "the query is empty"),
        ({"q": "x" * 201}, "the query is too long (201 characters; at most 200)"),
        ({"q": "gravity", "page": "0"}, "page must be 1 or more; got 0"),
        ({"q": "gravity", "per_page": "500"}, "per_page must be between 1 and 100; got 500"),
        ({"q": "gravity", "page": "x"}, "page must be a whole number; got 'x'"),
    ],
)
def test_bad_searches_are_json_400s_that_say_why(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["message"].startswith(message)


def test_home_lists_the_newest_works_and_the_last_update(built_store: Store, page: Page) -> None:
    doc = page("/")
    newest = search.newest_works(built_store, 10)
    section = doc.find("section", attrs={"aria-labelledby": "newest-title"})
    entries = section.find_all(cls="work-summary")
    assert [entry.find("a").attrs["href"] for entry in entries] == [
        f"/works/{work['id']}" for work in newest
    ]
    assert [entry.find("time").attrs["datetime"] for entry in entries] == [
        work["date"] for work in newest
    ]
    stamp = profiles.corpus_stats(built_store)["last_update"]
    assert doc.find(cls="corpus").find("time").attrs["datetime"] == stamp
