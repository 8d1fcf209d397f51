"""Hostile strings through every parameter of every route, and no SQL built by formatting data.

The routes and their parameters come from the app itself (its route table and
the OpenAPI document it serves, which a test keeps complete), so a new route or
parameter is attacked without anyone listing it here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

import scholarfolio
from scholarfolio import profiles
from scholarfolio.store import Store
from scholarfolio.store.schema import metadata
from scholarfolio.web.app import create_app

SCRIPT = "<script>alert(1)</script>"
HOSTILE = (
    "' OR 1=1 --",
    '"; DROP TABLE works; --',
    "1; DELETE FROM authors",
    "') UNION SELECT name, 1 FROM sqlite_master --",
    "%00",
    "\x00",
    "a\x00b",
    "%",
    "\\",
    "../../etc/passwd",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "\u202eevil\u202c",
    "名前 Ünïcødé 🦀",
    "\ud7ff\ufffd\uffff",
    "²³",
    "٣",
    "-1",
    "0",
    "99999999999999999999999999999",
    "1e309",
    "NaN",
    "",
    " ",
    "*",
    "[]",
    "{}",
    "x" * 600,
    "y" * 5000,
)
# What a hostile request may be answered with: never a 5xx.
SANE = {200, 301, 302, 303, 307, 308, 400, 404, 414}


@pytest.fixture(scope="module")
def real_ids(built_store: Store) -> dict[str, str]:
    """A real author id and work id, so hostile query parameters reach their view."""
    author = profiles.search_authors(built_store, "Lefrançois")[0]["id"]
    work = profiles.get_profile(built_store, author, profiles.WorkListing())["works"][0]["id"]
    return {"author_id": str(author), "work_id": str(work)}


def row_counts(store: Store) -> dict[str, int]:
    """Rows in every table of the schema."""
    with store.engine.connect() as conn:
        return {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
        }


def operations(client: TestClient) -> dict[str, list[dict[str, Any]]]:
    """Every GET path of the served OpenAPI document with its parameters."""
    document = client.get("/api/openapi.json").json()
    return {path: ops["get"].get("parameters", []) for path, ops in document["paths"].items()}


def attacks(operations: dict[str, list[dict[str, Any]]], real_ids: dict[str, str]) -> Iterator[str]:
    """Each path with each hostile value in each parameter in turn, the others real."""
    for template, parameters in operations.items():
        names = [(p["name"], p["in"]) for p in parameters]
        real = {name: quote(real_ids[name], safe="") for name, where in names if where == "path"}
        for name, where in names:
            for value in HOSTILE:
                if where == "path":
                    yield template.format(**{**real, name: quote(value, safe="")})
                else:
                    yield template.format(**real) + f"?{name}={quote(value, safe='')}"


def test_the_attacked_routes_are_every_route_of_the_app(
    built_store: Store, client: TestClient
) -> None:
    documented = set(operations(client))
    for route in create_app(built_store).routes:
        if isinstance(route, Route):
            assert re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path) in documented
        else:
            # The static files and the operator pages: attacked by the tests below.
            assert isinstance(route, Mount) and route.path in ("/static", "/admin")


def test_hostile_parameters_get_sane_answers_and_change_nothing(
    built_store: Store, client: TestClient, real_ids: dict[str, str]
) -> None:
    before = row_counts(built_store)
    answered: dict[int, int] = {}
    for url in attacks(operations(client), real_ids):
        response = client.get(url, follow_redirects=False)
        assert response.status_code in SANE, (url[:200], response.status_code, response.text[:300])
        answered[response.status_code] = answered.get(response.status_code, 0) + 1
        if response.headers.get("content-type", "").startswith("text/html"):
            assert SCRIPT not in response.text, url
            assert "<img src=x" not in response.text, url
    assert row_counts(built_store) == before
    # The attack reached the views, not only the guard: most answers come from them.
    assert answered[200] > 50 and answered[400] > 300 and answered[404] > 100
    assert answered[414] >= len(operations(client))


def test_hostile_static_paths_stay_in_the_static_folder(client: TestClient) -> None:
    for name in ("../app.py", "..%2Fapp.py", "%2e%2e/app.py", "/etc/passwd", "%00", "style.css%00"):
        response = client.get(f"/static/{name}")
        assert response.status_code in (400, 404), name
        assert "create_app" not in response.text


def test_hostile_login_forms_change_nothing(
    built_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_ADMIN_TOKEN", "operator-token-0123456789")
    admin = TestClient(create_app(built_store))
    before = row_counts(built_store)
    for value in HOSTILE:
        form = admin.get(f"/admin/login?next={quote(value, safe='')}")
        assert form.status_code in (200, 400, 414)
        assert SCRIPT not in form.text
        answer = admin.post(
            "/admin/login", data={"token": value, "next": value}, follow_redirects=False
        )
        assert answer.status_code in (400, 403, 429), value[:50]
        assert SCRIPT not in answer.text
    assert row_counts(built_store) == before


# --- no SQL text built from data ------------------------------------------------------

PACKAGE = Path(scholarfolio.__file__).parent
# Calls whose first argument is SQL text.
SQL_SINKS = {"execute", "executemany", "executescript", "exec_driver_sql", "text", "literal_column"}
SQL_WORDS = re.compile(
    r"\b(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|DROP|CREATE|ALTER|WHERE|VALUES|PRAGMA)\b"
)
# The formatted SQL there is, each built only from fixed names of our own, never data:
# (file, the formatted expression) -> why it is safe. A new entry needs the same proof.
WHITELIST = {
    (
        "store/search_index.py",
        "f\"INSERT INTO {table}({table}) VALUES ('rebuild')\"",
    ): "table runs over the constants WORKS_INDEX and AUTHORS_INDEX (FTS5's rebuild command)",
    (
        "store/search_index.py",
        "f'-bm25({WORKS_INDEX}, {weights})'",
    ): "the FTS5 table's constant name and the constants TITLE_WEIGHT, ABSTRACT_WEIGHT",
    (
        "store/backup.py",
        "f'DROP TABLE IF EXISTS {quoted} CASCADE'",
    ): "table names from the database's own catalog, quoted by the dialect's identifier quoting",
}


def _formatted(node: ast.expr) -> bool:
    """Whether ``node`` builds a string at run time (f-string, %, +, .format)."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def _literal_text(node: ast.expr) -> str:
    """The constant parts of a string-building expression."""
    return " ".join(
        part.value
        for part in ast.walk(node)
        if isinstance(part, ast.Constant) and isinstance(part.value, str)
    )


