"""Turn a view's dict into a response: HTML through a Jinja2 template, or JSON.

The Jinja2 environment is built once per application and every template is
compiled up front, so serving a page never reads a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from scholarfolio import settings
from scholarfolio.store import Store
from scholarfolio.web.filters import FILTERS
from scholarfolio.web.views import View

Endpoint = Callable[[Request], Response]


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
            return self.page(template, view(self.store, request))

        endpoint.__name__ = f"{view.__name__}_html"
        return endpoint

    def as_json(self, view: View) -> Endpoint:
        """An endpoint that returns the view's dict as JSON, unchanged."""

        def endpoint(request: Request) -> Response:
            return json_response(view(self.store, request))

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
