"""What each page shows: one function per page that builds one dict from the library.

A view knows nothing about HTML or JSON; :mod:`scholarfolio.web.render` turns
its dict into either. So ``/authors/{id}`` and ``/api/authors/{id}`` share one
code path (the page reads only the first names of each work's author list).
The home and search pages are in :mod:`scholarfolio.web.search_views`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from scholarfolio import profiles
from scholarfolio.store import Store

View = Callable[[Store, Request], dict[str, Any]]

# Names a profile page reads per work: the first few show, the rest of these
# expand in place, and the work's own page lists every one (a 2,831-author
# paper would otherwise put 2,831 links on each of its authors' pages).
AUTHORS_ON_PROFILE_PAGE = 50


def author(store: Store, request: Request) -> dict[str, Any]:
    """One author's profile with the page of works that ``?sort=&year=&category=&page=`` ask for.

    Exactly :func:`scholarfolio.profiles.get_profile`; every work lists all its authors.
    """
    return _profile(store, request, author_head=None)


def author_page(store: Store, request: Request) -> dict[str, Any]:
    """The profile as :func:`author` gives it, with the head of each work's author list."""
    return _profile(store, request, author_head=AUTHORS_ON_PROFILE_PAGE)


def _profile(store: Store, request: Request, author_head: int | None) -> dict[str, Any]:
    listing = profiles.WorkListing.from_params(request.query_params)
    return profiles.get_profile(store, request.path_params["author_id"], listing, author_head)


def author_search(store: Store, request: Request) -> dict[str, Any]:
    """The authors whose name matches ``?q=``; an empty query is BadInput (a 400)."""
    query = request.query_params.get("q", "")
    return {"query": query, "authors": profiles.search_authors(store, query)}


def health(store: Store, request: Request) -> dict[str, Any]:
    """A liveness check that also proves the store answers queries."""
    stats = profiles.corpus_stats(store)
    return {"status": "ok", "works": stats["works"], "authors": stats["authors"]}
