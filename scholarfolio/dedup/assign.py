"""The build step that turns source records into works with stable ids."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy.engine import Connection

from scholarfolio.dedup.cluster import Candidate, Clustering, Conflict, cluster, title_bucket
from scholarfolio.store import derive, derive_citations, derive_scope, identity_scope, queries
from scholarfolio.store.derive import Membership, RecordFacts, WorkHead
from scholarfolio.store.identity_scope import IdentityRow
from scholarfolio.store.writes import set_meta

# Whose metadata a work shows when several sources describe it: arXiv keeps
# versions and abstracts, Crossref is the publisher's own record.
SOURCE_PRIORITY = {"arxiv": 0, "crossref": 1, "openalex": 2, "s2": 3, "csl": 4, "bibtex": 5}
FOUNDING_RULE = "first record"
NEXT_ID_KEY = "next_work_id"


@dataclass(frozen=True, slots=True)
class WorkSummary:
    """What deriving the works did."""

    works: int
    records: int
    merges: int
    conflicts: tuple[Conflict, ...]


@dataclass(frozen=True, slots=True)
class WorkChanges:
    """What an incremental build rederived (every later step starts from this)."""

    # The records clustered again, the work ids they had and have now.
    records: frozenset[int]
    removed: frozenset[int]
    works: frozenset[int]
    # The works the removed works cited (their citation counts may drop).
    cited_before: frozenset[int]
    # The authors the removed works had.
    authors_before: frozenset[str]
    # The citations from or to the rederived works (citing, cited).
    edges: frozenset[tuple[int, int]]
    # The identity keys of the removed works' authorships (work, position, name
    # key, ORCID, OpenAlex id, S2 id).
    identities_before: tuple[IdentityRow, ...]


def _candidate(facts: RecordFacts) -> Candidate:
    return Candidate(
        record_id=facts.id,
        source=facts.source,
        ids=frozenset(facts.ids),
        title_key=facts.title_key,
        year=facts.year,
        surnames=frozenset(name for name in facts.surnames if len(name) >= 2),
    )


def _priority(facts: RecordFacts) -> tuple[int, int]:
    return SOURCE_PRIORITY.get(facts.source, len(SOURCE_PRIORITY)), facts.id


def _date(group: Sequence[RecordFacts]) -> datetime | None:
    submitted = [f.first_submitted for f in group if f.first_submitted is not None]
    if submitted:
        return min(submitted)
    published = [f.published for f in group if f.published is not None]
    return datetime.combine(min(published), time()) if published else None


def _year(group: Sequence[RecordFacts], when: datetime | None) -> int | None:
    if when is not None:
        return when.year
    years = [f.year for f in group if f.year is not None]
    return min(years) if years else None


def _stable_ids(
    groups: list[list[RecordFacts]], previous: dict[int, int], next_id: int
) -> tuple[list[int], int]:
    """A work id per group: the id most of its records had, the largest group first."""
    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), groups[i][0].id))
    taken: set[int] = set()
    ids = [0] * len(groups)
    for index in order:
        votes = Counter(previous[f.id] for f in groups[index] if f.id in previous)
        choice = next(
            (
                wid
                for wid, _ in sorted(votes.items(), key=lambda v: (-v[1], v[0]))
                if wid not in taken
            ),
            None,
        )
        if choice is None:
            choice, next_id = next_id, next_id + 1
        taken.add(choice)
        ids[index] = choice
    return ids, next_id


def _memberships(
    clustering: Clustering, group: list[RecordFacts], work_id: int
) -> list[Membership]:
    joined = {m.record_id: m for m in clustering.merges}
    return [
        Membership(
            f.id,
            work_id,
            joined[f.id].rule if f.id in joined else FOUNDING_RULE,
            joined[f.id].matched if f.id in joined else None,
            title_bucket(f.title_key),
        )
        for f in group
    ]


def build_works(conn: Connection) -> WorkSummary:
    """Cluster every record into works and rebuild the derived work tables."""
    facts = list(derive.record_facts(conn))
    derived = _derive(conn, facts, derive.previous_work_ids(conn))
    derive.clear_derived_works(conn)
    return _write(conn, derived, scoped=False)


def _reach(conn: Connection, changed: set[int]) -> set[int]:
    """The changed records and every record they meet, met at the last build, or reach."""
    before = derive.previous_work_ids(conn, changed)
    old_works = set(before.values())
    frontier = set(changed)
    frontier |= derive_scope.records_of_works(conn, old_works)
    frontier |= derive_scope.records_holding(conn, derive_scope.ids_of_works(conn, old_works))
    frontier |= derive_scope.records_in_buckets(conn, derive_scope.stored_buckets(conn, changed))
    reached: set[int] = set()
    while frontier:
        reached |= frontier
        buckets = {title_bucket(key) for key in derive_scope.title_keys(conn, frontier)}
        works_then = set(derive.previous_work_ids(conn, frontier).values())
        found = derive_scope.records_holding(conn, derive_scope.ids_of_records(conn, frontier))
        found |= derive_scope.records_in_buckets(conn, {b for b in buckets if b is not None})
        found |= derive_scope.records_of_works(conn, works_then)
        frontier = found - reached
    return reached


def update_works(conn: Connection, changed: set[int]) -> tuple[WorkSummary, WorkChanges]:
    """Rederive only the works of the ``changed`` records and of the records they reach.

    Gives the same works, ids and members as :func:`build_works` would: the
    records outside the reach keep the clustering they had (docs/performance.md).
    """
    scope = _reach(conn, changed)
    facts = list(derive.record_facts(conn, scope))
    previous = derive.previous_work_ids(conn, scope)
    removed = frozenset(previous.values())
    derived = _derive(conn, facts, previous, derive.largest_work_id(conn))
    cited_before = derive_citations.cited_by(conn, removed)
    authors_before = frozenset(derive_scope.authors_of_works(conn, removed))
    identities_before = tuple(identity_scope.identity_rows(conn, removed))
    derive.clear_derived_works(conn, removed)
    result = _write(conn, derived, scoped=True)
    new_works = frozenset(h.id for h in derived.heads)
    derive.rebuild_work_children(conn, new_works)
    edges = frozenset(derive_citations.rebuild_citations_of(conn, new_works))
    changes = WorkChanges(
        frozenset(scope),
        removed,
        new_works,
        frozenset(cited_before),
        authors_before,
        edges,
        identities_before,
    )
    return result, changes


@dataclass(frozen=True, slots=True)
class _Derived:
    heads: list[WorkHead]
    members: list[Membership]
    next_id: int
    stored_next: int
    summary: WorkSummary


def _derive(
    conn: Connection,
    facts: list[RecordFacts],
    previous: dict[int, int],
    largest: int | None = None,
) -> _Derived:
    clustering = cluster([_candidate(f) for f in facts], derive.kept_apart(conn))
    grouped: dict[int, list[RecordFacts]] = defaultdict(list)
    for f in facts:
        grouped[clustering.find(f.id)].append(f)
    groups = list(grouped.values())
    stored_next = int(queries.meta_value(conn, NEXT_ID_KEY) or 1)
    if largest is None:
        largest = max(previous.values(), default=0)
    start = max(stored_next, largest + 1)
    ids, next_id = _stable_ids(groups, previous, start)
    heads: list[WorkHead] = []
    members: list[Membership] = []
    for work_id, group in zip(ids, groups, strict=True):
        when = _date(group)
        representative = min(group, key=_priority)
        author_source = min(group, key=lambda f: (-f.author_count, *_priority(f)))
        heads.append(
            WorkHead(work_id, representative.id, author_source.id, when, _year(group, when))
        )
        members.extend(_memberships(clustering, group, work_id))
    summary = WorkSummary(
        len(heads), len(facts), len(clustering.merges), tuple(clustering.conflicts)
    )
    return _Derived(heads, members, next_id, stored_next, summary)


def _write(conn: Connection, derived: _Derived, scoped: bool) -> WorkSummary:
    derive.write_works(conn, derived.heads, derived.members, scoped=scoped)
    if not scoped:
        derive.rebuild_work_children(conn)
    set_meta(conn, NEXT_ID_KEY, str(max(derived.next_id, derived.stored_next)))
    return derived.summary
