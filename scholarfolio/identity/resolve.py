"""The resolution pass: which authorships are one person, with stable author ids.

Each authorship carries identity keys ("nodes"): its normalized name
("name:ravid shwartz ziv") and, when a source gives them, an ORCID and an
OpenAlex or Semantic Scholar author id. Keys on one authorship are linked, so
one person's records from several sources become one author, with two
exceptions that keep namesakes apart: a name used by two different people
according to a source (two ORCIDs or two OpenAlex ids under one name) links to
no source id, and initials stay their own name. Author ids are stable: a group
keeps the id most of its keys had at the last build (the larger part keeps it
after a split); an id that disappears in a merge redirects to the survivor.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Connection

from scholarfolio.identity.names import author_id_for, display_name
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

    @property
    def name_node(self) -> str:
        return "name:" + self.name_key


def _strong_nodes(row: AnyRow) -> list[str]:
    values = (row.orcid, row.openalex_id, row.s2_id)
    return [f"{kind}:{value}" for kind, value in zip(STRONG, values, strict=True) if value]


class _Nodes:
    """Union-find over identity keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def link(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _ambiguous_names(items: Iterable[_Authorship]) -> set[str]:
    """Names that a source says belong to two different people."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item in items:
        for node in item.strong:
            kind = node.split(":", 1)[0]
            seen[(item.name_node, kind)].add(node)
    return {name for (name, _), nodes in seen.items() if len(nodes) > 1}


def _group(items: list[_Authorship]) -> _Nodes:
    nodes = _Nodes()
    ambiguous = _ambiguous_names(items)
    for item in items:
        nodes.find(item.name_node)
        anchor = item.strong[0] if item.strong else None
        for node in item.strong[1:]:
            nodes.link(anchor or node, node)
        if anchor and item.name_node not in ambiguous:
            nodes.link(anchor, item.name_node)
    return nodes


def _anchor(item: _Authorship) -> str:
    return item.strong[0] if item.strong else item.name_node


def _choose_ids(
    members: dict[str, list[_Authorship]], node_sets: dict[str, set[str]], before: dict[str, str]
) -> dict[str, str]:
    """An author id per group root, keeping previous ids where the keys agree."""
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for root in sorted(members, key=lambda r: (-len(members[r]), r)):
        votes = Counter(before[node] for node in node_sets[root] if node in before)
        previous = [
            i for i, _ in sorted(votes.items(), key=lambda v: (-v[1], v[0])) if i not in taken
        ]
        if previous:
            chosen[root] = previous[0]
        else:
            key = Counter(item.name_key for item in members[root]).most_common(1)[0][0]
            candidate = author_id_for(key)
            chosen[root] = candidate if candidate not in taken else author_id_for(f"{key}|{root}")
        taken.add(chosen[root])
    return chosen


def resolve_authors(conn: Connection, now: datetime) -> ResolveSummary:
    """Group every authorship into authors and store ids, names and links."""
    items = [
        _Authorship(row.work_id, row.position, row.name, row.name_key, _strong_nodes(row))
        for row in batch.authorship_identities(conn)
        if row.name_key
    ]
    nodes = _group(items)
    members: dict[str, list[_Authorship]] = defaultdict(list)
    for item in items:
        members[nodes.find(_anchor(item))].append(item)
    node_sets: dict[str, set[str]] = defaultdict(set)
    for node in list(nodes.parent):
        node_sets[nodes.find(node)].add(node)
    before = batch.author_nodes_before(conn)
    existing = batch.known_author_ids(conn)
    chosen = _choose_ids(members, node_sets, before)
    rows = []
    for root, group in members.items():
        name = display_name(Counter(item.name for item in group).items())
        key = Counter(item.name_key for item in group).most_common(1)[0][0]
        rows.append((chosen[root], name, key))
    batch.replace_authors(conn, rows, now)
    batch.assign_authorships(
        conn, [(i.work_id, i.position, chosen[root]) for root, g in members.items() for i in g]
    )
    current = {
        node: chosen[root] for root, group in node_sets.items() if root in chosen for node in group
    }
    redirects = {
        old: current[node]
        for node, old in before.items()
        if node in current and current[node] != old and old not in set(chosen.values())
    }
    batch.add_redirects(conn, redirects, now)
    batch.replace_author_nodes(conn, current)
    return ResolveSummary(len(rows), len(set(chosen.values()) - existing), len(redirects))
