"""The formatting the HTML pages apply to profile data."""

from __future__ import annotations

from scholarfolio.web.filters import (
    MAX_YEAR_BARS,
    YearBar,
    author_links,
    citations,
    initial,
    month_date,
    plural,
    versioned_id,
    year_bars,
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


def test_year_bars_fill_gaps_and_scale_to_the_tallest() -> None:
    bars = year_bars({"2020": 10, "2022": 40})
    assert bars == [YearBar(2020, 10, 25), YearBar(2021, 0, 0), YearBar(2022, 40, 100)]
    assert year_bars({}) == []


def test_year_bars_keep_only_the_latest_years() -> None:
    bars = year_bars({"1990": 5, "2026": 1})
    assert len(bars) == MAX_YEAR_BARS
    assert bars[-1] == YearBar(2026, 1, 100)


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
