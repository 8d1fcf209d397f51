"""The JSON API: the same dicts the library builds, and errors in one JSON shape."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from scholarfolio import profiles
from scholarfolio.profiles import WorkListing
from scholarfolio.store import Store

# The profile's keys before sorting, filters and pages came: none may go or change name.
PROFILE_KEYS = {"id", "name", "name_variants", "badges", "ids", "other_ids", "metrics"} | {
    "reported_metrics",
    "works",
}
METRIC_KEYS = {"works", "citations", "h_index", "i10_index", "g_index", "citations_by_year"}
WORK_KEYS = {"rank", "id", "arxiv_id", "version", "date", "title", "abstract", "categories"} | {
    "authors",
    "citations",
    "citations_in_corpus",
    "reported_citations",
    "reported_citations_as_of",
    "ids",
    "sources",
    "merges",
    "doi",
    "journal_ref",
    "venue",
}


def test_profile_json_is_exactly_get_profile(
    built_store: Store, client: TestClient, author_id: Callable[[str], str]
) -> None:
    found = author_id("G. Veneziano")
    response = client.get(f"/api/authors/{found}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == profiles.get_profile(built_store, found, WorkListing())
    assert len(response.json()["works"][0]["authors"]) == 2831


def test_json_keeps_non_ascii_readable(client: TestClient, author_id: Callable[[str], str]) -> None:
    response = client.get(f"/api/authors/{author_id('J. Lefrançois')}")
    assert '"name": "J. Lefrançois"' in response.content.decode("utf-8")


def test_unknown_author_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/authors/nobody-at-all-000000")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "error": {"status": 404, "message": "no author with id 'nobody-at-all-000000'"}
    }


def test_unknown_api_route_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/works")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "message": "There is no page at /api/works."}
    }


def test_wrong_method_is_a_json_405_with_allow(client: TestClient) -> None:
    response = client.post("/api/authors?q=veneziano")
    assert response.status_code == 405
    assert response.json()["error"]["status"] == 405
    assert "GET" in response.headers["allow"]


def test_search_finds_an_author_without_accents_and_hyphen(client: TestClient) -> None:
    response = client.get("/api/authors", params={"q": "perez calero"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "perez calero"
    assert [author["name"] for author in body["authors"]] == ["A. Pérez-Calero Yzquierdo"]
    assert set(body["authors"][0]) == {"id", "name", "works", "citations", "h_index"}


def test_search_json_is_exactly_search_authors(built_store: Store, client: TestClient) -> None:
    response = client.get("/api/authors", params={"q": "lefrancois"})
    assert response.json() == {
        "query": "lefrancois",
        "authors": profiles.search_authors(built_store, "lefrancois"),
    }


def test_empty_query_is_a_json_400(client: TestClient) -> None:
    for path in ("/api/authors?q=", "/api/authors", "/api/authors?q=%20%20"):
        response = client.get(path)
        assert response.status_code == 400, path
        error = response.json()["error"]
        assert error["status"] == 400
        assert error["message"].startswith("the query is empty")


def test_healthz_reports_the_corpus_size(built_store: Store, client: TestClient) -> None:
    stats = profiles.corpus_stats(built_store)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "works": stats["works"], "authors": stats["authors"]}
    assert response.json()["works"] == 318


def test_profile_json_keeps_every_key_and_adds_the_listing(
    client: TestClient, author_id: Callable[[str], str]
) -> None:
    body = client.get(f"/api/authors/{author_id('G. Veneziano')}").json()
    assert set(body) >= PROFILE_KEYS
    assert METRIC_KEYS | {"citations_by_year_filled", "as_of"} <= set(body["metrics"])
    assert all(WORK_KEYS | {"authors_total", "author_position"} <= set(w) for w in body["works"])
    assert {k: body[k] for k in ("works_total", "page", "per_page", "pages", "sort")} == {
        "works_total": 3,
        "page": 1,
        "per_page": 50,
        "pages": 1,
        "sort": "date",
    }
    assert (body["year"], body["category"]) == (None, None)
    assert body["filters"]["years"] == [{"year": 2014, "works": 1}, {"year": 2013, "works": 2}]
    assert body["coauthors_total"] == 2915 and len(body["coauthors"]) == 20
    assert set(body["coauthors"][0]) == {"id", "name", "works"}
    assert set(body["topics"]) == {"categories", "words"}


def test_profile_json_pages_sorts_and_filters(
    built_store: Store, client: TestClient, author_id: Callable[[str], str]
) -> None:
    found = author_id("G. Veneziano")
    response = client.get(f"/api/authors/{found}?sort=citations&per_page=1&page=3")
    body = response.json()
    assert body == profiles.get_profile(
        built_store, found, WorkListing(sort="citations", per_page=1, page=3)
    )
    assert (body["works_total"], body["pages"], len(body["works"])) == (3, 3, 1)
    assert body["works"][0]["rank"] == 3
    only = client.get(f"/api/authors/{found}?year=2013&category=hep-ex").json()
    assert [(w["arxiv_id"], w["rank"]) for w in only["works"]] == [("1302.1213", 2)]


def test_bad_listing_values_are_json_400s_naming_the_valid_ones(
    client: TestClient, author_id: Callable[[str], str]
) -> None:
    found = author_id("G. Veneziano")
    expected = {
        "sort=newest": "sort must be one of date, citations (got 'newest')",
        "page=0": "page must be a whole number from 1 up (got '0')",
        "page=2": "page 2 is past the last page: 3 works make 1 page of 50",
        "per_page=1000": "per_page must be a whole number from 1 to 500 (got '1000')",
        "year=1999": "no works in year 1999; years with works: 2013, 2014",
        "category=cs.LG": (
            "no works in category 'cs.LG'; categories: astro-ph.CO, gr-qc, hep-ex, hep-ph, hep-th"
        ),
    }
    for query, message in expected.items():
        response = client.get(f"/api/authors/{found}?{query}")
        assert response.status_code == 400, query
        assert response.json() == {"error": {"status": 400, "message": message}}


def test_api_responses_carry_an_etag_and_answer_304(
    client: TestClient, author_id: Callable[[str], str]
) -> None:
    path = f"/api/authors/{author_id('G. Veneziano')}"
    first = client.get(path)
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["etag"] == first.headers["etag"]
    html = client.get(path.replace("/api", ""))
    assert html.headers["etag"] != first.headers["etag"]
    error = client.get(path + "?sort=nope")
    assert "etag" not in error.headers
