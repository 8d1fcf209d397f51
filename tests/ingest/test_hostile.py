"""Hostile input through ingest into the store: XML entity attacks, control characters,
bidi overrides, 1 MB fields, 10,000 authors, deeply nested JSON.

Every hostile file is a real fixture record with the attack put into it. The XML
attacks also run a local HTTP server that counts requests: an external entity or
DTD must never be fetched, a secret file never read, and the good records of the
same file must still go in.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from scholarfolio import pipeline
from scholarfolio.ingest import limits, read_file
from scholarfolio.ingest.oai import parse_oai
from scholarfolio.ingest.xmlguard import PROLOG_LIMIT
from scholarfolio.models import Reject, WorkRecord
from scholarfolio.store import Store
from scholarfolio.store.schema import record_authors, records

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OAI_PAGE = FIXTURES / "arxiv/oai/listrecords_arXivRaw_496549_46001_first100.xml"
ATOM_FEED = FIXTURES / "arxiv/atom/q_testing_s0_m10.xml"
SNAPSHOT = FIXTURES / "arxiv/snapshot/arxiv-metadata-oai-snapshot_first60.jsonl"
OPENALEX_WORK = FIXTURES / "openalex/W2741809807.json"
SECRET = "TOP-SECRET-7f3a9c"


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with an entity declaration and remembers the path."""

    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.hits.append(self.path)
        body = f'<!ENTITY leak "{SECRET}">'.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def http_hits() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server's base URL and the paths it was asked for."""
    hits: list[str] = []
    handler = type("Handler", (_CountingHandler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file no parser may ever read."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n")
    return path


def _billion_laughs() -> str:
    """Ten levels of ten references each: 10^9 "lol" if ever expanded."""
    levels = ['<!ENTITY lol0 "lol">']
    levels += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return "".join(levels)


def _attacks(base_url: str, secret: Path) -> dict[str, tuple[str, str]]:
    """Attack name: (internal DTD subset or whole DOCTYPE tail, entity the record uses)."""
    return {
        "billion laughs": (f"[{_billion_laughs()}]", "&lol9;"),
        "external file entity": (f'[<!ENTITY xxe SYSTEM "file://{secret}">]', "&xxe;"),
        "external http entity": (f'[<!ENTITY xxe SYSTEM "{base_url}/entity">]', "&xxe;"),
        "parameter entity over http": (
            f'[<!ENTITY % remote SYSTEM "{base_url}/remote.dtd"> %remote;]',
            "&leak;",
        ),
        "parameter entity from a file": (
            f'[<!ENTITY % local SYSTEM "file://{secret}"> %local;]',
            "&leak;",
        ),
        "external DTD over http": (f'SYSTEM "{base_url}/page.dtd"', "&leak;"),
    }


def _oai_page(doctype_tail: str, entity: str) -> tuple[bytes, list[str]]:
    """The first three records of a real arXivRaw page, the second one's title using ``entity``."""
    page = OAI_PAGE.read_text(encoding="utf-8")
    head = page.split("<record>", 1)[0]
    kept = re.findall(r"<record>.*?</record>", page, re.DOTALL)[:3]
    ids = [re.search(r"<id>(.*?)</id>", record)[1] for record in kept]  # type: ignore[index]
    kept[1] = kept[1].replace("<title>", f"<title>{entity} ", 1)
    declaration, newline, rest = head.partition("\n")
    document = f"{declaration}{newline}<!DOCTYPE OAI-PMH {doctype_tail}>\n{rest}"
    return (document + "".join(kept) + "</ListRecords>\n</OAI-PMH>\n").encode(), ids


def _atom_feed(doctype_tail: str, entity: str) -> tuple[bytes, list[str]]:
    """A real arXiv API feed whose third entry's summary uses ``entity``."""
    feed = ATOM_FEED.read_text(encoding="utf-8")
    ids = re.findall(r"<id>http://arxiv.org/abs/([^<]+?)(?:v\d+)?</id>", feed)
    entries = feed.split("<entry>")
    entries[3] = entries[3].replace("<summary>", f"<summary>{entity}", 1)
    declaration, newline, rest = "<entry>".join(entries).partition("\n")
    return f"{declaration}{newline}<!DOCTYPE feed {doctype_tail}>\n{rest}".encode(), ids


def _store_bytes(folder: Path) -> bytes:
    """Everything the SQLite store wrote (database, journal, WAL)."""
    return b"".join(path.read_bytes() for path in sorted(folder.glob("scholarfolio.db*")))


def _stored_arxiv_ids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(records.c.arxiv_id).order_by(records.c.arxiv_id))
        return [row.arxiv_id for row in rows]


