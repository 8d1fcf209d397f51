"""An Atom 1.0 feed of an author's newest works (RFC 4287).

The feed is built as an XML tree with lxml, never by pasting strings, so every
value from the data is escaped by the serializer. Its input is the dict of
:func:`scholarfolio.works.author_feed`; ``base_url`` is the site's public address,
from which the feed's and entries' ids and links are made (RFC 4287 wants ids
that are absolute IRIs and never change: a work's page URL is both).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from lxml import etree

from scholarfolio.ingest.text import collapse, latex_to_text

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
# An entry lists this many authors, then says how many more there are: a
# collaboration paper's 3,000 names would make the feed megabytes long.
ENTRY_AUTHORS = 20

# Characters XML 1.0 cannot carry at all; a stray one in a record must not break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _readable(value: str) -> str:
    """LaTeX in a title or abstract as plain text (``$\\alpha$`` becomes ``α``)."""
    return _text(collapse(latex_to_text(value)))


def rfc3339(value: str) -> str:
    """An ISO date or timestamp (naive ones are UTC) as RFC 3339: ``2015-05-26T00:00:00Z``."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def author_url(base_url: str, author_id: str) -> str:
    """The public address of an author's profile page."""
    return f"{base_url.rstrip('/')}/authors/{quote(author_id, safe='')}"


def work_url(base_url: str, work_id: int | str) -> str:
    """The public address of a work's page."""
    return f"{base_url.rstrip('/')}/works/{quote(str(work_id), safe='')}"


def feed_url(base_url: str, author_id: str) -> str:
    """The public address of the author's feed."""
    return author_url(base_url, author_id) + "/feed.atom"


def _child(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _person(parent: etree._Element, tag: str, name: str, uri: str | None = None) -> None:
    person = _child(parent, tag)
    _child(person, "name", _text(name))
    if uri:
        _child(person, "uri", uri)


def _entry(feed: etree._Element, work: Mapping[str, Any], base_url: str) -> None:
    entry = _child(feed, "entry")
    url = work_url(base_url, work["id"])
    _child(entry, "id", url)
    _child(entry, "title", _readable(work["title"]), type="text")
    _child(entry, "updated", rfc3339(work["updated"]))
    _child(entry, "published", rfc3339(work["published"]))
    _child(entry, "link", rel="alternate", type="text/html", href=url)
    if work.get("arxiv_id"):
        _child(entry, "link", rel="related", href=f"https://arxiv.org/abs/{work['arxiv_id']}")
    elif work.get("doi"):
        _child(entry, "link", rel="related", href=f"https://doi.org/{work['doi']}")
    authors = (work.get("authors") or [])[:ENTRY_AUTHORS]
    for author in authors:
        uri = author_url(base_url, author["id"]) if author.get("id") else None
        _person(entry, "author", author["name"], uri)
    more = int(work.get("authors_total") or 0) - len(authors)
    if more > 0:
        _person(entry, "author", f"and {more:,} more authors")
    for category in work.get("categories") or []:
        _child(entry, "category", term=_text(category))
    if work.get("abstract"):
        _child(entry, "summary", _readable(work["abstract"]), type="text")


def atom_feed(feed: Mapping[str, Any], base_url: str) -> bytes:
    """The feed as UTF-8 XML bytes: the author's newest works, newest first."""
    author = feed["author"]
    # Atom as the default namespace (lxml's stubs do not allow the None prefix).
    default_namespace: Any = {None: ATOM_NS}
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap=default_namespace)
    _child(root, "id", feed_url(base_url, author["id"]))
    _child(root, "title", _text(f"{author['name']}: new works"), type="text")
    if feed.get("updated"):
        _child(root, "updated", rfc3339(feed["updated"]))
    else:
        _child(root, "updated", rfc3339(datetime.now(UTC).isoformat()))
    _person(root, "author", author["name"], author_url(base_url, author["id"]))
    _child(root, "link", rel="self", type=MEDIA_TYPE, href=feed_url(base_url, author["id"]))
    _child(root, "link", rel="alternate", type="text/html", href=author_url(base_url, author["id"]))
    _child(root, "generator", "scholarfolio")
    for work in feed["works"]:
        _entry(root, work, base_url)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
