"""The static export of a real corpus: the files it writes, their links, and its path guard."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree
from starlette.testclient import TestClient

from scholarfolio import pipeline, profiles, works
from scholarfolio.export import atom, site
from scholarfolio.export.layout import SiteWriter, rewrite_links, safe_segment, target
from scholarfolio.export.site import ExportSummary, export_site
from scholarfolio.store import Store
from scholarfolio.store.schema import authors
from scholarfolio.web.app import create_app

from .conftest import CLOSURE

BASE = "https://profiles.example.org/"
_LINK = re.compile(r'\s(?:href|src)="(/[^"#]*)')


@pytest.fixture(scope="module")
def exported(
    closure_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ExportSummary]:
    folder = tmp_path_factory.mktemp("export") / "site"
    return folder, export_site(closure_store, folder, BASE)


@pytest.fixture(scope="module")
def client(closure_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(closure_store), base_url=BASE.rstrip("/")) as test_client:
        yield test_client


def _deep_learning(store: Store) -> int:
    (work,) = works.list_works(store, "W2919115771")
    return int(work["id"])


def _file_for(folder: Path, link: str) -> Path:
    path = folder / link.lstrip("/")
    return path / "index.html" if link.endswith("/") else path


def test_every_page_feed_bib_and_json_is_written(
    exported: tuple[Path, ExportSummary], closure_store: Store, client: TestClient
) -> None:
    folder, summary = exported
    stats = profiles.corpus_stats(closure_store)
    assert (summary.authors, summary.works) == (stats["authors"], stats["works"])
    assert summary.failed == [] and summary.skipped == []
    hinton = profiles.find_author(closure_store, "A5108093963")
    deep = _deep_learning(closure_store)
    for name in (
        "index.html",
        f"authors/{hinton}/index.html",
        f"works/{deep}/index.html",
        "api/docs/index.html",
        "static/style.css",
    ):
        assert (folder / name).is_file(), name
    # JSON, BibTeX and the OpenAPI document are the server's bytes.
    for file, url in (
        (f"authors/{hinton}.json", f"/api/authors/{hinton}"),
        (f"works/{deep}.json", f"/api/works/{deep}"),
        (f"works/{deep}.bib", f"/works/{deep}.bib"),
        (f"authors/{hinton}/works.bib", f"/authors/{hinton}/works.bib"),
        ("api/openapi.json", "/api/openapi.json"),
    ):
        assert (folder / file).read_bytes() == client.get(url).content, file
    assert json.loads((folder / f"works/{deep}.json").read_text())["title"] == "Deep learning"
    feed = etree.fromstring((folder / f"authors/{hinton}/feed.atom").read_bytes())
    ids = [
        entry.findtext(f"{{{atom.ATOM_NS}}}id") for entry in feed.iter(f"{{{atom.ATOM_NS}}}entry")
    ]
    assert ids[0] == f"{BASE}works/{deep}"
    written = sum(1 for path in folder.rglob("*") if path.is_file())
    assert summary.files == written


def test_links_point_at_exported_files_and_search_is_left_out(
    exported: tuple[Path, ExportSummary], closure_store: Store
) -> None:
    folder, _ = exported
    pages = list(folder.rglob("*.html"))
    stats = profiles.corpus_stats(closure_store)
    # The home page, the API docs, one page per author and one per work.
    assert len(pages) == 2 + stats["authors"] + stats["works"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<form" not in html, page
        for link in _LINK.findall(html):
            assert not link.startswith(("/api/authors/", "/api/works/", "/search")), (page, link)
            assert _file_for(folder, link).is_file(), (page, link)
    deep = _deep_learning(closure_store)
    work_page = (folder / f"works/{deep}/index.html").read_text(encoding="utf-8")
    assert f'href="/works/{deep}.json"' in work_page
    assert f'href="/works/{deep}.bib"' in work_page


def test_further_pages_of_a_list_are_exported_and_linked(
    closure_store: Store, tmp_path: Path
) -> None:
    deep = _deep_learning(closure_store)
    folder = tmp_path / "site"
    summary = export_site(closure_store, folder, BASE, urls=[f"/works/{deep}?per_page=1"])
    # "Deep learning" is cited by four works: one per page, four pages.
    pages = sorted(path.name for path in (folder / "works" / str(deep)).glob("*.html"))
    assert pages == [
        "cited_by_page-1.cites_page-1.per_page-1.html",
        "cited_by_page-2.cites_page-1.per_page-1.html",
        "cited_by_page-3.cites_page-1.per_page-1.html",
        "cited_by_page-4.cites_page-1.per_page-1.html",
        "per_page-1.html",
    ]
    assert summary.failed == []
    last = folder / "works" / str(deep) / "cited_by_page-4.cites_page-1.per_page-1.html"
    html = last.read_text(encoding="utf-8")
    assert "Page 4 of 4" in html
    for link in _LINK.findall(html):
        if link.startswith(f"/works/{deep}/"):
            assert _file_for(folder, link).is_file(), link


def test_worker_processes_write_the_same_files(
    exported: tuple[Path, ExportSummary],
    closure_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, alone = exported
    monkeypatch.setattr(site, "MIN_UNITS_PER_WORKER", 1)
    shared = export_site(closure_store, tmp_path / "site", BASE, workers=2)
    assert (shared.files, shared.bytes, shared.failed) == (alone.files, alone.bytes, [])
    for path in folder.rglob("*"):
        if path.is_file():
            twin = tmp_path / "site" / path.relative_to(folder)
            assert twin.read_bytes() == path.read_bytes(), path


def test_hostile_ids_cannot_leave_the_folder(store: Store, tmp_path: Path) -> None:
    pipeline.ingest_paths(store, [CLOSURE])
    pipeline.build(store)
    hostile = ["../../escaped", "..", "a/../../b", ".hidden", "evil\\..\\x", "a b"]
    now = datetime.now()
    with store.engine.begin() as conn:
        conn.execute(
            authors.insert(),
            [
                {"id": author_id, "name": "Hostile", "name_key": "hostile", "created_at": now}
                for author_id in hostile
            ],
        )
    folder = tmp_path / "deep" / "down" / "site"
    summary = export_site(store, folder, BASE)
    assert sorted(summary.skipped) == sorted(hostile)
    # Everything outside the export folder is the store's own (its file, its search index).
    outside = [
        path
        for path in tmp_path.rglob("*")
        if path.is_file()
        and not path.is_relative_to(folder)
        and not path.relative_to(tmp_path).parts[0].startswith("scholarfolio.db")
    ]
    assert outside == []
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "deep" / "escaped").exists()


@pytest.mark.parametrize(
    "relative",
    ["../x", "a/../../x", "/etc/passwd", "..", "", "a//b", "a\\b", ".git/config", "a/./b"],
)
def test_the_writer_refuses_paths_outside_or_odd(tmp_path: Path, relative: str) -> None:
    with pytest.raises(ValueError):
        SiteWriter(tmp_path / "site").write(relative, b"x")
    assert list(tmp_path.rglob("*")) == []


def test_the_writer_does_not_follow_a_symlink_out(tmp_path: Path) -> None:
    folder, outside = tmp_path / "site", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "authors").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError, match="leaves"):
        SiteWriter(folder).write("authors/x.json", b"{}")
    assert list(outside.iterdir()) == []


def test_urls_and_their_files() -> None:
    assert target("/authors/..%2F..") is None
    assert target("/authors/a%2Fb/feed.atom") is None
    assert target("/works/1?sort=citations") is None
    assert target("/search?q=x") is None
    assert target("https://arxiv.org/abs/1411.4413") is None
    paged = target("/works/12?per_page=20&cited_by_page=2")
    assert paged is not None
    assert (paged.file, paged.link) == (
        "works/12/cited_by_page-2.per_page-20.html",
        "/works/12/cited_by_page-2.per_page-20.html",
    )
    found = target("/api/authors/yann-lecun-de2ad426")
    assert found is not None and found.file == "authors/yann-lecun-de2ad426.json"
    assert safe_segment("yann-lecun-de2ad426") and not safe_segment("a..b")


def test_rewriting_keeps_outside_links_and_drops_dynamic_ones() -> None:
    page = (
        '<form action="/search"><input name="q"></form>'
        '<a href="/api/works/7">json</a><a href="https://doi.org/10.1/x">doi</a>'
        '<a href="/authors/x?sort=citations">by citations</a><a href="#cited-by">jump</a>'
        '<a href="?cited_by_page=2&amp;per_page=20">next</a>'
    )
    found: list[str] = []
    rewritten = rewrite_links(page, "/works/7", lambda linked: found.append(linked.url))
    assert rewritten == (
        '<a href="/works/7.json">json</a><a href="https://doi.org/10.1/x">doi</a>'
        '<a>by citations</a><a href="#cited-by">jump</a>'
        '<a href="/works/7/cited_by_page-2.per_page-20.html">next</a>'
    )
    assert found == ["/api/works/7", "/works/7?cited_by_page=2&per_page=20"]
