"""The profile page, checked against real authors of the fixture corpus.

G. Veneziano has three works in the fixtures: the CMS+LHCb paper 1411.4413
(2,831 authors), the LHCb paper 1302.1213 (628 authors) and 1302.0740 with five
authors, the last of them Veneziano.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from html_tree import Element, parse
from pg_support import OpenStore
from starlette.testclient import TestClient

from scholarfolio import pipeline, profiles
from scholarfolio.demo import openalex_demo_files
from scholarfolio.profiles import WorkListing
from scholarfolio.store import Store
from scholarfolio.web.app import create_app

Page = Callable[..., Element]


def _veneziano(page: Page, author_id: Callable[[str], str]) -> tuple[str, Element]:
    found = author_id("G. Veneziano")
    return found, page(f"/authors/{found}")


def test_the_card_shows_name_avatar_and_title(page: Page, author_id: Callable[[str], str]) -> None:
    _, doc = _veneziano(page, author_id)
    assert doc.find("h1").text() == "G. Veneziano"
    assert doc.find(cls="avatar").text() == "G"
    assert doc.find("title").text() == "G. Veneziano · Scholarfolio"


def test_headline_stats_equal_the_json_metrics(
    built_store: Store, page: Page, author_id: Callable[[str], str]
) -> None:
    found, doc = _veneziano(page, author_id)
    metrics = profiles.get_profile(built_store, found)["metrics"]
    shown = {
        key: doc.find(attrs={"data-stat": key}).find(tag).text()
        for key, tag in [
            ("citations", "dd"),
            ("h_index", "dd"),
            ("works", "dd"),
            ("i10_index", "strong"),
            ("g_index", "strong"),
        ]
    }
    assert shown == {key: f"{metrics[key]:,}" for key in shown}
    assert metrics["works"] == 3
    labels = [dt.text() for dt in doc.find(cls="stats").find_all("dt")]
    assert labels == ["Total Citations", "h-index", "Papers"]


def test_works_are_listed_newest_first_with_id_version_and_date(
    page: Page, author_id: Callable[[str], str]
) -> None:
    _, doc = _veneziano(page, author_id)
    works = doc.find_all("li", cls="work")
    listed = [
        (
            work.find(cls="rank").text(),
            work.find("a", cls="arxiv-id").text(),
            work.find("a", cls="arxiv-id").attrs["href"],
            work.find("time").text(),
        )
        for work in works
    ]
    assert listed == [
        ("#1", "1411.4413v1", "https://arxiv.org/abs/1411.4413v1", "Nov 17, 2014"),
        ("#2", "1302.1213v1", "https://arxiv.org/abs/1302.1213v1", "Feb 05, 2013"),
        ("#3", "1302.0740v1", "https://arxiv.org/abs/1302.0740v1", "Feb 04, 2013"),
    ]
    assert works[0].find("h3").text().startswith("Observation of the rare B0s→μ+μ− decay")
    assert works[0].find(cls="work-citations").text() == "0 Citations"
    assert [tag.text() for tag in works[0].find_all(cls="tag")] == ["hep-ex", "hep-ph"]
    assert works[0].find("a", cls="doi").attrs["href"] == "https://doi.org/10.1038/nature14474"


def first_work_id(store: Store, found: str) -> int:
    return int(profiles.get_profile(store, found)["works"][0]["id"])


def test_a_many_author_paper_links_five_authors_then_expands(
    built_store: Store, page: Page, author_id: Callable[[str], str]
) -> None:
    found, doc = _veneziano(page, author_id)
    first = doc.find("li", cls="work")
    shown = first.find(cls="authors-shown").find_all("a")
    assert [a.text() for a in shown] == [
        "The CMS and LHCb Collaborations",
        "V. Khachatryan",
        "A.M. Sirunyan",
        "A. Tumasyan",
        "W. Adam",
    ]
    assert all(a.attrs["href"].startswith("/authors/") for a in shown)
    more = first.find("details", cls="more-authors")
    assert more.find("summary").find(cls="when-closed").text() == "+2826 more authors"
    # The page reads 50 names of 2,831; the profile's own author is shown where they stand.
    names = more.find("p").find_all("a")
    assert [a.text() for a in names[:2]] == ["T. Bergauer", "M. Dragicevic"]
    assert len(names) == 50 - 5 + 1
    assert names[-1].text() == "G. Veneziano" and names[-1].attrs["aria-current"] == "page"
    assert more.find("p").text().endswith("… G. Veneziano (author 2,564)")
    everyone = more.find(cls="all-authors").find("a")
    assert everyone.text() == "All 2,831 authors"
    assert everyone.attrs["href"] == f"/works/{first_work_id(built_store, found)}"


def test_a_five_author_paper_has_no_more_button_and_marks_the_author(
    page: Page, author_id: Callable[[str], str]
) -> None:
    found, doc = _veneziano(page, author_id)
    third = doc.find_all("li", cls="work")[2]
    assert third.find_all("details", cls="more-authors") == []
    links = third.find(cls="authors-shown").find_all("a")
    assert [a.text() for a in links][-1] == "G. Veneziano"
    assert links[-1].attrs == {
        "href": f"/authors/{found}",
        "class": "self",
        "aria-current": "page",
    }


def test_author_links_lead_to_their_profiles(page: Page, author_id: Callable[[str], str]) -> None:
    _, doc = _veneziano(page, author_id)
    link = doc.find(cls="authors-shown").find("a")
    assert page(link.attrs["href"]).find("h1").text() == "The CMS and LHCb Collaborations"


def test_long_abstracts_are_clamped_in_a_details_element(
    page: Page, author_id: Callable[[str], str]
) -> None:
    _, doc = _veneziano(page, author_id)
    abstract = doc.find("li", cls="work").find("details", cls="abstract")
    assert (
        abstract.find(cls="abstract-text")
        .text()
        .startswith("A joint measurement is presented of the branching fractions")
    )
    toggle = abstract.find(cls="toggle")
    assert [toggle.find(cls=state).text() for state in ("when-closed", "when-open")] == [
        "Show more",
        "Show less",
    ]


def test_other_spellings_are_listed(page: Page, author_id: Callable[[str], str]) -> None:
    doc = page(f"/authors/{author_id('A. C. dos Reis')}")
    assert doc.find(cls="variants").text() == "Also published as: A.C. dos Reis"


def test_the_page_links_its_json(page: Page, author_id: Callable[[str], str]) -> None:
    found, doc = _veneziano(page, author_id)
    assert doc.find("a", attrs={"href": f"/api/authors/{found}"}).text() == "This profile as JSON"
    alternate = doc.find("link", attrs={"rel": "alternate"})
    assert alternate.attrs["href"] == f"/api/authors/{found}"


def test_the_page_has_landmarks_viewport_and_the_data_credit(
    page: Page, author_id: Callable[[str], str]
) -> None:
    _, doc = _veneziano(page, author_id)
    assert doc.find("html").attrs["lang"] == "en"
    viewport = doc.find("meta", attrs={"name": "viewport"})
    assert viewport.attrs["content"] == "width=device-width, initial-scale=1"
    assert [len(doc.find_all(tag)) for tag in ("header", "main", "footer")] == [1, 1, 1]
    assert "Data: arXiv (CC0), OpenAlex (CC0)" in doc.find("footer").text()
    assert doc.find("link", attrs={"rel": "stylesheet"}).attrs["href"] == "/static/style.css"


def test_data_is_escaped_in_titles_and_abstracts(
    client: TestClient, author_id: Callable[[str], str]
) -> None:
    # Real records: 1302.0689 has "&" in its title; astro-ph/0601001 has "<" and "&"
    # in its abstract ("V_max<17.5", "Gould & Morgan (2003)").
    title_page = client.get(f"/authors/{author_id('Anh Cat Le Ngo')}").text
    assert (
        "Multi-scale Visual Attention &amp; Saliency Modelling with Decision Theory" in title_page
    )
    assert "Attention & Saliency" not in title_page
    abstract_page = client.get(f"/authors/{author_id('Andrew Gould')}").text
    assert "V_max&lt;17.5" in abstract_page
    assert "Gould &amp; Morgan (2003)" in abstract_page
    assert "V_max<17.5" not in abstract_page


def test_a_work_without_a_date_still_renders(
    built_store: Store, page: Page, author_id: Callable[[str], str]
) -> None:
    found = author_id("C. Quesne")
    undated = [w for w in profiles.get_profile(built_store, found)["works"] if w["date"] is None]
    assert undated, "the fixtures hold a work of C. Quesne without a first-version date"
    work = page(f"/authors/{found}").find("li", attrs={"id": f"work-{undated[0]['rank']}"})
    assert work.find_all("time") == []
    assert work.find("a", cls="arxiv-id").text() == undated[0]["arxiv_id"] + undated[0]["version"]


def test_badges_are_the_profile_badges(
    built_store: Store, page: Page, author_id: Callable[[str], str]
) -> None:
    found, doc = _veneziano(page, author_id)
    badges = profiles.get_profile(built_store, found)["badges"]
    assert [badge.text() for badge in doc.find_all("li", cls="badge")] == badges


# --- sorting, filters, pages, chart, co-authors, topics (Alsharhan's real OpenAlex works) ---

ALSHARHAN = "A5010401681"


@pytest.fixture(scope="module")
def openalex(open_store: OpenStore) -> Iterator[tuple[Store, TestClient, str]]:
    """A store of Alsharhan's OpenAlex works, a client on it, and his author id."""
    with open_store("oa-profile") as store:
        files = [p for p in openalex_demo_files() if p.name.startswith(ALSHARHAN)]
        pipeline.ingest_paths(store, files)
        pipeline.build(store)
        yield store, TestClient(create_app(store)), profiles.find_author(store, ALSHARHAN)


