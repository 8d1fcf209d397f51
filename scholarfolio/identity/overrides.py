"""Human decisions about authors: merge, split, claim, unclaim, attach an ORCID, undo.

A decision is stored once (``identity_overrides``, audited: who, when, why)
and applied by every build before any automatic rule, as constraints of the
resolution's union-find (:class:`Constraints`, read by
:mod:`scholarfolio.identity.resolve`):

- ``merge A B``: A's and B's strongest identity keys are joined (must-link);
  A keeps its id, B's id redirects to it.
- ``orcid A X``: the ORCID key is joined to A's strongest key.
- ``split A --work W``: that authorship becomes its own author (it gets a key
  of its own, ``human:N``, that no automatic rule links).
- ``claim A --work W``: the authorship is pinned to A's strongest key.
- ``unclaim A --work W``: the authorship may not be A's (cannot-link); it goes
  where the other evidence puts it, else it is its own author.
- ``undo N``: the decision stops holding (the row stays, marked undone).

Decisions name authorships by work id and position, with the name key and the
source record they came from, so they find the authorship again when positions
or work ids move; authors by identity keys ("orcid:...", "openalex:A...",
"name:..."), which outlive author ids. See docs/identity.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection

from scholarfolio.errors import BadInput, NotFound
from scholarfolio.store import Store
from scholarfolio.store import identity_overrides as stored
from scholarfolio.store.queries import AnyRow

ACTIONS = ("merge", "split", "claim", "unclaim", "orcid")
# Decisions about one authorship; the latest one about an authorship wins.
PINS = ("split", "claim", "unclaim")
# Which of an author's keys stands for the author in a decision: the strongest.
_KIND_RANK = {"orcid": 0, "openalex": 1, "s2": 2, "name": 3, "human": 4}
_ORCID_DIGITS = 16


@dataclass(frozen=True, slots=True)
class Audit:
    """Who makes a decision and why (the time is taken when it is stored)."""

    by: str
    reason: str


@dataclass(frozen=True, slots=True)
class Constraints:
    """The decisions that hold, as the resolution's union-find applies them.

    ``pinned`` authorships are grouped by their own key only (plus human
    links); ``late`` ones are linked after every automatic rule, so a
    cannot-link can keep them out of the author that would otherwise take them.
    ``preferred_ids`` are (key, author id, unless key) hints, most recent first:
    the group holding the key takes the id unless it also holds the other key.
    """

    must_link: tuple[tuple[str, str], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()
    pinned: Mapping[tuple[int, int], str] = field(default_factory=dict)
    late: Mapping[tuple[int, int], str] = field(default_factory=dict)
    preferred_ids: tuple[tuple[str, str, str | None], ...] = ()


def human_node(override_id: int) -> str:
    """The identity key a split, claim or unclaim gives its authorship."""
    return f"human:{override_id}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _audit_values(audit: Audit) -> dict[str, Any]:
    if not audit.reason.strip():
        raise BadInput("a reason is required (--reason): the audit log says why")
    if not audit.by.strip():
        raise BadInput("who decides is required (--by)")
    return {
        "reason": audit.reason.strip(),
        "created_by": audit.by.strip()[:120],
        "created_at": _now(),
    }


def _existing(conn: Connection, author_id: str) -> str:
    if stored.author_exists(conn, author_id):
        return author_id
    moved = stored.redirected_ids(conn).get(author_id)
    if moved is not None:
        raise BadInput(f"author {author_id!r} was merged into {moved!r}; name {moved!r}")
    raise NotFound(f"no author with id {author_id!r}; try 'scholarfolio authors QUERY'")


def author_anchor(conn: Connection, author_id: str) -> str:
    """The identity key that stands for the author: strongest kind, then most used."""
    nodes = stored.nodes_of(conn, author_id)
    if not nodes:
        raise NotFound(f"author {author_id!r} has no identity keys yet; run 'scholarfolio build'")
    used: Counter[str] = Counter()
    for row in stored.authorships_of(conn, author_id):
        used["name:" + row.name_key] += 1
        for kind, value in (("orcid", row.orcid), ("openalex", row.openalex_id), ("s2", row.s2_id)):
            if value:
                used[f"{kind}:{value}"] += 1
    return min(nodes, key=lambda n: (_KIND_RANK.get(n.split(":", 1)[0], 9), -used[n], n))


def merge(store: Store, survivor: str, absorbed: str, audit: Audit) -> int:
    """Make ``absorbed`` part of ``survivor`` from now on; returns the decision's id."""
    with store.engine.begin() as conn:
        values = _audit_values(audit)
        if survivor == absorbed:
            raise BadInput(f"{survivor!r} and {absorbed!r} are already one author")
        _existing(conn, survivor)
        _existing(conn, absorbed)
        nodes = {
            "survivor": author_anchor(conn, survivor),
            "absorbed": author_anchor(conn, absorbed),
        }
        row = {"action": "merge", "author_id": survivor, "other_id": absorbed, "nodes": nodes}
        return stored.insert_override(conn, {**row, **values})


