"""Group source records into works: shared identifiers first, then title with evidence.

Rules, strongest first, each merge recording the rule that made it:

1. A human split (``scholarfolio works split``) keeps two records apart, always.
2. Shared identifiers, in this order: arXiv id, OpenAlex id, S2 paper id, S2
   corpus id, DOI, MAG, PubMed, PMC, DBLP, ACL. A work never holds two different
   arXiv ids; a merge that would is refused and reported as a conflict.
3. The same title (or one title extending the other) with agreement beyond the
   title: no two different journal DOIs, years within one (two when one record is
   a preprint), and overlapping author surnames when both list authors. Generic
   titles ("Preface", "Reply") also need the same known year and no rival: a
   record that fits two different works joins neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scholarfolio.dedup.titles import compact, is_generic, titles_match

ID_ORDER = ("arxiv", "openalex", "s2", "corpusid", "doi", "mag", "pmid", "pmcid", "dblp", "acl")
# DOI prefixes of preprint servers: a preprint DOI next to a journal DOI is
# the normal life of one paper, not a conflict (arXiv, bioRxiv/medRxiv, SSRN,
# Research Square, Preprints.org, OSF).
PREPRINT_DOI_PREFIXES = ("10.48550/", "10.1101/", "10.2139/", "10.21203/", "10.20944/", "10.31219/")
TITLE_RULE = "same title, authors and year"
GENERIC_RULE = "same generic title and year, no rival"
PLAUSIBLE_YEARS = range(1600, 2101)
# Titles are compared within buckets of the first letters of their compact form.
BUCKET_LENGTH = 24


@dataclass(frozen=True, slots=True)
class Candidate:
    """What clustering needs to know about one source record."""

    record_id: int
    source: str
    ids: frozenset[tuple[str, str]]
    title_key: str
    year: int | None
    surnames: frozenset[str]


@dataclass(frozen=True, slots=True)
class Merge:
    """One record joined to another's work by a rule."""

    record_id: int
    matched: int
    rule: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two records whose identifiers say "same paper" but who cannot be one work."""

    record_id: int
    other: int
    reason: str


@dataclass(slots=True)
class _Group:
    members: list[int]
    arxiv: set[str] = field(default_factory=set)
    dois: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    preprint: bool = False
    titles: set[str] = field(default_factory=set)
    # Each member's (year, surnames): compatibility is checked member by member
    # so one noisy record cannot chain two different papers together.
    profiles: list[tuple[int | None, frozenset[str]]] = field(default_factory=list)


def _is_preprint_doi(doi: str) -> bool:
    return doi.startswith(PREPRINT_DOI_PREFIXES)


def _group_of(candidate: Candidate) -> _Group:
    arxiv = {v for s, v in candidate.ids if s == "arxiv"}
    dois = {v for s, v in candidate.ids if s == "doi" and not _is_preprint_doi(v)}
    preprint = bool(arxiv) or candidate.source == "arxiv"
    year = candidate.year if candidate.year in PLAUSIBLE_YEARS else None
    years = {year} if year is not None else set()
    return _Group(
        [candidate.record_id],
        arxiv,
        dois,
        years,
        set(candidate.surnames),
        preprint,
        {candidate.title_key},
        [(year, candidate.surnames)],
    )


def _same_surname(x: str, y: str) -> bool:
    # Prefix matching absorbs extraction noise such as "Pannekoeka" for
    # "Pannekoek" (an affiliation mark glued to the name).
    short, long = sorted((x, y), key=len)
    return short == long or (len(short) >= 4 and long.startswith(short))


def _surname_hits(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> int:
    """How many names of the smaller list have a match in the larger."""
    smaller, larger = sorted((a, b), key=len)
    return sum(1 for name in smaller if any(_same_surname(name, other) for other in larger))


class Clustering:
    """Union-find over records with the constraints above."""

    def __init__(self, candidates: Sequence[Candidate], apart: Iterable[tuple[int, int]]) -> None:
        self.parent = {c.record_id: c.record_id for c in candidates}
        self.groups = {c.record_id: _group_of(c) for c in candidates}
        self.apart: dict[int, set[int]] = defaultdict(set)
        for a, b in apart:
            self.apart[a].add(b)
            self.apart[b].add(a)
        self.merges: list[Merge] = []
        self.conflicts: list[Conflict] = []

    def find(self, record_id: int) -> int:
        """The root record of the work holding ``record_id``."""
        root = record_id
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[record_id] != root:
            self.parent[record_id], record_id = root, self.parent[record_id]
        return root

    def _kept_apart(self, a: _Group, b: _Group) -> bool:
        smaller, larger = sorted((a, b), key=lambda g: len(g.members))
        others = set(larger.members)
        return any(self.apart.get(member, set()) & others for member in smaller.members)

    def blocked(self, a: int, b: int) -> str | None:
        """Why the works of records ``a`` and ``b`` may not become one, or None."""
        ga, gb = self.groups[self.find(a)], self.groups[self.find(b)]
        if self._kept_apart(ga, gb):
            return "kept apart by a human split"
        if len(ga.arxiv | gb.arxiv) > 1:
            return f"different arXiv ids {sorted(ga.arxiv | gb.arxiv)}"
        return None

    def union(self, record_id: int, matched: int, rule: str) -> None:
        """Join the two works, recording the rule (callers check :meth:`blocked`)."""
        ra, rb = self.find(record_id), self.find(matched)
        if ra == rb:
            return
        keep, gone = sorted((ra, rb))
        self.parent[gone] = keep
        mine, theirs = self.groups[keep], self.groups.pop(gone)
        mine.members += theirs.members
        for name in ("arxiv", "dois", "years", "surnames", "titles"):
            getattr(mine, name).update(getattr(theirs, name))
        mine.profiles += theirs.profiles
        mine.preprint = mine.preprint or theirs.preprint
        self.merges.append(Merge(gone, keep if gone != ra else matched, rule))


def _merge_by_ids(clustering: Clustering, candidates: Sequence[Candidate]) -> None:
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for candidate in candidates:
        for identifier in candidate.ids:
            holders[identifier].append(candidate.record_id)
    rank = {scheme: position for position, scheme in enumerate(ID_ORDER)}
    for (scheme, value), record_ids in sorted(
        holders.items(), key=lambda item: (rank.get(item[0][0], len(rank)), item[0][1])
    ):
        first, *rest = sorted(record_ids)
        for other in rest:
            reason = clustering.blocked(first, other)
            if reason is None:
                clustering.union(other, first, f"same {scheme}")
            elif clustering.find(first) != clustering.find(other):
                clustering.conflicts.append(
                    Conflict(other, first, f"shares {scheme} {value} but {reason}")
                )


def _year_gap(a: _Group, b: _Group) -> int | None:
    if not (a.years and b.years):
        return None
    return min(abs(x - y) for x in a.years for y in b.years)


def _agreement(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller surname list found in the larger (prefix-tolerant), 0..1."""
    return _surname_hits(a, b) / min(len(a), len(b))