def _doc(client: TestClient, path: str, status: int = 200) -> Element:
    response = client.get(path)
    assert response.status_code == status, response.text[:500]
    return parse(response.text)


def test_the_chart_is_an_svg_image_with_every_year_also_in_a_table(
    openalex: tuple[Store, TestClient, str],
) -> None:
    store, client, found = openalex
    filled = profiles.get_profile(store, found)["metrics"]["citations_by_year_filled"]
    figure = _doc(client, f"/authors/{found}").find("figure", cls="by-year")
    svg = figure.find("svg")
    assert svg.attrs["role"] == "img"
    assert svg.attrs["aria-labelledby"] == "by-year-title by-year-desc"
    years = list(filled)
    assert svg.find("title").text() == f"Citations per year, {years[0]} to {years[-1]}"
    # OpenAlex dates 2,854 of the 3,617 citations by year (its counts_by_year).
    assert (
        svg.find("desc").text().startswith("2,854 citations with a year; the most, 283, in 2020.")
    )
    bars = svg.find_all("rect", cls="chart-bar")
    assert len(bars) == sum(1 for count in filled.values() if count)
    assert bars[0].find("title").text() == "1986: 1 citation"
    rows = [
        (row.find("th").text(), row.find("td").text())
        for row in figure.find("table").find("tbody").find_all("tr")
    ]
    assert rows == [(year, f"{count:,}") for year, count in filled.items()]
    assert ("1992", "0") in rows and len(rows) == len(filled)