def normalized_orcid(text: str) -> str:
    """The bare ORCID (``0000-0002-1825-0097``) of an ORCID or its URL; BadInput if invalid."""
    digits = "".join(ch for ch in text.strip().rsplit("/", 1)[-1].upper() if ch not in "- ")
    if len(digits) != _ORCID_DIGITS or not digits[:-1].isdigit() or digits[-1] not in "0123456789X":
        raise BadInput(f"{text!r} is not an ORCID (16 digits, e.g. 0000-0002-1825-0097)")
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        raise BadInput(f"{text!r} is not an ORCID: its check digit is wrong")
    return "-".join(digits[i : i + 4] for i in range(0, _ORCID_DIGITS, 4))


def attach_orcid(store: Store, author_id: str, orcid: str, audit: Audit) -> int:
    """Say the ORCID is the author's: authorships carrying it join the author."""
    bare = normalized_orcid(orcid)
    with store.engine.begin() as conn:
        values = _audit_values(audit)
        _existing(conn, author_id)
        if f"orcid:{bare}" in stored.nodes_of(conn, author_id):
            raise BadInput(f"{bare} is already {author_id!r}'s ORCID")
        nodes = {"author": author_anchor(conn, author_id), "orcid": f"orcid:{bare}"}
        row = {"action": "orcid", "author_id": author_id, "orcid": bare, "nodes": nodes}
        return stored.insert_override(conn, {**row, **values})


def _work(conn: Connection, work: str) -> int:
    found = stored.work_id_for(conn, work.strip())
    if found is None:
        raise NotFound(f"no work {work!r} (give a work id, arXiv id, DOI or OpenAlex W id)")
    return found


def _listed(rows: Sequence[AnyRow]) -> str:
    return "; ".join(f"{r.position} {r.name} ({r.author_id})" for r in rows)


def _compatible(key: str, other: str) -> bool:
    """Could two name keys be one person: same surname, same first initial when both have one."""
    a, b = key.split(), other.split()
    if not a or not b:
        return False
    surnames = {a[-1], "".join(a[-2:])} & {b[-1], "".join(b[-2:])}
    if not surnames:
        return False
    return len(a) < 2 or len(b) < 2 or a[0][0] == b[0][0]


def _one(rows: list[AnyRow], work_id: int, what: str, everyone: Sequence[AnyRow]) -> AnyRow:
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise BadInput(f"work {work_id} has no {what}; its authors: {_listed(everyone)}")
    raise BadInput(f"work {work_id} has several {what}: {_listed(rows)}; add --position")


def _authorship(
    conn: Connection, author_id: str, work: str, position: int | None, mine: bool
) -> AnyRow:
    """The authorship a pin names: the author's own (``mine``) or one to claim."""
    work_id = _work(conn, work)
    everyone = stored.work_authorships(conn, [work_id])
    rows = [r for r in everyone if position is None or r.position == position]
    if mine:
        return _one(
            [r for r in rows if r.author_id == author_id], work_id, "such authorship", everyone
        )
    if position is not None and rows and rows[0].author_id == author_id:
        raise BadInput(f"the authorship at position {position} of work {work_id} is already theirs")
    keys = {r.name_key for r in stored.authorships_of(conn, author_id)}
    others = [r for r in rows if r.author_id != author_id]
    if position is None:
        others = [r for r in others if any(_compatible(r.name_key, k) for k in keys)]
    return _one(others, work_id, "other authorship with a compatible name", everyone)


def _pin(
    store: Store, action: str, author_id: str, work: str, position: int | None, audit: Audit
) -> int:
    with store.engine.begin() as conn:
        values = _audit_values(audit)
        _existing(conn, author_id)
        ship = _authorship(conn, author_id, work, position, mine=action != "claim")
        if action == "split" and len(stored.authorships_of(conn, author_id)) < 2:
            raise BadInput(f"that is {author_id!r}'s only authorship: nothing to split off")
        row = {
            "action": action,
            "author_id": author_id,
            "work_id": ship.work_id,
            "position": ship.position,
            "name_key": ship.name_key,
            "record": f"{ship.source}:{ship.source_id}",
            "nodes": {"author": author_anchor(conn, author_id)},
        }
        return stored.insert_override(conn, {**row, **values})


def split(store: Store, author_id: str, work: str, position: int | None, audit: Audit) -> int:
    """Take the author's authorship on a work out into an author of its own."""
    return _pin(store, "split", author_id, work, position, audit)


def claim(store: Store, author_id: str, work: str, position: int | None, audit: Audit) -> int:
    """Say the authorship on a work (the compatible name, or ``position``) is the author's."""
    return _pin(store, "claim", author_id, work, position, audit)


def unclaim(store: Store, author_id: str, work: str, position: int | None, audit: Audit) -> int:
    """Say the author's authorship on a work is not theirs."""
    return _pin(store, "unclaim", author_id, work, position, audit)