@pytest.mark.parametrize(
    "attack",
    [
        "billion laughs",
        "external file entity",
        "external http entity",
        "parameter entity over http",
        "parameter entity from a file",
        "external DTD over http",
    ],
)
@pytest.mark.parametrize("layout", ["oai", "atom"])
def test_xml_attacks_are_refused_and_the_good_records_go_in(
    attack: str,
    layout: str,
    store: Store,
    tmp_path: Path,
    http_hits: tuple[str, list[str]],
    secret_file: Path,
) -> None:
    base_url, hits = http_hits
    doctype_tail, entity = _attacks(base_url, secret_file)[attack]
    build = _oai_page if layout == "oai" else _atom_feed
    data, ids = build(doctype_tail, entity)
    path = tmp_path / f"{layout}.xml"
    path.write_bytes(data)

    summary = pipeline.ingest_paths(store, [path])

    attacked = ids[1] if layout == "oai" else ids[2]
    assert summary.rejected == 1
    assert sorted(_stored_arxiv_ids(store)) == sorted(set(ids) - {attacked})
    with store.engine.connect() as conn:
        (reason,) = conn.execute(sa.text("SELECT reason FROM rejects")).scalars()
    assert reason == f"refers to the XML entity {entity}: entities are never expanded or read"
    assert hits == []
    assert SECRET.encode() not in _store_bytes(tmp_path)
    assert b"lollollol" not in _store_bytes(tmp_path)


def test_an_entity_in_an_attribute_expands_to_nothing(tmp_path: Path) -> None:
    # libxml2 always substitutes entities in attribute values; the rewritten
    # DOCTYPE declares every entity empty, so the laughs become "".
    data, ids = _oai_page(f"[{_billion_laughs()}]", "")
    attacked = data.replace(b"<version version='v1'>", b"<version version='&lol9;'>", 1)
    path = tmp_path / "attribute.xml"
    path.write_bytes(attacked)
    items = list(read_file(path))
    assert [type(item) for item in items] == [Reject, WorkRecord, WorkRecord]
    assert items[0].reason == "version label '' is not of the form v1, v2, ..."  # type: ignore[union-attr]
    assert [item.arxiv_id for item in items[1:]] == ids[1:]  # type: ignore[union-attr]


def test_a_doctype_beyond_the_prolog_limit_refuses_the_file() -> None:
    declarations = "".join(f'<!ENTITY e{i} "{i}">' for i in range(PROLOG_LIMIT // 16))
    data, _ids = _oai_page(f"[{declarations}]", "")
    # read_file does not even recognise such a file (its root is past the head it
    # sniffs); the parser, called directly, refuses it whole.
    (reject,) = parse_oai(io.BytesIO(data), "long_doctype.xml")
    assert isinstance(reject, Reject)
    assert reject.reason == (
        f"XML DOCTYPE longer than {PROLOG_LIMIT} bytes: refused (entity declarations)"
    )


def test_deeply_nested_xml_stops_at_libxml2s_depth_limit(tmp_path: Path) -> None:
    data, ids = _oai_page("[]", "")
    nested = "<x>" * 100_000 + "</x>" * 100_000
    third = data.rindex(b"<record>")
    path = tmp_path / "deep.xml"
    path.write_bytes(data[:third] + f"<record>{nested}</record>".encode() + data[third:])
    items = list(read_file(path))
    assert [item.arxiv_id for item in items[:2]] == ids[:2]  # type: ignore[union-attr]
    assert isinstance(items[2], Reject)
    assert "Excessive depth in document: 256" in items[2].reason


# ---- JSON: deep nesting -------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_reject_and_the_other_lines_go_in(
    depth: int, store: Store, tmp_path: Path
) -> None:
    lines = SNAPSHOT.read_bytes().splitlines()[:3]
    bomb = b'{"id": "0704.0002", "authors_parsed": ' + b"[" * depth + b"]" * depth + b"}"
    path = tmp_path / "deep.jsonl"
    path.write_bytes(b"\n".join([lines[0], bomb, lines[2]]) + b"\n")
    summary = pipeline.ingest_paths(store, [path])
    assert (summary.added, summary.rejected) == (2, 1)
    assert _stored_arxiv_ids(store) == ["0704.0001", "0704.0003"]


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_documents_are_rejected(depth: int, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b'{"results": ' + b"[" * depth + b"]" * depth + b"}")
    (reject,) = read_file(path)
    assert isinstance(reject, Reject)
    assert "JSON nested too deeply" in reject.reason


def test_envelopes_nested_in_envelopes_are_a_reject(tmp_path: Path) -> None:
    # Each level is a saved request/response pair: read one within the other.
    # 600 levels decode (json.loads recurses in C) but unwrap one Python call each.
    envelope = '{"request_uri": "https://api.openalex.org/works", "response": '
    path = tmp_path / "envelopes.json"
    path.write_text(envelope * 600 + OPENALEX_WORK.read_text() + "}" * 600)
    (reject,) = read_file(path)
    assert isinstance(reject, Reject)
    assert reject.reason == "JSON envelopes (pages, recorded responses) nested too deeply"


# ---- hostile text in real records ---------------------------------------------------


def _openalex_with(tmp_path: Path, **changes: object) -> Path:
    work = json.loads(OPENALEX_WORK.read_text())
    work.update(changes)
    path = tmp_path / "work.json"
    path.write_text(json.dumps(work))
    return path


def test_control_characters_and_bidi_overrides_are_removed(store: Store, tmp_path: Path) -> None:
    work = json.loads(OPENALEX_WORK.read_text())
    first = work["authorships"][0]
    first["author"]["display_name"] = "Heather\u202e Piwowar\x00"
    first["raw_author_name"] = "Heather\u202e Piwowar\x00"
    path = _openalex_with(
        tmp_path,
        title="The state\x00 of OA\x07: \u202egnp.exe\u202c\x1b[31m \ud800analysis",
        display_name="The state\x00 of OA\x07: \u202egnp.exe\u202c\x1b[31m \ud800analysis",
        authorships=work["authorships"],
    )
    summary = pipeline.ingest_paths(store, [path])
    assert (summary.added, summary.rejected) == (1, 0)
    with store.engine.connect() as conn:
        title = conn.execute(sa.select(records.c.title)).scalar_one()
        names = conn.execute(
            sa.select(record_authors.c.raw_name).order_by(record_authors.c.position)
        ).scalars()
        first_name = next(iter(names))
    assert title == "The state of OA: gnp.exe[31m \ufffdanalysis"
    assert first_name == "Heather Piwowar"


def test_a_megabyte_title_and_abstract_are_cut_with_a_mark(store: Store, tmp_path: Path) -> None:
    megabyte = "<script>alert(1)</script> " * 40_330  # just over 1 MB
    inverted = {word: [i] for i, word in enumerate(megabyte.split()[:2])}
    path = _openalex_with(
        tmp_path, title=megabyte, display_name=megabyte, abstract_inverted_index=inverted
    )
    (record,) = [item for item in read_file(path) if isinstance(item, WorkRecord)]
    assert len(record.title) == limits.MAX_TITLE_CHARS
    assert record.title.endswith(limits.CUT_MARK)
    assert record.title.startswith("<script>alert(1)</script> <script>")
    pipeline.ingest_paths(store, [path])
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(records.c.title)).scalar_one()
    assert stored == record.title