def _members_agree(
    a: tuple[int | None, frozenset[str]], b: tuple[int | None, frozenset[str]], slack: int
) -> bool:
    (year_a, names_a), (year_b, names_b) = a, b
    both_listed = bool(names_a and names_b)
    agreement = _agreement(names_a, names_b) if both_listed else 0.0
    if both_listed and agreement < 0.5:
        return False
    if year_a is None or year_b is None or abs(year_a - year_b) <= slack:
        return True
    # Years in records are often wrong (a page number, a typo); a strong
    # author agreement outweighs them.
    return both_listed and agreement >= 0.8


def _compatible(a: _Group, b: _Group, generic: bool) -> bool:
    """Whether two works with matching titles agree beyond the title, member by member."""
    if a.dois and b.dois and not (a.dois & b.dois):
        return False
    if generic:
        # A generic title needs the same year, known on both sides.
        return bool(a.years) and a.years == b.years and len(a.years) == 1
    slack = 2 if (a.preprint or b.preprint) else 1
    return all(_members_agree(x, y, slack) for x in a.profiles for y in b.profiles)


def _score(a: _Group, b: _Group) -> float:
    """How strongly two compatible works agree: same year, shared authors."""
    gap = _year_gap(a, b)
    year_points = {0: 2.0, 1: 1.0}.get(gap, 0.0) if gap is not None else 0.5
    smaller, larger = sorted((a.surnames, b.surnames), key=len)
    union = len(a.surnames | b.surnames)
    jaccard = _surname_hits(smaller, larger) / union if union else 0.0
    return year_points + 3 * jaccard


