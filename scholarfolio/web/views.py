"""What each page shows: one function per page that builds one dict from the library.

A view knows nothing about HTML or JSON; :mod:`scholarfolio.web.render` turns
its dict into either. So ``/authors/{id}`` and ``/api/authors/{id}`` share one
code path, as do ``/search`` and ``/api/authors``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from scholarfolio import profiles
from scholarfolio.store import Store

# How many of the most-cited authors the home page lists.
TOP_AUTHORS_SHOWN = 20

View = Callable[[Store, Request], dict[str, Any]]


def home(store: Store, request: Request) -> dict[str, Any]:
    """The corpus counts and the most-cited authors."""
    return {
        "stats": profiles.corpus_stats(store),
        "top_authors": profiles.top_authors(store, limit=TOP_AUTHORS_SHOWN),
    }


def author(store: Store, request: Request) -> dict[str, Any]:
    """One author's profile, exactly as :func:`scholarfolio.profiles.get_profile` gives it."""
    return profiles.get_profile(store, request.path_params["author_id"])


def author_search(store: Store, request: Request) -> dict[str, Any]:
    """The authors whose name matches ``?q=``; an empty query is BadInput (a 400)."""
    query = request.query_params.get("q", "")
    return {"query": query, "authors": profiles.search_authors(store, query)}


def health(store: Store, request: Request) -> dict[str, Any]:
    """A liveness check that also proves the store answers queries."""
    stats = profiles.corpus_stats(store)
    return {"status": "ok", "works": stats["works"], "authors": stats["authors"]}
