"""Title normalization and the titles too generic to identify a paper on their own."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from scholarfolio.identity.names import fold

_NON_WORD = re.compile(r"[^0-9a-z ]+")

# Titles that many different items carry (front matter, notices, replies):
# sharing one says nothing about being the same paper. Compared after folding.
GENERIC_TITLES = frozenset(
    {
        "abstract",
        "abstracts",
        "acknowledgement",
        "acknowledgements",
        "acknowledgment",
        "acknowledgments",
        "acknowledgement to reviewers",
        "acknowledgment to reviewers",
        "acknowledgement of reviewers",
        "announcement",
        "announcements",
        "book review",
        "book reviews",
        "comment",
        "commentary",
        "conclusion",
        "conclusions",
        "conferences and courses",
        "contents",
        "contributors",
        "correction",
        "corrigendum",
        "discussion",
        "editorial",
        "editorial board",
        "editorial policy",
        "editors note",
        "editors introduction",
        "erratum",
        "errata",
        "foreword",
        "front matter",
        "guest editorial",
        "in memoriam",
        "index",
        "introduction",
        "letter",
        "letter to the editor",
        "letters to the editor",
        "news",
        "notes",
        "obituary",
        "overview",
        "preface",
        "publishers note",
        "reply",
        "reply to comment",
        "response",
        "retraction",
        "reviewer list",
        "reviewers",
        "summary",
        "table of contents",
        "untitled",
    }
)
_YEAR = re.compile(r"\b(1[5-9]|20)\d\d\b")


def title_key(title: str) -> str:
    """Lower-case, accent-free title with only letters, digits and single spaces."""
    return " ".join(_NON_WORD.sub(" ", fold(title).replace("'", "")).split())


def is_generic(key: str) -> bool:
    """Whether a normalized title is one that many different items share.

    A year in the title ("reviewer list for 1995") makes it specific: the
    year is the agreement beyond the words.
    """
    if _YEAR.search(key):
        return False
    return key in GENERIC_TITLES or len(key.split()) <= 1


def compact(key: str) -> str:
    """A normalized title without spaces ("eb 1" and "eb1" are one spelling)."""
    return key.replace(" ", "")


MIN_PREFIX = 40


def titles_match(a: str, b: str) -> bool:
    """Same normalized title, or one extends the other (truncated or run-on titles).

    Some records cut a long title short and others run the first lines of the
    abstract into it; a shared beginning of at least 40 letters, covering the
    shorter title whole, counts as the same title.
    """
    short, long = sorted((compact(a), compact(b)), key=len)
    if short == long or (len(short) >= MIN_PREFIX and long.startswith(short)):
        return True
    # A letter lost in extraction ("zebrash" for "zebrafish", a dropped
    # ligature) leaves a long title nearly identical.
    return len(short) >= MIN_PREFIX and SequenceMatcher(None, short, long).ratio() >= 0.97
