"""Streaming XML for the parsers: safe iterparse, element release, namespace-blind lookups.

arXiv's XML puts the same element names in different namespaces (and some
recorded responses drop the namespace of the metadata block), so lookups go by
local name only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from lxml import etree

from scholarfolio.errors import BadInput
from scholarfolio.ingest.streams import DAMAGED_STREAM_ERRORS, damaged_stream_reject, excerpt
from scholarfolio.ingest.text import collapse
from scholarfolio.ingest.xmlguard import guard
from scholarfolio.models import Locator, Reject, WorkRecord

Element = etree._Element
# Turns one matched element into a record, a Reject, or nothing (a skipped deleted record).
Converter = Callable[[Element, Locator], "WorkRecord | Reject | None"]


def iter_converted(
    stream: BinaryIO, file: str, tags: Sequence[str], convert: Converter
) -> Iterator[WorkRecord | Reject]:
    """Convert every element named in ``tags`` as it completes, then free it.

    A record that ``convert`` rejects (by raising :class:`BadInput`) becomes a
    Reject and parsing goes on. Where the XML itself breaks (truncated or
    malformed), one final Reject says where; everything before it was yielded.
    """
    position = 0
    try:
        guarded = guard(stream)
    except BadInput as problem:
        yield Reject(file=file, position=0, reason=str(problem))
        return
    except DAMAGED_STREAM_ERRORS as error:
        yield damaged_stream_reject(file, 1, error)
        return
    # Never load a DTD, never fetch, never substitute an entity (see xmlguard).
    events = etree.iterparse(
        guarded.stream,
        events=("end",),
        tag=list(tags),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
    )
    try:
        for _event, element in events:
            position += 1
            locator = Locator(file, position, element.sourceline)
            item = _convert_one(element, locator, convert, guarded.had_doctype)
            _release(element)
            if item is not None:
                yield item
    except etree.XMLSyntaxError as error:
        yield Reject(
            file=file,
            position=position + 1,
            reason=f"XML ends early / malformed at line {error.lineno}: {error.msg}",
            line=error.lineno,
        )
    except DAMAGED_STREAM_ERRORS as error:
        yield damaged_stream_reject(file, position + 1, error)


def local_name(element: Element) -> str:
    """The element's tag without its namespace ("" for comments and processing instructions).

    A prefix that no ``xmlns`` declares stays in the tag (``arxiv:comment``);
    it is dropped like a namespace.
    """
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2]


def children(element: Element, name: str) -> list[Element]:
    """Direct children with local name ``name``, in document order."""
    return [child for child in element if local_name(child) == name]


def child(element: Element, name: str) -> Element | None:
    """The first direct child with local name ``name``."""
    return next((found for found in element if local_name(found) == name), None)


def text_of(element: Element | None) -> str | None:
    """All text inside ``element``, whitespace collapsed; None when absent or blank."""
    if element is None:
        return None
    return collapse(all_text(element)) or None


def all_text(element: Element) -> str:
    """Every text node inside ``element``, concatenated."""
    return "".join(text for text in element.itertext() if isinstance(text, str))


def child_text(element: Element, name: str) -> str | None:
    """The collapsed text of the first child named ``name``, or None."""
    return text_of(child(element, name))


def children_texts(element: Element, name: str) -> list[str]:
    """The non-blank collapsed texts of every child named ``name``."""
    return [text for text in (text_of(found) for found in children(element, name)) if text]


def _convert_one(
    element: Element, locator: Locator, convert: Converter, check_entities: bool
) -> WorkRecord | Reject | None:
    """Run ``convert``; a BadInput becomes a Reject carrying the record's location.

    With ``check_entities`` (the file had a DOCTYPE), a record that refers to
    an entity is rejected: the entity was never expanded, so its text is not whole.
    """
    try:
        if check_entities:
            _refuse_entities(element)
        return convert(element, locator)
    except BadInput as problem:
        return Reject(
            file=locator.file,
            position=locator.position,
            reason=str(problem),
            excerpt=excerpt(all_text(element)),
            line=locator.line,
        )


def _refuse_entities(element: Element) -> None:
    """BadInput naming the first entity reference inside ``element``, if any."""
    entity = next(element.iter(etree.Entity), None)
    if entity is not None:
        raise BadInput(
            f"refers to the XML entity {entity.text}: entities are never expanded or read"
        )


def _release(element: Element) -> None:
    """Free a processed element and the already-processed siblings before it."""
    element.clear()
    parent = element.getparent()
    if parent is None:
        return
    while element.getprevious() is not None:
        del parent[0]
