"""The all-author metrics pass and the badge rules."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.engine import Connection

from scholarfolio import settings
from scholarfolio.store import batch
from scholarfolio.store.batch import BadgeQuota

FAMOUS = "Famous Author"
PROLIFIC = "Prolific Author"


def badge_quotas(environ: Mapping[str, str] | None = None) -> list[BadgeQuota]:
    """The badge rules from the settings registry (see docs/metrics.md)."""
    return [
        BadgeQuota(
            FAMOUS,
            "citations",
            settings.FAMOUS_TOP_FRACTION.get(environ),
            settings.FAMOUS_MIN_CITATIONS.get(environ),
        ),
        BadgeQuota(
            PROLIFIC,
            "works",
            settings.PROLIFIC_TOP_FRACTION.get(environ),
            settings.PROLIFIC_MIN_WORKS.get(environ),
        ),
    ]


def compute_all(conn: Connection, quotas: list[BadgeQuota]) -> None:
    """Per-work citations, then every author's metrics, yearly citations and badges."""
    batch.compute_work_metrics(conn)
    batch.compute_work_citations_by_year(conn)
    batch.compute_author_metrics(conn)
    batch.compute_citations_by_year(conn)
    batch.assign_badges(conn, quotas)
