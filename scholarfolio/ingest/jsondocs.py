"""JSON input that is not the arXiv snapshot: API responses and dataset dumps.

A file is either one JSON document (an object or an array: an API response)
or JSON lines (a snapshot or dataset dump, possibly multi-GB: read a line at a
time). Every decoded object goes to the first registered *kind* whose
``matches`` accepts it; its ``parse`` turns it into records. Obvious envelopes
are unwrapped when no kind claims the envelope itself: a top-level array (each
element is one object), OpenAlex list pages ``{"meta": ..., "results": [...]}``,
Semantic Scholar pages ``{"data": [...], "next"/"offset"/"token"/"total": ...}``
and saved HTTP exchanges (:func:`recorded_response`; a non-2xx one is a Reject).
An object no kind accepts becomes a :class:`~scholarfolio.models.Reject`
naming the kinds that are accepted.

Registering a kind: a parser module listed in :data:`PROVIDERS` defines
``register_kinds(registry: KindRegistry) -> None`` and calls
``registry.register(name, matches, parse)`` in it; the default registry calls
each provider once, on first use (never at import). Code outside the package
can call :func:`register` on the default registry. Kinds are tried in
registration order; ``before="other-kind"`` puts a more specific kind first.
"""

from __future__ import annotations

import importlib
import io
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import count
from typing import Any, BinaryIO

from scholarfolio.errors import BadInput
from scholarfolio.ingest.streams import (
    DAMAGED_STREAM_ERRORS,
    Prefixed,
    damaged_stream_reject,
    excerpt,
    iter_lines,
)
from scholarfolio.models import AuthorRecord, CitationRecord, Locator, Reject, WorkRecord

Parsed = WorkRecord | AuthorRecord | CitationRecord | Reject
Matcher = Callable[[Mapping[str, Any]], bool]
KindParser = Callable[[Mapping[str, Any], Locator], Iterator[Parsed]]

