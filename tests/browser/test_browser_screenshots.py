"""Screenshots of the main pages at phone and desktop widths, saved as test artifacts.

Each page is also checked the way a person on a phone would notice first: it
must not scroll sideways, and its main heading must be on screen.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

JOHNSON = "/authors/peter-r-johnson-7a9b93ea"
# A work with 15 authors, versions and citations from two sources.
WORK_TITLE = "Primary or secondary? A dichotomy of the strontium isotope anomalies"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def pages(base_url: str) -> dict[str, str]:
    """The path of each page photographed, the work found through its author's JSON."""
    with urllib.request.urlopen(f"{base_url}/api/authors/peter-r-johnson-7a9b93ea") as answer:
        profile = json.load(answer)
    (work_id,) = [w["id"] for w in profile["works"] if w["title"].startswith(WORK_TITLE)]
    return {
        "home": "/",
        "profile": JOHNSON,
        "work": f"/works/{work_id}",
        "search": "/search?q=red+sea",
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "profile", "work", "search"])
def test_page_fits_the_screen_and_is_saved(
    browser: Browser, pages: dict[str, str], base_url: str, screenshots: Path, name: str, width: str
) -> None:
    viewport = WIDTHS[width]
    context = browser.new_context(base_url=base_url, viewport=viewport)
    try:
        page = context.new_page()
        response = page.goto(pages[name])
        assert response is not None and response.status == 200
        expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= viewport["width"], f"{name} scrolls sideways at {width} width"
        target = screenshots / f"{name}-{viewport['width']}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    finally:
        context.close()
