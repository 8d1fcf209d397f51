"""Jinja2 filters that format profile data for the HTML pages.

They are pure functions of the data: the JSON API never sees their output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from scholarfolio import profiles
from scholarfolio.web.chart import bar_chart
from scholarfolio.web.latex import latex_html

# Spelled out rather than strftime("%b") so the output never depends on the locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Characters an author id can hold without percent-encoding in a URL path.
URL_SAFE_ID = re.compile(r"[A-Za-z0-9._~-]+")


def month_date(value: str | None) -> str:
    """An ISO date or timestamp as ``Mar 05, 2026``; empty for a missing or malformed value."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return ""
    return f"{MONTHS[day.month - 1]} {day.day:02d}, {day.year}"


def thousands(value: int) -> str:
    """An integer with thousands separators: ``12,345``."""
    return f"{value:,}"


def citations(count: int) -> str:
    """``1 Citation`` or ``N Citations``."""
    return f"{count:,} Citation" if count == 1 else f"{count:,} Citations"


def plural(count: int, noun: str) -> str:
    """``1 paper``, ``2 papers``: the count and the noun, with an ``s`` unless it is one."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def initial(name: str) -> str:
    """The first letter (or digit) of a name, upper-cased, for the avatar; ``?`` if none."""
    for char in name:
        if char.isalnum():
            return char.upper()
    return "?"


def versioned_id(work: Mapping[str, Any]) -> str:
    """The arXiv id with its latest version, e.g. ``2603.05498v1``."""
    return f"{work['arxiv_id']}{work.get('version') or ''}"


def author_links(authors: Sequence[Mapping[str, Any]], profile_id: str) -> Markup:
    """Comma-separated links to each author's profile, the profile's own author marked.

    Written in Python rather than as a template loop because a profile can list
    thousands of authors per work; every value is escaped here, as autoescape would.
    """
    return Markup(", ".join([_author_link(author, profile_id) for author in authors]))


def _author_link(author: Mapping[str, Any], profile_id: str) -> str:
    author_id = author["id"]
    name = escape(author["name"])
    if not author_id:
        return str(name)
    current = ' class="self" aria-current="page"' if author_id == profile_id else ""
    return f'<a href="{escape(author_path(author_id))}"{current}>{name}</a>'


# How the pages name each source of records.
SOURCE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "arxiv": "arXiv",
        "openalex": "OpenAlex",
        "s2": "Semantic Scholar",
        "crossref": "Crossref",
        "bibtex": "BibTeX",
        "csl": "CSL-JSON",
    }
)


def source_name(source: str) -> str:
    """A source's name as people write it: ``openalex`` -> ``OpenAlex``."""
    return SOURCE_NAMES.get(source, source)


def author_path(author_id: str) -> str:
    """The path of an author's profile page, the id percent-encoded when it must be."""
    path = author_id if URL_SAFE_ID.fullmatch(author_id) else quote(author_id, safe="")
    return f"/authors/{path}"


# A profile's listing parameters and the values a URL leaves out.
LISTING_DEFAULTS: Mapping[str, object] = MappingProxyType(
    {
        "sort": "date",
        "year": None,
        "category": None,
        "page": 1,
        "per_page": profiles.DEFAULT_PER_PAGE,
        "coauthors_page": 1,
    }
)


@pass_context
def listing_url(context: Context, fragment: str = "", **changes: object) -> str:
    """The profile page's URL with its current sort, filters and pages, as ``changes`` say.

    Defaults are left out, so the plain profile URL stays ``/authors/{id}``.
    """
    wanted = {name: context.get(name, default) for name, default in LISTING_DEFAULTS.items()}
    wanted.update(changes)
    query = [
        (name, str(value))
        for name, value in wanted.items()
        if value is not None and value != LISTING_DEFAULTS[name]
    ]
    path = author_path(str(context["id"]))
    return path + (f"?{urlencode(query)}" if query else "") + (f"#{fragment}" if fragment else "")


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page links of a pager: first, last and ``around`` either side; None marks a gap."""
    wanted = {1, pages, *range(page - around, page + around + 1)}
    shown = sorted(number for number in wanted if 1 <= number <= pages)
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


FILTERS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {
        "month_date": month_date,
        "thousands": thousands,
        "citations": citations,
        "plural": plural,
        "initial": initial,
        "versioned_id": versioned_id,
        "author_links": author_links,
        "latex": latex_html,
        "bar_chart": bar_chart,
        "author_path": author_path,
        "source_name": source_name,
    }
)

# Functions the templates call directly.
GLOBALS: Mapping[str, Any] = MappingProxyType(
    {"listing_url": listing_url, "page_numbers": page_numbers, "listing_defaults": LISTING_DEFAULTS}
)
