"""The resolution pass: which authorships are one person, with stable author ids.

Each authorship carries identity keys ("nodes"): its normalized name
("name:ravid shwartz ziv") and, when a source gives them, an ORCID and an
OpenAlex or Semantic Scholar author id. The pass runs in four steps, each its
own function so a caller can restrict it to part of the graph:

1. load: the authorships, the human decisions (:mod:`.overrides`) as
   union-find constraints, and the keys' authors at the last build;
2. group: a union-find over the keys. Human decisions come first: their
   must-links join, their cannot-links and pins hold against every automatic
   link. Then keys on one authorship are linked, with three guards that keep
   namesakes apart: a name used by two different people according to a source
   (two ORCIDs or two OpenAlex ids under one name) links to no source id,
   initials stay their own name, and no automatic link joins two ORCIDs (one
   ORCID is one person, two are two);
3. choose ids: a group keeps the id most of its keys had at the last build
   (the larger part keeps it after a split), or the id a human decision names
   (a merge's survivor; an undone merge's absorbed author gets its id back);
4. write: authors, each authorship's author, the keys' authors, and a redirect
   for every id that disappeared into another group.

An incremental build passes a :class:`Scope`: the authorships of every key its
changes reach (:mod:`.scope`), which group exactly as they would among all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Connection

from scholarfolio import settings
from scholarfolio.identity.names import author_id_for, display_name
from scholarfolio.identity.overrides import Constraints, constraints
from scholarfolio.store import batch
from scholarfolio.store.queries import AnyRow

STRONG = ("orcid", "openalex", "s2")


@dataclass(frozen=True, slots=True)
class ResolveSummary:
    """What one resolution pass produced."""

    authors: int
    new_authors: int
    redirects: int


@dataclass(slots=True)
class _Authorship:
    work_id: int
    position: int
    name: str
    name_key: str
    strong: list[str]
    # A key of its own when a human decision names this authorship ("human:N").
    own: str | None = None
    # Linked after every automatic rule (an unclaimed authorship).
    late: bool = False

    @property
    def name_node(self) -> str:
        return "name:" + self.name_key

    @property
    def anchor(self) -> str:
        """The key whose group is the authorship's author."""
        return self.own or (self.strong[0] if self.strong else self.name_node)


@dataclass(frozen=True, slots=True)
class Scope:
    """Part of the key graph closed under every link: resolved alone, it groups as in full."""

    # The authorships to resolve, (work, position), and every key they carry
    # or carried at the last build.
    authorships: frozenset[tuple[int, int]]
    nodes: frozenset[str]
    # The authors those keys had at the last build, and the name keys of
    # every work of the authorships (the co-authors, resolved or not).
    authors: frozenset[str]
    coauthor_names: Mapping[int, frozenset[str]]


@dataclass(slots=True)
class _Loaded:
    items: list[_Authorship]
    constraints: Constraints
    before: dict[str, str]
    shared_coauthors: int


@dataclass(slots=True)
class _Groups:
    members: dict[str, list[_Authorship]]
    node_sets: dict[str, set[str]]


def _strong_nodes(row: AnyRow) -> list[str]:
    values = (row.orcid, row.openalex_id, row.s2_id)
    return [f"{kind}:{value}" for kind, value in zip(STRONG, values, strict=True) if value]


class _Nodes:
    """Union-find over identity keys with cannot-links and one ORCID per group."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.forbidden: dict[str, set[str]] = {}
        self.with_orcid: set[str] = set()

    def find(self, node: str) -> str:
        if node not in self.parent:
            self.parent[node] = node
            if node.startswith("orcid:"):
                self.with_orcid.add(node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def _union(self, ra: str, rb: str) -> None:
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        if gone in self.with_orcid:
            self.with_orcid.add(keep)
        apart = self.forbidden.pop(gone, set())
        for other in apart:
            self.forbidden[other].discard(gone)
            self.forbidden[other].add(keep)
        self.forbidden.setdefault(keep, set()).update(apart)

    def join(self, a: str, b: str) -> None:
        """A human link: joins whatever the automatic guards say."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._union(ra, rb)

    def forbid(self, a: str, b: str) -> None:
        """A human cannot-link (ignored when a human link already joined them)."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.forbidden.setdefault(ra, set()).add(rb)
            self.forbidden.setdefault(rb, set()).add(ra)

    def link(self, a: str, b: str) -> bool:
        """An automatic link: refused across a cannot-link or between two ORCIDs."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if rb in self.forbidden.get(ra, ()) or (ra in self.with_orcid and rb in self.with_orcid):
            return False
        self._union(ra, rb)
        return True


