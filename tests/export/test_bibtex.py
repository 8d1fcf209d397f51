"""BibTeX of real works, read back with bibtexparser: types, keys, authors in order, titles."""

from __future__ import annotations

from typing import Any

import bibtexparser
import pytest
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from pylatexenc.latex2text import LatexNodes2Text

from scholarfolio import works
from scholarfolio.export import bibtex
from scholarfolio.store import Store


def _parse(text: str, names: bool = False) -> Library:
    """The library in ``text``: LaTeX decoded, or with ``names`` the authors split into
    parts (still LaTeX: bibtexparser decodes strings, not name lists)."""
    if names:
        middleware: list[Any] = [SeparateCoAuthors(), SplitNameParts()]
    else:
        middleware = [LatexDecodingMiddleware()]
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    assert library.failed_blocks == []
    return library


def _names(text: str) -> list[str]:
    """Each author of the first entry as ``First von Last, Jr``, LaTeX decoded by pylatexenc."""
    decoder = LatexNodes2Text()
    return [
        decoder.latex_to_text(name.merge_first_name_first)
        for name in _fields(_parse(text, names=True))["author"]
    ]


def _work(store: Store, identifier: str) -> dict[str, Any]:
    """The work with this arXiv or OpenAlex id, as the work page has it."""
    (entry,) = list(works.list_works(store, identifier))
    return works.get_work(store, entry["id"])


def _fields(library: Library, index: int = 0) -> dict[str, Any]:
    return {key: field.value for key, field in library.entries[index].fields_dict.items()}


def test_deep_learning_is_a_nature_article_with_its_doi(closure_store: Store) -> None:
    work = _work(closure_store, "W2919115771")
    text = bibtex.bibtex_entry(work)
    library = _parse(text)
    entry = library.entries[0]
    assert (entry.entry_type, entry.key) == ("article", "lecun2015deep")
    assert _names(text) == ["Yann LeCun", "Yoshua Bengio", "Geoffrey E. Hinton"]
    people = _fields(_parse(text, names=True))["author"]
    assert [name.last for name in people] == [["LeCun"], ["Bengio"], ["Hinton"]]
    fields = _fields(library)
    assert fields["title"] == "Deep learning"
    assert fields["journal"] == "Nature"
    assert (fields["year"], fields["month"]) == ("2015", "may")
    assert fields["doi"] == "10.1038/nature14539"
    assert fields["url"] == "https://doi.org/10.1038/nature14539"
    assert "eprint" not in fields


def test_accented_names_round_trip_in_source_order(closure_store: Store) -> None:
    work = _work(closure_store, "W2752849906")  # Deep learning with coherent nanophotonic circuits
    text = bibtex.bibtex_entry(work)
    # Written as LaTeX accents, so 8-bit BibTeX reads the file too.
    assert text.isascii()
    assert r"Solja{\v{c}}i{\'c}, Marin" in text
    names = _names(text)
    # U+2010 HYPHEN has no LaTeX form but the hyphen.
    assert names == [author["name"].replace("\u2010", "-") for author in work["authors"]]
    assert names[-1] == "Marin Soljačić"
    fields = _fields(_parse(text))
    assert (fields["eprint"], fields["archivePrefix"]) == ("1610.02365", "arXiv")
    assert fields["journal"] == "Nature Photonics"


def test_en_dash_in_a_title_is_written_as_latex_and_read_back(closure_store: Store) -> None:
    work = _work(closure_store, "W2923418412")
    text = bibtex.bibtex_entry(work)
    assert r"Machine Learning{\textendash}Based Model" in text
    assert _fields(_parse(text))["title"] == work["title"]
    # The source lists two authors twice; BibTeX keeps the list exactly as the source has it.
    assert len(_names(text)) == len(work["authors"]) == 8


