"""The web server's guard: security headers, request limits, read-only public site, API rate limit.

:class:`Guard` is plain ASGI middleware, cheap enough to sit in front of every
request (a few comparisons, a dict lookup for the rate limit, a list append for
the headers). It runs twice when serving: once inside the application
(:class:`GuardedStarlette`, so error pages, static files and the tests see it)
and once in front of the response cache (``server.served_app``), so cached
answers and 304s carry the same headers and the API rate limit counts every
request. Headers a response already has are never added twice.

In order, for each HTTP request:

1. URL path longer than ``MAX_PATH_BYTES`` or query string longer than
   ``MAX_QUERY_BYTES``: 414. A NUL character in either: 400.
2. A method other than GET or HEAD outside ``/admin``: 405 with ``Allow: GET, HEAD``
   (the public site and API never write, whatever routes are added later).
3. A write (under ``/admin``) whose body (declared ``Content-Length`` or as
   read) is over ``MAX_BODY_BYTES``: 413. Bodies of writes are read here, within
   the limit, and handed on whole; no read ever has its body read.
4. Under ``/api/``, when a rate limiter is given: a token bucket per client
   address (IPv6 clients by their /64), ``API_RATE`` tokens a second up to
   ``API_BURST``; an empty bucket gets 429 with ``Retry-After`` and the JSON
   error body of every API error.
5. Every response gets :data:`SECURITY_HEADERS` (and HSTS when ``BASE_URL`` is
   https); responses under ``/admin`` get ``Cache-Control: no-store`` so no
   cache, ours included, keeps an operator's page.

Rejections are rendered by the application's own error renderer, so they have
the shape of every other error (``{"error": {"status", "message"}}`` under
``/api/``, the HTML error page elsewhere).
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scholarfolio import settings
from scholarfolio.web.error_handling import wants_json

Header = tuple[bytes, bytes]
# Why a request is refused: status, message, extra headers.
Rejection = tuple[int, str, dict[str, str]]
# (status, message, as_json) -> the error response; Renderer.error.
ErrorPage = Callable[[int, str, bool], Response]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
SECURITY_HEADERS: tuple[Header, ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Links out (DOIs, arXiv) carry no referrer; our own pages get the full one,
    # which the admin's cross-site check reads.
    (b"referrer-policy", b"same-origin"),
    (
        b"permissions-policy",
        b"accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        b"microphone=(), payment=(), usb=()",
    ),
    (b"cross-origin-opener-policy", b"same-origin"),
)
HSTS: Header = (b"strict-transport-security", b"max-age=31536000")
NO_STORE: Header = (b"cache-control", b"no-store")

# The one part of the site that accepts writes (web/admin_auth.py guards it).
WRITABLE_PREFIX = "/admin"
READ_METHODS = frozenset({"GET", "HEAD"})
API_PREFIX = "/api/"


@dataclass(frozen=True)
class Limits:
    """The request limits of :class:`Guard`, in bytes."""

    max_path: int = settings.MAX_PATH_BYTES.default
    max_query: int = settings.MAX_QUERY_BYTES.default
    max_body: int = settings.MAX_BODY_BYTES.default
    https: bool = False

    @classmethod
    def from_settings(cls) -> Limits:
        """The limits the settings (environment) ask for."""
        return cls(
            max_path=settings.MAX_PATH_BYTES.get(),
            max_query=settings.MAX_QUERY_BYTES.get(),
            max_body=settings.MAX_BODY_BYTES.get(),
            https=settings.BASE_URL.get().lower().startswith("https://"),
        )


class TokenBuckets:
    """One token bucket per client: ``rate`` tokens a second, at most ``burst`` saved up.

    State is two floats per client, in a dict bounded by ``max_clients``: past it,
    the buckets idle long enough to be full again are dropped (they would behave
    exactly as new ones), and if that is not enough, all of them.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 100_000,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a token bucket needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = float(burst)
        self.clock = clock
        self.max_clients = max_clients
        self.buckets: dict[str, tuple[float, float]] = {}

    @classmethod
    def from_settings(cls) -> TokenBuckets | None:
        """The API limiter the settings ask for; None when ``API_RATE`` is 0 (no limit)."""
        rate = settings.API_RATE.get()
        if rate <= 0:
            return None
        return cls(rate, max(1, settings.API_BURST.get()))

    def take(self, client: str) -> float:
        """Spend one of ``client``'s tokens: 0.0 if it had one, else seconds until it will."""
        now = self.clock()
        tokens, then = self.buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens >= 1.0:
            self.buckets[client] = (tokens - 1.0, now)
            if len(self.buckets) > self.max_clients:
                self._prune(now)
            return 0.0
        self.buckets[client] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def exhausted(self, client: str) -> bool:
        """Whether ``client`` has no token right now (without spending one)."""
        state = self.buckets.get(client)
        if state is None:
            return False
        tokens, then = state
        return tokens + (self.clock() - then) * self.rate < 1.0

    def _prune(self, now: float) -> None:
        refill = self.burst / self.rate
        self.buckets = {
            client: state for client, state in self.buckets.items() if now - state[1] < refill
        }
        if len(self.buckets) > self.max_clients:
            # Too many active clients to remember: forget them all rather than grow.
            self.buckets.clear()


