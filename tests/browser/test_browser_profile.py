"""A person in a real browser: search from the home page, open a profile, expand, sort, filter.

Every check reads what the page shows of the real demo corpus (arXiv and
OpenAlex records) through ``scholarfolio serve`` and Debian's Chromium.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, Page, expect

JOHNSON = "/authors/peter-r-johnson-7a9b93ea"


def _citations(work_list: Locator) -> list[int]:
    """The citation count of every work in the list, in page order ("1,234 Citations")."""
    texts = work_list.locator(".work-citations").all_inner_texts()
    return [int(re.sub(r"\D", "", text.split()[0])) for text in texts]


def _height(element: Locator) -> float:
    box = element.bounding_box()
    assert box is not None, "the element is not displayed"
    return box["height"]


def test_search_box_on_the_home_page_leads_to_the_profile(page: Page) -> None:
    page.goto("/")
    box = page.get_by_role("searchbox").first
    box.fill("johnson peter")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=johnson\+peter$"))
    page.get_by_role("link", name="Peter R. Johnson", exact=True).first.click()
    expect(page).to_have_url(re.compile(f"{JOHNSON}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Peter R. Johnson")
    expect(page.locator('[data-stat="works"] dd')).to_have_text("81")


def test_a_name_is_found_without_its_accents(page: Page) -> None:
    page.goto("/")
    page.get_by_role("searchbox").first.fill("karkkainen")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Juha Kärkkäinen", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Juha Kärkkäinen")


def test_long_abstract_expands_in_place(page: Page) -> None:
    page.goto(JOHNSON)
    abstract = page.locator("details.abstract").first
    expect(abstract).not_to_have_attribute("open", "")
    toggle = abstract.locator(".toggle")
    expect(toggle).to_have_text(re.compile("Show more"))
    collapsed = _height(abstract)
    abstract.locator("summary").click()
    expect(abstract).to_have_attribute("open", "")
    expect(toggle).to_have_text(re.compile("Show less"))
    assert _height(abstract) > collapsed * 1.5
    abstract.locator("summary").click()
    expect(abstract).not_to_have_attribute("open", "")
    assert _height(abstract) == collapsed


def test_plus_n_author_list_expands_to_exactly_n_more_authors(page: Page) -> None:
    page.goto(JOHNSON)
    more = page.locator("details.more-authors").first
    label = more.locator("summary .when-closed")
    hidden_count = int(re.sub(r"\D", "", label.inner_text()))
    hidden_links = more.locator("p a")
    assert hidden_count == hidden_links.count() > 0
    expect(hidden_links.first).to_be_hidden()
    more.locator("summary").click()
    for index in range(hidden_count):
        expect(hidden_links.nth(index)).to_be_visible()
    expect(more.locator("summary .when-open")).to_have_text("Show fewer authors")


def test_sort_by_citations_puts_the_most_cited_work_first(page: Page) -> None:
    page.goto(JOHNSON)
    works = page.locator("ol.works")
    newest_first = _citations(works)
    page.get_by_role("link", name="Most cited first").click()
    expect(page).to_have_url(re.compile(r"sort=citations"))
    most_cited_first = _citations(works)
    assert most_cited_first == sorted(most_cited_first, reverse=True)
    assert most_cited_first[0] >= max(newest_first)
    expect(page.get_by_role("link", name="Most cited first")).to_have_attribute(
        "aria-current", "true"
    )


def test_year_filter_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(JOHNSON)
        page.get_by_label("Year", exact=True).select_option("2017")
        page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(re.compile(r"year=2017"))
        dates = page.locator("ol.works .work-meta time").all()
        assert len(dates) == 5
        assert all(
            date.get_attribute("datetime", timeout=1000).startswith("2017") for date in dates
        )
    finally:
        context.close()


def test_keyboard_user_can_skip_to_the_content(page: Page) -> None:
    page.goto(JOHNSON)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


# Every control's accessible name as a screen reader would get it, or "" when it has none.
_UNNAMED_CONTROLS = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
  .filter(el => {
    const labelled = el.labels && [...el.labels].some(l => l.textContent.trim());
    const aria = (el.getAttribute('aria-label') || '').trim();
    const text = el.tagName === 'BUTTON' && el.textContent.trim();
    return !(labelled || aria || text);
  })
  .map(el => el.outerHTML)
"""


def test_profile_has_landmarks_and_every_control_is_named(page: Page) -> None:
    page.goto(JOHNSON)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    expect(page.get_by_role("search").first).to_be_visible()
    assert page.evaluate(_UNNAMED_CONTROLS) == []
    assert page.locator("html").get_attribute("lang") == "en"
