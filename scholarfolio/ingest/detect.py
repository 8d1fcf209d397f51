"""Recognise an input format from the first bytes of its (decompressed) content."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

FORMATS: Mapping[str, str] = MappingProxyType(
    {
        "oai-pmh": "arXiv OAI-PMH XML (metadataPrefix arXiv, arXivRaw or oai_dc)",
        "atom": "arXiv API Atom feed",
        "snapshot": "Kaggle arXiv metadata snapshot (JSON lines)",
        "abs": "arXiv .abs records (also concatenated, as in arXiv listing files)",
    }
)

_BOM = b"\xef\xbb\xbf"
_XML_ROOT = re.compile(
    rb"""^(?:<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^[>]*(?:\[.*?\])?\s*>|\s)*  # prolog
         <(?:[\w.-]+:)?(?P<root>[\w.-]+)[\s/>]""",
    re.VERBOSE | re.DOTALL,
)
_ATOM_NAMESPACE = b"http://www.w3.org/2005/Atom"
# An .abs record: a "\\" line, then the id line ("arXiv:ID", "Paper:", "Paper (*cross-listing*):").
_ABS_RECORD = re.compile(rb"^\\\\[ \t]*\r?\n(?:arXiv|Paper)[^:\r\n]{0,40}:[ \t]*\S", re.MULTILINE)
# A line holding one JSON object with an "id" key: a snapshot record (any key order).
_JSON_RECORD_LINE = re.compile(rb'^[ \t]*\{[^\n]*"id"[ \t]*:', re.MULTILINE)


def detect_format(head: bytes) -> str | None:
    """Return "oai-pmh", "atom", "snapshot", "abs" or None from the start of a file's content."""
    text = head.removeprefix(_BOM)
    root = _XML_ROOT.match(text)
    if root:
        return _xml_format(root["root"], text)
    if _looks_like_json_lines(text):
        return "snapshot"
    if _ABS_RECORD.search(text):
        return "abs"
    return None


def describe_formats() -> str:
    """The accepted formats, for messages: ``arXiv OAI-PMH XML (...), arXiv API Atom feed, ...``."""
    return "; ".join(FORMATS.values())


def _xml_format(root: bytes, text: bytes) -> str | None:
    """The XML format named by the root element (Atom also needs its namespace)."""
    if root == b"OAI-PMH":
        return "oai-pmh"
    if root == b"feed" and _ATOM_NAMESPACE in text:
        return "atom"
    return None


def _looks_like_json_lines(text: bytes) -> bool:
    """Whether any line of the head is a one-line JSON object with an "id".

    Any line, not only the first: a file whose first line is damaged is still
    recognised, so that its good lines are read. A pretty-printed JSON document
    (``{`` alone on its line) is not JSON lines and is not matched.
    """
    return _JSON_RECORD_LINE.search(text) is not None
