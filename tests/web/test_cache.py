"""The response cache: the same bytes again without rendering, until a build changes the store."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from scholarfolio import pipeline
from scholarfolio.store import Store
from scholarfolio.web.app import create_app
from scholarfolio.web.cache import ResponseCache, store_generation
from scholarfolio.web.server import served_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "arxiv"
STYLESHEET = Path(__file__).resolve().parents[2] / "scholarfolio" / "web" / "static" / "style.css"


class Counted:
    """The real application, counting the requests that reach it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.calls += 1
        await self.app(scope, receive, send)


def _cached(store: Store, **options: Any) -> tuple[ResponseCache, Counted]:
    counted = Counted(create_app(store))
    options.setdefault("max_bytes", 8 << 20)
    return ResponseCache(counted, lambda: store_generation(store), **options), counted


@pytest.fixture(scope="module")
def profile_path(built_store: Store) -> str:
    from scholarfolio import profiles

    return f"/api/authors/{profiles.top_authors(built_store, limit=1)[0]['id']}"


def test_the_second_request_gets_the_same_bytes_without_rendering(
    built_store: Store, profile_path: str
) -> None:
    cache, app = _cached(built_store)
    with TestClient(cache) as client:
        first = client.get(profile_path)
        second = client.get(profile_path)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["cache-control"] == "public, max-age=60"
    assert app.calls == 1


def test_a_matching_if_none_match_gets_304_and_no_body(
    built_store: Store, profile_path: str
) -> None:
    cache, app = _cached(built_store)
    with TestClient(cache) as client:
        tag = client.get(profile_path).headers["etag"]
        again = client.get(profile_path, headers={"If-None-Match": f'W/"x", {tag}'})
        changed = client.get(profile_path, headers={"If-None-Match": '"something-else"'})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert changed.status_code == 200
    assert app.calls == 1


def test_no_cache_requests_always_reach_the_store(built_store: Store, profile_path: str) -> None:
    cache, app = _cached(built_store)
    with TestClient(cache) as client:
        client.get(profile_path)
        fresh = client.get(profile_path, headers={"Cache-Control": "no-cache"})
        client.get(profile_path, headers={"Pragma": "no-cache"})
    assert fresh.status_code == 200
    assert app.calls == 3


def test_errors_and_other_methods_are_never_kept(built_store: Store) -> None:
    cache, app = _cached(built_store)
    with TestClient(cache) as client:
        missing = [client.get("/api/authors/nobody-00000000") for _ in range(2)]
        client.head("/healthz")
        client.head("/healthz")
    assert [r.status_code for r in missing] == [404, 404]
    assert missing[1].json()["error"]["status"] == 404
    assert app.calls == 4
    assert cache.entries == {}


def test_a_build_that_changes_the_store_drops_every_page(store: Store) -> None:
    clock = [0.0]
    cache, app = _cached(store, check_every=1.0, clock=lambda: clock[0])
    pipeline.ingest_paths(store, [FIXTURES / "abs"])
    pipeline.build(store)
    with TestClient(cache) as client:
        before = client.get("/healthz").json()["works"]
        # The stamps have one-second resolution: let the next build have its own.
        time.sleep(1.1)
        pipeline.ingest_paths(store, [FIXTURES / "snapshot"])
        pipeline.build(store)
        within_the_second = client.get("/healthz").json()["works"]
        clock[0] += 1.0
        after = client.get("/healthz").json()["works"]
    assert within_the_second == before
    assert after > before
    assert app.calls == 2


