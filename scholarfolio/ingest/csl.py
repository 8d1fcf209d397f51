"""CSL-JSON items: what Zotero, pandoc, manubot and DOI content negotiation export.

The layout is the Citation Style Language data schema
(https://github.com/citation-style-language/schema, ``csl-data.json``): one
object per item with ``id``, ``type``, ``title``, ``author`` (``family``,
``given``, particles, ``suffix`` or ``literal``), ``issued`` (``date-parts``,
``raw`` or ``literal``), ``container-title``, ``DOI``, ``URL``, ``PMID``,
``PMCID``, ``abstract``. A file holds one item or an array of them; the JSON
plumbing (:mod:`scholarfolio.ingest.jsondocs`) unwraps the array.

Crossref's REST API speaks a superset of CSL, so the pieces both need (DOI
normalisation, date-parts, names, markup in abstracts) live here and
:mod:`scholarfolio.ingest.crossref` builds on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from scholarfolio.errors import BadInput
from scholarfolio.ingest.ids import arxiv_from_doi, bare_orcid, normalize_doi
from scholarfolio.ingest.ids import canonical_arxiv as parse_arxiv
from scholarfolio.ingest.text import collapse
from scholarfolio.models import AuthorName, Locator, Reject, WorkRecord

if TYPE_CHECKING:
    from scholarfolio.ingest.jsondocs import KindRegistry

SOURCE = "csl-json"
KIND = "csl-json"

# A DOI as written in data: bare, "doi:", or behind any resolver URL.
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|https?://[^/]+/doi/)", re.I)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# arXiv's DOIs (DataCite, since 2022): 10.48550/arXiv.2603.05498.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.I)
_ARXIV_URL = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<id>.+)$", re.I)
# Zotero writes an arXiv preprint's id in "number" as "arXiv:1707.02264".
_ARXIV_NUMBER = re.compile(r"^arxiv:\s*(?P<id>\S+)$", re.I)
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)
_PMCID = re.compile(r"^(?:PMC)?(\d+)$", re.I)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
# Elements of JATS and HTML abstracts that end a block of text.
_BLOCK_TAGS = frozenset({"p", "title", "sec", "list-item", "li", "br", "div", "label"})
# A start or end tag, as left behind by markup that was escaped twice ("&lt;p&gt;").
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
# A heading that only announces the abstract ("<jats:title>Abstract</jats:title>").
_ABSTRACT_HEADINGS = frozenset({"abstract", "summary"})
# Keys whose presence marks an object as CSL (upper-case "DOI"/"URL" are CSL's own spelling).
_CSL_SIGNS = ("author", "editor", "issued", "container-title", "DOI", "URL")


def register_kinds(registry: KindRegistry) -> None:
    """Register the CSL-JSON item kind (called once by :mod:`~scholarfolio.ingest.jsondocs`)."""
    registry.register(KIND, is_csl_item, parse_csl)


def is_csl_item(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` looks like a CSL item: string ``type`` and ``title``, CSL keys.

    Crossref works are CSL-like too; the Crossref kind is registered before
    this one and claims them first.
    """
    title = document.get("title")
    return (
        isinstance(document.get("type"), str)
        and (isinstance(title, str) or _is_string_list(title))
        and any(key in document for key in _CSL_SIGNS)
    )


def parse_csl(document: Mapping[str, Any], locator: Locator) -> Iterator[WorkRecord | Reject]:
    """One CSL item to one record; raises :class:`BadInput` when it cannot be one."""
    yield csl_record(document, locator)


def csl_record(item: Mapping[str, Any], locator: Locator) -> WorkRecord:
    """A CSL item to a record; ``source_id`` is its ``id``, else its DOI, else its URL."""
    title = _item_title(item)
    doi = normalize_doi(string_field(item, "DOI"))
    source_id = _item_id(item) or doi or string_field(item, "URL")
    if source_id is None:
        raise BadInput("CSL item has no id, DOI or URL to identify it")
    year, published = date_from_parts(item.get("issued"))
    return WorkRecord(
        source=SOURCE,
        arxiv_id=None,
        title=title,
        authors=authors_of(item.get("author")),
        versions=(),
        locator=locator,
        abstract=markup_to_text(string_field(item, "abstract")),
        doi=doi,
        source_id=source_id,
        ids=_csl_ids(item, doi),
        year=year,
        published=published,
        venue=markup_to_text(first_string(item, "container-title")),
        work_type=string_field(item, "type"),
    )


