"""XML entity attacks are refused before lxml sees the document.

arXiv never sends a DOCTYPE; a file that has one is either hand-made or hostile.
The parser itself (:func:`scholarfolio.ingest.xmlstream.iter_converted`) never
loads a DTD, never touches the network and never substitutes entities. On top
of that, a DOCTYPE's internal subset is rewritten here, in the bytes: every
general entity is redeclared empty (``<!ENTITY name "">``) and every other
declaration (parameter entities and their references, ``ATTLIST`` defaults,
``ELEMENT``) is dropped. So a billion-laughs chain has nothing to expand, an
external entity (``SYSTEM "file:///..."`` or ``"http://..."``) names nothing to
read, the document's own external DTD is replaced by a name that is never
loaded, and the records that refer to an entity are rejected one by one (the
entity stays an unexpanded node) while the other records of the file are read.
Line numbers are kept: the rewrite holds as many line breaks as the original.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import BinaryIO

from scholarfolio.errors import BadInput
from scholarfolio.ingest.streams import Prefixed

# A DOCTYPE must close within this many bytes from the start of the file.
PROLOG_LIMIT = 64 * 1024
_BUFFER_SIZE = 64 * 1024
# Byte order marks of encodings whose bytes the patterns below cannot read;
# lxml then parses as usual (no DTD, no network, libxml2's expansion limit).
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")
_BEFORE_DOCTYPE = re.compile(rb"(?:\xef\xbb\xbf)?(?:<\?.*?\?>|<!--.*?-->|\s)*", re.DOTALL)
_DOCTYPE_HEAD = re.compile(
    rb"""<!DOCTYPE\s+(?P<name>[^\s\[>]+)
         (?P<external>\s+(?:SYSTEM\s*(?:"[^"]*"|'[^']*')
                         |PUBLIC\s*(?:"[^"]*"|'[^']*')\s*(?:"[^"]*"|'[^']*')))?
         \s*""",
    re.VERBOSE,
)
_SUBSET_TOKEN = re.compile(
    rb"""\s+|<!--.*?-->|<\?.*?\?>|%[^;\s]*;|<!(?:[^'">]|"[^"]*"|'[^']*')*>""", re.DOTALL
)
_GENERAL_ENTITY = re.compile(rb"""<!ENTITY\s+(?P<name>[^\s%"'<>&;]+)""")
_DOCTYPE_END = re.compile(rb"\s*>")
# Stands in for the document's own external subset, which is never loaded. An
# external subset makes an entity declared nowhere in sight a node rather than a
# fatal error, so only the records that use it are rejected.
_NO_EXTERNAL_SUBSET = b' SYSTEM "urn:scholarfolio:no-dtd"'


@dataclass(frozen=True, slots=True)
class Guarded:
    """The stream to parse and whether its DOCTYPE was rewritten (entities may remain)."""

    stream: BinaryIO
    had_doctype: bool


def guard(stream: BinaryIO) -> Guarded:
    """``stream`` with its DOCTYPE's declarations made harmless; BadInput if it cannot be read."""
    head = stream.read(PROLOG_LIMIT)
    rewritten = _rewrite(head)
    data = head if rewritten is None else rewritten
    replay = io.BufferedReader(Prefixed(data, stream), buffer_size=_BUFFER_SIZE)
    return Guarded(replay, rewritten is not None)


def _rewrite(head: bytes) -> bytes | None:
    """``head`` with a harmless DOCTYPE, or None when it has no DOCTYPE."""
    if head.startswith(_WIDE_BOMS):
        return None
    start = _BEFORE_DOCTYPE.match(head)
    position = start.end() if start else 0
    doctype = _DOCTYPE_HEAD.match(head, position)
    if doctype is None:
        return None
    entities, end = _subset_entities(head, doctype.end())
    closing = _DOCTYPE_END.match(head, end)
    if closing is None:
        raise BadInput(_too_long_or_malformed(head))
    original = head[position : closing.end()]
    declared = b"".join(b"<!ENTITY " + name + b' "">' for name in dict.fromkeys(entities))
    lines = b"\n" * original.count(b"\n")
    safe = b"<!DOCTYPE " + doctype["name"] + _NO_EXTERNAL_SUBSET
    safe += b" [" + declared + lines + b"]>"
    return head[:position] + safe + head[closing.end() :]


def _subset_entities(head: bytes, position: int) -> tuple[list[bytes], int]:
    """The general entity names of the internal subset at ``position``, and where it ends."""
    if head[position : position + 1] != b"[":
        return [], position
    position += 1
    names: list[bytes] = []
    while head[position : position + 1] != b"]":
        token = _SUBSET_TOKEN.match(head, position)
        if token is None or token.end() == position:
            raise BadInput(_too_long_or_malformed(head))
        general = _GENERAL_ENTITY.match(token[0])
        if general is not None:
            names.append(general["name"])
        position = token.end()
    return names, position + 1


def _too_long_or_malformed(head: bytes) -> str:
    """Why a DOCTYPE is refused."""
    if len(head) >= PROLOG_LIMIT:
        return f"XML DOCTYPE longer than {PROLOG_LIMIT} bytes: refused (entity declarations)"
    return "malformed XML DOCTYPE: refused"