def test_the_provenance_panel_sets_computed_figures_beside_the_sources(
    openalex: tuple[Store, TestClient, str],
) -> None:
    store, client, found = openalex
    built = profiles.get_profile(store, found)["metrics"]["as_of"]
    panel = _doc(client, f"/authors/{found}").find("section", cls="provenance")
    computed = panel.find("li", attrs={"data-source": "computed"})
    assert computed.text().startswith(
        "Computed here: h-index 33, i10-index 74, 3,617 citations, 167 works, as of"
    )
    assert computed.find("time").attrs["datetime"] == built
    reported = panel.find("li", attrs={"data-source": "openalex"})
    assert reported.text() == (
        "OpenAlex: h-index 34, i10-index 75, 3,652 citations, 168 works, as of Feb 04, 2026"
    )


def test_each_work_shows_its_count_in_the_corpus_and_each_sources(
    openalex: tuple[Store, TestClient, str],
) -> None:
    store, client, found = openalex
    work = profiles.get_profile(store, found, WorkListing())["works"][1]
    shown = _doc(client, f"/authors/{found}").find_all("li", cls="work")[1]
    assert shown.find(cls="work-citations").text() == "22 Citations"
    assert work["reported_citations"] == {"openalex": 22}
    assert shown.find(cls="citation-sources").text() == (
        f"In this corpus: {work['citations_in_corpus']} · OpenAlex: 22 as of Nov 06, 2025"
    )