def _item_title(item: Mapping[str, Any]) -> str:
    """The title (first one of a list), markup removed; :class:`BadInput` when there is none."""
    title = markup_to_text(first_string(item, "title"))
    if not title:
        raise BadInput("no title")
    return title


def _item_id(item: Mapping[str, Any]) -> str | None:
    """The item's own ``id`` as written (numbers as their digits)."""
    value = item.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return collapse(str(value)) or None


def _csl_ids(item: Mapping[str, Any], doi: str | None) -> tuple[tuple[str, str], ...]:
    """DOI, arXiv id (from the DOI, an arxiv.org URL or a Zotero ``number``), PMID, PMCID."""
    ids: list[tuple[str, str]] = []
    if doi:
        ids.append(("doi", doi))
    arxiv = (
        arxiv_from_doi(doi)
        or _arxiv_from(_ARXIV_URL, string_field(item, "URL"))
        or _arxiv_from(_ARXIV_NUMBER, string_field(item, "number"))
    )
    if arxiv:
        ids.append(("arxiv", arxiv))
    pmid = string_field(item, "PMID")
    if pmid and pmid.isdigit():
        ids.append(("pmid", pmid))
    pmcid = _PMCID.match(string_field(item, "PMCID") or "")
    if pmcid:
        ids.append(("pmcid", f"PMC{pmcid.group(1)}"))
    return tuple(ids)


# --- Shared with the Crossref parser -------------------------------------------------


def _arxiv_from(pattern: re.Pattern[str], text: str | None) -> str | None:
    """The arXiv id captured as ``id`` by ``pattern`` in ``text``, when valid."""
    match = pattern.match(text.strip()) if text else None
    return parse_arxiv(match["id"]) if match else None


def date_from_parts(value: object) -> tuple[int | None, date | None]:
    """``(year, full date or None)`` from a CSL/Crossref date object.

    Reads ``{"date-parts": [[2017, 7, 7]]}`` (numbers or numeric strings; the
    first part of a range), then ``raw``/``literal`` text such as ``2017-07-07``.
    A year or year-month alone gives the year and no date; a missing or null
    date gives ``(None, None)``.
    """
    if not isinstance(value, Mapping):
        return None, None
    parts = _first_date_parts(value.get("date-parts"))
    if parts is None:
        parts = _parts_from_text(value.get("raw")) or _parts_from_text(value.get("literal"))
    if not parts:
        return None, None
    return parts[0], _full_date(parts)


def _first_date_parts(value: object) -> list[int] | None:
    """The numbers of the first ``date-parts`` entry, up to the first null or non-number."""
    if not isinstance(value, list) or not value or not isinstance(value[0], list):
        return None
    numbers: list[int] = []
    for part in value[0][:3]:
        number = _as_int(part)
        if number is None:
            break
        numbers.append(number)
    return numbers


def _parts_from_text(value: object) -> list[int] | None:
    """Year, month and day from ``2017-07-07``-like text, or the first four-digit year."""
    if not isinstance(value, str):
        return None
    iso = _ISO_DATE.match(value)
    if iso:
        return [int(group) for group in iso.groups() if group is not None]
    year = _YEAR.search(value)
    return [int(year.group(1))] if year else None