def test_a_megabyte_abstract_is_cut(tmp_path: Path) -> None:
    line = json.loads(SNAPSHOT.read_bytes().splitlines()[0])
    line["abstract"] = "x" * 1_048_576
    path = tmp_path / "abstract.jsonl"
    path.write_text(json.dumps(line) + "\n")
    (record,) = read_file(path)
    assert isinstance(record, WorkRecord)
    assert len(record.abstract or "") == limits.MAX_ABSTRACT_CHARS
    assert (record.abstract or "").endswith("x" + limits.CUT_MARK)


def _snapshot_with_authors(count: int) -> dict[str, object]:
    line = json.loads(SNAPSHOT.read_bytes().splitlines()[0])
    parsed = [[f"Collaborator{i:05d}", "A. B.", ""] for i in range(count)]
    line["authors_parsed"] = parsed
    line["authors"] = ", ".join(f"A. B. Collaborator{i:05d}" for i in range(count))
    return line


def test_ten_thousand_authors_are_all_kept(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps(_snapshot_with_authors(10_000)).encode() + b"\n"))
    summary = pipeline.ingest_paths(store, [path])
    assert (summary.added, summary.rejected) == (1, 0)
    with store.engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(record_authors)).scalar()
        last = conn.execute(sa.select(sa.func.max(record_authors.c.name))).scalar()
    assert count == 10_000
    assert last == "A. B. Collaborator09999"


def test_more_authors_than_the_limit_reject_the_record(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps(_snapshot_with_authors(limits.MAX_AUTHORS + 1)) + "\n")
    (reject,) = read_file(path)
    assert isinstance(reject, Reject)
    assert reject.reason == (
        f"the record lists {limits.MAX_AUTHORS + 1} authors (at most {limits.MAX_AUTHORS} are read)"
    )


def test_an_identifier_longer_than_the_store_keeps_rejects_the_record(tmp_path: Path) -> None:
    path = _openalex_with(tmp_path, doi="https://doi.org/10.1000/" + "9" * 300)
    (reject,) = [item for item in read_file(path) if isinstance(item, Reject)]
    assert reject.reason.startswith("id '10.1000/")
    assert reject.reason.endswith("is 308 characters (at most 255)")
