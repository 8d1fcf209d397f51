"""The profile read model: sorted, filtered, paged works; co-authors; topics; the filled chart.

Real records only: Abdulrahman S. Alsharhan's OpenAlex works (167 works with
citations, many co-authors, no arXiv categories) from the demo corpus, and
G. Veneziano in the arXiv fixtures (three works over five categories, one of
them the 2,831-author paper 1411.4413).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from scholarfolio import pipeline, profiles
from scholarfolio.demo import openalex_demo_files
from scholarfolio.errors import BadInput
from scholarfolio.profiles import WorkListing
from scholarfolio.store import Store
from scholarfolio.topics import STOP_WORDS

ALSHARHAN = "A5010401681"


@pytest.fixture(scope="module")
def openalex_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(str(tmp_path_factory.mktemp("profiles") / "s.db"))
    pipeline.ingest_paths(store, [p for p in openalex_demo_files() if p.name.startswith(ALSHARHAN)])
    pipeline.build(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def alsharhan(openalex_store: Store) -> str:
    return profiles.find_author(openalex_store, ALSHARHAN)


@pytest.fixture(scope="module")
def every_work(openalex_store: Store, alsharhan: str) -> list[dict[str, Any]]:
    """All of Alsharhan's works on one page, newest first, every author listed."""
    return list(profiles.get_profile(openalex_store, alsharhan)["works"])


def _veneziano(store: Store) -> str:
    return profiles.find_author(store, "G. Veneziano")


def test_without_a_listing_every_work_is_on_one_page(
    openalex_store: Store, alsharhan: str, every_work: list[dict[str, Any]]
) -> None:
    profile = profiles.get_profile(openalex_store, alsharhan)
    assert len(every_work) == profile["works_total"] == profile["metrics"]["works"] == 167
    assert (profile["page"], profile["per_page"], profile["pages"]) == (1, 167, 1)
    assert [work["rank"] for work in every_work] == list(range(1, 168))


def test_the_default_page_holds_the_50_newest_and_says_how_many_there_are(
    openalex_store: Store, alsharhan: str, every_work: list[dict[str, Any]]
) -> None:
    profile = profiles.get_profile(openalex_store, alsharhan, WorkListing())
    assert (profile["works_total"], profile["page"], profile["per_page"]) == (167, 1, 50)
    assert profile["pages"] == 4 and profile["sort"] == "date"
    assert [work["id"] for work in profile["works"]] == [work["id"] for work in every_work[:50]]
    last = profiles.get_profile(openalex_store, alsharhan, WorkListing(page=4))
    assert [work["rank"] for work in last["works"]] == list(range(151, 168))


def test_sort_by_citations_ranks_the_whole_list(
    openalex_store: Store, alsharhan: str, every_work: list[dict[str, Any]]
) -> None:
    by_citations = sorted(every_work, key=lambda work: work["citations"], reverse=True)
    second = profiles.get_profile(
        openalex_store, alsharhan, WorkListing(sort="citations", page=2, per_page=10)
    )
    assert [work["rank"] for work in second["works"]] == list(range(11, 21))
    assert [work["citations"] for work in second["works"]] == [
        work["citations"] for work in by_citations[10:20]
    ]
    first = profiles.get_profile(openalex_store, alsharhan, WorkListing(sort="citations"))
    assert first["works"][0]["citations"] == max(work["citations"] for work in every_work)
    assert first["sort"] == "citations"


def test_a_year_filter_keeps_each_work_at_its_rank_in_the_full_list(
    openalex_store: Store, alsharhan: str, every_work: list[dict[str, Any]]
) -> None:
    profile = profiles.get_profile(openalex_store, alsharhan, WorkListing(year=2003))
    from_2003 = [work for work in every_work if (work["date"] or "").startswith("2003")]
    assert profile["works_total"] == len(from_2003) == 23
    assert [(w["id"], w["rank"]) for w in profile["works"]] == [
        (w["id"], w["rank"]) for w in from_2003
    ]
    assert {"year": 2003, "works": 23} in profile["filters"]["years"]
    assert profile["year"] == 2003


def test_filter_values_list_every_year_with_its_count(
    openalex_store: Store, alsharhan: str, every_work: list[dict[str, Any]]
) -> None:
    years = profiles.get_profile(openalex_store, alsharhan, WorkListing())["filters"]["years"]
    counted = Counter(int(work["date"][:4]) for work in every_work if work["date"])
    assert years == [{"year": y, "works": n} for y, n in sorted(counted.items(), reverse=True)]


