"""Finding authors by name on real records: accents, hyphens, initials, word order, ranking."""

from __future__ import annotations

import pytest

from scholarfolio import search
from scholarfolio.search.query import name_query
from scholarfolio.store import Store, search_index


def _names(store: Store, query: str, limit: int = 10) -> list[str]:
    return [author["name"] for author in search.search_authors(store, query, limit)]


def test_an_initial_finds_a_given_name_in_either_order(ml_store: Store) -> None:
    for query in ("lecun y", "y lecun", "Yann LeCun", "LeCun, Yann", "lecun"):
        assert _names(ml_store, query) == ["Yann LeCun"], query


def test_the_exact_name_comes_before_fuller_names(ml_store: Store) -> None:
    assert _names(ml_store, "bengio y") == ["Y. Bengio", "Yoshua Bengio"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("treberer treberspurg", ["W. Treberer-Treberspurg"]),  # a hyphenated family name
        ("Treberer-Treberspurg", ["W. Treberer-Treberspurg"]),
        ("csorgo", ["T. Csörgő"]),  # accents ignored
        ("Csörgő T", ["T. Csörgő"]),
        ("perez calero", ["A. Pérez-Calero Yzquierdo"]),
        ("calero", ["A. Pérez-Calero Yzquierdo"]),
    ],
)
def test_accents_hyphens_and_case_do_not_matter(
    built_store: Store, query: str, found: list[str]
) -> None:
    assert _names(built_store, query) == found


def test_words_must_start_name_words(built_store: Store) -> None:
    # "arkin" is inside "Parkinson" but starts no word of any name.
    assert _names(built_store, "arkin") == []


def test_ranking_is_exact_then_same_length_then_citations(built_store: Store) -> None:
    assert _names(built_store, "park j") == ["J. Park", "C. J. Parkinson", "W.J. Park"]
    # M. Jo exactly; then two-word names (M. John, John McCuan); then longer ones.
    names = _names(built_store, "jo m", 50)
    assert names[:3] == ["M. Jo", "M. John", "John McCuan"]
    assert "B.M. Johnson" in names[3:]


def test_the_portable_like_path_finds_what_fts5_finds(built_store: Store) -> None:
    # PostgreSQL runs the LIKE path; on SQLite both run, and must agree exactly.
    with built_store.engine.connect() as conn:
        families = sorted(
            {
                key.split()[-1][:5]
                for key in conn.exec_driver_sql("SELECT name_key FROM authors").scalars()
            }
        )
        assert len(families) > 200
        for family in families:
            query = name_query(family)
            assert query is not None
            indexed = search_index.match_authors(conn, query, 1000, 0, indexed=True)
            portable = search_index.match_authors(conn, query, 1000, 0, indexed=False)
            assert [row.id for row in indexed] == [row.id for row in portable], family
            assert search_index.count_authors(conn, query, indexed=False) == len(portable)
