"""The search pages and the home page: one dict per page, rendered as HTML or JSON.

``GET /search?q=`` and ``GET /api/search?q=`` share :func:`search`; its dict is
:func:`scholarfolio.search.search`'s, a public contract::

    {"query", "authors": [{"id", "name", "works", "citations", "h_index"}],
     "works": [{"id", "title", "date", "arxiv_id", "version", "doi", "categories",
                "citations", "authors": [{"id", "name"}], "authors_total",
                "snippet", "score"}],
     "total_authors", "total_works", "works_match", "page", "per_page"}
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from scholarfolio import profiles, search
from scholarfolio.search.query import Paging
from scholarfolio.store import Store

# How many of the most-cited authors and of the newest works the home page lists.
TOP_AUTHORS_SHOWN = 20
NEWEST_WORKS_SHOWN = 10


def search_results(store: Store, request: Request) -> dict[str, Any]:
    """Authors and works matching ``?q=``, one page of each (``?page=``, ``?per_page=``)."""
    params = request.query_params
    paging = Paging.from_params(params.get("page"), params.get("per_page"))
    return search.search(store, params.get("q", ""), paging)


def home(store: Store, request: Request) -> dict[str, Any]:
    """Corpus size and last update, the most-cited authors and the newest works."""
    return {
        "stats": profiles.corpus_stats(store),
        "top_authors": profiles.top_authors(store, limit=TOP_AUTHORS_SHOWN),
        "newest_works": search.newest_works(store, NEWEST_WORKS_SHOWN),
    }
