"""A short excerpt of an abstract around the first word of the query it contains."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scholarfolio.identity.names import fold

SNIPPET_LENGTH = 240
# Characters of context kept before the first match.
LEAD = 60
ELLIPSIS = "…"


def _stem(word: str) -> str:
    # A crude stand-in for the index's Porter stemmer: "networks" and "network"
    # share "netwo..."; enough to place an excerpt, never used for matching.
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def query_pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    """A pattern finding words that start like the query's words, or None for no words."""
    stems = [_stem(word) for phrase in phrases for word in fold(phrase).split()]
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + ")", re.IGNORECASE)


def snippet(text: str | None, pattern: re.Pattern[str] | None, length: int = SNIPPET_LENGTH) -> str:
    """About ``length`` characters of ``text`` cut at spaces, around the first query word."""
    if not text:
        return ""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    found = pattern.search(flat) if pattern is not None else None
    position = found.start() if found else 0
    start = 0 if position <= LEAD else flat.find(" ", position - LEAD) + 1
    end = min(len(flat), start + length)
    if end < len(flat):
        end = flat.rfind(" ", start, end) if " " in flat[start:end] else end
    excerpt = flat[start:end].strip()
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(flat) else ""
    return f"{prefix}{excerpt}{suffix}"
