"""The operator's identity pages (web/admin_views.py): token, CSRF, decisions applied at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from scholarfolio import pipeline, profiles
from scholarfolio.identity import overrides
from scholarfolio.store import Store
from scholarfolio.web.app import create_app

KANFAR_WORKS = Path(__file__).parents[1] / "fixtures" / "openalex" / "idb03_A5071165005.json.gz"
KANFAR, TAPAN, GEGE = "A5071165005", "A5013088513", "A5007168661"
WORK = "W4407066027"  # Kanfar is its first author
TOKEN = "operator-token-for-identity-tests"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Rayan Kanfar's 8 real OpenAlex works, built; each test gets its own copy."""
    opened = Store.open(str(tmp_path / "s.db"))
    pipeline.ingest_paths(opened, [KANFAR_WORKS])
    pipeline.build(opened)
    yield opened
    opened.close()


@pytest.fixture
def client(store: Store, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("SCHOLARFOLIO_ADMIN_TOKEN", TOKEN)
    return TestClient(create_app(store))


def _log_in(client: TestClient) -> None:
    response = client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
    assert response.status_code == 303


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page)
    assert found is not None
    return found.group(1)


def _works(store: Store, author: str) -> int:
    return int(profiles.get_profile(store, profiles.find_author(store, author))["metrics"]["works"])


def test_without_a_token_setting_there_are_no_identity_pages(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCHOLARFOLIO_ADMIN_TOKEN", raising=False)
    anonymous = TestClient(create_app(store))
    assert anonymous.get("/admin/identity").status_code == 404
    assert anonymous.post("/admin/identity/merge", data={"reason": "x"}).status_code == 404


def test_the_pages_and_forms_need_the_operator(client: TestClient, store: Store) -> None:
    page = client.get("/admin/identity", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (
        303,
        "/admin/login?next=/admin/identity",
    )
    tapan, gege = profiles.find_author(store, TAPAN), profiles.find_author(store, GEGE)
    form = {"survivor": tapan, "absorbed": gege, "reason": "same person"}
    post = client.post("/admin/identity/merge", data=form, follow_redirects=False)
    assert post.status_code == 303 and post.headers["location"].startswith("/admin/login")
    wrong = client.post(
        "/admin/identity/merge", data=form, headers={"Authorization": "Bearer not-the-token-at-all"}
    )
    assert wrong.status_code == 401
    assert overrides.history(store) == []


def test_a_form_without_its_csrf_token_changes_nothing(client: TestClient, store: Store) -> None:
    _log_in(client)
    tapan, gege = profiles.find_author(store, TAPAN), profiles.find_author(store, GEGE)
    form = {"survivor": tapan, "absorbed": gege, "reason": "same person"}
    assert client.post("/admin/identity/merge", data=form).status_code == 403
    token = _csrf(client.get(f"/admin/authors/{tapan}").text)
    forged = client.post(
        "/admin/identity/merge",
        data={**form, "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    assert overrides.history(store) == [] and _works(store, GEGE) == 2


def test_a_merge_from_the_author_page_applies_at_once_and_undo_restores(
    client: TestClient, store: Store
) -> None:
    _log_in(client)
    tapan, gege = profiles.find_author(store, TAPAN), profiles.find_author(store, GEGE)
    page = client.get(f"/admin/authors/{tapan}")
    assert page.status_code == 200 and "Tapan Mukerji" in page.text
    assert page.headers["cache-control"] == "no-store"
    merged = client.post(
        "/admin/identity/merge",
        data={
            "survivor": tapan,
            "absorbed": gege,
            "reason": "one person (test)",
            "by": "alice",
            "csrf_token": _csrf(page.text),
        },
        follow_redirects=False,
    )
    assert (merged.status_code, merged.headers["location"]) == (
        303,
        f"/admin/authors/{tapan}?decision=1",
    )
    shown = client.get(merged.headers["location"])
    assert "Decision 1 stored and applied." in shown.text
    assert "one person (test)" in shown.text and "alice" in shown.text
    assert _works(store, TAPAN) == 7
    public = client.get(f"/authors/{gege}", follow_redirects=False)
    assert (public.status_code, public.headers["location"]) == (301, f"/authors/{tapan}")
    profile = client.get(f"/authors/{tapan}").text
    assert "Why these papers are grouped" in profile and "one person (test)" in profile

    undone = client.post(
        "/admin/identity/undo",
        data={
            "decision": "1",
            "author": tapan,
            "reason": "two people",
            "csrf_token": _csrf(shown.text),
        },
        follow_redirects=False,
    )
    assert undone.headers["location"] == f"/admin/authors/{tapan}?decision=2"
    assert (_works(store, TAPAN), _works(store, GEGE)) == (5, 2)
    assert profiles.find_author(store, gege) == gege
    assert [(e["action"], e["by"], e["undone"]) for e in overrides.history(store)] == [
        ("merge", "alice", True),
        ("undo", "operator", False),
    ]


def test_a_script_posts_with_the_bearer_token_and_gets_json(
    client: TestClient, store: Store
) -> None:
    kanfar = profiles.find_author(store, KANFAR)
    response = client.post(
        "/admin/identity/split",
        data={"author": kanfar, "work": WORK, "position": "1", "reason": "a namesake", "by": "bot"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200
    assert response.json() == {"decision": 1, "author": kanfar}
    assert _works(store, KANFAR) == 7


def test_a_form_missing_its_reason_is_a_400_and_stores_nothing(
    client: TestClient, store: Store
) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    kanfar = profiles.find_author(store, KANFAR)
    response = client.post(
        "/admin/identity/orcid",
        data={"author": kanfar, "orcid": "0000-0002-1825-0097", "reason": " "},
        headers=bearer,
    )
    assert response.status_code == 400 and "a reason is required" in response.text
    unknown = client.post(
        "/admin/identity/undo", data={"decision": "7", "reason": "x"}, headers=bearer
    )
    assert unknown.status_code == 404
    assert overrides.history(store) == []
