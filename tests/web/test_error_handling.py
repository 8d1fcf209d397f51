"""Which status and message each kind of exception becomes."""

from __future__ import annotations

import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request

from scholarfolio.errors import BadInput, NotFound, ServeError, StoreError
from scholarfolio.web.error_handling import describe, wants_json


def _request(path: str) -> Request:
    return Request(
        {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}
    )


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (NotFound("no author with id 'x'"), (404, "no author with id 'x'")),
        (BadInput("the query is empty"), (400, "the query is empty")),
        (StoreError("not a scholarfolio store"), (500, "not a scholarfolio store")),
        (ServeError(), (500, "Server error.")),
        (HTTPException(405), (405, "Method Not Allowed")),
        (HTTPException(404), (404, "There is no page at /x.")),
        (RuntimeError("secret detail"), (500, "Internal server error.")),
    ],
)
def test_describe_maps_each_error_to_a_status(exc: Exception, expected: tuple[int, str]) -> None:
    assert describe(_request("/x"), exc) == expected


def test_api_and_health_paths_answer_errors_in_json() -> None:
    assert wants_json("/api/authors/x")
    assert wants_json("/api")
    assert wants_json("/healthz")
    assert not wants_json("/authors/x")
    assert not wants_json("/apiary")
