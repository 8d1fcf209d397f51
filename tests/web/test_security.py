"""web/security.py's guard: headers on every response, a read-only public site, limits, 429s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from scholarfolio import profiles, works
from scholarfolio.store import Store
from scholarfolio.web.app import create_app
from scholarfolio.web.render import Renderer, make_environment
from scholarfolio.web.security import (
    CONTENT_SECURITY_POLICY,
    GuardedStarlette,
    TokenBuckets,
    client_key,
)
from scholarfolio.web.server import served_app

EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def assert_guarded(response: object) -> None:
    """Every security header is on ``response``, exactly once."""
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in EXPECTED_HEADERS.items():
        assert headers.get_list(name) == [value], name
    assert "camera=()" in headers["permissions-policy"]


@pytest.fixture(scope="module")
def paths(built_store: Store) -> dict[str, str]:
    """One real URL of each kind of page in the fixture corpus."""
    author = profiles.top_authors(built_store, limit=1)[0]["id"]
    work = profiles.get_profile(built_store, author, profiles.WorkListing())["works"][0]["id"]
    return {
        "home": "/",
        "search": "/search?q=quark",
        "api_search": "/api/search?q=quark",
        "profile": f"/authors/{author}",
        "api_profile": f"/api/authors/{author}",
        "api_author_search": "/api/authors?q=a",
        "work": f"/works/{work}",
        "api_work": f"/api/works/{work}",
        "work_bib": f"/works/{work}.bib",
        "author_bib": f"/authors/{author}/works.bib",
        "feed": f"/authors/{author}/feed.atom",
        "openapi": "/api/openapi.json",
        "docs": "/api/docs",
        "health": "/healthz",
        "static": "/static/style.css",
    }


@pytest.fixture(scope="module")
def served(built_store: Store) -> Iterator[TestClient]:
    """The app exactly as ``serve`` stacks it: guard, response cache, guarded app."""
    with TestClient(served_app(built_store)) as test_client:
        yield test_client


def test_every_page_kind_carries_the_security_headers(
    client: TestClient, paths: dict[str, str]
) -> None:
    for path in paths.values():
        response = client.get(path)
        assert response.status_code == 200, path
        assert_guarded(response)


def test_errors_and_not_modified_answers_carry_them_too(
    client: TestClient, paths: dict[str, str]
) -> None:
    for path in ("/no/such/page", "/api/no-such-route", "/api/authors/nobody-000", "/search"):
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert_guarded(response)
    first = client.get(paths["api_profile"])
    again = client.get(paths["api_profile"], headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert_guarded(again)


def test_cached_answers_and_their_304s_carry_them(
    served: TestClient, paths: dict[str, str]
) -> None:
    for path in (paths["profile"], paths["static"], paths["api_work"]):
        first = served.get(path)
        cached = served.get(path)
        assert first.status_code == cached.status_code == 200
        assert_guarded(cached)
        again = served.get(path, headers={"If-None-Match": cached.headers["etag"]})
        assert again.status_code == 304, path
        assert_guarded(again)


def test_an_unexpected_exception_is_a_500_with_the_headers(built_store: Store) -> None:
    def broken(request: Request) -> Response:
        raise RuntimeError("a bug")

    renderer = Renderer(built_store, make_environment())
    app = GuardedStarlette(
        error_page=renderer.error,
        routes=[Route("/broken", broken)],
        exception_handlers={Exception: lambda request, exc: renderer.error(500, "bug", False)},
    )
    response = TestClient(app, raise_server_exceptions=False).get("/broken")
    assert response.status_code == 500
    assert_guarded(response)


def test_pages_need_no_inline_script_or_style(client: TestClient, paths: dict[str, str]) -> None:
    for kind in ("home", "search", "profile", "work", "docs"):
        html = client.get(paths[kind]).text.lower()
        assert "<script" not in html and "<style" not in html, kind
        assert " style=" not in html and "javascript:" not in html, kind


def test_public_routes_are_read_only(client: TestClient, paths: dict[str, str]) -> None:
    for path in [*paths.values(), "/no/such/page"]:
        assert client.head(path).status_code in (200, 404), path
        for method in WRITE_METHODS:
            response = client.request(method, path, content=b"x=1")
            assert response.status_code == 405, (method, path)
            assert response.headers["allow"] == "GET, HEAD"
            assert_guarded(response)
    api = client.post(paths["api_profile"])
    assert api.json() == {"error": {"status": 405, "message": "This site is read-only."}}


def test_too_long_addresses_are_414(client: TestClient) -> None:
    path = client.get("/authors/" + "a" * 1100)
    assert path.status_code == 414
    query = client.get("/api/search?q=" + "b" * 2100)
    assert query.status_code == 414
    assert query.json()["error"]["status"] == 414
    assert_guarded(query)
    # Just under the limits the request goes through to the application.
    assert client.get("/api/search?q=" + "b" * 2000).status_code in (200, 400)


def test_a_nul_character_in_the_address_is_400(client: TestClient) -> None:
    for url in ("/api/search?q=a%00b", "/authors/x%00y", "/search?q=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "NUL" in response.text
        assert_guarded(response)


def test_limits_come_from_the_settings(built_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_MAX_QUERY_BYTES", "10")
    monkeypatch.setenv("SCHOLARFOLIO_MAX_PATH_BYTES", "12")
    limited = TestClient(create_app(built_store))
    assert limited.get("/api/search?q=abc").status_code == 200
    assert limited.get("/api/search?q=abcdefghij").status_code == 414
    assert limited.get("/healthz").status_code == 200
    assert limited.get("/authors/abcdef").status_code == 414


def test_large_bodies_are_413_declared_or_streamed(
    built_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_ADMIN_TOKEN", "t" * 24)
    admin = TestClient(create_app(built_store))
    declared = admin.post("/admin/login", content=b"token=" + b"x" * 70_000)
    assert declared.status_code == 413
    assert_guarded(declared)

    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"y" * 4096

    streamed = admin.post(
        "/admin/login",
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert "content-length" not in streamed.request.headers
    assert streamed.status_code == 413
    # A form under the limit reaches the login (and is the wrong token).
    assert admin.post("/admin/login", data={"token": "x" * 100}).status_code == 403


def test_every_paged_list_caps_its_page_size(client: TestClient, paths: dict[str, str]) -> None:
    too_big = {
        paths["api_search"]: 101,
        paths["search"]: 101,
        paths["api_profile"]: profiles.MAX_PER_PAGE + 1,
        paths["profile"]: profiles.MAX_PER_PAGE + 1,
        paths["api_work"]: works.MAX_PER_PAGE + 1,
        paths["work"]: works.MAX_PER_PAGE + 1,
    }
    for path, size in too_big.items():
        joined = "&" if "?" in path else "?"
        assert client.get(f"{path}{joined}per_page={size}").status_code == 400, path
        assert client.get(f"{path}{joined}per_page={size - 1}").status_code == 200, path
    # The author name search has a fixed size.
    found = client.get(paths["api_author_search"]).json()["authors"]
    assert 0 < len(found) <= 50


def test_the_api_rate_limit_answers_429_with_retry_after(
    built_store: Store, paths: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_API_RATE", "0.5")
    monkeypatch.setenv("SCHOLARFOLIO_API_BURST", "3")
    limited = TestClient(served_app(built_store))
    statuses = [limited.get(paths["openapi"]).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = limited.get(paths["api_work"])
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    assert refused.json() == {"error": {"status": 429, "message": "Too many requests: slow down."}}
    assert_guarded(refused)
    # Pages and static files are not counted.
    assert limited.get(paths["profile"]).status_code == 200
    assert limited.get(paths["static"]).status_code == 200


def test_a_rate_of_zero_turns_the_limit_off(
    built_store: Store, paths: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_API_RATE", "0")
    monkeypatch.setenv("SCHOLARFOLIO_API_BURST", "1")
    unlimited = TestClient(served_app(built_store))
    assert {unlimited.get(paths["health"]).status_code for _ in range(30)} == {200}
    assert {unlimited.get(paths["api_search"]).status_code for _ in range(30)} == {200}


class Clock:
    """A hand-moved clock for the token buckets."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_buckets_refill_at_the_rate_per_client() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate=2.0, burst=4, clock=clock)
    assert [buckets.take("a") for _ in range(4)] == [0.0] * 4
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.exhausted("a")
    assert buckets.take("b") == 0.0
    clock.now += 0.5
    assert not buckets.exhausted("a")
    assert buckets.take("a") == 0.0
    assert buckets.take("a") == pytest.approx(0.5)
    clock.now += 100
    # Saved up, but never more than the burst.
    assert [buckets.take("a") for _ in range(5)][-2:] == [0.0, pytest.approx(0.5)]


