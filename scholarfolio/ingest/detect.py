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
        "json": "JSON documents or JSON lines (OpenAlex, Semantic Scholar, Crossref, CSL-JSON)",
        "bibtex": "BibTeX .bib files",
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
_JSON_RECORD_LINE = re.compile(rb'^[ \t]*\{[^\n]*"id"[ \t]*:[^\n]*$', re.MULTILINE)
# Keys only the arXiv snapshot has: an "id" alone is any JSON record (OpenAlex, S2...).
_SNAPSHOT_KEY = re.compile(
    rb'"(?:authors_parsed|submitter)"[ \t]*:|"versions"[ \t]*:[ \t]*\[[ \t]*\{[ \t]*"version"'
)
# JSON content: a document or JSON lines opening with an object or array.
_JSON_START = re.compile(rb"^\s*[\[{]")
# A line opening a one-line JSON object ({"key": ...): JSON lines with a damaged first line.
_JSON_OBJECT_LINE = re.compile(rb'^[ \t]*\{[ \t]*"[^"\n]*"[ \t]*:', re.MULTILINE)
# BibTeX: after blank and "%" comment lines, "@type{" or "@type(" (entries, @string, @comment).
_BIBTEX_START = re.compile(rb"^(?:[ \t\r\n]|%[^\n]*)*@[ \t]*[A-Za-z]\w*[ \t]*[{(]")


def detect_format(head: bytes) -> str | None:
    """Return "oai-pmh", "atom", "snapshot", "abs", "json", "bibtex" or None from a file's head.

    "json" is any other JSON content: a document or JSON lines, told apart and
    dispatched by :mod:`scholarfolio.ingest.jsondocs`.
    """
    text = head.removeprefix(_BOM)
    root = _XML_ROOT.match(text)
    if root:
        return _xml_format(root["root"], text)
    if _BIBTEX_START.match(text):
        return "bibtex"
    if _looks_like_snapshot(text):
        return "snapshot"
    if _JSON_START.match(text):
        return "json"
    if _ABS_RECORD.search(text):
        return "abs"
    if _JSON_OBJECT_LINE.search(text):
        return "json"
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


def _looks_like_snapshot(text: bytes) -> bool:
    """Whether any line of the head is a one-line JSON object with an "id" and arXiv keys.

    Any line, not only the first: a file whose first line is damaged is still
    recognised, so that its good lines are read. A pretty-printed JSON document
    (``{`` alone on its line) is not JSON lines and is not matched.
    """
    lines = _JSON_RECORD_LINE.finditer(text)
    return any(_SNAPSHOT_KEY.search(line[0]) for line in lines)
