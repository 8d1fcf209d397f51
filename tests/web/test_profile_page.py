"""The profile page, checked against real authors of the fixture corpus.

G. Veneziano has three works in the fixtures: the CMS+LHCb paper 1411.4413
(2,831 authors), the LHCb paper 1302.1213 (628 authors) and 1302.0740 with five
authors, the last of them Veneziano.
"""

from __future__ import annotations

from collections.abc import Callable

from html_tree import Element
from starlette.testclient import TestClient

from scholarfolio import profiles
from scholarfolio.store import Store

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
    assert works[0].find("h3").text().startswith("Observation of the rare $B^0_s\\to\\mu^+\\mu^-$")
    assert works[0].find(cls="work-citations").text() == "0 Citations"
    assert [tag.text() for tag in works[0].find_all(cls="tag")] == ["hep-ex", "hep-ph"]
    assert works[0].find("a", cls="doi").attrs["href"] == "https://doi.org/10.1038/nature14474"


def test_a_many_author_paper_links_five_authors_then_expands(
    page: Page, author_id: Callable[[str], str]
) -> None:
    _, doc = _veneziano(page, author_id)
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
    assert len(more.find("p").find_all("a")) == 2831 - 5
    assert "Veneziano" in more.find("p").text()


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