def test_least_recently_used_pages_go_first_within_the_budget(built_store: Store) -> None:
    from scholarfolio import profiles

    candidates = [f"/api/authors/{a['id']}" for a in profiles.top_authors(built_store, limit=20)]
    with TestClient(create_app(built_store)) as plain:
        sizes = {path: len(plain.get(path).content) for path in candidates}
    # Six small profiles, and room for about three of them.
    paths = [path for path in candidates if sizes[path] < 10_000][:6]
    budget = sum(sizes[path] for path in paths[:3]) + 3_000
    cache, _ = _cached(built_store, max_bytes=budget)
    cache.max_entry_bytes = budget
    with TestClient(cache) as client:
        for path in paths:
            client.get(path)
    assert cache.bytes_held <= budget
    kept = [path for path, _query in cache.entries]
    assert kept == paths[-len(kept) :]
    assert paths[0] not in kept


def _request(
    path: str, extensions: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")]
        + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "extensions": extensions or {},
    }


async def _get(app: Callable[..., Any], scope: Scope) -> tuple[int, bytes]:
    return (await _exchange(app, scope))[::2]


async def _exchange(app: Callable[..., Any], scope: Scope) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body exactly as sent (not decoded)."""
    messages: list[Message] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        if requests:
            return requests.pop()
        # As a server does: nothing more until the client goes away.
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        messages.append(message)

    await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], headers, body


def test_a_file_the_server_could_send_by_path_is_kept_whole(built_store: Store) -> None:
    # Granian offers "pathsend"; the stylesheet must still be cached as its bytes.
    cache, _ = _cached(built_store)
    scope = _request("/static/style.css", {"http.response.pathsend": {}})
    first = asyncio.run(_get(cache, scope))
    second = asyncio.run(_get(cache, scope))
    assert first == second == (200, STYLESHEET.read_bytes())


def test_concurrent_requests_for_a_cold_page_render_it_once(
    built_store: Store, profile_path: str
) -> None:
    cache, app = _cached(built_store)

    async def ten_at_once() -> list[tuple[int, bytes]]:
        return await asyncio.gather(*(_get(cache, _request(profile_path)) for _ in range(10)))

    answers = asyncio.run(ten_at_once())
    assert {status for status, _ in answers} == {200}
    assert len({body for _, body in answers}) == 1
    assert app.calls == 1


def test_serve_puts_the_cache_in_front_unless_it_is_sized_zero(built_store: Store) -> None:
    # Behind the guard of web/security.py, which stands in front of everything.
    assert isinstance(served_app(built_store).app, ResponseCache)
    assert not isinstance(served_app(built_store, cache_mb=0).app, ResponseCache)


def test_pages_travel_gzipped_to_clients_that_accept_it(
    built_store: Store, profile_path: str
) -> None:
    cache, app = _cached(built_store)
    html_path = profile_path.replace("/api/authors/", "/authors/")
    plain = asyncio.run(_exchange(cache, _request(html_path, headers={"Accept-Encoding": "br"})))
    accepting = {"Accept-Encoding": "gzip, deflate, br"}
    packed = asyncio.run(_exchange(cache, _request(html_path, headers=accepting)))
    status, headers, body = packed
    assert status == plain[0] == 200
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == plain[2]
    assert len(body) * 3 < len(plain[2])
    assert headers["content-length"] == str(len(body))
    assert headers["vary"] == plain[1]["vary"] == "Accept-Encoding"
    assert headers["etag"] == plain[1]["etag"][:-1] + '-gzip"'
    assert "content-encoding" not in plain[1]
    refused = asyncio.run(
        _exchange(cache, _request(html_path, headers={"Accept-Encoding": "gzip;q=0"}))
    )
    assert refused[2] == plain[2]
    revisit = {**accepting, "If-None-Match": headers["etag"]}
    assert asyncio.run(_exchange(cache, _request(html_path, headers=revisit)))[0] == 304
    assert app.calls == 1


def test_small_answers_are_sent_as_they_are(built_store: Store) -> None:
    cache, _ = _cached(built_store)
    status, headers, body = asyncio.run(
        _exchange(cache, _request("/healthz", headers={"Accept-Encoding": "gzip"}))
    )
    assert status == 200
    assert len(body) < 1024
    assert "content-encoding" not in headers
    assert "vary" not in headers
