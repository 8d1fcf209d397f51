"""Operator access: the admin token, login sessions in a signed cookie, CSRF tokens.

Everything that writes lives under ``/admin`` and needs the operator token
(Setting ``ADMIN_TOKEN``, at least 16 characters; empty means there is no admin
at all and every ``/admin`` URL answers 404 like any unknown page).

Routes (this module; :func:`mount` puts them and the other admin pages under ``/admin``)::

    GET  /admin/login    the login form            POST /admin/login    token -> session cookie
    POST /admin/logout   forget the session        GET  /admin/         what an operator can do
                                                   (/admin redirects there)

Admin pages join with one line in web/app.py's routes:
``admin_auth.mount(renderer, admin_views.routes(renderer), admin_views.LINKS)``, their
Route paths relative to /admin (``Route("/authors/{author_id}", ...)``) and LINKS a
list of :class:`AdminLink` for the index.

Helpers for admin pages (``web/admin_views.py`` builds on them)::

    session = require_admin(request)      # AdminSession, or: 404 when admin is off,
                                          # 303 to /admin/login when not logged in,
                                          # 401 for a wrong Bearer token
    session, form = await admin_form(request)   # for a POST: require_admin + read_form
                                          # + check_csrf in one call
    form = await read_form(request)       # an urlencoded body as {name: value}
    check_csrf(request, form, session)    # 403 unless the form's csrf_token is the
                                          # session's and Origin/Referer is this site
    {{ csrf_field(session) }}             # in a template: the hidden input to put in
                                          # every <form method="post">

An admin page's context needs ``session`` for ``csrf_field``; ``csrf_field`` is a
template global of the app's Jinja environment. Responses under ``/admin`` are
never cached (``Cache-Control: no-store``, web/security.py).

Sessions need no server state: the cookie holds ``1.<expires>.<nonce>`` and an
HMAC-SHA256 of it under a key derived from the token, so changing the token ends
every session; a session lasts ``ADMIN_SESSION_MINUTES``. The cookie is
HttpOnly, SameSite=Strict, Path=/admin, and Secure when the request came over
https or ``BASE_URL`` is https. A form's CSRF token is an HMAC of the session's
nonce under a second derived key. Scripts send ``Authorization: Bearer <token>``
instead (no cookie, no CSRF token needed: browsers never add that header on
their own). Tokens are compared with :func:`hmac.compare_digest` and never
written to a log, an error page or an exception message. Failed logins are
limited per client (a token bucket: 5 at once, then one per 10 seconds).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlsplit

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from scholarfolio import settings
from scholarfolio.errors import BadInput
from scholarfolio.web.render import Renderer
from scholarfolio.web.security import TokenBuckets, client_key

COOKIE = "scholarfolio_admin"
CSRF_FIELD = "csrf_token"
MIN_TOKEN_LENGTH = 16
LOGIN_PATH = "/admin/login"
_SESSION_VERSION = "1"
# Failed logins per client: a burst of 5, then one every 10 seconds.
_LOGIN_RATE, _LOGIN_BURST = 0.1, 5


@dataclass(frozen=True)
class AdminSession:
    """An operator's proof of access for one request: a login cookie or a Bearer token."""

    nonce: str
    expires: int
    via: Literal["cookie", "bearer"]
    csrf_token: str


@dataclass(frozen=True)
class AdminLink:
    """One thing an operator can do, listed on ``/admin``."""

    path: str
    title: str
    description: str


class LoginRequired(HTTPException):
    """Not logged in: a 303 to the login form, which comes back to ``next_path``."""

    def __init__(self, next_path: str) -> None:
        location = f"{LOGIN_PATH}?next={quote(next_path, safe='/')}"
        super().__init__(303, "Log in first.", headers={"Location": location})


def configured_token() -> str | None:
    """The operator token, or None when admin is off (no token, or one too short to trust)."""
    token = settings.ADMIN_TOKEN.get()
    return token if len(token) >= MIN_TOKEN_LENGTH else None


def check_token_setting() -> None:
    """BadInput when ``ADMIN_TOKEN`` is set but too short: say so at start, not at login."""
    token = settings.ADMIN_TOKEN.get()
    if token and len(token) < MIN_TOKEN_LENGTH:
        raise BadInput(
            f"{settings.ADMIN_TOKEN.env_var} must be at least {MIN_TOKEN_LENGTH} characters "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )


