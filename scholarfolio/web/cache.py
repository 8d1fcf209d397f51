"""An in-process cache of rendered GET responses, dropped whenever a build changes the store.

Rendering a profile reads dozens of rows and runs a template; serving the same
bytes again is a dictionary lookup. :class:`ResponseCache` is ASGI middleware
keyed by the request's path and query string. It asks the store for its
generation (the times of the last ingest and build) at most once a second and
forgets everything when that changes, so a page is at most about a second
stale after a build. Entries live in memory in least-recently-used order under
a byte budget.

Only successful, shareable GET responses are kept: status 200, no
``Set-Cookie``, no ``Vary``, no ``Cache-Control: private/no-store``. Each one
keeps its strong ``ETag`` (a hash of its body) and a request whose
``If-None-Match`` carries it is answered ``304 Not Modified`` without a body.
Text of a kilobyte or more is also kept gzipped, once, and sent so to clients
that accept it (``Vary: Accept-Encoding``; the gzipped ETag ends in ``-gzip``):
a profile page of 118 KB travels as about 26 KB.
A request that says ``Cache-Control: no-cache`` (a browser's hard reload)
always goes to the application: that is also how the benchmark measures a
profile read from the store on every request.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scholarfolio.store import Store, queries

# The stamps a build or an ingest writes; together they name the store's content.
GENERATION_KEYS = ("last_ingest", "last_build", queries.BUILD_ID)

Header = tuple[bytes, bytes]


def store_generation(store: Store) -> str:
    """A string that changes whenever an ingest or a build changes ``store``."""
    with store.engine.connect() as conn:
        return "|".join(queries.meta_value(conn, key) or "" for key in GENERATION_KEYS)


@dataclass(frozen=True)
class Representation:
    """One form of a response's body (as rendered, or gzipped) with its own headers."""

    headers: tuple[Header, ...]
    body: bytes
    etag: bytes


@dataclass(frozen=True)
class CachedResponse:
    """One complete response as the application sent it, and its gzipped form if any."""

    status: int
    identity: Representation
    gzipped: Representation | None = None

    @property
    def size(self) -> int:
        """Bytes this entry holds (the bodies dominate)."""
        forms = [self.identity] if self.gzipped is None else [self.identity, self.gzipped]
        return sum(
            len(form.body) + sum(len(name) + len(value) for name, value in form.headers)
            for form in forms
        )

    def for_request(self, scope: Scope) -> Representation:
        """The form to send: gzipped when there is one and the client accepts it."""
        if self.gzipped is not None and _accepts_gzip(scope):
            return self.gzipped
        return self.identity


