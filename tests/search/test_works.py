"""Full-text search over real titles and abstracts: BM25 with titles first, AND then OR, paging."""

from __future__ import annotations

from typing import Any

from scholarfolio import search, settings
from scholarfolio.search.query import Paging
from scholarfolio.store import Store, queries


def _search(store: Store, text: str, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    return search.search(store, text, Paging(page, per_page))


def _titles(result: dict[str, Any]) -> list[str]:
    return [work["title"] for work in result["works"]]


def test_a_title_match_ranks_above_abstract_matches(built_store: Store) -> None:
    result = _search(built_store, "gravity")
    titles = _titles(result)
    in_title = [title for title in titles if "gravity" in title.lower()]
    assert in_title == ["ADM analysis and massive gravity", "Extreme Regimes in Quantum Gravity"]
    assert titles[:2] == in_title
    assert result["total_works"] == 6 and result["works_match"] == "all"
    scores = [work["score"] for work in result["works"]]
    assert scores == sorted(scores, reverse=True)


def test_every_word_must_match_and_words_are_stemmed(built_store: Store) -> None:
    both = _search(built_store, "spreadsheet integrity")
    assert _titles(both) == [
        "Ensuring Spreadsheet Integrity with Model Master",
        "Regulation and the Integrity of Spreadsheets in the Information Supply Chain",
    ]
    assert _search(built_store, "networks")["total_works"] == 16
    assert _search(built_store, "network")["total_works"] == 16


def test_when_no_work_has_every_word_any_word_will_do(built_store: Store) -> None:
    result = _search(built_store, "spreadsheet gravitino")
    assert result["works_match"] == "any"
    assert result["total_works"] == 3
    assert "Aspects of Z'-mediated Supersymmetry Breaking" in _titles(result)


def test_quotes_ask_for_the_words_in_that_order(built_store: Store) -> None:
    assert _search(built_store, "matter dark")["total_works"] == 7
    assert _search(built_store, '"matter dark"')["total_works"] < 7


def test_accents_do_not_matter_in_full_text(ml_store: Store) -> None:
    titles = _titles(_search(ml_store, "etica inteligencia"))
    assert titles[0] == "Ética e inteligencia artificial"
    assert titles == _titles(_search(ml_store, "ÉTICA Inteligéncia"))


def test_nothing_found_is_an_empty_answer_not_an_error(built_store: Store) -> None:
    result = _search(built_store, "zzyzzyx qwxqwx")
    assert (result["total_works"], result["works"], result["works_match"]) == (0, [], "none")
    assert (result["total_authors"], result["authors"]) == (0, [])


def test_pages_split_the_ranking_without_gaps_or_repeats(built_store: Store) -> None:
    whole = [work["id"] for work in _search(built_store, "network", 1, 16)["works"]]
    paged = [
        work["id"]
        for page in (1, 2, 3, 4)
        for work in _search(built_store, "network", page, 5)["works"]
    ]
    assert len(whole) == 16 and paged == whole
    last = _search(built_store, "network", 4, 5)
    assert (last["page"], last["per_page"], last["pages"], len(last["works"])) == (4, 5, 4, 1)
    assert _search(built_store, "network", 5, 5)["works"] == []


def test_a_work_with_thousands_of_authors_lists_the_first_few(built_store: Store) -> None:
    [work] = _search(built_store, "CMS LHCb")["works"]
    assert work["title"].startswith("Observation of the rare $B^0_s")
    assert work["authors_total"] == 2831
    shown = settings.AUTHORS_SHOWN.get()
    with built_store.engine.connect() as conn:
        first = queries.work_authors(conn, [work["id"]])[work["id"]][:shown]
    assert [(a["id"], a["name"]) for a in work["authors"]] == first


def test_an_arxiv_id_or_doi_finds_its_work(built_store: Store) -> None:
    [work] = _search(built_store, "CMS LHCb")["works"]
    for text in (work["arxiv_id"], f"arXiv:{work['arxiv_id']}v1"):
        result = _search(built_store, text)
        assert result["works_match"] == "id"
        assert [found["id"] for found in result["works"]] == [work["id"]]
    if work["doi"]:
        assert _search(built_store, work["doi"].upper())["works"][0]["id"] == work["id"]


def test_the_excerpt_starts_near_the_first_query_word(built_store: Store) -> None:
    [work] = _search(built_store, "CMS LHCb")["works"]
    assert "CMS" in work["snippet"] or "LHCb" in work["snippet"]
    assert len(work["snippet"]) <= 242


def test_newest_works_are_the_latest_dated_works(built_store: Store) -> None:
    newest = search.newest_works(built_store, 5)
    dates = [work["date"] for work in newest]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    with built_store.engine.connect() as conn:
        latest = max(row.date for row in queries.find_works(conn, [], None) if row.date)
    assert dates[0] == latest.date().isoformat()
