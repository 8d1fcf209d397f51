"""Human decisions about works: splitting records that the rules merged."""

from __future__ import annotations

from datetime import UTC, datetime

from scholarfolio.errors import BadInput, NotFound
from scholarfolio.store import Store, derive


def _parse_record(text: str) -> tuple[str, str]:
    source, sep, source_id = text.partition(":")
    if not sep or not source or not source_id:
        raise BadInput(f"--record takes SOURCE:ID, e.g. openalex:W2919115771 (got {text!r})")
    return source, source_id


def split_work(store: Store, work_id: int, record: str | None, reason: str) -> int:
    """Keep one record (or every record) of a work apart from the others; returns pairs added."""
    with store.engine.begin() as conn:
        members = derive.work_member_records(conn, work_id)
        if not members:
            raise NotFound(f"no work with id {work_id}")
        if record is None:
            chosen = list(members)
        else:
            wanted = _parse_record(record)
            chosen = [rid for rid, key in members.items() if key == wanted]
            if not chosen:
                listed = ", ".join(f"{s}:{i}" for s, i in members.values())
                raise BadInput(f"{record} is not a record of work {work_id}; its records: {listed}")
        pairs = {(min(a, b), max(a, b)) for a in chosen for b in members if a != b}
        now = datetime.now(UTC).replace(tzinfo=None)
        return derive.keep_apart(conn, sorted(pairs), reason, now)