def _key(token: str, purpose: bytes) -> bytes:
    """A key for one purpose derived from the token, so no HMAC doubles as another."""
    return hmac.new(token.encode(), b"scholarfolio admin " + purpose, hashlib.sha256).digest()


def _sign(token: str, payload: str) -> str:
    digest = hmac.new(_key(token, b"session"), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _csrf_token(token: str, nonce: str) -> str:
    return hmac.new(_key(token, b"csrf"), nonce.encode(), hashlib.sha256).hexdigest()


def new_session(token: str, now: float | None = None) -> tuple[AdminSession, str]:
    """A fresh session and the cookie value that carries it."""
    issued = time.time() if now is None else now
    expires = int(issued) + 60 * settings.ADMIN_SESSION_MINUTES.get()
    nonce = secrets.token_hex(16)
    payload = f"{_SESSION_VERSION}.{expires}.{nonce}"
    session = AdminSession(nonce, expires, "cookie", _csrf_token(token, nonce))
    return session, f"{payload}.{_sign(token, payload)}"


def read_session(token: str, cookie: str, now: float | None = None) -> AdminSession | None:
    """The session a cookie value carries, or None if it is forged, malformed or expired."""
    payload, _, signature = cookie.rpartition(".")
    if not hmac.compare_digest(signature.encode(), _sign(token, payload).encode()):
        return None
    version, _, rest = payload.partition(".")
    expires_text, _, nonce = rest.partition(".")
    if version != _SESSION_VERSION or not expires_text.isdigit() or not nonce:
        return None
    expires = int(expires_text)
    if expires <= (time.time() if now is None else now):
        return None
    return AdminSession(nonce, expires, "cookie", _csrf_token(token, nonce))


def _bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if the request has one."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def require_admin(request: Request) -> AdminSession:
    """The operator's session, else the right refusal (raised as an HTTPException).

    404 when admin is off; 401 for a wrong Bearer token; a 303 to the login form
    when there is no valid session cookie.
    """
    token = configured_token()
    if token is None:
        raise HTTPException(404)
    offered = _bearer(request)
    if offered is not None:
        if not hmac.compare_digest(offered.encode(), token.encode()):
            raise HTTPException(401, "Wrong token.", headers={"WWW-Authenticate": "Bearer"})
        return AdminSession("bearer", 0, "bearer", "")
    session = read_session(token, request.cookies.get(COOKIE, ""))
    if session is None:
        raise LoginRequired(_local_path(request.url.path))
    return session


def csrf_field(session: AdminSession) -> Markup:
    """The hidden input carrying ``session``'s CSRF token, for every admin form."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, session.csrf_token
    )


async def read_form(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body as a dict (the last value of a repeated name).

    The body is already bounded by ``MAX_BODY_BYTES`` (web/security.py). 415 for
    another content type; BadInput (400) for bytes that are not UTF-8 or a NUL.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(415, "Send the form as application/x-www-form-urlencoded.")
    body = await request.body()
    try:
        fields = parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, max_num_fields=200, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise BadInput("The form could not be read.") from None
    if any("\x00" in name or "\x00" in value for name, value in fields):
        raise BadInput("The form contains a NUL character.")
    return dict(fields)


def same_site(request: Request) -> bool:
    """False when the request's ``Origin`` (or else ``Referer``) names another site.

    A request without either passes: the CSRF token is the check that must hold.
    """
    origin = request.headers.get("origin")
    source = origin if origin is not None else request.headers.get("referer")
    if source is None:
        return True
    host = urlsplit(source).netloc.lower()
    if not host:
        # "Origin: null" (a sandboxed frame, a redirect chain): not a page of ours.
        return False
    ours = {request.url.netloc.lower(), request.headers.get("host", "").lower()}
    base = settings.BASE_URL.get()
    if base:
        ours.add(urlsplit(base).netloc.lower())
    return host in ours


def check_csrf(request: Request, form: Mapping[str, str], session: AdminSession) -> None:
    """403 unless ``form`` carries ``session``'s CSRF token and the request came from this site.

    A Bearer session needs neither (browsers never send that header by themselves).
    """
    if session.via == "bearer":
        return
    if not same_site(request):
        raise HTTPException(403, "This form was sent from another site.")
    offered = form.get(CSRF_FIELD, "")
    if not hmac.compare_digest(offered.encode(), session.csrf_token.encode()):
        raise HTTPException(403, "The form has expired or was not sent from this site; reload it.")


async def admin_form(request: Request) -> tuple[AdminSession, dict[str, str]]:
    """For an admin POST: the session and the form, after the token and CSRF checks."""
    session = require_admin(request)
    form = await read_form(request) if request.headers.get("content-type") else {}
    check_csrf(request, form, session)
    return session, form


def _local_path(wanted: str | None) -> str:
    """``wanted`` if it is a path under /admin on this site, else /admin (no open redirect)."""
    if not wanted or not wanted.startswith("/admin") or "//" in wanted or "\\" in wanted:
        return "/admin"
    if any(ord(char) < 0x20 for char in wanted):
        return "/admin"
    return wanted


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or settings.BASE_URL.get().lower().startswith("https://")


class AdminPages:
    """The login, logout and index endpoints, rendered with the app's templates."""

    def __init__(self, renderer: Renderer, links: Sequence[AdminLink]) -> None:
        self.renderer = renderer
        self.links = tuple(links)
        self.failed_logins = TokenBuckets(_LOGIN_RATE, _LOGIN_BURST)
        renderer.env.globals["csrf_field"] = csrf_field

    def _login_form(self, request: Request, message: str = "", status: int = 200) -> Response:
        context: dict[str, Any] = {
            "next": _local_path(request.query_params.get("next")),
            "message": message,
        }
        return self.renderer.page("login.html", context, status)

    async def login(self, request: Request) -> Response:
        """GET: the form. POST: a right token sets the session cookie and goes on to ``next``."""
        token = configured_token()
        if token is None:
            raise HTTPException(404)
        if request.method != "POST":
            return self._login_form(request)
        if not same_site(request):
            raise HTTPException(403, "This form was sent from another site.")
        client = client_key(request.scope)
        if self.failed_logins.exhausted(client):
            return self._login_form(request, "Too many wrong tokens: wait a minute.", 429)
        form = await read_form(request)
        offered = form.get("token", "")
        if not hmac.compare_digest(offered.encode(), token.encode()):
            self.failed_logins.take(client)
            return self._login_form(request, "That is not the operator token.", 403)
        _, cookie = new_session(token)
        response = RedirectResponse(_local_path(form.get("next")), status_code=303)
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=60 * settings.ADMIN_SESSION_MINUTES.get(),
            path="/admin",
            secure=_secure(request),
            httponly=True,
            samesite="strict",
        )
        return response

    async def logout(self, request: Request) -> Response:
        """Forget the session cookie (CSRF-checked, so no other site can log the operator out)."""
        await admin_form(request)
        response = RedirectResponse(LOGIN_PATH, status_code=303)
        response.delete_cookie(
            COOKIE, path="/admin", secure=_secure(request), httponly=True, samesite="strict"
        )
        return response

    def index(self, request: Request) -> Response:
        """What an operator can do here, and how scripts authenticate."""
        session = require_admin(request)
        context = {"session": session, "links": self.links}
        return self.renderer.page("admin.html", context)


def mount(
    renderer: Renderer, pages: Sequence[BaseRoute] = (), links: Sequence[AdminLink] = ()
) -> Mount:
    """Everything under ``/admin``: login, logout, the index, and ``pages`` (paths relative to it).

    ``links`` are what the index lists. A Mount, so the public API description
    (web/openapi.py, which lists every top-level Route) leaves the operator's pages out.
    BadInput if ``ADMIN_TOKEN`` is set but too short (the server refuses to start).
    """
    check_token_setting()
    own = AdminPages(renderer, links)
    return Mount(
        "/admin",
        routes=[
            Route("/", own.index, methods=["GET"]),
            Route("/login", own.login, methods=["GET", "POST"]),
            Route("/logout", own.logout, methods=["POST"]),
            *pages,
        ],
    )