def test_arxiv_preprint_is_misc_with_eprint_and_primary_class(built_store: Store) -> None:
    work = _work(built_store, "hep-th/9901001")
    library = _parse(bibtex.bibtex_entry(work))
    entry = library.entries[0]
    assert (entry.entry_type, entry.key) == ("misc", "imamura1999string")
    fields = _fields(library)
    assert fields["eprint"] == "hep-th/9901001"
    assert (fields["archivePrefix"], fields["primaryClass"]) == ("arXiv", "hep-th")
    assert fields["doi"] == "10.1143/PTP.101.1155"
    assert fields["note"] == "Prog.Theor.Phys.101:1155-1164,1999"
    assert (fields["year"], fields["month"]) == ("1999", "jan")
    assert fields["url"] == "https://arxiv.org/abs/hep-th/9901001"


def test_junior_suffix_and_name_parts(built_store: Store) -> None:
    work = _work(built_store, "0704.0802")
    text = bibtex.bibtex_entry(work)
    assert "Heath, Jr., Robert W." in text
    heath = _fields(_parse(text, names=True))["author"][1]
    assert (heath.first, heath.last, heath.jr) == (["Robert", "W."], ["Heath"], ["Jr."])


def test_a_collaboration_stays_one_author_among_2831(built_store: Store) -> None:
    work = _work(built_store, "1411.4413")
    assert work["authors_total"] == 2831
    text = bibtex.bibtex_entry(work)
    assert text.startswith("@misc{cms2014observation,")
    assert "author = {{The CMS and LHCb Collaborations} and Khachatryan, V. and" in text
    authors = _fields(_parse(text, names=True))["author"]
    # Its "and" did not split it: 2,831 names, the same ones in the same order.
    assert len(authors) == 2831
    assert authors[0].last == ["{The CMS and LHCb Collaborations}"]
    assert _names(text) == [author["name"] for author in work["authors"]]


def test_math_and_acronyms_keep_their_case(built_store: Store, closure_store: Store) -> None:
    rare_decay = bibtex.title_value(_work(built_store, "1411.4413")["title"])
    assert rare_decay == (
        r"Observation of the rare {$B^0_s\to\mu^+\mu^-$} decay from the combined analysis "
        r"of {CMS} and {LHCb} data"
    )
    nisq = bibtex.title_value(_work(closure_store, "W2781738013")["title"])
    assert nisq == "Quantum Computing in the {NISQ} era and beyond"
    # A sentence-case title: its capitals after the first word are proper nouns.
    assert bibtex.title_value(_work(built_store, "0704.0019")["title"]) == (
        r"Approximation for extinction probability of the contact process based on the "
        r"{Gr\"obner} basis"
    )


def test_special_characters_are_escaped(built_store: Store) -> None:
    work = _work(built_store, "2302.03287")
    assert work["title"] == "ChatGPT and Software Testing Education: Promises & Perils"
    text = bibtex.bibtex_entry(work)
    assert r"title = {{ChatGPT} and Software Testing Education: Promises \& Perils}," in text
    assert _fields(_parse(text))["title"] == work["title"]


def test_a_file_has_unique_keys(closure_store: Store) -> None:
    work = _work(closure_store, "W2919115771")
    library = _parse(bibtex.bibtex_file([work, work, work]))
    assert [entry.key for entry in library.entries] == [
        "lecun2015deep",
        "lecun2015deepa",
        "lecun2015deepb",
    ]


@pytest.mark.parametrize(
    ("work_type", "venue", "expected"),
    [
        ("article", "Nature", "article"),
        ("article", None, "misc"),
        ("journal-article", "Stroke", "article"),
        ("proceedings-article", "NeurIPS", "inproceedings"),
        ("book-chapter", "SEPM eBooks", "incollection"),
        ("dissertation", None, "phdthesis"),
        ("preprint", None, "misc"),
        (None, None, "misc"),
    ],
)
def test_entry_type_follows_work_type_and_venue(
    work_type: str | None, venue: str | None, expected: str
) -> None:
    assert bibtex.entry_type({"work_type": work_type, "venue": venue}) == expected


def test_download_name_is_safe() -> None:
    assert bibtex.filename("lecun2015deep") == "lecun2015deep.bib"
    assert bibtex.filename('../"evil";\r\nx') == "..evilx.bib"