def formatted_sql_in(tree: ast.AST) -> set[str]:
    """Every SQL string ``tree`` builds at run time: passed to a SQL call, or reading as SQL."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = node.func
            sink = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if sink in SQL_SINKS and node.args and _formatted(node.args[0]):
                found.add(ast.unparse(node.args[0]))
        elif (
            isinstance(node, (ast.JoinedStr, ast.BinOp))
            and _formatted(node)
            and SQL_WORDS.search(_literal_text(node))
        ):
            found.add(ast.unparse(node))
    return found


def formatted_sql() -> set[tuple[str, str]]:
    """(file, expression) of every SQL string built at run time in the package."""
    return {
        (path.relative_to(PACKAGE).as_posix(), expression)
        for path in sorted(PACKAGE.rglob("*.py"))
        for expression in formatted_sql_in(ast.parse(path.read_text(encoding="utf-8")))
    }


def test_no_sql_is_built_by_formatting_data() -> None:
    found = formatted_sql()
    unexplained = sorted(found - set(WHITELIST))
    assert unexplained == [], (
        "SQL built by string formatting: use bound parameters, or if it is built only from "
        f"fixed names, add it to WHITELIST with the proof: {unexplained}"
    )
    # A stale entry would let the same text come back unnoticed elsewhere: remove it.
    assert sorted(set(WHITELIST) - found) == []


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("conn.execute(sa.text(f'SELECT * FROM works WHERE id = {work_id}'))", True),
        ("conn.exec_driver_sql('DELETE FROM authors WHERE id = %s' % author)", True),
        ("query = 'SELECT ' + column + ' FROM works'", True),
        ("conn.execute(sa.literal_column('x = {}'.format(value)))", True),
        ("conn.execute(sa.text('SELECT 1 WHERE id = :id'), {'id': work_id})", False),
        ("message = f'no author with id {author_id!r}'", False),
    ],
)
def test_the_scanner_finds_formatted_sql(source: str, caught: bool) -> None:
    assert bool(formatted_sql_in(ast.parse(source))) is caught
