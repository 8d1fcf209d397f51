"""Test helpers: a fake clock, the recorded exchanges of each source, store dumps."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

from scholarfolio.harvest import HarvestEnv
from scholarfolio.models import IngestSummary
from scholarfolio.store import Store

from .replay import ReplayServer, Reply, Route, fixture_bytes

OAI_PATH = "/oai2"
ARXIV_PAGE_1 = "arxiv/listrecords_arXiv_436115_4001_first40.xml.gz"
ARXIV_PAGE_2 = "arxiv/listrecords_arXiv_436115_405001_first40_last.xml.gz"
ARXIV_FROM = "2013-05-01"
ARXIV_TOKEN = "436115|5001"  # page 1's real token; page 2 is served for it
OPENALEX_PAGE_1 = "openalex/works_filter_author.id_A5110986785_page1.json.gz"
OPENALEX_PAGE_2 = "openalex/works_filter_author.id_A5060364305_page1.json.gz"
OPENALEX_FILTER = "author.id:A5110986785"
S2_SEARCH = [f"s2/search_bulk_kubernetes_00{n}.json.gz" for n in range(3)]
XML = "text/xml"


@dataclass
class FakeClock:
    """A clock whose time moves only when the harvest sleeps (or a test advances it)."""

    start: datetime = datetime(2013, 5, 26, 3, 0, tzinfo=UTC)
    elapsed: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += seconds

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)


@dataclass
class Recorder:
    """A page sink that only notes the pages (for sources whose parser is not in question)."""

    pages: list[Path] = field(default_factory=list)

    def __call__(self, page: Path) -> IngestSummary:
        self.pages.append(page)
        return IngestSummary(files=1)


def make_env(
    folder: Path, ingest: Callable[[Path], IngestSummary], clock: FakeClock, lines: list[str]
) -> HarvestEnv:
    return HarvestEnv(folder=folder, ingest=ingest, report=lines.append, clock=clock)


def target(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def xml_reply(relative: str) -> Reply:
    return Reply(fixture_bytes(relative), content_type=XML)


def oai_first_target(**extra: str) -> str:
    return target(OAI_PATH, verb="ListRecords", metadataPrefix="arXiv", **extra)


def oai_token_target(token: str = ARXIV_TOKEN) -> str:
    return target(OAI_PATH, verb="ListRecords", resumptionToken=token)


def add_arxiv_pages(replay: ReplayServer) -> tuple[Route, Route]:
    """Page 1 for the first request (from ARXIV_FROM), page 2 for page 1's token."""
    one = replay.add("GET", oai_first_target(**{"from": ARXIV_FROM}), xml_reply(ARXIV_PAGE_1))
    two = replay.add("GET", oai_token_target(), xml_reply(ARXIV_PAGE_2))
    return one, two


def oai_record_ids(*relatives: str) -> list[str]:
    ids: list[str] = []
    for relative in relatives:
        text = fixture_bytes(relative).decode("utf-8")
        ids += re.findall(r"<identifier>oai:arXiv.org:([^<]+)</identifier>", text)
    return ids


def openalex_page(relative: str) -> dict[str, Any]:
    page: dict[str, Any] = json.loads(fixture_bytes(relative))
    return page


def openalex_target(cursor: str, per_page: int = 10, **extra: str) -> str:
    params = {"filter": OPENALEX_FILTER, "per_page": str(per_page), "cursor": cursor, **extra}
    return target("/works", **params)


def s2_recording(relative: str) -> dict[str, Any]:
    """A recorded S2 exchange: request_method, request_uri, request_body, status, response."""
    recording: dict[str, Any] = json.loads(fixture_bytes(relative))
    return recording


def s2_target(recording: dict[str, Any], drop: tuple[str, ...] = ("offset", "limit")) -> str:
    """The recorded request's path and query, without the parameters our client never sends.

    The recording client added offset/limit to bulk-search requests; the bulk
    endpoint pages by token only, so those parameters are dropped.
    """
    url = urlsplit(recording["request_uri"])
    pairs = [pair.split("=", 1) for pair in url.query.split("&") if pair]
    kept = "&".join(f"{k}={v}" for k, v in pairs if k not in drop)
    return f"{url.path}?{kept}" if kept else url.path


def s2_reply(recording: dict[str, Any]) -> Reply:
    return Reply(json.dumps(recording["response"]).encode(), status=recording["status"])


# Columns that differ between two stores holding the same data.
_VOLATILE = {"id", "created_at", "updated_at", "ingested_at", "author_id", "old_id", "new_id"}
_RECORD_REFS = {"record_id", "representative", "author_source", "matched", "apart_from"}
_WORK_REFS = {"work_id", "citing_work_id", "cited_work_id"}
_SKIPPED_TABLES = {"alembic_version", "meta"}


def dump_store(store: Store, folder: Path) -> dict[str, list[str]]:
    """Every table as sorted JSON rows: ids replaced by natural keys, timestamps left out.

    Paths under ``folder`` are written relative to it, so two harvests into two
    folders compare equal when they saved the same pages.
    """
    with store.engine.connect() as conn:
        records = {
            row.id: f"{row.source}:{row.source_id}"
            for row in conn.execute(sa.text("SELECT id, source, source_id FROM records"))
        }
        works = {
            row.id: row.arxiv_id or row.title
            for row in conn.execute(sa.text("SELECT id, arxiv_id, title FROM works"))
        }
        tables: dict[str, list[str]] = {}
        for table in sorted(set(sa.inspect(conn).get_table_names()) - _SKIPPED_TABLES):
            rows = conn.execute(sa.text(f"SELECT * FROM {table}")).mappings()
            tables[table] = sorted(_stable(dict(row), records, works, str(folder)) for row in rows)
    return tables


def _stable(
    row: dict[str, Any], records: dict[Any, str], works: dict[Any, str], folder: str
) -> str:
    kept: dict[str, Any] = {}
    for column, value in row.items():
        if column in _VOLATILE:
            continue
        if column in _RECORD_REFS and value is not None:
            value = records.get(value, value)
        elif column in _WORK_REFS and value is not None:
            value = works.get(value, value)
        elif isinstance(value, str):
            value = value.replace(folder, "FOLDER")
        kept[column] = value
    return json.dumps(kept, sort_keys=True, default=str)


def count_rows(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
