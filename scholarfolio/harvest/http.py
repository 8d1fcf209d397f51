"""One HTTP client per harvest: timeouts, a User-Agent, pacing, retries, clean errors.

Every request of a harvest goes through :meth:`HttpClient.send`, the one place
that waits for the rate limit, retries (the policy's statuses, usually 429 and
5xx, and network errors) after the server's ``Retry-After`` or an exponential
backoff, and turns a final failure into an
:class:`~scholarfolio.errors.UpstreamError` with a one-line message: the status,
the URL and the server's reason, with every secret (API keys) masked. Time comes
from a :class:`Clock`, so tests never really wait.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from scholarfolio.errors import BadInput, UpstreamError

# Seconds: connecting is quick or broken; a large OAI-PMH page can take a while.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
# Longest server reason quoted in an error message.
_REASON_CHARS = 160
# Markup in an HTML error page, dropped from the quoted reason.
_TAG = re.compile(r"<[^>]*>")

# Says why a response must not be retried although its status is retryable
# (an exhausted daily budget), or None to let the policy decide.
Refusal = Callable[[httpx.Response], "str | None"]


class Clock(Protocol):
    """Where a harvest reads the time and waits (tests pass a fake one)."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for spacing requests."""

    def sleep(self, seconds: float) -> None:
        """Wait this many seconds."""

    def now(self) -> datetime:
        """The current UTC time (timezone-aware)."""


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def now(self) -> datetime:
        return datetime.now(UTC)


class RateLimiter:
    """At most one request per ``interval`` seconds: spaces the starts of requests."""

    def __init__(self, interval: float, clock: Clock) -> None:
        self.interval = interval
        self.clock = clock
        self._last: float | None = None

    def wait(self) -> None:
        """Sleep until the next request may start, and count it as started."""
        now = self.clock.monotonic()
        if self._last is not None and self._last + self.interval > now:
            self.clock.sleep(self._last + self.interval - now)
            now = self.clock.monotonic()
        self._last = now


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Which answers are retried, how often, and how long to wait between tries."""

    statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    retries: int = 5
    backoff: float = 1.0  # the first wait; doubled after every further failure
    backoff_cap: float = 60.0
    # A server asking for a longer pause is not waited for: the error says when to retry.
    max_wait: float = 900.0

    def backoff_after(self, attempt: int) -> float:
        """The wait after the given failed attempt (0 is the first)."""
        return float(min(self.backoff * 2**attempt, self.backoff_cap))


@dataclass(frozen=True)
class ClientConfig:
    """How one source is spoken to."""

    source: str  # the name used in messages: "arXiv", "OpenAlex", "Semantic Scholar"
    interval: float  # seconds between request starts
    policy: RetryPolicy = RetryPolicy()
    headers: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()  # values never shown in a message
    refuse: Refusal | None = None
    mailto: str | None = None


def user_agent(mailto: str | None = None) -> str:
    """``scholarfolio/<version>``, with the contact address when one is given."""
    try:
        release = version("scholarfolio")
    except PackageNotFoundError:
        release = "dev"
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"scholarfolio/{release} (researcher-profile harvester{contact})"


def check_base_url(url: str) -> str:
    """The URL when it is an absolute http(s) URL, else BadInput."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise BadInput(f"--base-url must be an http:// or https:// URL, not {url!r}")
    return url


def retry_after(response: httpx.Response, now: datetime) -> float | None:
    """Seconds the ``Retry-After`` header asks for (delta seconds or an HTTP date)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def server_reason(response: httpx.Response) -> str:
    """The server's own short explanation: a JSON error/message field or the first text."""
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    if isinstance(body, dict):
        body = body.get("message") or body.get("error") or ""
    text = " ".join(_TAG.sub(" ", str(body)).split())
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 3] + "..."


def describe_wait(seconds: float) -> str:
    """``45 s``, ``12 min`` or ``3 h 05 min``."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


class HttpClient:
    """One :class:`httpx.Client` for one harvest, with the source's pacing and retries."""

    def __init__(
        self,
        config: ClientConfig,
        clock: Clock,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.limiter = RateLimiter(config.interval, clock)
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(config.mailto), **config.headers},
            timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
            follow_redirects=True,
            transport=transport,
        )

    def get(self, url: str, params: Mapping[str, str | int]) -> bytes:
        """The body of a successful GET."""
        return self.send(self._client.build_request("GET", url, params=params))

    def post_json(self, url: str, params: Mapping[str, str | int], payload: object) -> bytes:
        """The body of a successful POST of ``payload`` as JSON."""
        return self.send(self._client.build_request("POST", url, params=params, json=payload))

    def send(self, request: httpx.Request) -> bytes:
        """Send with pacing and retries; the body of the first success.

        Raises :class:`UpstreamError` for an answer that is not retried, a
        ``Retry-After`` longer than the policy's ``max_wait``, or when every
        attempt failed.
        """
        policy = self.config.policy
        for attempt in range(policy.retries + 1):
            self.limiter.wait()
            try:
                response = self._client.send(request)
            except httpx.RequestError as error:
                problem = f"cannot reach {self.config.source} at {request.url}: {error!r}"
                wait = policy.backoff_after(attempt)
            else:
                if response.is_success:
                    return response.content
                problem = self._problem(response)
                refusal = self.config.refuse(response) if self.config.refuse else None
                if refusal is not None:
                    raise UpstreamError(self._mask(f"{refusal} ({problem})"))
                if response.status_code not in policy.statuses:
                    raise UpstreamError(self._mask(problem))
                wait = retry_after(response, self.clock.now()) or policy.backoff_after(attempt)
                if wait > policy.max_wait:
                    later = (
                        f"it asks to wait {describe_wait(wait)}: run the same command again then"
                    )
                    raise UpstreamError(self._mask(f"{problem}; {later}"))
            if attempt < policy.retries:
                self.clock.sleep(wait)
        raise UpstreamError(self._mask(f"{problem} (gave up after {policy.retries + 1} attempts)"))

    def _problem(self, response: httpx.Response) -> str:
        reason = server_reason(response)
        status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        text = f"{self.config.source} answered {status} for {response.request.method} "
        return text + str(response.request.url) + (f": {reason}" if reason else "")

    def _mask(self, message: str) -> str:
        for secret in filter(None, self.config.secrets):
            for form in {secret, quote(secret, safe=""), quote(secret)}:
                message = message.replace(form, "***")
        return message

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
