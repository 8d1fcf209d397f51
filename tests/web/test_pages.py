"""Home and error pages, and the stylesheet (search pages: test_search_pages.py)."""

from __future__ import annotations

from collections.abc import Callable

from html_tree import Element
from starlette.testclient import TestClient

from scholarfolio import profiles
from scholarfolio.store import Store

Page = Callable[..., Element]


def test_home_has_a_search_box_counts_and_top_authors(built_store: Store, page: Page) -> None:
    doc = page("/")
    form = doc.find("form", attrs={"action": "/search"})
    assert form.find("input").attrs["name"] == "q"
    stats = profiles.corpus_stats(built_store)
    counts = {s.find("dt").text(): s.find("dd").text() for s in doc.find_all(cls="stat")}
    assert counts == {
        "Papers": f"{stats['works']:,}",
        "Authors": f"{stats['authors']:,}",
        "Citations": f"{stats['citations']:,}",
    }
    top = profiles.top_authors(built_store, limit=20)
    rows = doc.find(cls="author-list").find_all("li")
    assert [row.find("a").text() for row in rows] == [author["name"] for author in top]
    assert rows[0].find("a").attrs["href"] == f"/authors/{top[0]['id']}"


def test_unknown_author_is_an_html_404(page: Page) -> None:
    doc = page("/authors/nobody-at-all-000000", status=404)
    assert doc.find("h1").text() == "Not Found"
    assert doc.find(cls="error-message").text() == "no author with id 'nobody-at-all-000000'"
    assert doc.find("form", attrs={"action": "/search"})


def test_unknown_route_is_an_html_404(page: Page) -> None:
    doc = page("/no/such/page", status=404)
    assert doc.find(cls="error-message").text() == "There is no page at /no/such/page."


def test_the_stylesheet_is_served(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "@media (max-width: 560px)" in response.text
    assert client.get("/static/missing.css").status_code == 404
