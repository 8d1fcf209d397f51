"""Property tests for every parser: real records with fields replaced by odd values.

Each source format starts from a real fixture record; hypothesis replaces one
field (a JSON value, an XML element's text or attribute, an .abs or BibTeX
field) with text, numbers, None, lists or objects. A parser must then yield
records and Rejects, and nothing it yields may break the ingest bounds; any
other exception fails the test. Names, dates and identifiers get the same
treatment, with the properties each promises (idempotence, shapes).
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from scholarfolio.errors import BadInput
from scholarfolio.fuzz.targets import consume
from scholarfolio.identity.names import author_id_for, display_name, fold, name_key
from scholarfolio.ingest import dates, ids
from scholarfolio.ingest.absfile import parse_abs
from scholarfolio.ingest.atom import parse_atom
from scholarfolio.ingest.authors import split_authors
from scholarfolio.ingest.bibtex import parse_bibtex
from scholarfolio.ingest.jsondocs import parse_json
from scholarfolio.ingest.limits import bounded
from scholarfolio.ingest.oai import parse_oai
from scholarfolio.ingest.snapshot import parse_snapshot
from scholarfolio.models import Reject, WorkRecord
from scholarfolio.profiles import MAX_PER_PAGE, WorkListing
from scholarfolio.search.query import Paging, parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_ORCID = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]")

# Text a hostile or broken source could send: any Unicode (lone surrogates too,
# as JSON escapes allow), markup, LaTeX and bidi controls.
odd_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", " ", "<script>alert(1)</script>", "\u202edcba", "\\'{e}\\", "{{}", "10.1/x", "\x00"]
    ),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), odd_text)
odd_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _json_first(relative: str) -> Any:
    """The first JSON record of a fixture (a document, a page's first result, a line)."""
    data = (FIXTURES / relative).read_bytes()
    data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    try:
        value = json.loads(data)
    except json.JSONDecodeError:
        value = json.loads(data.splitlines()[0])
    for key in ("results", "data"):
        if isinstance(value, dict) and isinstance(value.get(key), list) and value[key]:
            return value[key][0]
    return value[0] if isinstance(value, list) else value


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON value where another value can be put (depth-first)."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value[:3])
    else:
        return
    for key, inner in items:
        yield (*prefix, key)
        yield from _paths(inner, (*prefix, key))


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``document`` with the value at ``path`` replaced (or deleted for ...)."""
    changed = copy.deepcopy(document)
    holder = changed
    for key in path[:-1]:
        holder = holder[key]
    if value is Ellipsis and isinstance(holder, dict):
        del holder[path[-1]]
    else:
        holder[path[-1]] = None if value is Ellipsis else value
    return changed


JSON_RECORDS = {
    "openalex work": _json_first("openalex/W2741809807.json"),
    "openalex author": _json_first("openalex/A5023888391.json"),
    "s2 paper": _json_first("s2/Paper.json.gz"),
    "s2 author": _json_first("s2/Author.json.gz"),
    "s2ag paper": _json_first("s2/s2ag_papers-sample.jsonl.gz"),
    "s2 citations": _json_first("s2/test_get_paper_citations_000.json"),
    "crossref": _json_first("crossref/test-works__test_works_with_one_id_000.json"),
    "csl": _json_first("csl/manubot_arxiv-joss-csl_raw.json"),
}
SNAPSHOT = FIXTURES / "arxiv/snapshot/arxiv-metadata-oai-snapshot_first60.jsonl"
SNAPSHOT_LINE = json.loads(SNAPSHOT.read_bytes().splitlines()[0])


def _check(items: Iterator[Any]) -> list[Any]:
    """Drain a parser: every item a record or a Reject that passes the bounds."""
    produced = list(items)
    consume(iter(produced))
    return produced


@st.composite
def mutated_json(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with one field replaced by an odd value or removed."""
    paths = list(_paths(document))
    path = draw(st.sampled_from(paths))
    value = draw(st.one_of(odd_values, st.just(Ellipsis)))
    return _replaced(document, path, value)


def _json_property(name: str) -> Callable[[], None]:
    document = JSON_RECORDS[name]

    @EXAMPLES
    @given(mutated_json(document))
    def check(changed: Any) -> None:
        data = json.dumps(changed, ensure_ascii=True).encode()
        # An empty page gives nothing; anything else a record or a Reject.
        _check(parse_json(io.BytesIO(data), "odd.json"))

    return check


test_openalex_work_fields = _json_property("openalex work")
test_openalex_author_fields = _json_property("openalex author")
test_s2_paper_fields = _json_property("s2 paper")
test_s2_author_fields = _json_property("s2 author")
test_s2ag_paper_fields = _json_property("s2ag paper")
test_s2_citation_fields = _json_property("s2 citations")
test_crossref_fields = _json_property("crossref")
test_csl_fields = _json_property("csl")


@EXAMPLES
@given(mutated_json(SNAPSHOT_LINE))
def test_snapshot_fields(changed: Any) -> None:
    line = json.dumps(changed).encode() + b"\n"
    (item,) = _check(parse_snapshot(io.BytesIO(line), "odd.jsonl"))
    assert isinstance(item, WorkRecord | Reject)


# ---- XML: element texts and attributes ---------------------------------------------

xml_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n"),
    max_size=40,
)


