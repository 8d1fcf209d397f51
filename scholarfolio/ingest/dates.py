"""Date parsing for the arXiv formats; every result is naive UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from scholarfolio.errors import BadInput


def parse_rfc2822(text: str) -> datetime:
    """Parse an e-mail style date (``Mon, 2 Apr 2007 19:18:42 GMT``) to naive UTC."""
    try:
        parsed = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError) as error:
        raise BadInput(f"not a date: {text!r}") from error
    return _naive_utc(parsed)


def parse_iso_datetime(text: str) -> datetime:
    """Parse an ISO 8601 timestamp (``2017-07-27T08:18:33Z``, any offset) to naive UTC."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise BadInput(f"not an ISO 8601 timestamp: {text!r}") from error
    return _naive_utc(parsed)


def parse_iso_date(text: str) -> date:
    """Parse a calendar date ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise BadInput(f"not a YYYY-MM-DD date: {text!r}") from error


def midnight(day: date) -> datetime:
    """The start of ``day`` as a naive UTC datetime (for formats that give only a date)."""
    return datetime(day.year, day.month, day.day)


def _naive_utc(moment: datetime) -> datetime:
    """Convert to UTC and drop the zone; a timestamp without zone is taken as UTC."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