def undo(store: Store, override_id: int, audit: Audit) -> int:
    """Stop applying a decision (kept in the log, marked undone); returns the undo's id."""
    with store.engine.begin() as conn:
        values = _audit_values(audit)
        target = stored.override(conn, override_id)
        if target is None:
            raise NotFound(
                f"no identity decision {override_id}; see 'scholarfolio identity history'"
            )
        if target.action == "undo":
            raise BadInput(f"{override_id} is an undo; make the decision again instead")
        if target.undone_by is not None:
            raise BadInput(f"decision {override_id} was already undone by {target.undone_by}")
        row = {
            "action": "undo",
            "author_id": target.author_id,
            "other_id": target.other_id,
            "undoes": override_id,
            "nodes": {},
        }
        undo_id = stored.insert_override(conn, {**row, **values})
        stored.mark_undone(conn, override_id, undo_id)
        return undo_id


def _entry(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "action": row.action,
        "author": row.author_id,
        "other": row.other_id,
        "work": row.work_id,
        "position": row.position,
        "orcid": row.orcid,
        "undoes": row.undoes,
        "by": row.created_by,
        "at": row.created_at.isoformat(timespec="seconds") + "Z",
        "reason": row.reason,
        "undone_by": row.undone_by,
        "undone": row.undone_by is not None,
    }


def history(store: Store, author_id: str | None = None) -> list[dict[str, Any]]:
    """The audit log (one author's decisions, if given), oldest first."""
    with store.engine.connect() as conn:
        return [_entry(row) for row in stored.overrides(conn, author_id)]


def decisions_about(conn: Connection, author_id: str) -> list[dict[str, Any]]:
    """The decisions that hold and name this author: evidence for their profile.

    Of several decisions about one authorship only the latest holds, so only it is listed.
    """
    latest: dict[tuple[int, int], int] = {}
    active = stored.active_overrides(conn)
    for row in active:
        if row.action in PINS:
            latest[(row.work_id, row.position)] = row.id
    return [
        _entry(row)
        for row in active
        if author_id in (row.author_id, row.other_id)
        and (row.action not in PINS or latest[(row.work_id, row.position)] == row.id)
    ]


def _spot(candidates: Sequence[AnyRow], row: AnyRow) -> tuple[int, int] | None:
    """Where a pinned authorship is now: same work and position, else its name on its record."""
    source, _, source_id = (row.record or "").partition(":")
    same_name = [c for c in candidates if c.name_key == row.name_key]
    ranked = [
        [c for c in same_name if c.work_id == row.work_id and c.position == row.position],
        [c for c in same_name if (c.source, c.source_id) == (source, source_id)],
        same_name,
    ]
    for found in ranked:
        spots = {(c.work_id, c.position) for c in found}
        if len(spots) == 1:
            return spots.pop()
    return None


def _locate(conn: Connection, rows: Sequence[AnyRow]) -> dict[int, tuple[int, int]]:
    located: dict[int, tuple[int, int]] = {}
    for row in rows:
        source, _, source_id = (row.record or "").partition(":")
        works = {row.work_id, *stored.works_of_record(conn, source, source_id)}
        spot = _spot(stored.work_authorships(conn, sorted(works)), row)
        if spot is not None:
            located[row.id] = spot
    return located


def constraints(conn: Connection) -> Constraints:
    """The decisions that hold, as union-find constraints over this build's authorships."""
    active = stored.active_overrides(conn)
    located = _locate(conn, [row for row in active if row.action in PINS])
    must: list[tuple[str, str]] = []
    cannot: list[tuple[str, str]] = []
    pinned: dict[tuple[int, int], str] = {}
    late: dict[tuple[int, int], str] = {}
    hints: list[tuple[int, tuple[str, str, str | None]]] = []
    for row in active:
        nodes = row.nodes
        if row.action == "merge":
            must.append((nodes["survivor"], nodes["absorbed"]))
            hints.append((row.id, (nodes["survivor"], row.author_id, None)))
        elif row.action == "orcid":
            must.append((nodes["author"], nodes["orcid"]))
        elif row.id in located:
            spot, own = located[row.id], human_node(row.id)
            pinned.pop(spot, None)
            late.pop(spot, None)
            if row.action == "unclaim":
                late[spot] = own
                cannot.append((own, nodes["author"]))
            else:
                pinned[spot] = own
                if row.action == "claim":
                    must.append((own, nodes["author"]))
    hints.extend(_returning_ids(conn))
    return Constraints(
        tuple(must),
        tuple(cannot),
        pinned,
        late,
        tuple(hint for _, hint in sorted(hints, key=lambda h: -h[0])),
    )


def _returning_ids(conn: Connection) -> list[tuple[int, tuple[str, str, str | None]]]:
    """Undone merges whose absorbed id still redirects: that author takes its id back."""
    redirected = stored.redirected_ids(conn)
    return [
        (row.id, (row.nodes["absorbed"], row.other_id, row.nodes["survivor"]))
        for row in stored.overrides(conn)
        if row.action == "merge" and row.undone_by is not None and row.other_id in redirected
    ]
