"""BibTeX files: real entries (Crossref, Semantic Scholar) and constructed hard cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scholarfolio.ingest import bibtex, detect_format, read_file
from scholarfolio.ingest.bibtex import resolve_value, split_names
from scholarfolio.models import AuthorName, Reject, WorkRecord

BIBTEX = Path(__file__).resolve().parent.parent / "fixtures" / "bibtex"
CROSSREF_BIB = BIBTEX / "test-content_negotation__test_content_negotiation_001.bib"
S2_BIB = BIBTEX / "s2_paper_citationStyles_bibtex.bib"
TRICKY = BIBTEX / "constructed_tricky.bib"


def read(path: Path) -> list[WorkRecord | Reject]:
    """Everything ``read_file`` yields for ``path``."""
    return [item for item in read_file(path) if isinstance(item, WorkRecord | Reject)]


def records(path: Path) -> dict[str, WorkRecord]:
    """The records of ``path`` by key."""
    return {item.key: item for item in read(path) if isinstance(item, WorkRecord)}


def test_crossref_content_negotiation_entry() -> None:
    (entry,) = read(CROSSREF_BIB)
    assert isinstance(entry, WorkRecord)
    assert (entry.source, entry.source_id, entry.work_type) == ("bibtex", "Frank_1970", "article")
    assert entry.title == (
        "The Structure of Ordinary Water: New data and interpretations are yielding new insights"
        " into this fascinating substance."
    )
    assert entry.authors == (
        AuthorName(
            raw="Frank, Henry S.", name="Henry S. Frank", keyname="Frank", forenames="Henry S."
        ),
    )
    assert entry.ids == (("doi", "10.1126/science.169.3946.635"),)
    assert (entry.year, entry.published, entry.venue) == (
        1970,
        None,
        "Science",
    )  # month=Aug, no day
    assert (entry.locator.position, entry.locator.line) == (1, 1)


def test_semantic_scholar_entries() -> None:
    items = read(S2_BIB)
    assert len(items) == 29
    found = records(S2_BIB)
    assert len(found) == 27
    turing = found["Turing1950ComputingMA"]
    assert (turing.title, turing.year, turing.venue) == (
        "Computing Machinery and Intelligence",
        1950,
        "Mind",  # "journal" wins over "booktitle"
    )
    assert [author.name for author in turing.authors] == ["A. Turing"]
    assert found["Stöckli2024ThePO"].authors[0].name == "Leandro Stöckli"
    assert found["Hamarat2024TheDS"].authors[2] == AuthorName(
        raw="Ayşe Koç Apuhan", name="Ayşe Koç Apuhan", keyname="Apuhan", forenames="Ayşe Koç"
    )
    assert found["Venkatasubramanian2024QuoVC"].work_type == "inproceedings"
    # S2 wrote "First, Last,": the first reads as "Last, First" by BibTeX's rules;
    # "Yi. Tang., Lin," (a trailing comma) cannot be split and is kept whole, in order.
    assert [author.name for author in found["Wang2023EmpiricalAO"].authors] == [
        "Wang Ming. Chuan.",
        "Yi. Tang., Lin,",
        "Cai. Yan., Huang,",
        "Chih. Yi., Huang,",
        "Pu. Kuo Yeh,",
    ]
    rejects = [item for item in items if isinstance(item, Reject)]
    assert [(reject.line, reject.reason) for reject in rejects] == [
        (205, "line 205: duplicate key 'None' (first at line 190)"),
        (212, "line 212: duplicate key 'None' (first at line 190)"),
    ]


def test_constructed_entries_in_order() -> None:
    items = read(TRICKY)
    summary = [
        (item.locator.line, item.key) if isinstance(item, WorkRecord) else (item.line, "REJECT")
        for item in items
    ]
    assert summary == [
        (9, "ozturk2019"),
        (21, "REJECT"),
        (26, "corporate2021"),
        (33, "REJECT"),
        (37, "biblatex2023"),
        (45, "REJECT"),
        (50, "REJECT"),
        (55, "lastone2025"),
    ]
    assert [item.locator.position for item in items if isinstance(item, WorkRecord)] == [1, 3, 5, 8]


def test_malformed_entries_are_rejected_with_their_line() -> None:
    rejects = [item for item in read(TRICKY) if isinstance(item, Reject)]
    assert [reject.reason for reject in rejects] == [
        "line 21: malformed @inproceedings{broken2020: Unexpected block start: `@book`."
        " Was still looking for field-value closing `}`",
        "line 33: malformed @misc{nocomma2022: Expected comma after entry key, but found =",
        "line 45: duplicate key 'ozturk2019' (first at line 9)",
        "line 50: entry 'untitled2024' has no title",
    ]
    assert rejects[0].excerpt.startswith("@inproceedings{broken2020, author = {Broken, Brace}")


def test_accents_corporate_authors_and_name_forms() -> None:
    entry = records(TRICKY)["ozturk2019"]
    assert [(a.name, a.keyname, a.forenames, a.suffix) for a in entry.authors] == [
        ("Özge Öztürk", "Öztürk", "Özge", None),
        ("Pál Erdős", "Erdős", "Pál", None),
        ("Barnes and Noble", "Barnes and Noble", None, None),
        ("Ludwig van Beethoven", "van Beethoven", "Ludwig", None),
        ("Jean de la Fontaine Jr", "de la Fontaine", "Jean", "Jr"),
    ]  # "and others" (et al.) is not a name
    assert entry.authors[0].raw == '{\\"O}zt{\\"u}rk, {\\"O}zge'
    assert entry.title == "Schrödinger operators on ℝ^3: a survey"
    assert entry.venue == "J. Comput. Phys. Letters"  # @string macros joined with #
    assert entry.ids == (("doi", "10.5555/example.2019.001"), ("arxiv", "1905.01234"))
    assert (entry.year, entry.published) == (2019, None)


def test_parenthesised_entry_and_biblatex_fields() -> None:
    found = records(TRICKY)
    book = found["corporate2021"]
    assert [author.name for author in book.authors] == ["ATLAS Collaboration", "Émile Dupont"]
    assert book.title == "Reports from CERN – the first decade"
    assert (book.work_type, book.year, book.published) == ("book", 2021, date(2021, 3, 5))
    online = found["biblatex2023"]
    assert online.title == "A preprint read from eprint"
    assert online.ids == (("arxiv", "hep-th/9901001"),)  # eprinttype = {arxiv}
    assert (online.year, online.published) == (2023, None)  # date = {2023-11}
    upper = found["lastone2025"]
    assert upper.title == "Upper-case field names and Škoda's çedilla"
    assert upper.authors[0].name == "Jiří Škoda"
    assert (upper.venue, upper.published) == ("Journal of Examples", date(2025, 12, 31))
    assert upper.doi == "10.5555/example.2025.002"


def test_split_names_keeps_braced_and() -> None:
    names = split_names("{Barnes and Noble} and Smith, John AND Doe, Jr., Jane and others")
    assert [(name.keyname, name.forenames, name.suffix) for name in names] == [
        ("Barnes and Noble", None, None),
        ("Smith", "John", None),
        ("Doe", "Jane", "Jr."),
    ]


def test_resolve_value() -> None:
    macros = {"jcp": "J. Comput. Phys.", "aug": "August"}
    assert resolve_value('jcp # " Letters" # {, vol}', macros) == "J. Comput. Phys. Letters, vol"
    assert resolve_value("{A {B} # C}", macros) == "A {B} # C"
    assert resolve_value("AUG", macros) == "August"
    assert resolve_value("2019", macros) == "2019"
    assert resolve_value("undefined", macros) == "undefined"


@pytest.mark.parametrize(
    "head",
    [
        b" @article{Frank_1970, title={x}}",
        b"% JabRef\n%\n\n@Comment{jabref-meta: x}",
        b"\xef\xbb\xbf@book(key,",
        b"@ARTICLE  {key,",
        b"\r\n@string{a = {b}}",
    ],
)
def test_detects_bibtex(head: bytes) -> None:
    assert detect_format(head) == "bibtex"


@pytest.mark.parametrize("head", [b"% only a comment", b"@article key", b"mail me @home{"])
def test_does_not_detect_other_text_as_bibtex(head: bytes) -> None:
    assert detect_format(head) is None


def test_fixtures_are_detected_as_bibtex() -> None:
    for path in (CROSSREF_BIB, S2_BIB, TRICKY):
        assert detect_format(path.read_bytes()[:4096]) == "bibtex"


def test_latin1_line_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin1.bib"
    path.write_bytes(
        "@book{k1, author = {Müller, Jörg}, title = {Größe}, year = 1999}\n".encode("latin-1")
    )
    (entry,) = read(path)
    assert isinstance(entry, WorkRecord)
    assert (entry.title, entry.authors[0].name) == ("Größe", "Jörg Müller")


def test_chunks_keep_macros_and_line_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read(TRICKY)
    monkeypatch.setattr(bibtex, "CHUNK_BYTES", 64)  # a chunk per entry or so
    chunked = read(TRICKY)
    assert [item for item in chunked if isinstance(item, WorkRecord)] == [
        item for item in whole if isinstance(item, WorkRecord)
    ]
    # The unclosed brace now runs into the end of its chunk rather than into the next entry.
    assert [(item.position, item.line) for item in chunked if isinstance(item, Reject)] == [
        (item.position, item.line) for item in whole if isinstance(item, Reject)
    ]
