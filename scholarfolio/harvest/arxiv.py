"""arXiv over OAI-PMH: ListRecords pages chained by resumption tokens.

The protocol and arXiv's use of it (https://info.arxiv.org/help/oa/index.html,
https://www.openarchives.org/OAI/openarchivesprotocol.html):

- the first request names ``metadataPrefix`` and optionally ``from``, ``until``
  (dates, YYYY-MM-DD) and ``set``; every later one carries only the
  ``resumptionToken`` of the page before, and an empty token ends the list;
- ``noRecordsMatch`` is the answer to a window with nothing in it: a finished
  harvest, not an error;
- flow control: arXiv answers 503 with ``Retry-After`` (seconds) when asked too
  fast, and its terms of use ask for at most one request every three seconds.

A finished harvest remembers the date of its first answer (or its ``until``);
the next run in the same folder starts there when no ``--from`` is given, so a
daily run fetches only what changed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from lxml import etree

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

ARXIV_OAI = "https://export.arxiv.org/oai2"
PREFIXES = ("arXiv", "arXivRaw")
# arXiv's terms of use: no more than one request every three seconds.
INTERVAL = 3.0
# 503 + Retry-After is arXiv's flow control; without the header, start at 10 s as it does.
POLICY = RetryPolicy(retries=5, backoff=10.0, backoff_cap=120.0, max_wait=900.0)

_OAI = "{http://www.openarchives.org/OAI/2.0/}"
_HINTS = {
    "badResumptionToken": (
        "resumption tokens expire: delete .harvest-state.json in this folder and run "
        "again with the same options, --from included; saved pages stay and are not renumbered"
    ),
    "cannotDisseminateFormat": f"--prefix must be one of {', '.join(PREFIXES)}",
    "noSetHierarchy": "check --set against arXiv's sets (verb=ListSets)",
}


@dataclass(frozen=True, slots=True)
class ArxivQuery:
    """The options of an arXiv harvest; None means not given."""

    from_date: str | None = None
    until: str | None = None
    set_spec: str | None = None
    prefix: str | None = None
    base_url: str = ARXIV_OAI


@dataclass(frozen=True, slots=True)
class OaiPage:
    """The parts of an OAI-PMH answer that paging needs."""

    records: int
    token: str | None
    error: tuple[str, str] | None
    response_date: str | None


def read_oai(body: bytes) -> OaiPage:
    """Count the records and find the resumption token, error and response date."""
    records, token, error, response_date = 0, None, None, None
    parsed = etree.iterparse(
        io.BytesIO(body), events=("end",), resolve_entities=False, no_network=True
    )
    try:
        for _event, element in parsed:
            tag = element.tag
            if tag == _OAI + "record":
                records += 1
                element.clear()
            elif tag == _OAI + "resumptionToken":
                token = (element.text or "").strip() or None
            elif tag == _OAI + "error":
                error = (element.get("code") or "unknown", " ".join((element.text or "").split()))
            elif tag == _OAI + "responseDate":
                response_date = (element.text or "").strip() or None
    except etree.XMLSyntaxError as exc:
        raise UpstreamError(f"arXiv sent malformed XML: {exc}") from None
    if response_date is None:
        raise UpstreamError("arXiv's answer is not an OAI-PMH response")
    return OaiPage(records, token, error, response_date)


def _check_date(value: str | None, name: str) -> None:
    if value is None:
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{name} must be a date written YYYY-MM-DD, not {value!r}") from None
    if len(value) != 10:
        raise BadInput(f"{name} must be a date written YYYY-MM-DD, not {value!r}")


def check_query(query: ArxivQuery) -> None:
    """BadInput for dates that are not YYYY-MM-DD, a window backwards, an unknown prefix."""
    _check_date(query.from_date, "--from")
    _check_date(query.until, "--until")
    if query.from_date and query.until and query.from_date > query.until:
        raise BadInput(f"--from {query.from_date} is after --until {query.until}")
    if query.prefix is not None and query.prefix not in PREFIXES:
        raise BadInput(f"--prefix must be one of {', '.join(PREFIXES)}, not {query.prefix!r}")
    if query.set_spec is not None and not query.set_spec.strip():
        raise BadInput("--set must not be empty (e.g. cs, math, physics:hep-th)")
    check_base_url(query.base_url)


class ArxivSource:
    """ListRecords pages from arXiv's OAI-PMH endpoint."""

    name = "arxiv"
    suffix = "xml"
    incremental = True

    def __init__(self, client: HttpClient, base_url: str) -> None:
        self.client = client
        self.base_url = base_url

    def defaults(self, saved: HarvestState | None, given: Mapping[str, Scalar]) -> Params:
        params: Params = {"from": None, "until": None, "set": None, "prefix": PREFIXES[0]}
        if saved is not None and saved.complete:
            # Only the same list (set and format) continues where the last run ended.
            wanted = {name: given.get(name) or params[name] for name in ("set", "prefix")}
            if all(saved.params.get(name) == value for name, value in wanted.items()):
                params["from"] = saved.since
        return params

    def check(self, params: Params) -> None:
        pass

    def begin(self, folder: HarvestFolder, params: Params, resumed: bool) -> None:
        pass

    def fetch(self, params: Params, position: Position | None) -> bytes:
        if position is not None:
            query: dict[str, str | int] = {"verb": "ListRecords", **_present(position)}
        else:
            query = {"verb": "ListRecords", "metadataPrefix": str(params["prefix"])}
            for name in ("from", "until", "set"):
                if params.get(name) is not None:
                    query[name] = str(params[name])
        return self.client.get(self.base_url, query)

    def read(self, body: bytes, position: Position | None) -> Page:
        page = read_oai(body)
        if page.error is not None:
            code, message = page.error
            if code == "noRecordsMatch":
                return Page(0, None, keep=False, date=page.response_date)
            hint = _HINTS.get(code)
            raise UpstreamError(
                f"arXiv answered OAI-PMH error {code}: {message}" + (f" ({hint})" if hint else "")
            )
        following: Position | None = {"resumptionToken": page.token} if page.token else None
        return Page(page.records, following, keep=page.records > 0, date=page.response_date)

    def since(self, state: HarvestState) -> str | None:
        until = state.params.get("until")
        if isinstance(until, str):
            return until
        return state.run_date[:10] if state.run_date else None


def _present(position: Position) -> dict[str, str | int]:
    return {key: value for key, value in position.items() if value is not None}


def harvest_arxiv(query: ArxivQuery, env: HarvestEnv) -> HarvestSummary:
    """Harvest arXiv metadata into ``env.folder`` and the store, resuming what is there."""
    check_query(query)
    config = ClientConfig(source="arXiv", interval=INTERVAL, policy=POLICY)
    given = {
        "from": query.from_date,
        "until": query.until,
        "set": query.set_spec,
        "prefix": query.prefix,
    }
    with HttpClient(config, env.clock, env.transport) as client:
        return run_harvest(ArxivSource(client, query.base_url), env, given)
