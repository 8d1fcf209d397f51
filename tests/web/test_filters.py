"""The formatting the HTML pages apply to profile data."""

from __future__ import annotations

from scholarfolio.web.filters import (
    author_links,
    citations,
    initial,
    month_date,
    page_numbers,
    plural,
    source_name,
    versioned_id,
)


def test_month_date_reads_like_a_citation_date() -> None:
    assert month_date("2026-03-05") == "Mar 05, 2026"
    assert month_date("2026-11-29T10:00:00") == "Nov 29, 2026"


def test_month_date_is_empty_for_a_missing_or_broken_date() -> None:
    assert month_date(None) == ""
    assert month_date("not a date") == ""


def test_citations_is_singular_for_one() -> None:
    assert citations(0) == "0 Citations"
    assert citations(1) == "1 Citation"
    assert citations(1234) == "1,234 Citations"
    assert plural(1, "paper") == "1 paper"
    assert plural(2, "paper") == "2 papers"


def test_initial_is_the_first_letter_upper_cased() -> None:
    assert initial("Robert H. Brandenberger") == "R"
    assert initial("élise Durand") == "É"
    assert initial("'t Hooft, Gerard") == "T"
    assert initial("") == "?"


def test_versioned_id_appends_the_latest_version() -> None:
    assert versioned_id({"arxiv_id": "2603.05498", "version": "v2"}) == "2603.05498v2"
    assert versioned_id({"arxiv_id": "hep-th/9901001", "version": None}) == "hep-th/9901001"


def test_page_numbers_keep_first_last_and_neighbours_with_gaps() -> None:
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 4) == [1, 2, 3, 4]
    assert page_numbers(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert page_numbers(3, 146, around=1) == [1, 2, 3, 4, None, 146]


def test_source_names_read_as_people_write_them() -> None:
    assert [source_name(s) for s in ("openalex", "s2", "arxiv", "other")] == [
        "OpenAlex",
        "Semantic Scholar",
        "arXiv",
        "other",
    ]


def test_author_links_escape_names_and_mark_the_profile_author() -> None:
    authors = [
        {"id": "smith-j-1a2b3c", "name": "J. Smith"},
        {"id": "o-neil-a-9f9f9f", "name": "A. <O'Neil> & Co"},
        {"id": None, "name": "Unresolved <Name>"},
    ]
    html = str(author_links(authors, "o-neil-a-9f9f9f"))
    assert html == (
        '<a href="/authors/smith-j-1a2b3c">J. Smith</a>, '
        '<a href="/authors/o-neil-a-9f9f9f" class="self" aria-current="page">'
        "A. &lt;O&#39;Neil&gt; &amp; Co</a>, "
        "Unresolved &lt;Name&gt;"
    )


def test_author_links_percent_encode_unusual_ids() -> None:
    html = str(author_links([{"id": 'a"b/c', "name": "X"}], "other"))
    assert html == '<a href="/authors/a%22b%2Fc">X</a>'
