"""Read side of the full author metrics: one dict per author (docs/metrics.md).

:func:`author_metrics_full` is meant to extend a profile's ``metrics``: every
key it returns is new there except the five it shares with it (``works``,
``citations``, ``h_index``, ``i10_index``, ``g_index``), which hold the same
values. The yearly series with zero years filled in is
``citations_by_year_filled``, beside the existing sparse ``citations_by_year``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.queries import citations_by_year, meta_value
from scholarfolio.store.schema import author_metrics

# Filled in by every build (metrics/batch.py); absent before the first one.
METRICS_YEAR = "metrics_year"
# The five-year window of metrics.indices (store/ does not import the domain;
# a test keeps the two equal).
WINDOW_YEARS = 5
COUNTS = (
    "works",
    "citations",
    "citing_works",
    "h_index",
    "g_index",
    "i10_index",
    "citations_no_self",
    "citing_works_no_self",
    "h_index_no_self",
    "g_index_no_self",
    "i10_index_no_self",
    "citations_5y",
    "h_index_5y",
    "g_index_5y",
    "i10_index_5y",
)


def filled_years(
    by_year: Mapping[int, int], first_year: int | None, year: int | None
) -> dict[int, int]:
    """Citations per year with the years without citations filled in as 0.

    From the earlier of the first work's year and the first year with
    citations, to the later of ``year`` and the last year with citations;
    empty when there is neither a dated work nor any yearly citation.
    """
    known = [y for y, count in by_year.items() if count]
    if first_year is not None:
        known.append(first_year)
    if not known:
        return {}
    last = max([*known, *([year] if year is not None else [])])
    return {y: by_year.get(y, 0) for y in range(min(known), last + 1)}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def author_metrics_full(conn: Connection, author_id: str) -> dict[str, Any]:
    """Every computed figure of one author, JSON-ready; zeros for an author without works.

    Keys: the counts of :data:`COUNTS`; ``first_year``; ``m_quotient`` and
    ``m_quotient_no_self`` (two decimals, None without a dated work);
    ``metrics_year`` and ``window_5y`` ([first, last] calendar year of the
    five-year figures; None before the first build); ``citations_by_year_filled``.
    """
    row = conn.execute(
        sa.select(author_metrics).where(author_metrics.c.author_id == author_id)
    ).first()
    stored = meta_value(conn, METRICS_YEAR)
    year = int(stored) if stored else None
    found: dict[str, Any] = {name: (getattr(row, name) if row else 0) for name in COUNTS}
    first_year = row.first_year if row else None
    found["first_year"] = first_year
    found["m_quotient"] = _rounded(row.m_quotient if row else None)
    found["m_quotient_no_self"] = _rounded(row.m_quotient_no_self if row else None)
    found["metrics_year"] = year
    found["window_5y"] = None if year is None else [year - WINDOW_YEARS + 1, year]
    filled = filled_years(citations_by_year(conn, author_id), first_year, year)
    found["citations_by_year_filled"] = {str(y): count for y, count in filled.items()}
    return found
