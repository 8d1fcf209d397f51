"""Deterministic name normalization: the key that decides which names are one author.

Two names get the same key when they differ only by Unicode accents, case,
hyphen versus space, punctuation, or "Last, First" versus "First Last" order.
Initials stay initials: "A. Canziani" and "Alfredo Canziani" get different keys,
because deciding that they are one person needs evidence, not string rules.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from scholarfolio.models import AuthorName

# Letters that Unicode decomposition leaves alone but readers treat as plain
# Latin letters in names (Søren, Łukasz, Strauß, Đorđević, Ærø).
_EXTRA_FOLDS = str.maketrans(
    {"ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# Hyphens, dots and slashes separate name parts; apostrophes join them (O'Brien).
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—./_,;:]+")
_DROPPED = re.compile(r"[^\w ]+")
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text with single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = _SEPARATORS.sub(" ", stripped.translate(_EXTRA_FOLDS))
    return " ".join(_DROPPED.sub("", spaced).split())


def _given_and_family(author: AuthorName) -> tuple[str, str]:
    if author.keyname:
        return author.forenames or "", author.keyname
    name = author.name.strip()
    if "," in name:
        # "Last, First" as written in BibTeX and Dublin Core creators.
        family, _, given = name.partition(",")
        return given, family
    parts = name.rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])


def name_key(author: AuthorName) -> str:
    """The normalized key of a name: folded given names, then folded family name."""
    given, family = _given_and_family(author)
    return " ".join(part for part in (fold(given), fold(family)) if part)


def author_id_for(key: str) -> str:
    """A stable, readable author id for a name key: ``slug-hash``.

    The same key always gives the same id, so profile URLs survive rebuilds and
    even a store built again from scratch.
    """
    slug = _SLUG_UNSAFE.sub("-", key).strip("-")[:48].rstrip("-")
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else f"author-{digest}"


def _display_rank(name: str, count: int) -> tuple[int, int, int, str]:
    # Most used spelling first; then one with diacritics (the fuller form of a
    # name that some sources strip); then the longest; then alphabetical.
    has_accents = int(not name.isascii())
    return (-count, -has_accents, -len(name), name)


def display_name(spellings: Iterable[tuple[str, int]]) -> str:
    """The name to show for an author, from (spelling, times used) pairs."""
    ranked = sorted(_display_rank(name, count) for name, count in spellings)
    if not ranked:
        raise ValueError("an author needs at least one spelling")
    return ranked[0][3]
