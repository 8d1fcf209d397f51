"""Dates as the arXiv formats write them, to naive UTC."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from scholarfolio.errors import BadInput
from scholarfolio.ingest.dates import parse_iso_date, parse_iso_datetime, parse_rfc2822


def test_rfc2822_from_arxivraw_and_snapshot() -> None:
    assert parse_rfc2822("Wed, 23 Jan 2008 21:06:41 GMT") == datetime(2008, 1, 23, 21, 6, 41)
    assert parse_rfc2822("Fri, 1 Jan 1999 01:01:10 GMT") == datetime(1999, 1, 1, 1, 1, 10)


def test_iso_timestamps_are_converted_to_naive_utc() -> None:
    assert parse_iso_datetime("2017-07-27T08:18:33Z") == datetime(2017, 7, 27, 8, 18, 33)
    # The 2016 feed's own <updated> carries an offset.
    assert parse_iso_datetime("2016-10-09T00:00:00-04:00") == datetime(2016, 10, 9, 4, 0)


def test_iso_date() -> None:
    assert parse_iso_date("2008-11-26") == date(2008, 11, 26)


@pytest.mark.parametrize("text", ["", "yesterday", "32 Jan 2008"])
def test_unparseable_dates_raise_bad_input(text: str) -> None:
    with pytest.raises(BadInput):
        parse_rfc2822(text)
    with pytest.raises(BadInput):
        parse_iso_datetime(text)
    with pytest.raises(BadInput):
        parse_iso_date(text)