def title_bucket(title_key: str) -> str | None:
    """The bucket whose records are compared by title (None for a record without a title).

    Two records can only meet through a shared identifier or a shared bucket,
    which is what lets an incremental build recluster only what a change reaches.
    """
    return compact(title_key)[:BUCKET_LENGTH] if title_key else None


def _title_pairs(clustering: Clustering, candidates: Sequence[Candidate]) -> set[tuple[int, int]]:
    buckets: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        key = title_bucket(candidate.title_key)
        if key is not None:
            buckets[key].append(candidate)
    pairs: set[tuple[int, int]] = set()
    for bucket in buckets.values():
        for i, left in enumerate(bucket):
            for right in bucket[i + 1 :]:
                if titles_match(left.title_key, right.title_key):
                    ra, rb = clustering.find(left.record_id), clustering.find(right.record_id)
                    if ra != rb:
                        pairs.add((min(ra, rb), max(ra, rb)))
    return pairs


def _merge_by_title(clustering: Clustering, candidates: Sequence[Candidate]) -> None:
    keys = {c.record_id: c.title_key for c in candidates}
    edges: list[tuple[float, int, int, bool]] = []
    for a, b in _title_pairs(clustering, candidates):
        generic = is_generic(keys[a]) or is_generic(keys[b])
        ga, gb = clustering.groups[a], clustering.groups[b]
        if clustering.blocked(a, b) is None and _compatible(ga, gb, generic):
            edges.append((_score(ga, gb), a, b, generic))
    # Best-supported matches first; a record that fits two rival works equally
    # well joins neither.
    edges.sort(key=lambda edge: (-edge[0], edge[1], edge[2]))
    best: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for score, a, b, _ in edges:
        best[a].append((score, b))
        best[b].append((score, a))
    for score, a, b, generic in edges:
        if _ambiguous(clustering, best, a, b, score) or _ambiguous(clustering, best, b, a, score):
            continue
        ra, rb = clustering.find(a), clustering.find(b)
        if ra == rb:
            continue
        ga, gb = clustering.groups[ra], clustering.groups[rb]
        if clustering.blocked(a, b) is None and _compatible(ga, gb, generic):
            clustering.union(b, a, GENERIC_RULE if generic else TITLE_RULE)


def _ambiguous(
    clustering: Clustering, best: dict[int, list[tuple[float, int]]], a: int, b: int, score: float
) -> bool:
    """Whether ``a`` fits, at least as well, a work that cannot be one with ``b``'s."""
    home = clustering.find(b)
    for other_score, other in best[a]:
        if other_score < score or clustering.find(other) == home:
            continue
        go, gb = clustering.groups[clustering.find(other)], clustering.groups[home]
        if not _compatible(go, gb, False) or clustering.blocked(other, b) is not None:
            return True
    return False


def cluster(candidates: Sequence[Candidate], apart: Iterable[tuple[int, int]] = ()) -> Clustering:
    """Group the records; read the result with :meth:`Clustering.find` and ``merges``."""
    clustering = Clustering(candidates, apart)
    _merge_by_ids(clustering, candidates)
    _merge_by_title(clustering, candidates)
    return clustering
