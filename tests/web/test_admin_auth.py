"""Operator access (web/admin_auth.py): the token, the session cookie, CSRF, Bearer scripts."""

from __future__ import annotations

import logging
import re

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from scholarfolio.cli import cli
from scholarfolio.errors import BadInput
from scholarfolio.store import Store
from scholarfolio.web import admin_auth
from scholarfolio.web.app import create_app
from scholarfolio.web.server import served_app

TOKEN = "operator-token-7f3a9c1e5b2d"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def admin(built_store: Store, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """A client on an app whose operator token is :data:`TOKEN`; not logged in."""
    monkeypatch.setenv("SCHOLARFOLIO_ADMIN_TOKEN", TOKEN)
    return TestClient(create_app(built_store))


def log_in(client: TestClient, token: str = TOKEN, next_path: str = "/admin/") -> object:
    return client.post(
        "/admin/login", data={"token": token, "next": next_path}, follow_redirects=False
    )


def csrf_of(client: TestClient) -> str:
    """The CSRF token in the logged-in index page's logout form."""
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', client.get("/admin/").text)
    assert found is not None
    return found.group(1)


def test_without_a_token_there_is_no_admin(
    built_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCHOLARFOLIO_ADMIN_TOKEN", raising=False)
    client = TestClient(create_app(built_store))
    for path in ("/admin", "/admin/", "/admin/login"):
        response = client.get(path)
        assert response.status_code == 404, path
        # Exactly what an unknown page says: nothing tells there is an admin to try.
        assert "There is no page at /admin" in response.text
    assert client.post("/admin/login", data={"token": "anything-at-all-here"}).status_code == 404


def test_a_short_token_stops_the_app_from_starting(
    built_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_ADMIN_TOKEN", "short")
    with pytest.raises(BadInput, match="at least 16 characters"):
        create_app(built_store)


def test_admin_pages_send_to_the_login_form_first(admin: TestClient) -> None:
    response = admin.get("/admin/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?next=/admin/"
    form = admin.get("/admin/login?next=/admin/")
    assert form.status_code == 200
    assert 'type="password" name="token"' in form.text
    assert '<input type="hidden" name="next" value="/admin/">' in form.text
    assert form.headers["cache-control"] == "no-store"


def test_the_right_token_logs_in_with_a_strict_cookie(admin: TestClient) -> None:
    response = log_in(admin)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(admin_auth.COOKIE + "=1.")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/admin" in cookie
    assert "Max-Age=28800" in cookie and "Secure" not in cookie
    assert TOKEN not in cookie
    index = admin.get("/admin/")
    assert index.status_code == 200
    assert "Log out" in index.text and "Author identity" in index.text  # web/admin_views.py


def test_the_cookie_is_secure_over_https_or_with_an_https_base_url(
    built_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_ADMIN_TOKEN", TOKEN)
    over_https = TestClient(create_app(built_store), base_url="https://testserver")
    assert "Secure" in log_in(over_https).headers["set-cookie"]
    monkeypatch.setenv("SCHOLARFOLIO_BASE_URL", "https://scholar.example.org/")
    behind_proxy = TestClient(create_app(built_store))
    assert "Secure" in log_in(behind_proxy).headers["set-cookie"]


def test_a_wrong_token_is_refused_and_never_echoed(
    admin: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    guess = "guess-" + TOKEN[::-1]
    response = log_in(admin, guess)
    assert response.status_code == 403
    assert "That is not the operator token." in response.text
    assert guess not in response.text and TOKEN not in response.text
    bearer = admin.get("/admin/", headers={"Authorization": f"Bearer {guess}"})
    assert bearer.status_code == 401
    assert bearer.headers["www-authenticate"] == "Bearer"
    assert guess not in bearer.text and TOKEN not in bearer.text
    log_in(admin)
    assert guess not in caplog.text and TOKEN not in caplog.text


def test_the_settings_listing_hides_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_ADMIN_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["settings"])
    assert result.exit_code == 0
    assert "SCHOLARFOLIO_ADMIN_TOKEN" in result.output
    assert TOKEN not in result.output


def test_repeated_wrong_tokens_lock_the_client_out(admin: TestClient) -> None:
    assert [log_in(admin, f"wrong-token-number-{n}").status_code for n in range(5)] == [403] * 5
    locked = log_in(admin)
    assert locked.status_code == 429
    assert "set-cookie" not in locked.headers


def test_forged_altered_or_expired_sessions_are_refused() -> None:
    session, cookie = admin_auth.new_session(TOKEN, now=1_000_000)
    assert admin_auth.read_session(TOKEN, cookie, now=1_000_001) == session
    payload, _, signature = cookie.rpartition(".")
    version, expires, nonce = payload.split(".")
    longer = f"{version}.{int(expires) + 10**6}.{nonce}.{signature}"
    assert admin_auth.read_session(TOKEN, longer, now=1_000_001) is None
    assert admin_auth.read_session(TOKEN, cookie, now=int(expires)) is None
    # A new token ends every session made with the old one.
    assert admin_auth.read_session(TOKEN + "-rotated", cookie, now=1_000_001) is None
    assert admin_auth.read_session(TOKEN, "", now=1_000_001) is None
    assert admin_auth.read_session(TOKEN, "not.a.cookie", now=1_000_001) is None


def test_an_altered_cookie_sends_back_to_login(admin: TestClient) -> None:
    log_in(admin)
    cookie = admin.cookies[admin_auth.COOKIE]
    admin.cookies.clear()
    admin.cookies.set(admin_auth.COOKIE, cookie[:-2] + "AA", path="/admin")
    assert admin.get("/admin/", follow_redirects=False).status_code == 303


def test_logout_needs_the_session_csrf_token(admin: TestClient) -> None:
    log_in(admin)
    csrf = csrf_of(admin)
    missing = admin.post("/admin/logout", data={}, follow_redirects=False)
    assert missing.status_code == 403
    wrong = admin.post("/admin/logout", data={"csrf_token": "0" * 64}, follow_redirects=False)
    assert wrong.status_code == 403
    assert admin.get("/admin/").status_code == 200
    done = admin.post("/admin/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == "/admin/login"
    assert 'scholarfolio_admin=""' in done.headers["set-cookie"]
    assert admin.get("/admin/", follow_redirects=False).status_code == 303


def test_posts_from_another_site_are_refused_even_with_the_csrf_token(admin: TestClient) -> None:
    log_in(admin)
    csrf = csrf_of(admin)
    for header in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
    ):
        response = admin.post(
            "/admin/logout", data={"csrf_token": csrf}, headers=header, follow_redirects=False
        )
        assert response.status_code == 403, header
    same = admin.post(
        "/admin/logout",
        data={"csrf_token": csrf},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert same.status_code == 303
    cross_login = admin.post(
        "/admin/login", data={"token": TOKEN}, headers={"Origin": "https://evil.example"}
    )
    assert cross_login.status_code == 403


def test_a_csrf_token_belongs_to_its_session(admin: TestClient) -> None:
    log_in(admin)
    first = csrf_of(admin)
    admin.cookies.clear()
    log_in(admin)
    assert csrf_of(admin) != first
    stale = admin.post("/admin/logout", data={"csrf_token": first}, follow_redirects=False)
    assert stale.status_code == 403


def test_scripts_use_a_bearer_token_without_csrf(admin: TestClient) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    index = admin.get("/admin/", headers=bearer)
    assert index.status_code == 200
    assert "set-cookie" not in index.headers
    done = admin.post("/admin/logout", headers=bearer, follow_redirects=False)
    assert done.status_code == 303


def test_login_goes_back_only_to_admin_pages(admin: TestClient) -> None:
    for wanted in ("https://evil.example/", "//evil.example/admin", "/admin\\evil", "/search"):
        assert log_in(admin, next_path=wanted).headers["location"] == "/admin", wanted
        admin.cookies.clear()
    assert log_in(admin, next_path="/admin/authors/x").headers["location"] == "/admin/authors/x"


def test_forms_must_be_urlencoded_utf8_without_nul(admin: TestClient) -> None:
    response = admin.post("/admin/login", files={"token": ("token.txt", TOKEN.encode())})
    assert response.status_code == 415
    for body in (b"token=%FF%FE", b"token=a%00b"):
        assert admin.post("/admin/login", content=body, headers=FORM).status_code == 400


def test_served_admin_pages_are_never_cached(
    built_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHOLARFOLIO_ADMIN_TOKEN", TOKEN)
    app = served_app(built_store)
    operator = TestClient(app)
    log_in(operator)
    page = operator.get("/admin/")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    stranger = TestClient(app).get("/admin/", follow_redirects=False)
    assert stranger.status_code == 303
