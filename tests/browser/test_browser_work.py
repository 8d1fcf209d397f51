"""A person in a real browser: open a work from a profile, download BibTeX, follow the feed.

The downloaded files are parsed as a reference manager or feed reader would:
BibTeX with bibtexparser (names split into parts), Atom with lxml.
"""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from lxml import etree
from playwright.sync_api import Page, expect

JOHNSON = "/authors/peter-r-johnson-7a9b93ea"
ATOM = "{http://www.w3.org/2005/Atom}"


def _bibtex_entries(path: Path) -> list[bibtexparser.model.Entry]:
    library = bibtexparser.parse_string(
        path.read_text(encoding="utf-8"),
        append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()],
    )
    assert library.failed_blocks == []
    return list(library.entries)


def _family_names(entry: bibtexparser.model.Entry) -> list[str]:
    return [" ".join(name.last) for name in entry["author"]]


def _open_a_work_with_many_authors(page: Page) -> str:
    """From the profile, open the first work whose author list is collapsed; its title."""
    page.goto(JOHNSON)
    work = page.locator("ol.works li.work").filter(has=page.locator("details.more-authors"))
    title_link = work.first.locator(".work-title a")
    title = title_link.inner_text()
    title_link.click()
    expect(page).to_have_url(re.compile(r"/works/[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return title


def test_work_page_lists_every_author_and_its_bibtex_keeps_their_order(page: Page) -> None:
    _open_a_work_with_many_authors(page)
    authors = page.locator("article .work-authors").first
    authors.locator("details.more-authors summary").click()
    names = [name.strip() for name in authors.locator("a").all_inner_texts()]
    assert len(names) > 5
    assert "Peter R. Johnson" in names
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download BibTeX").first.click()
    download = downloading.value
    assert download.suggested_filename.endswith(".bib")
    (entry,) = _bibtex_entries(Path(download.path()))
    families = _family_names(entry)
    assert len(families) == len(names)
    for name, family in zip(names, families, strict=True):
        assert name.endswith(family), f"{family!r} is not the family name of {name!r}"


def test_all_works_of_an_author_download_as_one_bibtex_file(page: Page) -> None:
    page.goto(JOHNSON)
    total = int(page.locator('[data-stat="works"] dd').inner_text().replace(",", ""))
    with page.expect_download() as downloading:
        page.get_by_role("link", name="BibTeX of all works").click()
    entries = _bibtex_entries(Path(downloading.value.path()))
    assert len(entries) == total == 81
    assert len({entry.key for entry in entries}) == total
    assert all("Johnson" in _family_names(entry) for entry in entries)


def test_the_feed_link_gives_the_newest_works_as_atom(page: Page) -> None:
    page.goto(JOHNSON)
    href = page.get_by_role("link", name="Feed of new works").get_attribute("href")
    assert href == f"{JOHNSON}/feed.atom"
    # Feed readers find the same address in the page's head.
    advertised = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert advertised.get_attribute("href") == href
    newest_titles = page.locator("ol.works .work-title").all_inner_texts()
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.body())
    assert feed.tag == f"{ATOM}feed"
    assert "Peter R. Johnson" in feed.findtext(f"{ATOM}title", "")
    entry_titles = [entry.findtext(f"{ATOM}title", "") for entry in feed.iter(f"{ATOM}entry")]
    assert entry_titles
    assert entry_titles == newest_titles[: len(entry_titles)]
