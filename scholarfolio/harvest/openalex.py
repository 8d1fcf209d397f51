"""OpenAlex works or authors, by cursor paging (https://docs.openalex.org).

- Paging: the first request sends ``cursor=*``; each answer's ``meta.next_cursor``
  is the next request's cursor, and a null cursor (or an empty page) ends it.
- Identity: ``api_key`` (or ``mailto``, the older "polite pool") goes in the
  query string; the key is never stored in the state nor shown in a message.
- Limits: a 429 is either the per-second rate limit (retried after Retry-After
  or a backoff) or the exhausted daily budget. The budget is told by the
  ``X-RateLimit-Remaining`` headers saying 0, or a message about the daily
  limit; then retrying is pointless until it renews (``X-RateLimit-Reset``
  seconds, else midnight UTC), so the harvest stops and says when to resume.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from scholarfolio.errors import BadInput, UpstreamError
from scholarfolio.harvest.folder import HarvestFolder, HarvestState, Scalar
from scholarfolio.harvest.http import (
    ClientConfig,
    Clock,
    HttpClient,
    Refusal,
    RetryPolicy,
    check_base_url,
    describe_wait,
)
from scholarfolio.harvest.runner import (
    HarvestEnv,
    HarvestSummary,
    Page,
    Params,
    Position,
    run_harvest,
)

OPENALEX_API = "https://api.openalex.org"
ENTITIES = ("works", "authors")
PER_PAGE = 200
PER_PAGE_MAX = 200
# OpenAlex allows 100 requests per second; one harvest stays well below.
INTERVAL = 0.1
POLICY = RetryPolicy(retries=6, backoff=1.0, backoff_cap=60.0, max_wait=900.0)
_BUDGET_WORDS = ("daily", "budget", "per day", "credits", "insufficient")


@dataclass(frozen=True, slots=True)
class OpenAlexQuery:
    """The options of an OpenAlex harvest; None means not given."""

    entity: str | None = None
    filter: str | None = None
    search: str | None = None
    per_page: int | None = None
    max_results: int | None = None
    api_key: str | None = None
    mailto: str | None = None
    base_url: str = OPENALEX_API


def check_query(query: OpenAlexQuery) -> None:
    """BadInput for an unknown entity or a page size or maximum out of range."""
    if query.entity is not None and query.entity not in ENTITIES:
        raise BadInput(f"--entity must be one of {', '.join(ENTITIES)}, not {query.entity!r}")
    if query.per_page is not None and not 1 <= query.per_page <= PER_PAGE_MAX:
        raise BadInput(f"--per-page must be between 1 and {PER_PAGE_MAX}, not {query.per_page}")
    if query.max_results is not None and query.max_results < 1:
        raise BadInput(f"--max-results must be at least 1, not {query.max_results}")
    check_base_url(query.base_url)


def _header_number(response: httpx.Response, name: str) -> float | None:
    try:
        return float(response.headers[name])
    except (KeyError, ValueError):
        return None


def budget_exhausted(response: httpx.Response) -> bool:
    """True for a 429 that means the daily budget is used up, not a burst."""
    if response.status_code != 429:
        return False
    remaining = (
        _header_number(response, "X-RateLimit-Remaining"),
        _header_number(response, "X-RateLimit-Remaining-USD"),
    )
    if any(value is not None and value <= 0 for value in remaining):
        return True
    text = response.text.lower()
    return any(word in text for word in _BUDGET_WORDS)


def budget_renewal(response: httpx.Response, now: datetime) -> datetime:
    """When the budget renews: ``X-RateLimit-Reset`` (seconds), Retry-After, or midnight UTC."""
    seconds = _header_number(response, "X-RateLimit-Reset")
    if seconds is None:
        seconds = _header_number(response, "Retry-After")
    if seconds is not None:
        return now + timedelta(seconds=seconds)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + timedelta(days=1)


def budget_refusal(clock: Clock) -> Refusal:
    """The refusal that stops a harvest on an exhausted daily budget."""

    def refuse(response: httpx.Response) -> str | None:
        if not budget_exhausted(response):
            return None
        now = clock.now()
        renewal = budget_renewal(response, now)
        wait = describe_wait((renewal - now).total_seconds())
        return (
            f"OpenAlex's daily budget is used up; it renews in about {wait} "
            f"({renewal:%Y-%m-%d %H:%M} UTC): resume then"
        )

    return refuse


class OpenAlexSource:
    """Cursor-paged list pages of one OpenAlex entity."""

    name = "openalex"
    suffix = "json"
    incremental = False

    def __init__(self, client: HttpClient, query: OpenAlexQuery) -> None:
        self.client = client
        self.query = query

    def defaults(self, saved: HarvestState | None, given: Mapping[str, Scalar]) -> Params:
        return {
            "entity": ENTITIES[0],
            "filter": None,
            "search": None,
            "per_page": PER_PAGE,
            "max_results": None,
        }

    def check(self, params: Params) -> None:
        # Paging through all of OpenAlex is what the snapshot is for, not the API.
        if params.get("filter") is None and params.get("search") is None:
            raise BadInput(
                "give --filter or --search (for all of OpenAlex use its snapshot: "
                "https://docs.openalex.org/download-all-data/openalex-snapshot)"
            )

    def begin(self, folder: HarvestFolder, params: Params, resumed: bool) -> None:
        pass

    def fetch(self, params: Params, position: Position | None) -> bytes:
        per_page = params["per_page"]
        limit = params.get("max_results")
        if isinstance(per_page, int) and isinstance(limit, int):
            # A small maximum needs no full first page.
            per_page = min(per_page, limit)
        query: dict[str, str | int] = {"per_page": str(per_page)}
        query["cursor"] = str(position["cursor"]) if position else "*"
        for name in ("filter", "search"):
            if params.get(name) is not None:
                query[name] = str(params[name])
        if self.query.api_key:
            query["api_key"] = self.query.api_key
        if self.query.mailto:
            query["mailto"] = self.query.mailto
        base = self.query.base_url.rstrip("/")
        return self.client.get(f"{base}/{params['entity']}", query)

    def read(self, body: bytes, position: Position | None) -> Page:
        answer = _json_object(body)
        results, meta = answer.get("results"), answer.get("meta")
        if not isinstance(results, list) or not isinstance(meta, dict):
            raise UpstreamError("OpenAlex's answer has no results list and meta object")
        cursor = meta.get("next_cursor")
        following: Position | None = None
        if isinstance(cursor, str) and cursor and results:
            following = {"cursor": cursor}
        return Page(len(results), following, keep=bool(results))

    def since(self, state: HarvestState) -> str | None:
        return None


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise UpstreamError(f"the source sent malformed JSON: {error}") from None
    if not isinstance(answer, dict):
        raise UpstreamError("the source's answer is not a JSON object")
    return answer


def harvest_openalex(query: OpenAlexQuery, env: HarvestEnv) -> HarvestSummary:
    """Harvest OpenAlex list pages into ``env.folder`` and the store, resuming what is there."""
    check_query(query)
    config = ClientConfig(
        source="OpenAlex",
        interval=INTERVAL,
        policy=POLICY,
        secrets=tuple(filter(None, (query.api_key,))),
        refuse=budget_refusal(env.clock),
        mailto=query.mailto,
    )
    given = {
        "entity": query.entity,
        "filter": query.filter,
        "search": query.search,
        "per_page": query.per_page,
        "max_results": query.max_results,
    }
    with HttpClient(config, env.clock, env.transport) as client:
        return run_harvest(OpenAlexSource(client, query), env, given)
