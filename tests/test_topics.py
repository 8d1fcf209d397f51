"""Topic words and category counts from an author's own titles and abstracts."""

from __future__ import annotations

from scholarfolio.topics import STOP_WORDS, TopicWord, category_counts, top_words, work_words


def test_work_words_skip_stop_words_numbers_and_latex() -> None:
    # A real title (0801.3737) with LaTeX and a chemical formula.
    words = work_words(
        "Raman scattering studies of temperature- and field-induced melting of charge order "
        r"in (La,Pr,Ca)MnO$_{3}$",
        None,
    )
    # "studies", "of", "and", "in" are stop words; "$_{3}$" goes with the math.
    expected = "raman scattering temperature field induced melting charge order mno"
    assert set(words) == set(expected.split())
    assert not set(words) & STOP_WORDS


def test_words_count_works_not_occurrences_and_plurals_join_singulars() -> None:
    works = [
        ("Carbonate reservoirs of the Arabian Gulf", "Carbonates, carbonates and more carbonates."),
        ("Arabian carbonate platforms", None),
        ("A single note on evaporites", "Evaporites evaporites evaporites."),
    ]
    assert top_words(works) == [TopicWord("carbonate", 2), TopicWord("arabian", 2)]


def test_a_single_work_ranks_its_words_by_use() -> None:
    words = top_words([("Tachyonic preheating", "Tachyonic instability drives preheating fast.")])
    assert words[:2] == [TopicWord("preheating", 1), TopicWord("tachyonic", 1)]


def test_categories_are_counted_once_per_work() -> None:
    assert category_counts(["hep-ex hep-ph", "hep-ph", "hep-ph hep-ph", ""]) == [
        ("hep-ph", 3),
        ("hep-ex", 1),
    ]