def _header(headers: tuple[Header, ...] | list[Header], name: bytes) -> bytes | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _etag(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


def _shareable(status: int, headers: list[Header]) -> bool:
    """Whether a response may be served again to anyone who asks for the same URL."""
    if status != 200 or _header(headers, b"set-cookie") is not None:
        return False
    if _header(headers, b"vary") is not None:
        return False
    control = (_header(headers, b"cache-control") or b"").lower()
    return b"no-store" not in control and b"private" not in control


def _wants_fresh(scope: Scope) -> bool:
    """The client asked to bypass caches (``Cache-Control: no-cache`` or ``Pragma``)."""
    for name, value in scope["headers"]:
        if name in (b"cache-control", b"pragma") and b"no-cache" in value.lower():
            return True
    return False


def _matches(scope: Scope, etag: bytes) -> bool:
    """Whether the request's ``If-None-Match`` names ``etag`` (or is ``*``)."""
    wanted = _header(scope["headers"], b"if-none-match")
    if wanted is None:
        return False
    tags = [tag.strip().removeprefix(b"W/") for tag in wanted.split(b",")]
    return etag in tags or b"*" in tags


class ResponseCache:
    """ASGI middleware that keeps rendered GET responses until the store changes."""

    def __init__(
        self,
        app: ASGIApp,
        generation: Callable[[], str],
        max_bytes: int,
        check_every: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.generation = generation
        self.max_bytes = max_bytes
        # One page may take at most an eighth of the budget, so a few huge
        # pages cannot push out everything else.
        self.max_entry_bytes = max_bytes // 8
        self.check_every = check_every
        self.clock = clock
        self.entries: OrderedDict[tuple[str, bytes], CachedResponse] = OrderedDict()
        self.bytes_held = 0
        self._generation: str | None = None
        self._checked_at = float("-inf")
        # The renders under way, by key; each resolves to the entry kept, or None.
        self._filling: dict[tuple[str, bytes], asyncio.Future[CachedResponse | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or _wants_fresh(scope):
            await self.app(scope, receive, send)
            return
        self._check_generation()
        key = (scope["path"], scope["query_string"])
        cached = self.entries.get(key)
        if cached is None and key in self._filling:
            # Another request is rendering this very page: wait for its bytes
            # rather than render it again (a cold popular page under load).
            cached = await asyncio.shield(self._filling[key])
            if cached is None:
                # That response may not be shared: this request gets its own.
                await self.app(scope, receive, send)
                return
        if cached is not None:
            if key in self.entries:
                self.entries.move_to_end(key)
            await self._send(cached, scope, send)
            return
        await self._fill(key, scope, receive, send)

    def _check_generation(self) -> None:
        """Forget every entry if the store changed; asks the store at most once a period."""
        now = self.clock()
        if now - self._checked_at < self.check_every:
            return
        self._checked_at = now
        # A synchronous query on the event loop: one indexed read a second is
        # cheaper than handing it to a thread.
        current = self.generation()
        if current != self._generation:
            self.clear()
            self._generation = current

    def clear(self) -> None:
        """Drop every entry."""
        self.entries.clear()
        self.bytes_held = 0

    async def _fill(
        self, key: tuple[str, bytes], scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Run the application, keep its response when it may be shared, then send it."""
        generation = self._generation
        done: asyncio.Future[CachedResponse | None] = asyncio.get_running_loop().create_future()
        self._filling[key] = done
        entry = None
        try:
            status, headers, body = await _collect(self.app, _bytes_only(scope), receive)
            if _shareable(status, headers):
                entry = _entry(status, headers, body)
                # Rendered while the store changed, it may mix old and new: not kept.
                if generation == self._generation and entry.size <= self.max_entry_bytes:
                    self._store(key, entry)
        finally:
            del self._filling[key]
            done.set_result(entry)
        if entry is None:
            await _send_plain(status, headers, body, send)
        else:
            await self._send(entry, scope, send)

    def _store(self, key: tuple[str, bytes], entry: CachedResponse) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes_held -= old.size
        self.entries[key] = entry
        self.bytes_held += entry.size
        while self.bytes_held > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.bytes_held -= evicted.size

    @staticmethod
    async def _send(entry: CachedResponse, scope: Scope, send: Send) -> None:
        form = entry.for_request(scope)
        if _matches(scope, form.etag):
            kept = [(k, v) for k, v in form.headers if k.lower() in _NOT_MODIFIED_HEADERS]
            await _send_plain(304, kept, b"", send)
            return
        await _send_plain(entry.status, list(form.headers), form.body, send)


# What a 304 repeats from the full response (RFC 9110, section 15.4.5).
_NOT_MODIFIED_HEADERS = (
    b"etag",
    b"cache-control",
    b"content-location",
    b"date",
    b"expires",
    b"vary",
)


# Server extensions that send a file by path instead of its bytes (granian has
# pathsend): a response sent that way could not be kept.
_FILE_EXTENSIONS = ("http.response.pathsend", "http.response.zerocopysend")


def _bytes_only(scope: Scope) -> Scope:
    """``scope`` without the extensions that would send a body other than as bytes."""
    extensions = scope.get("extensions") or {}
    kept = {name: value for name, value in extensions.items() if name not in _FILE_EXTENSIONS}
    return {**scope, "extensions": kept}


async def _collect(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list[Header], bytes]:
    """Run ``app`` on one request and gather its whole response: status, headers, body."""
    status = 500
    headers: list[Header] = []
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    return status, headers, b"".join(chunks)


def _entry(status: int, headers: list[Header], body: bytes) -> CachedResponse:
    """The response as kept, with a strong ETag (the application's own if it set one)."""
    etag = _header(headers, b"etag")
    if etag is None:
        etag = _etag(body)
        headers = [*headers, (b"etag", etag)]
    compressed = _gzip(headers, body)
    if compressed is None:
        return CachedResponse(status, Representation(tuple(headers), body, etag))
    vary = (b"vary", b"Accept-Encoding")
    gzip_etag = etag[:-1] + b'-gzip"' if etag.endswith(b'"') else etag + b"-gzip"
    replaced = (b"content-length", b"etag")
    gzip_headers = [(k, v) for k, v in headers if k.lower() not in replaced]
    gzip_headers += [
        (b"content-length", str(len(compressed)).encode()),
        (b"content-encoding", b"gzip"),
        (b"etag", gzip_etag),
        vary,
    ]
    return CachedResponse(
        status,
        Representation((*headers, vary), body, etag),
        Representation(tuple(gzip_headers), compressed, gzip_etag),
    )


# Bodies smaller than this gain too little from compression to be worth a second copy.
GZIP_MIN_BYTES = 1024
_COMPRESSIBLE = (b"text/", b"application/json", b"application/xml", b"application/atom+xml")


def _gzip(headers: list[Header], body: bytes) -> bytes | None:
    """``body`` gzipped, if it is text of some size that is not encoded already."""
    kind = (_header(headers, b"content-type") or b"").lower()
    if len(body) < GZIP_MIN_BYTES or _header(headers, b"content-encoding") is not None:
        return None
    if not kind.startswith(_COMPRESSIBLE) and not kind.startswith(b"image/svg+xml"):
        return None
    # mtime=0: the same body always gives the same bytes (and a stable ETag).
    compressed = gzip.compress(body, compresslevel=6, mtime=0)
    return compressed if len(compressed) < len(body) * 0.9 else None


def _accepts_gzip(scope: Scope) -> bool:
    """Whether the request's ``Accept-Encoding`` allows gzip (and not with ``q=0``)."""
    accepted = _header(scope["headers"], b"accept-encoding")
    if not accepted:
        return False
    for item in accepted.lower().split(b","):
        coding, _, params = item.strip().partition(b";")
        if coding.strip() in (b"gzip", b"*"):
            quality = params.strip().removeprefix(b"q=")
            return not (params and quality.strip(b"0.") == b"")
    return False


async def _send_plain(status: int, headers: list[Header], body: bytes, send: Send) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
