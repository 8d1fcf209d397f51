"""Reading the search box: phrases, names, identifiers, and the bounds on queries and pages."""

from __future__ import annotations

import pytest

from scholarfolio.errors import BadInput
from scholarfolio.search.query import MAX_PER_PAGE, Paging, identifier, name_query, parse


def test_words_stand_alone_and_quotes_make_phrases() -> None:
    query = parse('  "dark matter"  halo   shwartz-ziv ')
    assert query.text == '"dark matter"  halo   shwartz-ziv'
    assert query.phrases == ("dark matter", "halo", "shwartz-ziv")


def test_lone_stopwords_and_initials_are_not_searched_in_full_text() -> None:
    assert parse("the physics of black holes").phrases == ("physics", "black", "holes")
    assert parse("lecun y").phrases == ("lecun",)
    # Unless nothing else is left.
    assert parse("the of").phrases == ("the", "of")


def test_names_are_folded_tokens_with_every_word_order_exact() -> None:
    name = name_query("Pérez-Calero, A.")
    assert name is not None
    assert name.tokens == ("perez", "calero", "a")
    assert set(name.exact_keys) == {"perez calero a", "calero a perez", "a perez calero"}
    assert name_query("one two three four five six seven eight nine") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0704.0001", ("arxiv", "0704.0001")),
        ("arXiv:2603.05498v2", ("arxiv", "2603.05498")),
        ("https://doi.org/10.1103/PhysRevD.77.123534", ("doi", "10.1103/physrevd.77.123534")),
        ("dark energy", None),
        ("2020", None),
    ],
)
def test_a_query_that_is_one_identifier_is_recognised(
    text: str, expected: tuple[str, str] | None
) -> None:
    assert identifier(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the query is empty"),
        ("   ", "the query is empty"),
        ("&& --", "the query is empty"),
        ("x" * 201, "the query is too long (201 characters; at most 200)"),
        (" ".join(["word"] * 17), "the query has 17 words; at most 16 are searched"),
    ],
)
def test_unusable_queries_say_why(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


def test_paging_reads_page_and_per_page() -> None:
    assert Paging.from_params(None, None) == Paging(1, 20)
    paging = Paging.from_params("3", "50")
    assert (paging.page, paging.per_page, paging.offset) == (3, 50, 100)
    assert paging.pages(101) == 3
    assert paging.pages(10**6) == 200  # only the first 10,000 results can be paged to


@pytest.mark.parametrize(
    ("page", "per_page", "message"),
    [
        ("0", None, "page must be 1 or more; got 0"),
        ("two", None, "page must be a whole number; got 'two'"),
        (None, str(MAX_PER_PAGE + 1), "per_page must be between 1 and 100; got 101"),
        (None, "-5", "per_page must be 1 or more; got -5"),
        ("501", "20", "only the first 10,000 results can be paged through"),
    ],
)
def test_bad_paging_says_what_is_valid(
    page: str | None, per_page: str | None, message: str
) -> None:
    with pytest.raises(BadInput, match=message):
        Paging.from_params(page, per_page)
