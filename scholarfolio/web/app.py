"""The Starlette application: routes, static files and error handling.

Routes (a public contract)::

    GET /                       home: search box, corpus counts, most-cited authors, newest works
    GET /search?q=              authors and works matching q (HTML); ?page= and ?per_page=
    GET /api/search?q=          the same as JSON: {"query", "authors", "works", ...}
    GET /authors/{id}           an author's profile (HTML); it and /api/authors/{id} take
                                ?sort= ?year= ?category= ?page= ?per_page= ?coauthors_page=
    GET /api/authors?q=         {"query": q, "authors": [...]}
    GET /api/authors/{id}       the profile dict of scholarfolio.profiles.get_profile
    GET /healthz                {"status": "ok", "works": N, "authors": M}
    GET /works/{id}, /api/works/{id}, /works/{id}.bib, /authors/{id}/works.bib,
        /authors/{id}/feed.atom, /api/openapi.json, /api/docs   see web/work_views.py
    GET /static/...             the stylesheet
    GET|POST /admin/...         operator pages behind the admin token, see web/admin_auth.py
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from scholarfolio.errors import ScholarfolioError
from scholarfolio.store import Store
from scholarfolio.web import admin_auth, admin_views, search_views, views, work_views
from scholarfolio.web.error_handling import ErrorHandler
from scholarfolio.web.render import Renderer, make_environment
from scholarfolio.web.security import GuardedStarlette


def routes(renderer: Renderer) -> list[BaseRoute]:
    """Every route; each page's HTML and JSON forms share one view."""
    return [
        Route("/", renderer.as_html(search_views.home, "home.html")),
        Route("/search", renderer.as_html(search_views.search_results, "search.html")),
        Route("/api/search", renderer.as_json(search_views.search_results)),
        Route("/authors/{author_id}", renderer.as_html(views.author_page, "profile.html")),
        Route("/api/authors", renderer.as_json(views.author_search)),
        Route("/api/authors/{author_id}", renderer.as_json(views.author)),
        Route("/healthz", renderer.as_json(views.health)),
        *work_views.routes(renderer),
        admin_auth.mount(renderer, admin_views.routes(renderer), admin_views.LINKS),
        Mount("/static", StaticFiles(packages=[("scholarfolio.web", "static")]), name="static"),
    ]


def create_app(store: Store) -> GuardedStarlette:
    """The web application serving ``store``; the caller keeps ownership of the store.

    Its whole stack, error pages included, runs behind web/security.py's guard
    (security headers, request limits, read-only outside /admin).
    """
    renderer = Renderer(store, make_environment())
    handler = ErrorHandler(renderer)
    return GuardedStarlette(
        error_page=renderer.error,
        routes=routes(renderer),
        exception_handlers={
            HTTPException: handler,
            ScholarfolioError: handler,
            # Anything unexpected still gets a 500 in the right shape.
            Exception: handler,
        },
    )
