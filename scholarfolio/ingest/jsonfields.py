"""Typed access to fields of decoded JSON objects, and identifier clean-up.

Sources drift: fields appear, disappear or turn null between API versions and
dumps. Every accessor here treats a missing key and ``null`` alike (None, or an
empty container), and raises :class:`~scholarfolio.errors.BadInput` naming the
key when a present value has the wrong type, so that the one object is rejected
with a clear reason and the rest of the file is read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from scholarfolio.errors import BadInput
from scholarfolio.ingest.text import collapse

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
_DIGITS = re.compile(r"(\d+)/?$")
# arXiv's DOIs (https://info.arxiv.org/help/doi.html): 10.48550/arXiv.<id>.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def text(document: Mapping[str, Any], key: str) -> str | None:
    """A string field, whitespace collapsed; None when absent, null or blank."""
    value = document.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(f'"{key}" should be a string, found {type(value).__name__}')
    return collapse(value) or None


def integer(document: Mapping[str, Any], key: str) -> int | None:
    """A whole-number field (a digit string is accepted); None when absent or null."""
    value = document.get(key)
    if value is None:
        return None
    number = as_integer(value)
    if number is None:
        raise BadInput(f'"{key}" should be a whole number, found {value!r}')
    return number


def as_integer(value: object) -> int | None:
    """``value`` as an int when it is one (or a string of digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def identifier(document: Mapping[str, Any], key: str) -> str | None:
    """An identifier given as a string or a number (S2 mixes both); None when absent."""
    value = document.get(key)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    raise BadInput(f'"{key}" should be an identifier, found {type(value).__name__}')


def mapping(document: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """An object field; empty when absent or null."""
    value = document.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadInput(f'"{key}" should be an object, found {type(value).__name__}')
    return value


def array(document: Mapping[str, Any], key: str) -> list[Any]:
    """An array field; empty when absent or null."""
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadInput(f'"{key}" should be an array, found {type(value).__name__}')
    return value


def objects(document: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """An array of objects; null entries are dropped, other non-objects are an error."""
    found: list[Mapping[str, Any]] = []
    for entry in array(document, key):
        if isinstance(entry, dict):
            found.append(entry)
        elif entry is not None:
            raise BadInput(f'"{key}" entry {entry!r} is not an object')
    return found


def strings(document: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """An array of strings, collapsed, blanks and nulls dropped."""
    found: list[str] = []
    for entry in array(document, key):
        if isinstance(entry, str) and collapse(entry):
            found.append(collapse(entry))
        elif entry is not None and not isinstance(entry, str):
            raise BadInput(f'"{key}" entry {entry!r} is not a string')
    return tuple(found)


def day(document: Mapping[str, Any], key: str) -> date | None:
    """The calendar day of a date or timestamp field (``2026-08-06T08:24:18.24``)."""
    value = text(document, key)
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError as error:
        raise BadInput(f'"{key}" is not a date: {value!r}') from error


def trailing_digits(value: str | None) -> str | None:
    """The number ending a URL or id (``https://pubmed.ncbi.nlm.nih.gov/26017442`` -> digits)."""
    match = _DIGITS.search((value or "").strip())
    return match.group(1) if match else None


def pmcid(value: str | None) -> str | None:
    """A PubMed Central id as ``PMC`` and digits, from a URL, ``PMC123`` or bare digits."""
    digits = trailing_digits(value)
    return f"PMC{digits}" if digits else None


def id_pairs(*pairs: tuple[str, str | None]) -> tuple[tuple[str, str], ...]:
    """``(scheme, value)`` pairs without the missing values and without repeats, in order."""
    kept: list[tuple[str, str]] = []
    for scheme, value in pairs:
        if value and (scheme, value) not in kept:
            kept.append((scheme, value))
    return tuple(kept)