def test_token_buckets_stay_bounded_in_memory() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate=1.0, burst=2, clock=clock, max_clients=100)
    for number in range(100):
        buckets.take(f"old-{number}")
    clock.now += 10  # every old bucket is full again: forgetting it changes nothing
    buckets.take("new")
    assert list(buckets.buckets) == ["new"]
    for number in range(250):
        buckets.take(f"busy-{number}")
    assert len(buckets.buckets) <= 100


def _scope(host: str) -> dict[str, object]:
    return {"client": (host, 1234)}


def test_clients_are_told_apart_by_address_and_ipv6_network() -> None:
    assert client_key(_scope("192.0.2.7")) == "192.0.2.7"
    same = client_key(_scope("2001:db8:1:2:aaaa::1"))
    assert same == client_key(_scope("2001:db8:1:2:ffff:1:2:3")) == "2001:db8:1:2::"
    assert client_key(_scope("2001:db8:1:3::1")) != same
    assert client_key({}) == ""


def test_hsts_only_when_the_site_is_https(
    built_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "strict-transport-security" not in TestClient(create_app(built_store)).get("/").headers
    monkeypatch.setenv("SCHOLARFOLIO_BASE_URL", "https://scholar.example.org/")
    secure = TestClient(create_app(built_store)).get("/")
    assert secure.headers["strict-transport-security"] == "max-age=31536000"