def test_sorting_is_a_pair_of_links_that_keep_the_filters(
    openalex: tuple[Store, TestClient, str],
) -> None:
    _, client, found = openalex
    doc = _doc(client, f"/authors/{found}?year=2003")
    links = doc.find("nav", attrs={"aria-label": "Sort publications"}).find_all("a")
    assert [(a.text(), a.attrs["href"], a.attrs.get("aria-current")) for a in links] == [
        ("Newest first", f"/authors/{found}?year=2003#publications", "true"),
        ("Most cited first", f"/authors/{found}?sort=citations&year=2003#publications", None),
    ]
    by_citations = _doc(client, links[1].attrs["href"].split("#")[0])
    counts = [
        int(w.find(cls="work-citations").text().split()[0].replace(",", ""))
        for w in (by_citations.find_all("li", cls="work"))
    ]
    assert counts == sorted(counts, reverse=True) and len(counts) == 23
    status = by_citations.find(cls="listing-status").text()
    assert status.startswith("Works 1–23 of 23 from 2003, most cited first.")
    clear = by_citations.find(cls="listing-status").find("a")
    assert (clear.text(), clear.attrs["href"]) == (
        "Show all works",
        f"/authors/{found}?sort=citations#publications",
    )


def test_the_filter_form_is_labelled_and_lists_years_with_counts(
    openalex: tuple[Store, TestClient, str],
) -> None:
    _, client, found = openalex
    form = _doc(client, f"/authors/{found}?year=2003").find("form", cls="work-filters")
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == f"/authors/{found}#publications"
    assert form.find("label", attrs={"for": "filter-year"}).text() == "Year"
    options = form.find("select", attrs={"id": "filter-year"}).find_all("option")
    assert options[0].text() == "All years" and options[0].attrs["value"] == ""
    assert [o.text() for o in options if "selected" in o.attrs] == ["2003 (23)"]
    assert len(options) == 1 + 31
    # OpenAlex records carry no arXiv categories: no category filter to offer.
    assert form.find_all("select", attrs={"id": "filter-category"}) == []


def test_every_page_of_works_is_reachable_and_says_where_it_is(
    openalex: tuple[Store, TestClient, str],
) -> None:
    _, client, found = openalex
    doc = _doc(client, f"/authors/{found}")
    assert doc.find(cls="listing-status").text().startswith("Works 1–50 of 167, newest first.")
    assert doc.find("h2", attrs={"id": "publications-title"}).find(cls="count").text() == "167"
    pager = doc.find("nav", attrs={"aria-label": "Publication pages"})
    links = [(a.text(), a.attrs["href"]) for a in pager.find_all("a")]
    assert links == [
        ("Page 1", f"/authors/{found}#publications"),
        ("Page 2", f"/authors/{found}?page=2#publications"),
        ("Page 3", f"/authors/{found}?page=3#publications"),
        ("Page 4", f"/authors/{found}?page=4#publications"),
        ("Next page", f"/authors/{found}?page=2#publications"),
    ]
    assert pager.find("a", attrs={"aria-current": "page"}).text() == "Page 1"
    last = _doc(client, f"/authors/{found}?page=4")
    ranks = [w.find(cls="rank").text() for w in last.find_all("li", cls="work")]
    assert ranks == [f"#{rank}" for rank in range(151, 168)]
    assert last.find(cls="listing-status").text().startswith("Works 151–167 of 167")


