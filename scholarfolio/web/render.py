"""Turn a view's dict into a response: HTML through a Jinja2 template, or JSON.

The Jinja2 environment is built once per application and every template is
compiled up front, so serving a page never reads a file.

Every page and API response carries an ``ETag`` (a hash of its body) and
``Cache-Control: public, max-age=60``; a request whose ``If-None-Match``
names the current ETag gets ``304 Not Modified`` with no body. Errors carry
neither.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from scholarfolio import settings
from scholarfolio.store import Store
from scholarfolio.web.filters import FILTERS, GLOBALS
from scholarfolio.web.views import View

Endpoint = Callable[[Request], Response]

# A minute: a rebuilt store shows up quickly, and a browser going back and
# forth between pages does not ask again.
CACHE_CONTROL = "public, max-age=60"
# What a 304 repeats of the full response (RFC 9110, section 15.4.5).
_NOT_MODIFIED_HEADERS = ("etag", "cache-control", "content-location", "date", "expires", "vary")


def make_environment() -> Environment:
    """The one Jinja2 environment of an app, with autoescape on and every template compiled."""
    env = Environment(
        loader=PackageLoader("scholarfolio.web", "templates"),
        # Every string in a page comes from arXiv records: escape everything, always.
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    env.globals["authors_shown"] = settings.AUTHORS_SHOWN.get()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    return env


def json_response(data: Mapping[str, Any], status: int = 200) -> Response:
    """``data`` as UTF-8 JSON (not ASCII-escaped, so names stay readable and short)."""
    body = json.dumps(data, ensure_ascii=False)
    return Response(body, status_code=status, media_type="application/json")


class Renderer:
    """Makes endpoints that run a view on the store and render its dict."""

    def __init__(self, store: Store, env: Environment) -> None:
        self.store = store
        self.env = env

    def as_html(self, view: View, template: str) -> Endpoint:
        """An endpoint that renders the view's dict with ``template``."""

        def endpoint(request: Request) -> Response:
            return conditional(request, self.page(template, view(self.store, request)))

        endpoint.__name__ = f"{view.__name__}_html"
        return endpoint

    def as_json(self, view: View) -> Endpoint:
        """An endpoint that returns the view's dict as JSON, unchanged."""

        def endpoint(request: Request) -> Response:
            return conditional(request, json_response(view(self.store, request)))

        endpoint.__name__ = f"{view.__name__}_json"
        return endpoint

    def page(self, template: str, context: Mapping[str, Any], status: int = 200) -> Response:
        """``template`` rendered with ``context`` as an HTML response."""
        body = self.env.get_template(template).render(context)
        return HTMLResponse(body, status_code=status)

    def error(self, status: int, message: str, as_json: bool) -> Response:
        """The error shape: ``{"error": {...}}`` for the API, an HTML page elsewhere."""
        if as_json:
            return json_response({"error": {"status": status, "message": message}}, status)
        title = HTTPStatus(status).phrase
        context = {"status": status, "title": title, "message": message}
        return self.page("error.html", context, status)


def etag(body: bytes | memoryview) -> str:
    """A strong entity tag for ``body``: the same bytes always get the same tag."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def conditional(request: Request, response: Response) -> Response:
    """``response`` with its ETag and Cache-Control, or a 304 when the client already has it.

    For any endpoint that builds a complete response (feeds, BibTeX, JSON).
    """
    tag = etag(response.body)
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = CACHE_CONTROL
    if not _client_has(request.headers.get("if-none-match"), tag):
        return response
    kept = {
        name: value for name, value in response.headers.items() if name in _NOT_MODIFIED_HEADERS
    }
    return Response(status_code=304, headers=kept)


def _client_has(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (weakly compared) or is ``*``."""
    if not if_none_match:
        return False
    listed = [item.strip().removeprefix("W/") for item in if_none_match.split(",")]
    return tag in listed or "*" in listed
