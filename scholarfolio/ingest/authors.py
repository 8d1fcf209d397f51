"""Author lists: split arXiv's free-text author strings, build names from name parts.

arXiv asks submitters to write authors as ``A. One (Univ X), B. Two and C. Three``
and allows numbered affiliations, ``A (1), B (2) ((1) Univ X, (2) Univ Y)``
(https://info.arxiv.org/help/prep.html#authors). Separators only count outside
parentheses and braces; parenthesised text is affiliation, never a name.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from scholarfolio.ingest.text import collapse, readable
from scholarfolio.models import AuthorName

SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})

_OPENERS = "({["
_CLOSERS = ")}]"
_BRACKETS = frozenset(_OPENERS + _CLOSERS)
_LIST_SEPARATOR = re.compile(r"\s*[,;:]\s*(?:(?:and|&)\s+)?")
_AND_SEPARATOR = re.compile(r"\s+(?:and|&)\s+")
# "for the RBC and UKQCD Collaborations" names one group: its "and" is no separator.
_JOINT_COLLABORATIONS = re.compile(r"\bcollaborations$", re.IGNORECASE)
_ET_AL = re.compile(r"^et\.?\s*al\.?$", re.IGNORECASE)
_TRAILING_ET_AL = re.compile(r"\s+et\.?\s*al\.?$", re.IGNORECASE)
_COLLABORATION_PREFIX = re.compile(r"^(?:for|on behalf of)\s+the\s+", re.IGNORECASE)
_LABEL = r"(?:\d{1,3}|[a-z]|\*)"
_LABELS_ONLY = re.compile(rf"^\s*{_LABEL}(?:\s*(?:,|;|&|\band\b)?\s*{_LABEL})*\s*$")
_LABEL_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b)\s*|\s+")
# Entries of a numbered affiliation list: "((1) Univ X, (2) Univ Y)" ...
_BLOCK_MARK = re.compile(rf"\(\s*({_LABEL})\s*\)")
# ... or, less often, "(1 Univ X; 2 Univ Y)".
_BARE_BLOCK_START = re.compile(r"^\s*\d{1,3}\s+\D")
_BARE_BLOCK_MARK = re.compile(r"(?:^|[;,])\s*(\d{1,3})\s+(?=[^\d\s,;])")
# arXiv's name parser writes hyphenated initials as "C. -P." for "C.-P.".
_SPACED_INITIAL_HYPHEN = re.compile(r"\.\s+-(?=\w)")


@dataclass(slots=True)
class _Segment:
    """One separated piece of an author string: name text plus parenthesised groups."""

    text: str
    groups: list[str] = field(default_factory=list)


def split_authors(raw: str) -> list[AuthorName]:
    """Split a raw arXiv author string into the ordered list of authors.

    Splits on commas, semicolons, colons, `` and `` and `` & `` outside brackets;
    parenthesised text becomes affiliations (numbered affiliations are resolved);
    ``Jr.``/``Sr.``/``II``/``III``/``IV`` written after a comma join the previous
    name as its suffix; ``et al.`` is dropped; collaborations stay names.
    """
    segments = [_segment(piece) for piece in _pieces(collapse(raw))]
    block = _take_affiliation_block(segments)
    authors: list[AuthorName] = []
    for segment in segments:
        affiliations = _resolve_affiliations(segment.groups, block)
        name_text = _TRAILING_ET_AL.sub("", segment.text)
        if not name_text or _ET_AL.match(name_text):
            continue
        if name_text in SUFFIXES and authors:
            authors[-1] = _with_suffix(authors[-1], name_text, affiliations)
            continue
        author = _author(name_text, affiliations)
        if is_name(author.name):  # not markup alone, such as a stray "\\," thin space
            authors.append(author)
    return authors


def author_from_parts(
    keyname: str,
    forenames: str | None = None,
    suffix: str | None = None,
    affiliations: Iterable[str] = (),
    raw: str | None = None,
) -> AuthorName:
    """Build a name from a source that says which part is the family name.

    Each part is LaTeX-decoded; ``name`` reads "forenames keyname suffix". ``raw``
    defaults to the undecoded parts in that order.
    """
    written = collapse(" ".join(part for part in (forenames, keyname, suffix) if part))
    family = readable(keyname)
    given = _SPACED_INITIAL_HYPHEN.sub(".-", readable(forenames or "")) or None
    ending = readable(suffix or "") or None
    name = " ".join(part for part in (given, family, ending) if part)
    return AuthorName(
        raw=collapse(raw) if raw else written,
        name=_COLLABORATION_PREFIX.sub("", name),
        keyname=family or None,
        forenames=given,
        suffix=ending,
        affiliations=_unique(readable(text) for text in affiliations),
    )


def is_name(text: str) -> bool:
    """Whether ``text`` can be a name at all: it has a letter or digit.

    arXiv's own author parser sometimes leaves punctuation as an author (the
    OAI record of 1603.05976 lists ``<keyname>:</keyname>`` after
    "Keck Array and BICEP2 Collaborations"); such entries are dropped.
    """
    return any(char.isalnum() for char in text)


def is_affiliation_label(text: str) -> bool:
    """Whether ``text`` is only footnote labels such as ``1``, ``1,3`` or ``1 and 2``."""
    return _LABELS_ONLY.match(text) is not None


def _pieces(text: str) -> list[str]:
    """Split on list separators, then on "and", all outside brackets."""
    pieces: list[str] = []
    for piece in _split_outside_brackets(text, _LIST_SEPARATOR):
        name_part = _segment(piece).text
        if _JOINT_COLLABORATIONS.search(name_part):
            pieces.append(piece)
        else:
            pieces.extend(_split_outside_brackets(piece, _AND_SEPARATOR))
    return [piece for piece in pieces if piece]


def _split_outside_brackets(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split ``text`` at the matches of ``separator`` that are not inside brackets."""
    if not _BRACKETS.intersection(text):  # the common case needs no depth tracking
        return [piece.strip() for piece in separator.split(text)]
    depths = _depths(text)
    pieces: list[str] = []
    start = 0
    for match in separator.finditer(text):
        if depths[match.start()] == 0:
            pieces.append(text[start : match.start()].strip())
            start = match.end()
    pieces.append(text[start:].strip())
    return pieces


