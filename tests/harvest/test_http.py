"""The one HTTP function: pacing, Retry-After, backoff, and one-line errors without secrets."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import httpx
import pytest

from scholarfolio.errors import UpstreamError
from scholarfolio.harvest.http import (
    ClientConfig,
    HttpClient,
    RateLimiter,
    RetryPolicy,
    retry_after,
    server_reason,
    user_agent,
)

from .replay import ReplayServer, Reply
from .support import FakeClock, target

SECRET = "sk/very+secret"


def test_the_rate_limiter_spaces_request_starts(clock: FakeClock) -> None:
    limiter = RateLimiter(1.0, clock)
    limiter.wait()
    clock.elapsed += 0.25  # the request and its ingest took a quarter second
    limiter.wait()
    clock.elapsed += 3.0  # a slow page: no wait needed
    limiter.wait()
    assert clock.sleeps == [0.75]


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    seconds = httpx.Response(503, headers={"Retry-After": "10"})
    dated = httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:30:00 GMT"})
    assert retry_after(seconds, now) == 10.0
    assert retry_after(dated, now) == 120.0
    assert retry_after(httpx.Response(503), now) is None
    assert retry_after(httpx.Response(503, headers={"Retry-After": "soon"}), now) is None


def test_the_server_reason_is_one_short_line() -> None:
    html = httpx.Response(503, text="<html><body><h1>Retry\nlater</h1></body></html>")
    assert server_reason(html) == "Retry later"
    assert server_reason(httpx.Response(400, json={"error": "x" * 500})).endswith("...")
    assert user_agent("me@example.org").endswith("; mailto:me@example.org)")


def _config(**changes: object) -> ClientConfig:
    values: dict[str, object] = {
        "source": "Test",
        "interval": 0.0,
        "policy": RetryPolicy(retries=3, backoff=1.0),
        "secrets": (SECRET,),
        **changes,
    }
    return ClientConfig(**values)  # type: ignore[arg-type]


def test_an_unreachable_server_is_retried_then_reported(clock: FakeClock) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with HttpClient(_config(), clock) as client, pytest.raises(UpstreamError) as raised:
        client.get(f"http://127.0.0.1:{port}/x", {"api_key": SECRET})
    message = str(raised.value)
    assert message.startswith(f"cannot reach Test at http://127.0.0.1:{port}/x?api_key=***")
    assert message.endswith("(gave up after 4 attempts)") and "secret" not in message
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_a_long_retry_after_is_not_waited_for(replay: ReplayServer, clock: FakeClock) -> None:
    replay.add("GET", target("/x"), Reply(b"", status=503, headers={"Retry-After": "7200"}))
    with HttpClient(_config(), clock) as client, pytest.raises(UpstreamError) as raised:
        client.get(replay.url + "/x", {})
    assert "it asks to wait 2 h 00 min: run the same command again then" in str(raised.value)
    assert clock.sleeps == []


def test_a_client_error_is_not_retried(replay: ReplayServer, clock: FakeClock) -> None:
    answer = Reply(b'{"error": "Invalid filter: publication_year:abc"}', status=400)
    replay.add("GET", target("/works", filter="publication_year:abc"), answer)
    with HttpClient(_config(), clock) as client, pytest.raises(UpstreamError) as raised:
        client.get(replay.url + "/works", {"filter": "publication_year:abc"})
    assert str(raised.value) == (
        f"Test answered HTTP 400 Bad Request for GET {replay.url}/works?"
        "filter=publication_year%3Aabc: Invalid filter: publication_year:abc"
    )
