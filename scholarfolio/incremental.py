"""Incremental builds: rederive only what the records changed since the last build reach.

Ingest marks every record it adds or changes (``records.changed``); a build
clears the marks of the records it took in and notes the state of the inputs
that carry no such mark (citation claims, human work splits, identity
overrides). The next build, unless told ``full``, then

1. reclusters the changed records and every record they reach
   (:func:`scholarfolio.dedup.assign.update_works`), rewriting only those works
   and every citation from or to them;
2. resolves the authorships their keys reach (:mod:`scholarfolio.identity.scope`);
   a new authorship that repeats the keys of its author's earlier ones just
   joins that author;
3. recounts the figures of the rederived works and of the works whose citations
   may have dropped or changed their self flags; works that only gained
   citations get the new edges added. Authors of those works who lost a work or
   a citation are computed again from all their works and citations; the
   others (who only gained) from their works' stored figures, their distinct
   citing works growing by the new ones. Badges go out again over the stored
   metrics table (quotas need every author, but only as a threshold).

The result is the one a full build gives; ``tests/test_incremental.py`` checks
every derived table. A full build runs instead before the first build, when
the calendar year of the metrics changed (five-year windows and the
m-quotient depend on it), or when claims, splits or overrides changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Connection

from scholarfolio.dedup.assign import WorkChanges
from scholarfolio.identity import scope as identity_scope_rules
from scholarfolio.identity.resolve import ResolveSummary, resolve_authors
from scholarfolio.metrics import engine
from scholarfolio.metrics.batch import engine_inputs
from scholarfolio.metrics.indices import window
from scholarfolio.store import (
    batch,
    derive_citations,
    derive_scope,
    identity_scope,
    metric_delta,
    queries,
)
from scholarfolio.store.batch import BadgeQuota
from scholarfolio.store.metric_arrays import load_corpus, replace_author_metrics
from scholarfolio.store.metric_queries import METRICS_YEAR
from scholarfolio.store.schema import author_citations_by_year, work_citations_by_year
from scholarfolio.store.writes import set_meta

# The undated inputs the last build saw (absent before the first build).
INPUTS = "build_inputs"


@dataclass(frozen=True, slots=True)
class Touched:
    """What an incremental build recomputed figures for."""

    works: int
    authors: int


def full_build_reason(conn: Connection, year: int, engine_name: str) -> str | None:
    """Why the next build must be a full one, or None when an incremental build will do."""
    seen = queries.meta_value(conn, INPUTS)
    if seen is None:
        return "no earlier build"
    if engine_name != "numpy":
        return f"the {engine_name} engine computes every author"
    if queries.meta_value(conn, METRICS_YEAR) != str(year):
        return "the calendar year of the metrics changed"
    if seen != _inputs(conn, engine_name):
        return "citation claims, work splits or identity overrides changed"
    return None


def changed_records(conn: Connection) -> set[int]:
    """The records added or changed since the last build (read at a build's start)."""
    return derive_scope.changed_records(conn)


def _inputs(conn: Connection, engine_name: str) -> str:
    # The spark engine leaves work_metrics.self_citations unset: a build after
    # it must be a full one.
    return f"{derive_scope.undated_inputs(conn)}|{engine_name}"


def remember_inputs(conn: Connection, taken_in: Collection[int], engine_name: str) -> None:
    """At a build's end: clear the marks of the records it took in, note the undated inputs."""
    derive_scope.mark_built(conn, taken_in)
    set_meta(conn, INPUTS, _inputs(conn, engine_name))


def resolve_changed(
    conn: Connection, now: datetime, changes: WorkChanges
) -> tuple[ResolveSummary, dict[tuple[int, int], str | None]]:
    """Resolve the authors the changes reach; the authorships whose author changed, with the
    author they had (None for a new authorship).

    Human identity decisions add links of their own: with any stored, every
    authorship is resolved again.
    """
    if identity_scope.has_overrides(conn):
        before = derive_scope.authorship_authors(conn)
        resolved = resolve_authors(conn, now)
        after = derive_scope.authorship_authors(conn)
    else:
        rows = identity_scope.identity_rows(conn, changes.works)
        # Most new authorships repeat the keys of their author's earlier ones.
        known = identity_scope_rules.known_authorships(conn, rows, changes.works)
        seeds = [row for row in rows if (row[0], row[1]) not in known]
        scope = identity_scope_rules.reach(conn, [*seeds, *changes.identities_before])
        known = {spot: author for spot, author in known.items() if spot not in scope.authorships}
        before = identity_scope.authors_of_authorships(conn, scope.authorships)
        resolved = resolve_authors(conn, now, scope)
        identity_scope_rules.assign_known(conn, known)
        after = identity_scope.authors_of_authorships(conn, scope.authorships)
        after.update(known)
    changed = {key: before.get(key) for key, author in after.items() if before.get(key) != author}
    return resolved, changed


def update_metrics(
    conn: Connection,
    changes: WorkChanges,
    reassigned: Mapping[tuple[int, int], str | None],
    quotas: list[BadgeQuota],
    year: int,
) -> Touched:
    """Recompute the figures the changes reach, then the badges over every author."""
    # Authorships that had another author (a new work's authorships had none).
    moved = {work for (work, _), author in reassigned.items() if author is not None}
    # A work whose authors changed may now share an author with the works it
    # cites (self-citations): those count as touched too.
    moved_cites = derive_citations.cited_by(conn, moved)
    unsettled = set(changes.cited_before) | moved | moved_cites
    cited = {cited for _, cited in changes.edges}
    # Older works that only gained citations: counted up from the new edges. A
    # source's yearly counts take the larger per year, so those are counted anew.
    gaining = cited - set(changes.works) - unsettled
    gaining -= metric_delta.with_reported_years(conn, gaining)
    recount = set(changes.works) | unsettled | (cited - gaining)
    works = recount | gaining
    years_before = metric_delta.yearly(conn, work_citations_by_year, works)
    batch.compute_work_metrics(conn, recount)
    batch.compute_work_citations_by_year(conn, recount)
    by_work = metric_delta.authors_by_work(conn, {w for edge in changes.edges for w in edge})
    _count_up(conn, changes, gaining, by_work, years_before)
    years_after = metric_delta.yearly(conn, work_citations_by_year, works)
    # Authors who lost a work or a citation, or whose citations' self flags may
    # have changed, are read in full; the others only gained works or citations.
    again = set(changes.authors_before) | {a for a in reassigned.values() if a is not None}
    again |= derive_scope.authors_of_works(conn, unsettled)
    grown = derive_scope.authors_of_works(conn, works) - again
    ids, values = _recomputed(conn, again, year)
    grown_ids, grown_values = _grown(conn, grown, changes, by_work, year)
    for name, column in grown_values.items():
        values.setdefault(name, []).extend(column)
    replace_author_metrics(conn, ids + grown_ids, values, only=again | grown)
    set_meta(conn, METRICS_YEAR, str(year))
    batch.compute_citations_by_year(conn, again)
    _add_author_years(conn, grown, works, years_before, years_after)
    batch.assign_badges_by_threshold(conn, quotas)
    return Touched(len(works), len(again | grown))


def _count_up(
    conn: Connection,
    changes: WorkChanges,
    gaining: set[int],
    by_work: Mapping[int, set[str]],
    years_before: Mapping[tuple[int, int], int],
) -> None:
    """Add the new edges into works that only gained citations to their figures."""
    edges = [(citing, cited) for citing, cited in changes.edges if cited in gaining]
    when = metric_delta.citing_years(conn, {citing for citing, _ in edges})
    added: dict[int, tuple[int, int]] = {}
    years: dict[tuple[int, int], int] = {}
    for citing, cited in edges:
        more, own = added.get(cited, (0, 0))
        added[cited] = (
            more + 1,
            own + bool(by_work.get(citing, set()) & by_work.get(cited, set())),
        )
        citing_year = when.get(citing)
        if citing_year is not None:
            key = (cited, citing_year)
            years[key] = years.get(key, years_before.get(key, 0)) + 1
    metric_delta.add_work_citations(conn, added)
    metric_delta.set_yearly(conn, work_citations_by_year, years)


def _add_author_years(
    conn: Connection,
    authors: set[str],
    works: Collection[int],
    before: Mapping[tuple[int, int], int],
    after: Mapping[tuple[int, int], int],
) -> None:
    """Add each work's change of yearly citations to its authors' yearly sums."""
    change: dict[int, dict[int, int]] = {}
    for key in set(before) | set(after):
        difference = after.get(key, 0) - before.get(key, 0)
        if difference:
            change.setdefault(key[0], {})[key[1]] = difference
    sums: dict[tuple[str, int], int] = {}
    for author, work in metric_delta.pairs_of_works(conn, change):
        if author in authors:
            for year, difference in change[work].items():
                sums[(author, year)] = sums.get((author, year), 0) + difference
    current = metric_delta.yearly(conn, author_citations_by_year, {a for a, _ in sums})
    metric_delta.set_yearly(
        conn,
        author_citations_by_year,
        {key: current.get(key, 0) + difference for key, difference in sums.items()},
    )


Values = dict[str, list[int | float | None]]


def _recomputed(conn: Connection, authors: Collection[str], year: int) -> tuple[list[str], Values]:
    """Every figure of the authors, from all their works and all citations of those."""
    stored = load_corpus(conn, window(year), engine.NO_YEAR, authors)
    figures = engine.compute(engine_inputs(stored, year))
    return [stored.author_ids[i] for i in figures.authors.tolist()], engine.as_values(figures)


def _grown(
    conn: Connection,
    authors: Collection[str],
    changes: WorkChanges,
    by_work: Mapping[int, set[str]],
    year: int,
) -> tuple[list[str], Values]:
    """Every figure of authors who only gained works or citations since the last build."""
    stored = metric_delta.load_work_figures(conn, window(year), engine.NO_YEAR, authors)
    if not stored.author_ids:
        return [], {}
    figures = engine.author_indices(engine_inputs(stored, year))
    ids = [stored.author_ids[i] for i in figures.authors.tolist()]
    values = engine.as_values(figures)
    before = metric_delta.stored_citing_works(conn, ids)
    gained = _new_citing_works(conn, set(ids), changes, by_work)
    every: list[int | float | None] = []
    others: list[int | float | None] = []
    for author in ids:
        old_every, old_others = before.get(author, (0, 0))
        new_every, new_others = gained.get(author, (0, 0))
        every.append(old_every + new_every)
        others.append(old_others + new_others)
    values["citing_works"], values["citing_works_no_self"] = every, others
    return ids, values


def _new_citing_works(
    conn: Connection, authors: set[str], changes: WorkChanges, known: Mapping[int, set[str]]
) -> dict[str, tuple[int, int]]:
    """Per author: citing works of the new edges that cited none of the author's works before
    (all, and without self-citations)."""
    edges = changes.edges
    olds = {citing for citing, _ in edges if citing not in changes.works}
    earlier = [edge for edge in metric_delta.edges_from(conn, olds) if edge not in edges]
    involved = {w for edge in earlier for w in edge} - set(known)
    by_work: dict[int, set[str]] = defaultdict(set, known)
    by_work.update(metric_delta.authors_by_work(conn, involved))
    # What each old citing work already counted for: author -> (citing, non-self?).
    counted: set[tuple[str, int]] = set()
    counted_others: set[tuple[str, int]] = set()
    for citing, cited in earlier:
        shared = bool(by_work[citing] & by_work[cited])
        for author in by_work[cited] & authors:
            counted.add((author, citing))
            if not shared:
                counted_others.add((author, citing))
    fresh: set[tuple[str, int]] = set()
    fresh_others: set[tuple[str, int]] = set()
    for citing, cited in edges:
        shared = bool(by_work[citing] & by_work[cited])
        for author in by_work[cited] & authors:
            if (author, citing) not in counted:
                fresh.add((author, citing))
            if not shared and (author, citing) not in counted_others:
                fresh_others.add((author, citing))
    gained: dict[str, tuple[int, int]] = {}
    for author in authors:
        gained[author] = (0, 0)
    for author, _ in fresh:
        every, others = gained[author]
        gained[author] = (every + 1, others)
    for author, _ in fresh_others:
        every, others = gained[author]
        gained[author] = (every, others + 1)
    return gained
