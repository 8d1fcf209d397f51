"""Jinja2 filters that format profile data for the HTML pages.

They are pure functions of the data: the JSON API never sees their output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

# Spelled out rather than strftime("%b") so the output never depends on the locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Characters an author id can hold without percent-encoding in a URL path.
URL_SAFE_ID = re.compile(r"[A-Za-z0-9._~-]+")

# More bars than this get too thin to read on a phone; older years are left out.
MAX_YEAR_BARS = 16


@dataclass(frozen=True, slots=True)
class YearBar:
    """One bar of the citations-per-year chart; ``percent`` is its height (0 to 100)."""

    year: int
    count: int
    percent: int


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
    path = author_id if URL_SAFE_ID.fullmatch(author_id) else quote(author_id, safe="")
    current = ' class="self" aria-current="page"' if author_id == profile_id else ""
    return f'<a href="/authors/{escape(path)}"{current}>{name}</a>'


def year_bars(by_year: Mapping[str, int]) -> list[YearBar]:
    """Bars for the citations-per-year chart, every year from first to last, gaps as zero."""
    counts = {int(year): count for year, count in by_year.items() if year.isdigit()}
    if not counts:
        return []
    last = max(counts)
    first = max(min(counts), last - MAX_YEAR_BARS + 1)
    tallest = max(counts.get(year, 0) for year in range(first, last + 1)) or 1
    return [
        YearBar(year, counts.get(year, 0), round(100 * counts.get(year, 0) / tallest))
        for year in range(first, last + 1)
    ]


FILTERS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {
        "month_date": month_date,
        "thousands": thousands,
        "citations": citations,
        "plural": plural,
        "initial": initial,
        "versioned_id": versioned_id,
        "author_links": author_links,
        "year_bars": year_bars,
    }
)