def _ambiguous_names(items: Iterable[_Authorship], nodes: _Nodes) -> set[str]:
    """Names that a source says belong to two different people.

    A name is ambiguous when its ids of one kind (ORCID, OpenAlex, S2) fall in
    two groups once the ids themselves are linked: two OpenAlex ids that an
    ORCID joins are one person (a split the source made), two ORCIDs never are.
    """
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item in items:
        for node in item.strong:
            kind = node.split(":", 1)[0]
            seen[(item.name_node, kind)].add(node)
    return {name for (name, _), ids in seen.items() if len({nodes.find(n) for n in ids}) > 1}


def _link_ids(nodes: _Nodes, item: _Authorship) -> None:
    nodes.find(item.name_node)
    for node in item.strong[1:]:
        nodes.link(item.strong[0], node)


def _link_name(nodes: _Nodes, item: _Authorship, ambiguous: set[str]) -> None:
    if item.strong and item.name_node not in ambiguous:
        nodes.link(item.strong[0], item.name_node)


def _link_late(nodes: _Nodes, item: _Authorship, ambiguous: set[str]) -> None:
    # The first of its keys it may join (strongest first) takes it, else it stays alone.
    name = [] if item.strong and item.name_node in ambiguous else [item.name_node]
    for node in [*item.strong, *name]:
        if item.own is not None and nodes.link(item.own, node):
            return


def _full_name(name_key: str) -> bool:
    parts = name_key.split()
    return len(parts) > 1 and len(parts[0]) > 1


def _bridge_by_coauthors(
    nodes: _Nodes,
    items: Sequence[_Authorship],
    ambiguous: set[str],
    shared: int,
    work_names: Mapping[int, Collection[str]] | None = None,
) -> None:
    """Join the id groups of one ambiguous full name that share ``shared`` co-authors.

    A source that split one person over several author ids (OpenAlex does)
    leaves the same full name with the same co-authors on both sides;
    namesakes rarely share two co-authors. Initials never bridge.
    """
    by_work: dict[int, list[_Authorship]] = defaultdict(list)
    for item in items:
        by_work[item.work_id].append(item)
    coauthors: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for item in items:
        bridged = item.own is None and item.strong and item.name_node in ambiguous
        if bridged and _full_name(item.name_key):
            if work_names is None:
                names = {o.name_key for o in by_work[item.work_id] if o is not item}
            else:
                # A scope holds some authorships of a work; its co-authors are all of them.
                names = set(work_names[item.work_id])
            coauthors[item.name_node][nodes.find(item.strong[0])] |= names - {item.name_key}
    for groups in coauthors.values():
        anchors = sorted(groups)
        for i, first in enumerate(anchors):
            for second in anchors[i + 1 :]:
                if len(groups[first] & groups[second]) >= shared:
                    nodes.link(first, second)


def _group(
    items: Sequence[_Authorship],
    rules: Constraints,
    shared: int = 0,
    work_names: Mapping[int, Collection[str]] | None = None,
) -> _Nodes:
    """The union-find over every key: human decisions first, then the automatic links."""
    nodes = _Nodes()
    for a, b in rules.must_link:
        nodes.join(a, b)
    for a, b in rules.cannot_link:
        nodes.forbid(a, b)
    free = [item for item in items if item.own is None]
    for item in free:
        _link_ids(nodes, item)
    if shared > 0:
        _bridge_by_coauthors(nodes, items, _ambiguous_names(items, nodes), shared, work_names)
    ambiguous = _ambiguous_names(items, nodes)
    for item in free:
        _link_name(nodes, item, ambiguous)
    for item in items:
        if item.own is not None:
            nodes.find(item.own)
        if item.late:
            _link_late(nodes, item, ambiguous)
    return nodes


