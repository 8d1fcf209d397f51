"""The part of the identity graph an incremental build must resolve again.

Authorships group through their keys (name, ORCID, OpenAlex and S2 author
ids; :mod:`.resolve`). Every rule, ambiguity and the co-author bridge
included, only ever joins keys that some authorships connect, so the
authorships reachable from the changed ones along shared keys group exactly
as they would among all authorships. The changed ones: those of the works the
build rederived, now and before (a key that lost its authorship may split its
author). Human decisions add links of their own; with any stored, the build
resolves everything (:func:`scholarfolio.incremental.resolve_changed`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

from sqlalchemy.engine import Connection

from scholarfolio.identity.names import display_name
from scholarfolio.identity.resolve import STRONG, Scope
from scholarfolio.store import batch, identity_scope
from scholarfolio.store.identity_scope import IdentityRow


def _nodes(row: IdentityRow) -> list[tuple[str, str]]:
    _, _, name_key, *strong = row
    if not name_key:
        # Authorships without a name key are not resolved (resolve._load).
        return []
    kinds = [("name", name_key)]
    return kinds + [(kind, value) for kind, value in zip(STRONG, strong, strict=True) if value]


def reach(conn: Connection, seeds: Iterable[IdentityRow]) -> Scope:
    """The closed scope of every authorship sharing a key, transitively, with the seeds."""
    spots: set[tuple[int, int]] = set()
    keys: set[tuple[str, str]] = set()
    frontier = {key for row in seeds for key in _nodes(row)}
    while frontier:
        keys |= frontier
        wanted: dict[str, set[str]] = defaultdict(set)
        for kind, value in frontier:
            wanted[kind].add(value)
        found: set[tuple[str, str]] = set()
        for row in identity_scope.authorships_with(conn, wanted):
            spot = (row[0], row[1])
            if spot not in spots:
                spots.add(spot)
                found.update(_nodes(row))
        frontier = found - keys
    nodes = frozenset(f"{kind}:{value}" for kind, value in keys)
    before = batch.author_nodes_before(conn, nodes)
    works = {work for work, _ in spots}
    return Scope(
        frozenset(spots),
        nodes,
        frozenset(before.values()),
        identity_scope.name_keys_by_work(conn, works),
    )


def known_authorships(
    conn: Connection, rows: Sequence[IdentityRow], rederived: Collection[int]
) -> dict[tuple[int, int], str]:
    """New authorships that change no group: the author each belongs to.

    One qualifies when an older authorship (not of a rederived work) carries
    exactly its keys, and every one of its keys already belongs to that
    author: its links repeat links already made, its name is not ambiguous
    (an ambiguous name never joins the ids of its authorships), so grouping
    every authorship again would put it with that author and change nothing
    else. Callers still leave out those the scope of the other changes reaches.
    """
    named = [row for row in rows if row[2]]
    known = identity_scope.authors_by_keys(conn, {row[2] for row in named}, rederived)
    keys = {node for row in named for node in _node_names(row)}
    before = batch.author_nodes_before(conn, keys)
    found: dict[tuple[int, int], str] = {}
    for row in named:
        authors = known.get((row[2], row[3], row[4], row[5]), set())
        owners = {before.get(node) for node in _node_names(row)}
        if len(authors) == 1 and owners == authors:
            found[(row[0], row[1])] = next(iter(authors))
    return found


def _node_names(row: IdentityRow) -> list[str]:
    return [f"{kind}:{value}" for kind, value in _nodes(row)]


def assign_known(conn: Connection, found: Mapping[tuple[int, int], str]) -> None:
    """Give each authorship its author; an author's shown name and key follow its spellings."""
    batch.assign_authorships(conn, [(work, pos, author) for (work, pos), author in found.items()])
    shown = batch.author_labels(conn, set(found.values()))
    spellings = identity_scope.spellings(conn, found)
    # One more use of the spelling an author shows (and of its key) changes neither.
    respelled = {
        author
        for spot, author in found.items()
        if spellings[spot] != shown.get(author, spellings[spot])
    }
    names = identity_scope.author_names(conn, respelled)
    batch.rename_authors(
        conn,
        [
            (
                author,
                display_name(Counter(name for name, _ in used).items()),
                Counter(key for _, key in used).most_common(1)[0][0],
            )
            for author, used in names.items()
        ],
    )