# Modules that register kinds into the default registry, in this order.
# A module not written yet is skipped; any other import error is raised.
PROVIDERS = (
    "scholarfolio.ingest.s2",
    "scholarfolio.ingest.openalex",
    "scholarfolio.ingest.crossref",
    "scholarfolio.ingest.csl",
)
# One JSON lines record; a line near this size is not one record.
MAX_LINE_BYTES = 64 * 1024 * 1024
# A single JSON document is held whole in memory: API responses are small,
# and a dump this large should come as JSON lines.
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
_BUFFER_SIZE = 64 * 1024
# How many non-blank lines are looked at to tell a document from JSON lines.
_SNIFF_LINES = 6
# Keys that mark an object as a list page whose items are the records.
_PAGE_ITEMS = ("results", "data")
_PAGE_MARKERS = frozenset(
    {"meta", "next", "offset", "token", "total", "group_by", "retrievalVersion"}
)
# Roughly how deep JSON can nest before Python's recursion limit stops the decoder
# (real records nest fewer than 10 levels); deeper input is a Reject.
MAX_JSON_DEPTH = sys.getrecursionlimit() - 100
# The keys of an API error body.
_ERROR_KEYS = frozenset({"error", "message", "code", "status", "detail"})


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of JSON object: its name, how to recognise it, how to parse it."""

    name: str
    matches: Matcher
    parse: KindParser


class KindRegistry:
    """The ordered kinds a JSON object is matched against; the first match parses it."""

    def __init__(self, kinds: tuple[Kind, ...] = ()) -> None:
        self._kinds: list[Kind] = list(kinds)

    @property
    def kinds(self) -> tuple[Kind, ...]:
        """The registered kinds, in the order they are tried."""
        return tuple(self._kinds)

    def names(self) -> tuple[str, ...]:
        """The names of the registered kinds, in order."""
        return tuple(kind.name for kind in self._kinds)

    def register(
        self, name: str, matches: Matcher, parse: KindParser, *, before: str | None = None
    ) -> None:
        """Add a kind, last or just before the kind named ``before``.

        Raises :class:`BadInput` for a name already taken or an unknown ``before``.
        """
        if name in self.names():
            raise BadInput(f"JSON kind {name!r} is already registered")
        kind = Kind(name, matches, parse)
        if before is None:
            self._kinds.append(kind)
            return
        if before not in self.names():
            raise BadInput(f"no JSON kind {before!r} to insert before: known {self.names()}")
        self._kinds.insert(self.names().index(before), kind)

    def find(self, document: Mapping[str, Any]) -> Kind | None:
        """The first kind that accepts ``document``, or None."""
        return next((kind for kind in self._kinds if kind.matches(document)), None)

    def items(
        self, value: object, locator: Locator, positions: Iterator[int] | None = None
    ) -> Iterator[Parsed]:
        """Records of one decoded JSON value: an object, an array, a page or a recording.

        With ``positions``, each object found gets the next position (a document
        holding many records); without, all share ``locator`` (one JSON line).
        """
        if isinstance(value, list):
            for element in value:
                yield from self.items(element, locator, positions)
        elif not isinstance(value, dict):
            yield reject(_advanced(locator, positions), _not_an_object(value), value)
        else:
            kind = self.find(value)
            if kind is not None:
                yield from _guarded(kind, value, _advanced(locator, positions))
            else:
                yield from self._unwrapped(value, locator, positions)

    def _unwrapped(
        self, document: Mapping[str, Any], locator: Locator, positions: Iterator[int] | None
    ) -> Iterator[Parsed]:
        """The content of an envelope no kind claimed, or a Reject saying why there is none."""
        recording = recorded_response(document)
        page_items = page_elements(document)
        if recording is not None and recording.ok:
            yield from self.items(recording.body, locator, positions)
        elif recording is not None:
            yield reject(_advanced(locator, positions), recording.failure(), recording.body)
        elif page_items is not None:
            yield from self.items(page_items, locator, positions)
        elif not _PAGE_MARKERS.issuperset(document):  # an empty page is no error
            reason = self._unknown_object_reason(document)
            yield reject(_advanced(locator, positions), reason, document)

    def _unknown_object_reason(self, document: Mapping[str, Any]) -> str:
        """Why an object was not read: an error it reports, or its keys and the accepted kinds."""
        message = _error_message(document)
        if message is not None:
            return f"the file holds an error response: {message}"
        keys = ", ".join(sorted(document)[:8]) or "none"
        accepted = ", ".join(self.names()) or "none registered"
        return f"unrecognised JSON object (keys: {keys}); accepted kinds: {accepted}"


@dataclass(frozen=True, slots=True)
class RecordedResponse:
    """An HTTP response saved with its request: status, request description, JSON body."""

    status: int | None
    request: str
    body: object
    uri: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx (or unrecorded)."""
        return self.status is None or 200 <= self.status < 300

    def failure(self) -> str:
        """The Reject reason of a failed response."""
        message = _error_message(self.body) if isinstance(self.body, dict) else None
        detail = f": {message}" if message else ""
        return f"HTTP {self.status} response to {self.request}{detail}"


def recorded_response(document: Mapping[str, Any]) -> RecordedResponse | None:
    """The response of a saved request/response pair, or None if ``document`` is not one.

    Two layouts: ``{"request_method", "request_uri", "status", "response"}`` and
    cassettes ``{"interactions": [{"request": {...}, "response": {"status_code", "json"}}]}``
    (one interaction; several are read as an array of recordings).
    """
    if "response" in document and ("request_uri" in document or "request_method" in document):
        uri = document.get("request_uri")
        uri = uri if isinstance(uri, str) else None
        request = f"{document.get('request_method') or ''} {uri or ''}".strip()
        status = _status(document.get("status"))
        return RecordedResponse(status, request or "a recorded request", document["response"], uri)
    if set(document) == {"interactions"} and isinstance(document["interactions"], list):
        return RecordedResponse(None, "recorded interactions", _interaction_bodies(document))
    answer, asked = document.get("response"), document.get("request")
    if isinstance(answer, dict) and isinstance(asked, dict) and "json" in answer:
        described = " ".join(str(value) for value in asked.values() if isinstance(value, str))
        status = _status(answer.get("status_code"))
        return RecordedResponse(status, described or "a recorded request", answer["json"])
    return None