def _full_date(parts: list[int]) -> date | None:
    """The calendar date of ``[year, month, day]``; None when partial or impossible."""
    if len(parts) < 3:
        return None
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def _as_int(value: object) -> int | None:
    """An integer from a JSON number or numeric string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def authors_of(people: object) -> tuple[AuthorName, ...]:
    """The ordered names of a CSL/Crossref ``author`` list; unnamed entries are dropped."""
    if people is None:
        return ()
    if not isinstance(people, list):
        raise BadInput(f'"author" should be a list, found {type(people).__name__}')
    names = (person_name(person) for person in people if isinstance(person, Mapping))
    return tuple(name for name in names if name is not None)


def person_name(person: Mapping[str, Any]) -> AuthorName | None:
    """One CSL name: ``family``/``given`` with particles and ``suffix``, or ``literal``.

    Crossref's organisation authors (``name``), ``ORCID`` URLs and
    ``affiliation`` objects are read too.
    """
    orcid = bare_orcid(string_field(person, "ORCID"))
    affiliations = _affiliation_names(person.get("affiliation"))
    family = _joined(person, ("non-dropping-particle", "family"))
    given = _joined(person, ("given", "dropping-particle"))
    suffix = string_field(person, "suffix")
    if not family:
        whole = string_field(person, "literal") or string_field(person, "name") or given
        if not whole:
            return None
        return AuthorName(raw=whole, name=whole, affiliations=affiliations, orcid=orcid)
    name = " ".join(part for part in (given, family, suffix) if part)
    return AuthorName(
        raw=name,
        name=name,
        keyname=family,
        forenames=given,
        suffix=suffix,
        affiliations=affiliations,
        orcid=orcid,
    )


def _joined(person: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    """The non-empty string fields ``keys`` of ``person`` joined by spaces, or None."""
    parts = (string_field(person, key) for key in keys)
    return " ".join(part for part in parts if part) or None


def _affiliation_names(value: object) -> tuple[str, ...]:
    """Affiliation names from ``[{"name": ...}]`` (Crossref) or a list of strings."""
    if not isinstance(value, list):
        return ()
    names: list[str] = []
    for entry in value:
        text = entry.get("name") if isinstance(entry, Mapping) else entry
        if isinstance(text, str) and collapse(text):
            names.append(collapse(text))
    return tuple(dict.fromkeys(names))


def string_field(item: Mapping[str, Any], key: str) -> str | None:
    """A string (or number) field, whitespace collapsed; None when absent, null or blank."""
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return collapse(str(value)) or None


def first_string(item: Mapping[str, Any], key: str) -> str | None:
    """A field that is a string or a list of strings (Crossref): its first non-blank value."""
    value = item.get(key)
    values = value if isinstance(value, list) else [value]
    texts = (collapse(text) for text in values if isinstance(text, str))
    return next((text for text in texts if text), None)


def _is_string_list(value: object) -> bool:
    """Whether ``value`` is a list of strings."""
    return isinstance(value, list) and all(isinstance(text, str) for text in value)


# --- Markup in titles and abstracts --------------------------------------------------


class _TextCollector(HTMLParser):
    """Collects the text of JATS/HTML markup; blocks become spaces, headings "Abstract" go.

    :class:`html.parser.HTMLParser` never loads a DTD or expands declared
    entities: only character references (``&amp;``, ``&#233;``) are decoded.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A block element starts a new run of text; a title is held back until it ends."""
        local = tag.rsplit(":", 1)[-1]
        if local == "title":
            self._heading = []
        elif local in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        """A title is kept unless it only says "Abstract"; a block ends with a space."""
        local = tag.rsplit(":", 1)[-1]
        if local == "title" and self._heading is not None:
            heading = collapse("".join(self._heading))
            if heading.lower().rstrip(".:") not in _ABSTRACT_HEADINGS:
                self.parts.append(f" {heading} ")
            self._heading = None
        elif local in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        """Text, into the held-back title when inside one."""
        (self._heading if self._heading is not None else self.parts).append(data)

    def text(self) -> str:
        """Everything collected, a title left open included, whitespace collapsed."""
        self.close()
        held = self._heading or []
        return collapse("".join([*self.parts, *held]))


def markup_to_text(text: str | None) -> str | None:
    """Plain text of a title or abstract that may hold JATS or HTML markup.

    ``<jats:p>A</jats:p><jats:p>B</jats:p>`` -> ``A B``; ``<i>E. coli</i>`` ->
    ``E. coli``; a lone ``<`` as in ``p < 0.05`` stays. Markup escaped twice
    (``<jats:p>&lt;p&gt;...``, as some publishers deposit it) is removed too.
    Whitespace is collapsed; None for empty text.
    """
    if text is None:
        return None
    if "<" not in text and "&" not in text:
        return collapse(text) or None
    plain = _strip_markup(text)
    if _TAG.search(plain):
        plain = _strip_markup(plain)
    return plain or None


def _strip_markup(text: str) -> str:
    """One pass of :class:`_TextCollector` over ``text``."""
    collector = _TextCollector()
    collector.feed(text)
    return collector.text()