def test_a_category_filter_lists_the_works_filed_under_it(built_store: Store) -> None:
    found = _veneziano(built_store)
    profile = profiles.get_profile(built_store, found, WorkListing(category="hep-ex"))
    assert [work["arxiv_id"] for work in profile["works"]] == ["1411.4413", "1302.1213"]
    assert profile["works_total"] == 2 and profile["category"] == "hep-ex"
    assert profile["filters"]["categories"][0] == {"category": "hep-ex", "works": 2}
    astro = profiles.get_profile(built_store, found, WorkListing(category="astro-ph.CO"))
    assert [(work["arxiv_id"], work["rank"]) for work in astro["works"]] == [("1302.0740", 3)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "title"}, "sort must be one of date, citations (got 'title')"),
        ({"page": "0"}, "page must be a whole number from 1 up (got '0')"),
        ({"page": "two"}, "page must be a whole number from 1 up (got 'two')"),
        ({"per_page": "501"}, "per_page must be a whole number from 1 to 500 (got '501')"),
        ({"year": "14"}, "year must be a four-digit year such as 2014 (got '14')"),
        ({"coauthors_page": "-1"}, "coauthors_page must be a whole number from 1 up"),
    ],
)
def test_malformed_listing_values_name_the_valid_ones(params: dict[str, str], message: str) -> None:
    with pytest.raises(BadInput, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        WorkListing.from_params(params)


def test_values_the_author_has_no_works_for_list_the_choices(built_store: Store) -> None:
    found = _veneziano(built_store)
    with pytest.raises(BadInput, match=r"^no works in year 1999; years with works: 2013, 2014$"):
        profiles.get_profile(built_store, found, WorkListing(year=1999))
    with pytest.raises(BadInput, match=r"categories: astro-ph.CO, gr-qc, hep-ex, hep-ph, hep-th$"):
        profiles.get_profile(built_store, found, WorkListing(category="cs.LG"))
    with pytest.raises(BadInput, match=r"^page 2 is past the last page: 3 works make 1 page"):
        profiles.get_profile(built_store, found, WorkListing(page=2))


def test_coauthors_count_the_works_shared_with_each(
    openalex_store: Store, alsharhan: str, every_work: list[dict[str, Any]]
) -> None:
    shared = Counter(
        author_id
        for work in every_work
        for author_id in {a["id"] for a in work["authors"]} - {alsharhan, None}
    )
    profile = profiles.get_profile(openalex_store, alsharhan, WorkListing())
    # 102: two co-authors' OpenAlex split profiles are one each (docs/identity.md).
    assert profile["coauthors_total"] == len(shared) == 102
    assert profile["coauthors"][0] == {
        "id": profile["coauthors"][0]["id"],
        "name": "A.E.M. Nairn",
        "works": 37,
    }
    assert [c["works"] for c in profile["coauthors"]] == [
        n for _, n in shared.most_common(profiles.COAUTHORS_PER_PAGE)
    ]
    assert all(shared[c["id"]] == c["works"] for c in profile["coauthors"])
    last = profiles.get_profile(openalex_store, alsharhan, WorkListing(coauthors_page=6))
    assert len(last["coauthors"]) == 102 - 5 * 20 and last["coauthors_page"] == 6
    with pytest.raises(BadInput, match="coauthors_page 7 is past the last page: 102 co-authors"):
        profiles.get_profile(openalex_store, alsharhan, WorkListing(coauthors_page=7))


def test_topics_are_the_words_of_the_authors_field(openalex_store: Store, alsharhan: str) -> None:
    words = profiles.get_profile(openalex_store, alsharhan)["topics"]["words"]
    listed = [topic["word"] for topic in words]
    assert {"carbonate", "hydrocarbon", "cretaceous", "gulf"} <= set(listed)
    assert not set(listed) & STOP_WORDS
    counts = [topic["works"] for topic in words]
    assert counts == sorted(counts, reverse=True) and counts[0] <= 167


def test_topic_categories_count_the_authors_works(built_store: Store) -> None:
    topics = profiles.get_profile(built_store, _veneziano(built_store))["topics"]
    assert topics["categories"] == [
        {"category": "hep-ex", "works": 2},
        {"category": "astro-ph.CO", "works": 1},
        {"category": "gr-qc", "works": 1},
        {"category": "hep-ph", "works": 1},
        {"category": "hep-th", "works": 1},
    ]


def test_citations_by_year_filled_has_every_year_and_zeros(
    openalex_store: Store, alsharhan: str
) -> None:
    metrics = profiles.get_profile(openalex_store, alsharhan)["metrics"]
    filled = metrics["citations_by_year_filled"]
    # From the first work (or first citation) to this year (docs/metrics.md).
    start = min(metrics["first_year"], 1986)
    end = max(metrics["metrics_year"], 2026)
    assert list(filled) == [str(year) for year in range(start, end + 1)]
    assert (filled["1992"], filled["1999"]) == (0, 0)
    assert {y: n for y, n in filled.items() if n or y in metrics["citations_by_year"]} == (
        metrics["citations_by_year"]
    )
    assert sum(filled.values()) == sum(metrics["citations_by_year"].values())


def test_a_page_may_read_only_the_head_of_a_huge_author_list(built_store: Store) -> None:
    found = _veneziano(built_store)
    full = profiles.get_profile(built_store, found, WorkListing())["works"][0]
    head = profiles.get_profile(built_store, found, WorkListing(), author_head=50)["works"][0]
    assert full["arxiv_id"] == head["arxiv_id"] == "1411.4413"
    assert len(full["authors"]) == full["authors_total"] == head["authors_total"] == 2831
    assert head["authors"] == full["authors"][:50]
    assert full["authors"][2563] == {"id": found, "name": "G. Veneziano"}
    assert full["author_position"] == head["author_position"] == 2564
    assert head["author_beyond"] == {"position": 2564, "id": found, "name": "G. Veneziano"}
    assert "author_beyond" not in full
    five = profiles.get_profile(built_store, found, WorkListing(), author_head=50)["works"][2]
    assert (five["authors_total"], five["author_position"], five["author_beyond"]) == (5, 5, None)