def _load(conn: Connection, scope: Scope | None = None) -> _Loaded:
    rules = constraints(conn)
    items = []
    only = None if scope is None else scope.authorships
    for row in batch.authorship_identities(conn, only):
        if not row.name_key:
            continue
        item = _Authorship(row.work_id, row.position, row.name, row.name_key, _strong_nodes(row))
        spot = (row.work_id, row.position)
        item.own = rules.pinned.get(spot) or rules.late.get(spot)
        item.late = spot in rules.late
        items.append(item)
    before = batch.author_nodes_before(conn, None if scope is None else scope.nodes)
    return _Loaded(items, rules, before, settings.SHARED_COAUTHORS.get())


def _groups(items: Sequence[_Authorship], nodes: _Nodes) -> _Groups:
    members: dict[str, list[_Authorship]] = defaultdict(list)
    for item in items:
        members[nodes.find(item.anchor)].append(item)
    node_sets: dict[str, set[str]] = defaultdict(set)
    for node in list(nodes.parent):
        node_sets[nodes.find(node)].add(node)
    return _Groups(dict(members), dict(node_sets))


def _fresh_id(group: list[_Authorship], root: str, taken: set[str]) -> str:
    key = Counter(item.name_key for item in group).most_common(1)[0][0]
    candidate = author_id_for(key)
    return candidate if candidate not in taken else author_id_for(f"{key}|{root}")


def _choose_ids(
    groups: _Groups,
    before: Mapping[str, str],
    preferred: Sequence[tuple[str, str, str | None]] = (),
    held: Collection[str] = (),
) -> dict[str, str]:
    """An author id per group root: named by a human decision, else what most keys had.

    Groups that had an id choose first, so a new group never takes an id an
    existing author keeps; ``held``: ids of authors outside a scope.
    """
    members, node_sets = groups.members, groups.node_sets
    chosen: dict[str, str] = {}
    taken: set[str] = set(held)
    root_of = {node: root for root in members for node in node_sets.get(root, ())}
    for node, author_id, unless in preferred:
        root = root_of.get(node)
        if root is None or root in chosen or author_id in taken:
            continue
        if unless is None or unless not in node_sets[root]:
            chosen[root] = author_id
            taken.add(author_id)
    fresh = []
    for root in sorted(members, key=lambda r: (-len(members[r]), r)):
        if root in chosen:
            continue
        votes = Counter(before[node] for node in node_sets[root] if node in before)
        previous = [
            i for i, _ in sorted(votes.items(), key=lambda v: (-v[1], v[0])) if i not in taken
        ]
        if previous:
            chosen[root] = previous[0]
            taken.add(chosen[root])
        else:
            fresh.append(root)
    for root in fresh:
        chosen[root] = _fresh_id(members[root], root, taken)
        taken.add(chosen[root])
    return chosen


def _write(
    conn: Connection,
    groups: _Groups,
    chosen: dict[str, str],
    before: Mapping[str, str],
    now: datetime,
    scope: Scope | None = None,
) -> ResolveSummary:
    existing = batch.known_author_ids(conn)
    rows = []
    for root, group in groups.members.items():
        name = display_name(Counter(item.name for item in group).items())
        key = Counter(item.name_key for item in group).most_common(1)[0][0]
        rows.append((chosen[root], name, key))
    batch.replace_authors(conn, rows, now, None if scope is None else scope.authors)
    batch.assign_authorships(
        conn,
        [(i.work_id, i.position, chosen[root]) for root, g in groups.members.items() for i in g],
    )
    current = {
        node: chosen[root]
        for root, group in groups.node_sets.items()
        if root in chosen
        for node in group
    }
    kept = set(chosen.values())
    redirects = {
        old: current[node]
        for node, old in before.items()
        if node in current and current[node] != old and old not in kept
    }
    batch.add_redirects(conn, redirects, now)
    batch.replace_author_nodes(conn, current, None if scope is None else scope.nodes)
    return ResolveSummary(len(rows), len(kept - existing), len(redirects))


def resolve_authors(conn: Connection, now: datetime, scope: Scope | None = None) -> ResolveSummary:
    """Group every authorship (or those of ``scope``) into authors and store ids, names, links."""
    loaded = _load(conn, scope)
    names = None if scope is None else scope.coauthor_names
    nodes = _group(loaded.items, loaded.constraints, loaded.shared_coauthors, names)
    groups = _groups(loaded.items, nodes)
    held = () if scope is None else batch.known_author_ids(conn) - scope.authors
    chosen = _choose_ids(groups, loaded.before, loaded.constraints.preferred_ids, held)
    return _write(conn, groups, chosen, loaded.before, now, scope)
