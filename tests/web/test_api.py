"""The JSON API: the same dicts the library builds, and errors in one JSON shape."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from scholarfolio import profiles
from scholarfolio.store import Store


def test_profile_json_is_exactly_get_profile(
    built_store: Store, client: TestClient, author_id: Callable[[str], str]
) -> None:
    found = author_id("G. Veneziano")
    response = client.get(f"/api/authors/{found}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == profiles.get_profile(built_store, found)
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