def _xml_fixture(relative: str) -> etree._ElementTree:
    data = (FIXTURES / relative).read_bytes()
    data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return etree.ElementTree(etree.fromstring(data))


OAI_TREES = {
    "arXiv": _xml_fixture("arxiv/oai/hepcrawl_arxiv-single.xml"),
    "arXivRaw": _xml_fixture("arxiv/oai/hepcrawl_arxiv-physics-hep-ex.xml"),
    "oai_dc": _xml_fixture("arxiv/oai/getrecord_oai_dc_1401.2122_constructed.xml"),
}
ATOM_TREE = _xml_fixture("arxiv/atom/2016_search_au_del_maestro_AND_ti_quantum_criticality.xml")


@st.composite
def mutated_xml(draw: st.DrawFn, tree: etree._ElementTree) -> bytes:
    """The document with one element's text or attribute replaced, or the element removed."""
    root = copy.deepcopy(tree.getroot())
    elements = [element for element in root.iter() if isinstance(element.tag, str)][1:]
    element = draw(st.sampled_from(elements))
    action = draw(st.sampled_from(["text", "attribute", "remove", "empty"]))
    if action == "text":
        element.text = draw(xml_text)
    elif action == "attribute":
        name = draw(st.sampled_from(["version", "term", "status", "code", "href"]))
        element.set(name, draw(xml_text))
    elif action == "remove" and element.getparent() is not None:
        element.getparent().remove(element)
    else:
        for inner in list(element):
            element.remove(inner)
        element.text = None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@EXAMPLES
@given(st.sampled_from(sorted(OAI_TREES)).flatmap(lambda kind: mutated_xml(OAI_TREES[kind])))
def test_oai_fields(data: bytes) -> None:
    _check(parse_oai(io.BytesIO(data), "odd.xml"))


@EXAMPLES
@given(mutated_xml(ATOM_TREE))
def test_atom_fields(data: bytes) -> None:
    _check(parse_atom(io.BytesIO(data), "odd.xml"))


# ---- line formats: .abs and BibTeX -------------------------------------------------

ABS_RECORD = (FIXTURES / "arxiv/abs/0704.0789.abs").read_text(encoding="utf-8")
BIBTEX = (FIXTURES / "bibtex/constructed_tricky.bib").read_text(encoding="utf-8")
_ABS_FIELD = re.compile(r"^([A-Za-z-]+): (.*)$", re.MULTILINE)
_BIB_FIELD = re.compile(r"^(\s*[A-Za-z]+\s*=\s*)(.*?),?$", re.MULTILINE)


@st.composite
def mutated_lines(draw: st.DrawFn, text: str, field: re.Pattern[str]) -> bytes:
    """``text`` with one field's value replaced by odd text."""
    matches = list(field.finditer(text))
    match = draw(st.sampled_from(matches))
    value = draw(odd_text).replace("\n", " ")
    changed = text[: match.start(2)] + value + text[match.end(2) :]
    return changed.encode("utf-8", errors="surrogatepass")