def client_key(scope: Scope) -> str:
    """Who is asking, for the rate limit: the peer address, IPv6 by its /64 network.

    One host on IPv6 usually owns a whole /64, so counting single addresses would
    let it make up new ones. Behind a reverse proxy every client is the proxy.
    """
    client = scope.get("client")
    if not client:
        return ""
    host = str(client[0])
    if ":" not in host:
        return host
    try:
        return ipaddress.IPv6Network((host, 64), strict=False).network_address.compressed
    except ValueError:
        return host


class Guard:
    """ASGI middleware enforcing the limits and adding the security headers (module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        error_page: ErrorPage,
        limits: Limits,
        rate_limit: TokenBuckets | None = None,
    ) -> None:
        self.app = app
        self.error_page = error_page
        self.limits = limits
        self.rate_limit = rate_limit
        self.headers = SECURITY_HEADERS + ((HSTS,) if limits.https else ())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        admin = path == WRITABLE_PREFIX or path.startswith(WRITABLE_PREFIX + "/")
        send = self._with_headers(send, admin)
        rejection: Rejection | None = self._check(scope, path, admin)
        if rejection is None and scope["method"] not in READ_METHODS:
            body = await _read_body(receive, self.limits.max_body)
            if body is None:
                rejection = 413, "The request body is too large.", {}
            else:
                receive = _replay(body, receive)
        if rejection is not None:
            status, message, extra = rejection
            response = self.error_page(status, message, wants_json(path))
            response.headers.update(extra)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check(self, scope: Scope, path: str, admin: bool) -> Rejection | None:
        """Why the request is refused before it reaches the application, if it is."""
        limits = self.limits
        if len(scope.get("raw_path") or path.encode()) > limits.max_path:
            return 414, f"The address is too long (at most {limits.max_path} bytes).", {}
        query: bytes = scope["query_string"]
        if query and len(query) > limits.max_query:
            return 414, f"The query string is too long (at most {limits.max_query} bytes).", {}
        if "\x00" in path or (query and (b"%00" in query or b"\x00" in query)):
            # No text column of PostgreSQL can hold one; no identifier or query has one.
            return 400, "The address contains a NUL character.", {}
        if scope["method"] not in READ_METHODS:
            if not admin:
                return 405, "This site is read-only.", {"Allow": "GET, HEAD"}
            # Reads never have their body read, so only writes are held to the limit.
            if _declared_length(scope) > limits.max_body:
                return 413, "The request body is too large.", {}
        if self.rate_limit is not None and path.startswith(API_PREFIX):
            wait = self.rate_limit.take(client_key(scope))
            if wait > 0:
                retry = str(max(1, math.ceil(wait)))
                return 429, "Too many requests: slow down.", {"Retry-After": retry}
        return None

    def _with_headers(self, send: Send, admin: bool) -> Send:
        extra = self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Header] = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [header for header in extra if header[0] not in present]
                if admin:
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        return send_with_headers


def _declared_length(scope: Scope) -> int:
    """The request's ``Content-Length``, 0 when absent; unreadable counts as too large."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 1 << 62
    return 0


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # The client went away: hand on what came, the app will see the disconnect.
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` in one message, then whatever the server sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class GuardedStarlette(Starlette):
    """A Starlette application with a :class:`Guard` in front of its whole stack.

    In front of Starlette's own error middleware, so 500 pages get the headers too.
    """

    def __init__(self, *args: Any, error_page: ErrorPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_page = error_page

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack behind the guard (no rate limit: see :meth:`guard`)."""
        return Guard(super().build_middleware_stack(), self.error_page, Limits.from_settings())

    def guard(self, front: ASGIApp) -> Guard:
        """The guard to put in front of ``front`` (this app behind a cache) when serving.

        It adds the per-client API rate limit of the settings; in-process users of
        the app (tests, ``export-site``) are not clients and are not limited.
        """
        return Guard(front, self.error_page, Limits.from_settings(), TokenBuckets.from_settings())