def test_coauthors_are_listed_with_shared_papers_and_paged(
    openalex: tuple[Store, TestClient, str],
) -> None:
    _, client, found = openalex
    section = _doc(client, f"/authors/{found}").find("section", cls="coauthors")
    # 102: two co-authors' OpenAlex split profiles are one each (docs/identity.md).
    assert section.find("h2").text() == "Co-authors 102"
    first = section.find("ol").find("li")
    assert first.text() == "A.E.M. Nairn 37 shared papers"
    assert first.find("a").attrs["href"].startswith("/authors/a-e-m-nairn-")
    pager = section.find("nav", attrs={"aria-label": "Co-author pages"})
    assert pager.find("a", attrs={"rel": "next"}).attrs["href"] == (
        f"/authors/{found}?coauthors_page=2#coauthors"
    )
    last = _doc(client, f"/authors/{found}?coauthors_page=6").find("section", cls="coauthors")
    assert last.find("ol").attrs["start"] == "101"
    assert len(last.find("ol").find_all("li")) == 2


def test_topics_link_categories_to_the_filtered_list(
    page: Page, author_id: Callable[[str], str]
) -> None:
    found, doc = _veneziano(page, author_id)
    topics = doc.find("section", cls="topics")
    first = topics.find(cls="topic-categories").find("a")
    assert first.text() == "hep-ex 2"
    assert first.attrs["href"] == f"/authors/{found}?category=hep-ex#publications"
    filtered = page(first.attrs["href"].split("#")[0])
    assert [a.text() for a in filtered.find_all("a", cls="arxiv-id")] == [
        "1411.4413v1",
        "1302.1213v1",
    ]
    assert topics.find(cls="topic-words").find_all("li")


def test_bad_listing_values_are_a_400_page_that_says_what_is_valid(
    client: TestClient, author_id: Callable[[str], str]
) -> None:
    found = author_id("G. Veneziano")
    response = client.get(f"/authors/{found}?sort=popularity")
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    message = parse(response.text).find(cls="error-message").text()
    assert message == "sort must be one of date, citations (got 'popularity')"
    assert client.get(f"/authors/{found}?page=2").status_code == 400


def test_pages_carry_an_etag_and_answer_304_when_unchanged(
    client: TestClient, author_id: Callable[[str], str]
) -> None:
    path = f"/authors/{author_id('G. Veneziano')}"
    first = client.get(path)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    assert tag.startswith('"') and tag.endswith('"')
    for sent in (tag, f"W/{tag}", f'"stale", {tag}', "*"):
        again = client.get(path, headers={"If-None-Match": sent})
        assert again.status_code == 304, sent
        assert again.content == b""
        assert (again.headers["etag"], again.headers["cache-control"]) == (
            tag,
            "public, max-age=60",
        )
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert client.get(path + "?sort=citations").headers["etag"] != tag


def test_a_2831_author_paper_keeps_its_authors_profile_light(
    client: TestClient, author_id: Callable[[str], str]
) -> None:
    # The JSON lists all 2,831 names of 1411.4413; the page reads 50 and links the rest.
    found = author_id("G. Veneziano")
    html = client.get(f"/authors/{found}").content
    json = client.get(f"/api/authors/{found}").content
    assert len(json) > 150_000
    assert len(html) < 40_000
    assert html.count(b'href="/authors/') < 200


def test_latex_titles_read_as_math_while_the_json_keeps_the_source(
    client: TestClient, author_id: Callable[[str], str]
) -> None:
    found = author_id("G. Veneziano")
    html = client.get(f"/authors/{found}").text
    title = (
        ">Observation of the rare B<sup>0</sup><sub>s</sub>→μ<sup>+</sup>μ<sup>−</sup> decay"
        " from the combined analysis of CMS and LHCb data</"
    )
    assert title in html
    assert "$B^0_s" not in html
    api = client.get(f"/api/authors/{found}").json()
    assert api["works"][0]["title"].startswith(r"Observation of the rare $B^0_s\to\mu^+\mu^-$")
