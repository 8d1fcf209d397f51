"""Hostile records through ingest -> build -> web: pages stay escaped, JSON valid, sizes bounded.

The store holds real fixture records with markup and JavaScript in their title,
abstract and author names, a bidi override, control characters, and a snapshot
record with 10,000 authors. Every page is parsed: no element or attribute the
data carried may appear; the text shows as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from html_tree import Element, parse
from starlette.testclient import TestClient

from scholarfolio import pipeline
from scholarfolio.store import Store
from scholarfolio.store.schema import authorships, works
from scholarfolio.web.app import create_app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
XSS_TITLE = '<script>alert("t")</script><img src=x onerror=alert(1)> Open Access \u202eevil'
XSS_NAME = '<a href="javascript:alert(2)">Heather</a> Piwowar\x00'
XSS_ABSTRACT = "Despite <iframe src=javascript:alert(3)></iframe> growing interest"
AUTHORS = 10_000
# A page of a work with 10,000 authors, or of one of them, stays below this.
PAGE_BYTES_LIMIT = 2_000_000


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("hostile")
    work = json.loads((FIXTURES / "openalex/W2741809807.json").read_text())
    work["title"] = work["display_name"] = XSS_TITLE
    work["authorships"][0]["author"]["display_name"] = XSS_NAME
    work["authorships"][0]["raw_author_name"] = XSS_NAME
    work["abstract_inverted_index"] = {w: [i] for i, w in enumerate(XSS_ABSTRACT.split(" "))}
    (folder / "work.json").write_text(json.dumps(work))
    line = json.loads(
        (FIXTURES / "arxiv/snapshot/arxiv-metadata-oai-snapshot_first60.jsonl")
        .read_bytes()
        .splitlines()[0]
    )
    line["title"] = "Big collaboration <b>bold</b> onload=alert(4)"
    line["authors_parsed"] = [[f"Member{i:05d}", "Q.", ""] for i in range(AUTHORS)]
    line["authors"] = ", ".join(f"Q. Member{i:05d}" for i in range(AUTHORS))
    (folder / "big.jsonl").write_text(json.dumps(line) + "\n")
    store = Store.open(str(folder / "scholarfolio.db"))
    pipeline.ingest_paths(store, [folder / "work.json", folder / "big.jsonl"])
    pipeline.build(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(hostile_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_store)) as test_client:
        yield test_client


def _work_id(store: Store, title_start: str) -> int:
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                sa.select(works.c.id).where(works.c.title.like(title_start + "%"))
            ).scalar_one()
        )


def _author_of(store: Store, work_id: int, position: int) -> str:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(authorships.c.author_id)
            .where(authorships.c.work_id == work_id)
            .order_by(authorships.c.position)
            .offset(position)
            .limit(1)
        )
        return str(rows.scalar_one())


def _assert_inert(tree: Element) -> None:
    """No element or attribute from the data: scripts, handlers, javascript: URLs."""
    for element in tree.iter():
        assert element.tag not in {"iframe", "img", "b"}, element.tag
        if element.tag == "script":
            assert "alert" not in element.text()
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            assert not value.strip().lower().startswith("javascript:"), (element.tag, value)


def _page(client: TestClient, path: str) -> tuple[Element, int]:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    return parse(response.text), len(response.content)


def test_the_work_page_shows_markup_as_text(client: TestClient, hostile_store: Store) -> None:
    work_id = _work_id(hostile_store, "<script>")
    tree, _size = _page(client, f"/works/{work_id}")
    _assert_inert(tree)
    text = tree.text()
    assert '<script>alert("t")</script><img src=x onerror=alert(1)> Open Access evil' in text
    assert "\u202e" not in text and "\x00" not in text
    assert '<a href="javascript:alert(2)">Heather</a> Piwowar' in text
    assert "<iframe src=javascript:alert(3)></iframe>" in text


def test_the_hostile_authors_profile_and_search_stay_escaped(
    client: TestClient, hostile_store: Store
) -> None:
    work_id = _work_id(hostile_store, "<script>")
    author_id = _author_of(hostile_store, work_id, 0)
    for path in (f"/authors/{author_id}", "/search?q=open+access", "/search?q=Piwowar", "/"):
        tree, _size = _page(client, path)
        _assert_inert(tree)


def test_the_json_api_returns_the_text_as_written(client: TestClient, hostile_store: Store) -> None:
    work_id = _work_id(hostile_store, "<script>")
    response = client.get(f"/api/works/{work_id}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    document = json.loads(response.text)
    assert document["title"] == XSS_TITLE.replace("\u202e", "")
    assert "<script>" not in response.text.replace("\\u003c", "<") or document["title"]


def test_a_work_with_ten_thousand_authors_renders_in_bounded_size(
    client: TestClient, hostile_store: Store
) -> None:
    work_id = _work_id(hostile_store, "Big collaboration")
    tree, size = _page(client, f"/works/{work_id}")
    _assert_inert(tree)
    assert "Big collaboration <b>bold</b> onload=alert(4)" in tree.text()
    assert size < PAGE_BYTES_LIMIT
    api = client.get(f"/api/works/{work_id}")
    assert api.status_code == 200
    assert len(json.loads(api.text)["authors"]) <= AUTHORS


def test_a_member_of_the_big_collaboration_has_a_paged_profile(
    client: TestClient, hostile_store: Store
) -> None:
    work_id = _work_id(hostile_store, "Big collaboration")
    member = _author_of(hostile_store, work_id, 5_000)
    tree, size = _page(client, f"/authors/{member}")
    _assert_inert(tree)
    assert "Member05000" in tree.text()
    assert size < PAGE_BYTES_LIMIT
    api = json.loads(client.get(f"/api/authors/{member}").text)
    assert len(api["coauthors"]) <= 20


@pytest.mark.parametrize(
    "query",
    [
        "?page=0",
        "?page=99999999999999999999",
        "?per_page=-1",
        "?sort=%3Cscript%3E",
        "?year=20%0014",
        "?category=%E2%80%AE",
        "?page=%F0%9F%98%80",
        "?q=" + "a" * 5000,
        "?coauthors_page=1e9",
    ],
)
def test_odd_query_parameters_are_a_400_not_a_500(
    client: TestClient, hostile_store: Store, query: str
) -> None:
    work_id = _work_id(hostile_store, "Big collaboration")
    member = _author_of(hostile_store, work_id, 1)
    for path in (f"/authors/{member}", f"/works/{work_id}", "/search", "/api/search"):
        response = client.get(path + query)
        assert response.status_code in {200, 400, 414}, (path + query, response.status_code)
        if response.status_code != 200 and path.startswith("/api"):
            json.loads(response.text)