def _interaction_bodies(document: Mapping[str, Any]) -> list[Any]:
    """A cassette's interactions, each to be read as one recording."""
    return [entry for entry in document["interactions"] if entry is not None]


def _status(value: object) -> int | None:
    """An HTTP status code, or None when absent or not a number."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _error_message(document: Mapping[str, Any]) -> str | None:
    """The message of an API error body such as ``{"error": "Paper with id 0 not found"}``."""
    if not _ERROR_KEYS.issuperset(document):
        return None
    for key in ("error", "message"):
        value = document.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def page_elements(document: Mapping[str, Any]) -> list[Any] | None:
    """The items of an obvious list page (``results``/``data`` plus paging keys), or None."""
    for key in _PAGE_ITEMS:
        items = document.get(key)
        others = set(document) - {key}
        if isinstance(items, list) and _PAGE_MARKERS.issuperset(others):
            return items
    return None


@lru_cache(maxsize=1)
def default_registry() -> KindRegistry:
    """The registry every JSON file is read with, filled by :data:`PROVIDERS` on first use."""
    registry = KindRegistry()
    for module_name in PROVIDERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        register_kinds = getattr(module, "register_kinds", None)
        if callable(register_kinds):
            register_kinds(registry)
    return registry


def register(name: str, matches: Matcher, parse: KindParser, *, before: str | None = None) -> None:
    """Add a kind to the default registry (see :meth:`KindRegistry.register`)."""
    default_registry().register(name, matches, parse, before=before)


def parse_json(
    stream: BinaryIO, file: str, registry: KindRegistry | None = None
) -> Iterator[Parsed]:
    """Yield the records of a JSON document or JSON lines file; bad parts become Rejects."""
    kinds = registry if registry is not None else default_registry()
    try:
        sniffed, is_lines = _sniff(stream)
    except DAMAGED_STREAM_ERRORS as error:
        yield damaged_stream_reject(file, 1, error)
        return
    replay = io.BufferedReader(Prefixed(b"".join(sniffed), stream), buffer_size=_BUFFER_SIZE)
    if is_lines:
        yield from _parse_lines(replay, file, kinds)
    else:
        yield from _parse_document(replay, file, kinds)


def _sniff(stream: BinaryIO) -> tuple[list[bytes], bool]:
    """The first lines of ``stream`` (read, to be replayed) and whether it is JSON lines.

    JSON lines when the first non-blank line is a complete JSON value and more
    follows, or when it is damaged but one of the next lines is a whole object.
    A first line that is a lone ``{`` or ``[`` opens a pretty-printed document;
    a single line is read as a document (the same records either way).
    """
    sniffed: list[bytes] = []
    content: list[bytes] = []
    while len(content) < _SNIFF_LINES:
        line = stream.readline(MAX_LINE_BYTES)
        if not line:
            break
        sniffed.append(line)
        if line.strip():
            content.append(line.strip().removeprefix(b"\xef\xbb\xbf"))
        if len(content) == 2 and _parses(content[0]):
            return sniffed, True
        if len(content) == 1 and (content[0] in (b"{", b"[") or not line.endswith(b"\n")):
            return sniffed, False
    damaged_first = content[1:] and not _parses(content[0])
    return sniffed, bool(damaged_first) and any(_is_object_line(line) for line in content[1:])


def _is_object_line(line: bytes) -> bool:
    """Whether one line is a whole JSON object."""
    return line.startswith(b"{") and _parses(line)


def _parse_lines(stream: BinaryIO, file: str, registry: KindRegistry) -> Iterator[Parsed]:
    """One JSON value per non-blank line; a bad line is a Reject and the rest go on."""
    position = 0
    try:
        for line_number, data, too_long in iter_lines(stream, MAX_LINE_BYTES):
            if not too_long and not data.strip():
                continue
            position += 1
            locator = Locator(file, position, line_number)
            if too_long:
                yield reject(locator, f"line longer than {MAX_LINE_BYTES} bytes", data)
                continue
            yield from _decoded_items(data, locator, registry)
    except DAMAGED_STREAM_ERRORS as error:
        yield damaged_stream_reject(file, position + 1, error)


def _parse_document(stream: BinaryIO, file: str, registry: KindRegistry) -> Iterator[Parsed]:
    """The whole file as one JSON value (object, array or list page)."""
    try:
        data = stream.read(MAX_DOCUMENT_BYTES + 1)
    except DAMAGED_STREAM_ERRORS as error:
        yield damaged_stream_reject(file, 1, error)
        return
    locator = Locator(file, 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        reason = f"JSON document larger than {MAX_DOCUMENT_BYTES} bytes: give dumps as JSON lines"
        yield reject(locator, reason, data[:200])
        return
    yield from _decoded_items(data, locator, registry, count(1))


def _decoded_items(
    data: bytes, locator: Locator, registry: KindRegistry, positions: Iterator[int] | None = None
) -> Iterator[Parsed]:
    """Decode ``data`` as UTF-8 JSON and dispatch it, or one Reject saying why not."""
    try:
        value = decode_json(data)
    except BadInput as problem:
        yield reject(locator, str(problem), data)
        return
    try:
        yield from registry.items(value, locator, positions)
    except RecursionError:
        # Envelopes nested in envelopes: the stack is unwound to here, shallow again.
        yield reject(locator, "JSON envelopes (pages, recorded responses) nested too deeply")


def decode_json(data: bytes) -> object:
    """Parse UTF-8 JSON bytes (a byte order mark is allowed); :class:`BadInput` if invalid."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise BadInput(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from error
    except RecursionError:
        # json.loads recurses once per level: 100,000 "[" would end the process otherwise.
        raise BadInput(f"JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)") from None


def _guarded(kind: Kind, document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """The kind's records; a :class:`BadInput` it raises becomes a Reject."""
    try:
        yield from kind.parse(document, locator)
    except BadInput as problem:
        yield reject(locator, f"{kind.name}: {problem}", document)


def _parses(line: bytes) -> bool:
    """Whether one line is a complete JSON value."""
    try:
        decode_json(line)
    except BadInput:
        return False
    return True


def reject(locator: Locator, reason: str, sample: object = "") -> Reject:
    """A Reject at ``locator`` saying ``reason``, with a short excerpt of ``sample``."""
    if isinstance(sample, bytes | str):
        text = excerpt(sample)
    else:
        try:
            text = excerpt(json.dumps(sample, ensure_ascii=False, default=str)[:400])
        except RecursionError:
            text = excerpt(repr(type(sample)))
    where = f"line {locator.line}: " if locator.line is not None else ""
    return Reject(locator.file, locator.position, where + reason, text, locator.line)


def _advanced(locator: Locator, positions: Iterator[int] | None) -> Locator:
    """``locator`` at the next position when records are numbered within the document."""
    return locator if positions is None else replace(locator, position=next(positions))


def _not_an_object(value: object) -> str:
    """The Reject reason of an array element or document that is not an object."""
    if value is None:
        return "null entry (a batch answer for an id the source does not know)"
    names = {str: "a string", int: "a number", float: "a number", bool: "a boolean"}
    return f"expected a JSON object, found {names.get(type(value), type(value).__name__)}"
