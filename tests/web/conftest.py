"""Fixtures for the web tests: a client on the app over the real built store, and its pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from html_tree import Element, parse
from starlette.testclient import TestClient

from scholarfolio import profiles
from scholarfolio.store import Store
from scholarfolio.web.app import create_app


@pytest.fixture(scope="session")
def client(built_store: Store) -> Iterator[TestClient]:
    """A test client on the app serving the store built from the real fixture records."""
    with TestClient(create_app(built_store)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def author_id(built_store: Store) -> Callable[[str], str]:
    """The id of the one author in the fixture corpus with exactly this display name."""

    def find(name: str) -> str:
        ids = [a["id"] for a in profiles.search_authors(built_store, name) if a["name"] == name]
        assert len(ids) == 1, f"{name!r} is {len(ids)} authors in the fixture corpus"
        return str(ids[0])

    return find


@pytest.fixture(scope="session")
def page(client: TestClient) -> Callable[..., Element]:
    """GET a path, check its status and that it is HTML, and return its parsed tree."""

    def get(path: str, status: int = 200) -> Element:
        response = client.get(path)
        assert response.status_code == status, response.text[:500]
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        return parse(response.text)

    return get
