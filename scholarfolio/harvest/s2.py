"""Semantic Scholar Graph API: bulk search pages and paper batches.

(https://api.semanticscholar.org/api-docs/graph)

- ``--query``: ``GET /paper/search/bulk`` pages of up to 1,000 papers; each
  answer's ``token`` is the next request's ``token``, and a null token ends it.
- ``--paper-ids FILE``: ``POST /paper/batch`` with at most 500 ids per request
  (the endpoint's limit); each chunk's answer is one page, ``null`` for an id
  Semantic Scholar does not know. The id list is copied into the harvest folder,
  so a resumed harvest needs only ``--out``.
- The key goes in the ``x-api-key`` header. An API key's introductory limit is
  one request per second: requests are spaced by a rate limiter, and 429 and
  5xx answers are retried with exponential backoff.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scholarfolio.errors import BadInput, UpstreamError
from scholarfolio.harvest.folder import HarvestFolder, HarvestState, Scalar
from scholarfolio.harvest.http import ClientConfig, HttpClient, RetryPolicy, check_base_url
from scholarfolio.harvest.runner import (
    HarvestEnv,
    HarvestSummary,
    Page,
    Params,
    Position,
    run_harvest,
)

S2_API = "https://api.semanticscholar.org/graph/v1"
FIELDS = (
    "title,abstract,authors,year,publicationDate,venue,journal,externalIds,"
    "publicationTypes,citationCount,referenceCount"
)
BATCH_SIZE = 500  # the batch endpoint's maximum
INTERVAL = 1.0  # one request per second
POLICY = RetryPolicy(retries=6, backoff=2.0, backoff_cap=64.0, max_wait=900.0)
IDS_FILE = "s2-paper-ids.txt"


@dataclass(frozen=True, slots=True)
class S2Query:
    """The options of a Semantic Scholar harvest; None means not given."""

    query: str | None = None
    fields: str | None = None
    paper_ids: Path | None = None
    api_key: str | None = None
    base_url: str = S2_API
    batch_size: int = BATCH_SIZE


def parse_paper_ids(text: str) -> list[str]:
    """One id per line (S2 id, ``CorpusId:``, ``DOI:``, ``ARXIV:``...); blanks and # skipped."""
    ids = (line.strip() for line in text.splitlines())
    return [paper_id for paper_id in ids if paper_id and not paper_id.startswith("#")]


def read_paper_ids(path: Path) -> list[str]:
    """The ids in a file; BadInput when it is missing or holds none."""
    try:
        ids = parse_paper_ids(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BadInput(f"cannot read --paper-ids {path}: {error.strerror or error}") from None
    if not ids:
        raise BadInput(f"--paper-ids {path} holds no ids (one per line)")
    return ids


def ids_digest(ids: list[str]) -> str:
    """A fingerprint of an id list: resuming checks it is the same list."""
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()


def chunk(ids: list[str], number: int, size: int) -> list[str]:
    """The ``number``-th chunk (from 0) of at most ``size`` ids."""
    return ids[number * size : (number + 1) * size]


def fields_param(fields: str | None) -> str | None:
    """A comma-separated field list without spaces; BadInput when empty."""
    if fields is None:
        return None
    names = [name.strip() for name in fields.split(",") if name.strip()]
    if not names:
        raise BadInput("--fields must name at least one field, e.g. title,authors,year")
    return ",".join(names)


class S2Source:
    """Bulk search pages or paper batches from the Semantic Scholar Graph API."""

    name = "s2"
    suffix = "json"
    incremental = False

    def __init__(self, client: HttpClient, base_url: str, ids: list[str] | None) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.ids = ids
        self.batch_size = BATCH_SIZE

    def defaults(self, saved: HarvestState | None, given: Mapping[str, Scalar]) -> Params:
        return {"query": None, "paper_ids": None, "fields": FIELDS, "batch_size": BATCH_SIZE}

    def check(self, params: Params) -> None:
        if (params.get("query") is None) == (params.get("paper_ids") is None):
            raise BadInput("give either --query or --paper-ids")

    def begin(self, folder: HarvestFolder, params: Params, resumed: bool) -> None:
        self.batch_size = int(params.get("batch_size") or BATCH_SIZE)
        if params.get("paper_ids") is None:
            return
        if not resumed and self.ids is not None:
            folder.save_extra(IDS_FILE, "\n".join(self.ids).encode("utf-8") + b"\n")
        if self.ids is None:
            saved = folder.read_extra(IDS_FILE)
            self.ids = parse_paper_ids(saved.decode("utf-8")) if saved else None
        if self.ids is None or ids_digest(self.ids) != params["paper_ids"]:
            raise BadInput(f"{folder.path} lacks this harvest's id list: give --paper-ids again")

    def fetch(self, params: Params, position: Position | None) -> bytes:
        fields = str(params["fields"])
        if self.ids is None:
            query: dict[str, str | int] = {"query": str(params["query"]), "fields": fields}
            if position is not None:
                query["token"] = str(position["token"])
            return self.client.get(f"{self.base_url}/paper/search/bulk", query)
        number = int(position["chunk"] or 0) if position else 0
        ids = chunk(self.ids, number, self.batch_size)
        url = f"{self.base_url}/paper/batch"
        return self.client.post_json(url, {"fields": fields}, {"ids": ids})

    def read(self, body: bytes, position: Position | None) -> Page:
        answer = _json(body)
        if self.ids is not None:
            return self._read_batch(answer, position)
        if not isinstance(answer, dict):
            raise UpstreamError("Semantic Scholar's search answer is not a JSON object")
        papers = answer.get("data") or []
        if not isinstance(papers, list):
            raise UpstreamError("Semantic Scholar's search answer has no data list")
        token = answer.get("token")
        following: Position | None = None
        if isinstance(token, str) and token and papers:
            following = {"token": token}
        return Page(len(papers), following, keep=bool(papers))

    def _read_batch(self, answer: Any, position: Position | None) -> Page:
        if not isinstance(answer, list):
            raise UpstreamError("Semantic Scholar's batch answer is not a JSON array")
        number = int(position["chunk"] or 0) if position else 0
        more = self.ids is not None and (number + 1) * self.batch_size < len(self.ids)
        found = sum(paper is not None for paper in answer)
        following: Position | None = {"chunk": number + 1} if more else None
        return Page(found, following, keep=found > 0)

    def since(self, state: HarvestState) -> str | None:
        return None


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as error:
        raise UpstreamError(f"Semantic Scholar sent malformed JSON: {error}") from None


def harvest_s2(query: S2Query, env: HarvestEnv) -> HarvestSummary:
    """Harvest Semantic Scholar papers into ``env.folder`` and the store, resuming what is there."""
    check_base_url(query.base_url)
    if query.batch_size < 1 or query.batch_size > BATCH_SIZE:
        raise BadInput(f"the batch size must be between 1 and {BATCH_SIZE}")
    ids = read_paper_ids(query.paper_ids) if query.paper_ids is not None else None
    headers = {"x-api-key": query.api_key} if query.api_key else {}
    config = ClientConfig(
        source="Semantic Scholar",
        interval=INTERVAL,
        policy=POLICY,
        headers=headers,
        secrets=tuple(filter(None, (query.api_key,))),
    )
    given = {
        "query": query.query,
        "paper_ids": ids_digest(ids) if ids is not None else None,
        "fields": fields_param(query.fields),
        "batch_size": query.batch_size if ids is not None else None,
    }
    with HttpClient(config, env.clock, env.transport) as client:
        return run_harvest(S2Source(client, query.base_url, ids), env, given)
