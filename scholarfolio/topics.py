"""What an author works on: their arXiv categories and the words that recur in their papers.

Pure functions over the author's own works (never the whole corpus): each
work counts once per word, whether the word appears in its title or its
abstract, so one long abstract cannot outweigh many papers. Common English
words and the boilerplate of abstracts ("we", "results", "paper") are left
out, as are numbers, words under three letters and LaTeX.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# How many words a profile lists.
TOPIC_WORDS = 12

# LaTeX math and control words say nothing about the topic in words.
_LATEX = re.compile(r"\$[^$]*\$|\\[A-Za-z]+")
# Letters only (any script), at least three of them.
_WORD = re.compile(r"[^\W\d_]{3,}")

_STOP_WORDS_TEXT = """
    about above across after again against all almost along also although always among amongst
    analysis analyze analyzed and another any approach approaches are around article associated
    available based because been before being below between both but can case cases certain
    compared comparison consider considered could data demonstrate demonstrated describe described
    different discuss discussed does done due during each effect effects either enough especially
    even ever every evidence example examples experimental find finding findings first for found
    four from further furthermore general given good great has have having here high higher
    however important improved include included including increase increased into investigate
    investigated its itself just large larger least less like low lower made main make many may
    method methods might more moreover most much must near new non not novel now number obtain
    obtained often one only other others our out over paper part particular per performance
    possible present presented previous previously problem propose proposed provide provided
    provides rather recent recently related report reported research respectively result results
    same second several shall should show showed shown shows significant significantly similar
    since small some study studied studies such suggest suggests than that the their them then
    theory there therefore these they third this those three through thus together total two
    under use used uses using various very via was way well were what when where whether which
    while who whose why will with within without work works would yet
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(frozen=True, slots=True)
class TopicWord:
    """A word and the number of the author's works that use it."""

    word: str
    works: int


def work_words(title: str, abstract: str | None) -> list[str]:
    """The topic words of one work's title and abstract, as often as they occur."""
    text = f"{title} {abstract or ''}".lower()
    if "$" in text or "\\" in text:
        text = _LATEX.sub(" ", text)
    return [word for word in _WORD.findall(text) if word not in STOP_WORDS]


def top_words(works: Iterable[tuple[str, str | None]], limit: int = TOPIC_WORDS) -> list[TopicWord]:
    """The words used by the most works (title and abstract pairs), most used first.

    Ties go to the word used most often in all. A word of one work only is kept
    only when the author has a single work: otherwise it says more about that
    paper than about the author.
    """
    listed = [work_words(title, abstract) for title, abstract in works]
    occurrences = Counter(word for words in listed for word in words)
    singular = _singulars(set(occurrences))
    by_works: Counter[str] = Counter()
    for words in listed:
        by_works.update({singular.get(word, word) for word in words})
    for plural, single in singular.items():
        occurrences[single] += occurrences.pop(plural)
    floor = 2 if len(listed) > 1 else 1
    ranked = sorted(
        (word for word, count in by_works.items() if count >= floor),
        key=lambda word: (-by_works[word], -occurrences[word], word),
    )
    return [TopicWord(word, by_works[word]) for word in ranked[:limit]]


def _singulars(vocabulary: set[str]) -> dict[str, str]:
    """Plurals whose singular is also used (``carbonates`` -> ``carbonate``), to count as one."""
    return {
        word: word[:-1]
        for word in vocabulary
        if word.endswith("s") and not word.endswith("ss") and word[:-1] in vocabulary
    }


def category_counts(categories: Iterable[str]) -> list[tuple[str, int]]:
    """Each category of space-separated category lists with its number of works, most first."""
    counts: Counter[str] = Counter()
    for listed in categories:
        counts.update(set(listed.split()))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
