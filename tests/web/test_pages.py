"""Home, search and error pages, and the stylesheet."""

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


def test_search_page_lists_matches_with_their_numbers(built_store: Store, page: Page) -> None:
    doc = page("/search?q=perez+calero")
    assert doc.find("h1").text() == "Authors matching “perez calero”"
    assert doc.find("input", attrs={"name": "q"}).attrs["value"] == "perez calero"
    [row] = doc.find(cls="author-list").find_all("li")
    [match] = profiles.search_authors(built_store, "perez calero")
    assert row.find("a").text() == "A. Pérez-Calero Yzquierdo"
    assert row.find("a").attrs["href"] == f"/authors/{match['id']}"
    plural = "paper" if match["works"] == 1 else "papers"
    assert row.find(cls="author-row-stats").text() == (
        f"{match['works']} {plural} {match['citations']} citations h-index {match['h_index']}"
    )


def test_search_without_matches_says_so(page: Page) -> None:
    doc = page("/search?q=zzyzzyx")
    assert doc.find(cls="empty").text().startswith("No author matches “zzyzzyx”.")


def test_search_escapes_the_query(client: TestClient) -> None:
    html = client.get("/search", params={"q": "<script>x</script>"}).text
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_empty_search_is_an_html_400(page: Page) -> None:
    doc = page("/search?q=", status=400)
    assert doc.find(cls="error-status").text() == "400"
    assert doc.find("h1").text() == "Bad Request"
    assert doc.find(cls="error-message").text().startswith("the query is empty")


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