@EXAMPLES
@given(mutated_lines(ABS_RECORD, _ABS_FIELD))
def test_abs_fields(data: bytes) -> None:
    _check(parse_abs(io.BytesIO(data), "odd.abs"))


@EXAMPLES
@given(mutated_lines(BIBTEX, _BIB_FIELD))
def test_bibtex_fields(data: bytes) -> None:
    _check(parse_bibtex(io.BytesIO(data), "odd.bib"))


# ---- names, dates, identifiers ----------------------------------------------------


@EXAMPLES
@given(odd_text)
def test_author_strings_split_into_keyed_names(raw: str) -> None:
    authors = split_authors(raw)
    for author in authors:
        key = name_key(author)
        assert key == fold(key) or key == ""
        assert author_id_for(key) == author_id_for(key)
    if authors:
        assert display_name((a.name, 1) for a in authors) in {a.name for a in authors}


@EXAMPLES
@given(st.one_of(odd_text, st.datetimes().map(lambda moment: moment.isoformat())))
def test_dates_parse_or_refuse(text: str) -> None:
    for reader in (dates.parse_iso_date, dates.parse_iso_datetime, dates.parse_rfc2822):
        with contextlib.suppress(BadInput):
            reader(text)


@EXAMPLES
@given(
    st.one_of(st.none(), odd_text, st.from_regex(r"(https://doi\.org/)?10\.[0-9]{4,5}/\S{1,20}"))
)
def test_identifiers_are_normalized_once_and_for_all(text: str | None) -> None:
    doi = ids.normalize_doi(text)
    assert ids.normalize_doi(doi) == doi
    arxiv = ids.canonical_arxiv(text)
    assert ids.canonical_arxiv(arxiv) == arxiv
    from_doi = ids.arxiv_from_doi(doi)
    assert from_doi is None or ids.canonical_arxiv(from_doi) == from_doi
    orcid = ids.bare_orcid(text)
    assert orcid is None or _ORCID.fullmatch(orcid)


ARXIV_ID = r"(arXiv:)?(0[89]|1[0-4])(0[1-9]|1[0-2])\.[0-9]{3}[1-9](v[1-9])?"


@EXAMPLES
@given(st.from_regex(ARXIV_ID, fullmatch=True))
def test_arxiv_ids_of_every_written_form_are_canonical(text: str) -> None:
    canonical, _version = ids.parse_arxiv_id(text)
    assert canonical == text.removeprefix("arXiv:").split("v")[0]


# ---- web query parameters -----------------------------------------------------------

param_values = st.one_of(
    st.none(), odd_text, st.integers(-5, 10**12).map(str), st.sampled_from(["date", "citations"])
)
LISTING_KEYS = ("sort", "year", "category", "page", "per_page", "coauthors_page", "q")


@EXAMPLES
@given(st.dictionaries(st.sampled_from(LISTING_KEYS), param_values))
def test_query_parameters_give_a_listing_or_say_what_is_wrong(raw: dict[str, str | None]) -> None:
    params = {key: value for key, value in raw.items() if value is not None}
    try:
        listing = WorkListing.from_params(params)
    except BadInput as problem:
        assert str(problem)
    else:
        assert listing.page >= 1 and listing.coauthors_page >= 1
        assert listing.per_page is not None and 1 <= listing.per_page <= MAX_PER_PAGE
    try:
        paging = Paging.from_params(params.get("page"), params.get("per_page"))
    except BadInput:
        pass
    else:
        assert paging.offset >= 0
    with contextlib.suppress(BadInput):
        parse(params.get("q", ""))


def test_bounds_leave_a_fixture_record_unchanged() -> None:
    (record,) = [
        item
        for item in parse_snapshot(
            io.BytesIO(json.dumps(SNAPSHOT_LINE).encode() + b"\n"), "line.jsonl"
        )
    ]
    assert bounded(record) == record
