"""Why an author's authorships are one author: shared keys and human decisions.

The profile's "why these papers are grouped" section and the operator's page of
an author (web/admin_views.py) both read these dicts.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.engine import Connection

from scholarfolio.errors import NotFound
from scholarfolio.identity.overrides import decisions_about
from scholarfolio.store import Store
from scholarfolio.store import identity_overrides as stored

_KINDS = (("orcid", "ORCID"), ("openalex", "OpenAlex author id"), ("s2", "Semantic Scholar id"))


def grouping(conn: Connection, author_id: str) -> dict[str, Any]:
    """The evidence that holds the author's authorships together.

    ``keys``: each ORCID, source author id and name key with how many of the
    authorships carry it; ``decisions``: the human decisions that hold and name
    the author; ``may_be_several_people``: the group rests on a name alone (no
    ORCID, no source id, no human decision), the weakest evidence.
    """
    rows = stored.authorships_of(conn, author_id)
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        counts[("name", row.name_key)] += 1
        for kind, value in (("orcid", row.orcid), ("openalex", row.openalex_id), ("s2", row.s2_id)):
            if value:
                counts[(kind, value)] += 1
    labels = dict(_KINDS) | {"name": "name"}
    order = {kind: rank for rank, kind in enumerate(labels)}
    keys = [
        {"kind": kind, "label": labels[kind], "value": value, "authorships": n}
        for (kind, value), n in sorted(
            counts.items(), key=lambda c: (order[c[0][0]], -c[1], c[0][1])
        )
    ]
    decisions = [
        {
            k: entry[k]
            for k in ("id", "action", "author", "other", "work", "orcid", "by", "at", "reason")
        }
        for entry in decisions_about(conn, author_id)
    ]
    by_name_only = all(key["kind"] == "name" for key in keys)
    return {
        "authorships": len(rows),
        "keys": keys,
        "decisions": decisions,
        "may_be_several_people": by_name_only and len(rows) > 1 and not decisions,
    }


def author_sheet(store: Store, author_id: str) -> dict[str, Any]:
    """What an operator sees of one author: authorships, evidence, every decision."""
    with store.engine.connect() as conn:
        name = stored.author_name(conn, author_id)
        if name is None:
            raise NotFound(f"no author with id {author_id!r}")
        listing = [
            {
                "work": row.work_id,
                "position": row.position,
                "name": row.name,
                "title": row.title,
                "year": row.year,
            }
            for row in stored.authorship_listing(conn, author_id)
        ]
        return {
            "id": author_id,
            "name": name,
            "authorships": listing,
            "grouping": grouping(conn, author_id),
        }
