"""Reading a search box: the words, phrases, name tokens and identifier in a query, and paging.

Everything a user types is bounded here (its length, its number of words, the
page size and how deep pages go) and anything unusable is a
:class:`~scholarfolio.errors.BadInput` that says what would work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scholarfolio.errors import BadInput
from scholarfolio.identity.names import fold
from scholarfolio.ingest.ids import canonical_arxiv, normalize_doi
from scholarfolio.store.search_index import NameQuery

MAX_QUERY_LENGTH = 200
MAX_PHRASES = 16
# Longer than any real name: a query of more words is not looked up as a name.
MAX_NAME_TOKENS = 8
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# Deep pages cost a full ranking each and nobody reads them: refine the query instead.
MAX_RESULTS = 10_000

# Words so common in titles and abstracts that matching them finds everything;
# they still count inside a quoted phrase.
STOPWORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
        "into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "this",
        "to", "was", "we", "were", "which", "with",
    }
)  # fmt: skip
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Paging:
    """Which page of results to show: 1-based ``page`` of ``per_page`` entries."""

    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        """How many entries come before this page."""
        return (self.page - 1) * self.per_page

    def pages(self, total: int) -> int:
        """How many pages ``total`` entries fill, counting only those that can be paged to."""
        return -(-min(total, MAX_RESULTS) // self.per_page)

    @classmethod
    def from_params(cls, page: str | None, per_page: str | None) -> Paging:
        """Paging from ``?page=`` and ``?per_page=``; BadInput names the valid range."""
        number = _positive(page, "page", 1)
        size = _positive(per_page, "per_page", DEFAULT_PER_PAGE)
        if size > MAX_PER_PAGE:
            raise BadInput(f"per_page must be between 1 and {MAX_PER_PAGE}; got {size}")
        if number * size > MAX_RESULTS:
            raise BadInput(
                f"only the first {MAX_RESULTS:,} results can be paged through "
                f"(page {number} of {size} goes past them); refine the query instead"
            )
        return cls(number, size)


def _positive(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(f"{name} must be a whole number; got {raw!r}") from None
    if value < 1:
        raise BadInput(f"{name} must be 1 or more; got {value}")
    return value


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """One query as typed, and what each search makes of it."""

    text: str
    # Runs of words for full text: each quoted phrase, or each word as typed
    # (a hyphenated word stays one run, matched as a phrase).
    phrases: tuple[str, ...]
    name: NameQuery | None
    identifier: tuple[str, str] | None


def check_length(text: str) -> str:
    """The query without surrounding spaces; BadInput when it is empty or too long."""
    if len(text) > MAX_QUERY_LENGTH:
        raise BadInput(
            f"the query is too long ({len(text)} characters; at most {MAX_QUERY_LENGTH})"
        )
    stripped = text.strip()
    if not fold(stripped):
        raise BadInput(
            "the query is empty: give a name or words of a title or abstract, "
            "e.g. 'brandenberger' or 'dark energy'"
        )
    return stripped


def parse(text: str) -> SearchQuery:
    """Parse a search box; BadInput for an empty, too long or too wordy query."""
    stripped = check_length(text)
    phrases = _phrases(stripped)
    if len(phrases) > MAX_PHRASES:
        raise BadInput(f"the query has {len(phrases)} words; at most {MAX_PHRASES} are searched")
    return SearchQuery(stripped, _significant(phrases), name_query(stripped), identifier(stripped))


def _phrases(text: str) -> list[str]:
    found: list[str] = []
    # Between double quotes is a phrase; outside them each word stands alone.
    for position, part in enumerate(text.split('"')):
        pieces = [" ".join(part.split())] if position % 2 else part.split()
        found.extend(piece for piece in pieces if _WORD.search(piece))
    return found


def _significant(phrases: list[str]) -> tuple[str, ...]:
    # Drop lone stopwords and single letters ("lecun y") unless nothing else is left.
    kept = [p for p in phrases if " " in p or (len(fold(p)) > 1 and fold(p) not in STOPWORDS)]
    return tuple(kept or phrases)


def name_query(text: str) -> NameQuery | None:
    """The name tokens of a query (folded: no accents, case or hyphens), or None."""
    tokens = tuple(fold(text).split())
    if not tokens or len(tokens) > MAX_NAME_TOKENS:
        return None
    rotations = {" ".join(tokens[i:] + tokens[:i]) for i in range(len(tokens))}
    return NameQuery(tokens, tuple(sorted(rotations)))


def identifier(text: str) -> tuple[str, str] | None:
    """``("arxiv", id)`` or ``("doi", doi)`` when the whole query is one, else None."""
    if len(text.split()) != 1:
        return None
    arxiv_id = canonical_arxiv(text)
    if arxiv_id:
        return "arxiv", arxiv_id
    doi = normalize_doi(text)
    return ("doi", doi) if doi else None