def _depths(text: str) -> list[int]:
    """Bracket depth before each character (never below zero, for stray closers)."""
    depth = 0
    result: list[int] = []
    for char in text:
        result.append(depth)
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
    return result


def _segment(piece: str) -> _Segment:
    """Separate a piece into its name text and its top-level parenthesised groups."""
    if "(" not in piece:
        return _Segment(collapse(piece))
    name_chars: list[str] = []
    groups: list[str] = []
    current: list[str] = []
    depth = 0
    for char in piece:
        if char == "(":
            if depth:
                current.append(char)
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth:
                current.append(char)
            else:
                groups.append(collapse("".join(current)))
                current = []
        elif depth:
            current.append(char)
        else:
            name_chars.append(char)
    if current:  # an unclosed "(": what follows it is still affiliation text
        groups.append(collapse("".join(current)))
    return _Segment(collapse("".join(name_chars)), [group for group in groups if group])


def _take_affiliation_block(segments: list[_Segment]) -> dict[str, str]:
    """Find, remove and parse the numbered affiliation list, if the string has one."""
    if not any(_LABELS_ONLY.match(group) for segment in segments for group in segment.groups):
        return {}
    for segment in reversed(segments):
        for index, group in enumerate(segment.groups):
            if _BLOCK_MARK.match(group) and not _LABELS_ONLY.match(group):
                del segment.groups[index]
                return _parse_block(group, _BLOCK_MARK)
    last_groups = segments[-1].groups if segments else []
    if last_groups and _BARE_BLOCK_START.match(last_groups[-1]):
        return _parse_block(last_groups.pop(), _BARE_BLOCK_MARK)
    return {}


def _parse_block(block: str, mark: re.Pattern[str]) -> dict[str, str]:
    """Map each label of a numbered affiliation list to its affiliation text."""
    parts = mark.split(block)
    mapping: dict[str, str] = {}
    for label, text in zip(parts[1::2], parts[2::2], strict=True):
        affiliation = readable(text).strip(" ,;")
        affiliation = re.sub(r"\s+and$", "", affiliation)
        if affiliation:
            mapping[label] = affiliation
    return mapping


def _resolve_affiliations(groups: list[str], block: dict[str, str]) -> tuple[str, ...]:
    """Affiliation texts for one author; numeric labels are looked up in ``block``.

    A label with no entry in the list carries no information and is dropped.
    """
    affiliations: list[str] = []
    for group in groups:
        if _LABELS_ONLY.match(group):
            labels = [label for label in _LABEL_SEPARATOR.split(group.strip()) if label]
            affiliations.extend(block[label] for label in labels if label in block)
        else:
            affiliations.append(readable(group))
    return _unique(affiliations)


def _author(text: str, affiliations: tuple[str, ...]) -> AuthorName:
    """One author from its name text as written."""
    last_word = text.rsplit(" ", 1)[-1]
    suffix = last_word if last_word in SUFFIXES and " " in text else None
    name = _COLLABORATION_PREFIX.sub("", readable(text))
    return AuthorName(raw=text, name=name, suffix=suffix, affiliations=affiliations)


def _with_suffix(author: AuthorName, suffix: str, affiliations: tuple[str, ...]) -> AuthorName:
    """``author`` with a suffix that was written after a comma (``Smith, Jr.``)."""
    return dataclasses.replace(
        author,
        raw=f"{author.raw}, {suffix}",
        name=f"{author.name} {suffix}",
        suffix=suffix,
        affiliations=_unique([*author.affiliations, *affiliations]),
    )


def _unique(texts: Iterable[str]) -> tuple[str, ...]:
    """Non-empty texts in first-seen order, without repeats."""
    return tuple(dict.fromkeys(text for text in texts if text))
