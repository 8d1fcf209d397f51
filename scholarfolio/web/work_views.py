"""The work page, BibTeX and Atom downloads, and the description of the API.

Routes (a public contract; lists take ?cites_page=, ?cited_by_page= and ?per_page=)::

    GET /works/{work_id}                the work page (HTML)
    GET /api/works/{work_id}            the same dict as JSON (scholarfolio.works.get_work)
    GET /works/{work_id}.bib            the work as BibTeX
    GET /authors/{author_id}/works.bib  every work of the author as BibTeX, newest first
    GET /authors/{author_id}/feed.atom  the author's newest works as an Atom feed
    GET /api/openapi.json               the OpenAPI 3.1 description of every route
    GET /api/docs                       the same description as a page

The work page and its JSON share :func:`work`, like every page of the app.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from scholarfolio import settings, works
from scholarfolio.errors import BadInput
from scholarfolio.export import atom, bibtex
from scholarfolio.store import Store
from scholarfolio.web.api_docs import docs_context
from scholarfolio.web.openapi import openapi_document
from scholarfolio.web.render import Renderer, conditional

Download = Callable[[Store, Request], Response]

BIBTEX_MEDIA_TYPE = "text/x-bibtex; charset=utf-8"


def _number(params: Mapping[str, str], name: str, default: int) -> int:
    """A whole-number query parameter; its range is checked where it is used."""
    text = params.get(name) or ""
    if not text:
        return default
    if not (text.isascii() and text.isdigit()):
        raise BadInput(f"{name} must be a whole number from 1 up (got {text!r})")
    return int(text)


def work(store: Store, request: Request) -> dict[str, Any]:
    """One work in full, with the pages of its reference and citation lists asked for,
    and its BibTeX entry (``bibtex``)."""
    params = request.query_params
    found = works.get_work(
        store,
        request.path_params["work_id"],
        cites_page=_number(params, "cites_page", 1),
        cited_by_page=_number(params, "cited_by_page", 1),
        per_page=_number(params, "per_page", works.DEFAULT_PER_PAGE),
    )
    found["bibtex"] = bibtex.bibtex_entry(found)
    return found


def public_base_url(request: Request) -> str:
    """The site's public address: the ``base_url`` setting, else where the request came."""
    return settings.BASE_URL.get() or str(request.base_url)


def _bibtex_response(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type=BIBTEX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def work_bibtex(store: Store, request: Request) -> Response:
    """The work as one BibTeX entry, offered as a download named after its key."""
    entry = works.get_work(store, request.path_params["work_id"], per_page=1)
    key = bibtex.citation_key(entry)
    return _bibtex_response(bibtex.bibtex_entry(entry, key), bibtex.filename(key))


def author_bibtex(store: Store, request: Request) -> Response:
    """Every work of the author as one ``.bib`` file."""
    bibliography = works.author_bibliography(store, request.path_params["author_id"])
    name = bibtex.filename(bibliography["author"]["id"])
    return _bibtex_response(bibtex.bibtex_file(bibliography["works"]), name)


def author_feed(store: Store, request: Request) -> Response:
    """The author's newest works as an Atom feed."""
    author_id = request.path_params["author_id"]
    feed = works.author_feed(store, author_id, authors_per_work=atom.ENTRY_AUTHORS)
    return Response(atom.atom_feed(feed, public_base_url(request)), media_type=atom.MEDIA_TYPE)


def _endpoint(store: Store, download: Download) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        return conditional(request, download(store, request))

    endpoint.__name__ = download.__name__
    return endpoint


def _package_version() -> str:
    try:
        return version("scholarfolio")
    except PackageNotFoundError:
        return "0"


def _described(renderer: Renderer) -> list[BaseRoute]:
    """The API description as JSON and as a page, both built once per app."""
    document = openapi_document(_package_version())
    body = json.dumps(document, ensure_ascii=False).encode()
    context = docs_context(document)

    def openapi_json(request: Request) -> Response:
        return conditional(request, Response(body, media_type="application/json"))

    def api_docs(store: Store, request: Request) -> dict[str, Any]:
        return context

    return [
        Route("/api/openapi.json", openapi_json),
        Route("/api/docs", renderer.as_html(api_docs, "api_docs.html")),
    ]


def routes(renderer: Renderer) -> list[BaseRoute]:
    """The work, download and API-description routes."""
    store = renderer.store
    return [
        # Before /works/{work_id}, which would also match "123.bib".
        Route("/works/{work_id}.bib", _endpoint(store, work_bibtex)),
        Route("/works/{work_id}", renderer.as_html(work, "work.html")),
        Route("/api/works/{work_id}", renderer.as_json(work)),
        Route("/authors/{author_id}/works.bib", _endpoint(store, author_bibtex)),
        Route("/authors/{author_id}/feed.atom", _endpoint(store, author_feed)),
        *_described(renderer),
    ]
