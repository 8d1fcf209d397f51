"""The build step that turns source records into works with stable ids."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy.engine import Connection

from scholarfolio.dedup.cluster import Candidate, Clustering, Conflict, cluster
from scholarfolio.store import derive, queries
from scholarfolio.store.derive import Membership, RecordFacts, WorkHead
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
        Membership(f.id, work_id, joined[f.id].rule, joined[f.id].matched)
        if f.id in joined
        else Membership(f.id, work_id, FOUNDING_RULE, None)
        for f in group
    ]


def build_works(conn: Connection) -> WorkSummary:
    """Cluster every record into works and rebuild the derived work tables."""
    facts = list(derive.record_facts(conn))
    clustering = cluster([_candidate(f) for f in facts], derive.kept_apart(conn))
    grouped: dict[int, list[RecordFacts]] = defaultdict(list)
    for f in facts:
        grouped[clustering.find(f.id)].append(f)
    groups = list(grouped.values())
    previous = derive.previous_work_ids(conn)
    stored_next = int(queries.meta_value(conn, NEXT_ID_KEY) or 1)
    start = max(stored_next, max(previous.values(), default=0) + 1)
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
    derive.clear_derived_works(conn)
    derive.write_works(conn, heads, members)
    derive.rebuild_work_children(conn)
    set_meta(conn, NEXT_ID_KEY, str(max(next_id, stored_next)))
    return WorkSummary(len(heads), len(facts), len(clustering.merges), tuple(clustering.conflicts))
