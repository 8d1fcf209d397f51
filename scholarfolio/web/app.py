"""The Starlette application: routes, static files and error handling.

Routes (a public contract)::

    GET /                       home: search box, corpus counts, most-cited authors
    GET /search?q=              author search results (HTML)
    GET /authors/{id}           an author's profile (HTML)
    GET /api/authors?q=         {"query": q, "authors": [...]}
    GET /api/authors/{id}       the profile dict of scholarfolio.profiles.get_profile
    GET /healthz                {"status": "ok", "works": N, "authors": M}
    GET /static/...             the stylesheet
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from scholarfolio.errors import ScholarfolioError
from scholarfolio.store import Store
from scholarfolio.web import views
from scholarfolio.web.error_handling import ErrorHandler
from scholarfolio.web.render import Renderer, make_environment


def routes(renderer: Renderer) -> list[BaseRoute]:
    """Every route; each page's HTML and JSON forms share one view."""
    return [
        Route("/", renderer.as_html(views.home, "home.html")),
        Route("/search", renderer.as_html(views.author_search, "search.html")),
        Route("/authors/{author_id}", renderer.as_html(views.author, "profile.html")),
        Route("/api/authors", renderer.as_json(views.author_search)),
        Route("/api/authors/{author_id}", renderer.as_json(views.author)),
        Route("/healthz", renderer.as_json(views.health)),
        Mount("/static", StaticFiles(packages=[("scholarfolio.web", "static")]), name="static"),
    ]


def create_app(store: Store) -> Starlette:
    """The web application serving ``store``; the caller keeps ownership of the store."""
    renderer = Renderer(store, make_environment())
    handler = ErrorHandler(renderer)
    return Starlette(
        routes=routes(renderer),
        exception_handlers={
            HTTPException: handler,
            ScholarfolioError: handler,
            # Anything unexpected still gets a 500 in the right shape.
            Exception: handler,
        },
    )
