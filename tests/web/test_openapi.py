"""The API description: valid OpenAPI 3.1, every route of the app in it, and its docs page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from html_tree import Element
from openapi_spec_validator import validate
from starlette.routing import Route
from starlette.testclient import TestClient

from scholarfolio import works
from scholarfolio.store import Store
from scholarfolio.web.app import create_app

Page = Callable[..., Element]
# Starlette writes a typed parameter as {name:type}; OpenAPI as {name}.
_CONVERTOR = re.compile(r"\{(\w+):\w+\}")


def _routes(store: Store) -> dict[str, set[str]]:
    """Every route of the app's route table: its path in OpenAPI form and its methods."""
    found: dict[str, set[str]] = {}
    for route in create_app(store).routes:
        if isinstance(route, Route):
            path = _CONVERTOR.sub(r"{\1}", route.path)
            found[path] = {method.lower() for method in route.methods or ()} - {"head"}
    return found


def _document(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document: dict[str, Any] = response.json()
    return document


def test_the_document_is_valid_openapi_3_1(client: TestClient) -> None:
    document = _document(client)
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_route_of_the_app_is_documented_and_nothing_else(
    built_store: Store, client: TestClient
) -> None:
    routes = _routes(built_store)
    paths = _document(client)["paths"]
    undocumented = sorted(set(routes) - set(paths))
    assert undocumented == [], f"add these routes to scholarfolio/web/openapi.py: {undocumented}"
    assert sorted(set(paths) - set(routes)) == []
    for path, methods in routes.items():
        assert set(paths[path]) == methods, path


def test_every_path_parameter_is_declared(client: TestClient) -> None:
    for path, methods in _document(client)["paths"].items():
        named = set(re.findall(r"\{(\w+)\}", path))
        for operation in methods.values():
            declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert declared == named, path


def test_json_routes_describe_their_body_and_errors(client: TestClient) -> None:
    document = _document(client)
    schemas = document["components"]["schemas"]
    for path in ("/api/works/{work_id}", "/api/authors/{author_id}", "/api/search"):
        operation = document["paths"][path]["get"]
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["$ref"].removeprefix("#/components/schemas/") in schemas
        error = operation["responses"]["400"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/Error"}
    work = schemas["Work"]["properties"]
    assert work["cited_by"] == {"$ref": "#/components/schemas/WorkListing"}
    assert set(schemas["WorkListing"]["required"]) == {
        "total",
        "page",
        "per_page",
        "pages",
        "works",
    }


def test_the_work_schema_names_every_key_of_a_real_work(
    built_store: Store, client: TestClient
) -> None:
    schema = _document(client)["components"]["schemas"]["Work"]
    (entry,) = works.list_works(built_store, "1411.4413")
    work = client.get(f"/api/works/{entry['id']}").json()
    assert sorted(set(work) - set(schema["properties"])) == []


def test_the_docs_page_lists_every_route_and_schema(client: TestClient, page: Page) -> None:
    document = _document(client)
    doc = page("/api/docs")
    headings = [h.text() for h in doc.find_all("h2")]
    for path in document["paths"]:
        assert f"GET {path}" in headings
    operation = doc.find("section", attrs={"id": "get_api_works_work_id"})
    rows = [row.find("th").text() for row in operation.find("table").find("tbody").find_all("tr")]
    assert rows == ["work_id (required)", "cites_page", "cited_by_page", "per_page"]
    body = operation.find_all("table")[1].find("tbody").find("tr")
    assert body.find("a").attrs["href"] == "#schema-Work"
    assert doc.find("section", attrs={"id": "schema-Work"})
