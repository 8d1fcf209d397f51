"""The description of every route of the web app, as data: served as OpenAPI 3.1 and as a page.

One declarative table, :data:`OPERATIONS`, lists each route with its parameters
and responses; :func:`openapi_document` turns it into the document served at
``GET /api/openapi.json`` (and :mod:`scholarfolio.web.api_docs` into the
``GET /api/docs`` page). A test fails when a route of :func:`scholarfolio.web.app.create_app` is
missing here, so adding a route means adding its line below.

Schemas are JSON Schema 2020-12, as OpenAPI 3.1 uses it. They describe the
keys the JSON contract promises; objects may carry more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HTML = "text/html"
JSON = "application/json"
BIBTEX = "text/x-bibtex"
ATOM = "application/atom+xml"

_REF = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class Parameter:
    """One path or query parameter."""

    name: str
    description: str
    kind: str = "string"
    where: str = "query"
    required: bool = False
    default: int | str | None = None

    def as_openapi(self) -> dict[str, Any]:
        """The OpenAPI Parameter Object."""
        schema: dict[str, Any] = {"type": self.kind}
        if self.default is not None:
            schema["default"] = self.default
        if self.kind == "integer":
            schema["minimum"] = 1
        return {
            "name": self.name,
            "in": self.where,
            "required": self.required or self.where == "path",
            "description": self.description,
            "schema": schema,
        }


@dataclass(frozen=True, slots=True)
class Operation:
    """One GET route: what it answers, in which media type and shape, and its errors."""

    path: str
    summary: str
    media_type: str
    schema: str | None = None
    parameters: tuple[Parameter, ...] = ()
    errors: tuple[int, ...] = ()
    description: str = ""
    tag: str = "pages"

    def as_openapi(self) -> dict[str, Any]:
        """The OpenAPI Operation Object for ``get``."""
        content: dict[str, Any] = {}
        if self.schema is not None:
            content = {"schema": {"$ref": _REF + self.schema}}
        responses: dict[str, Any] = {
            "200": {"description": "OK", "content": {self.media_type: content}}
        }
        for status in self.errors:
            responses[str(status)] = _error_response(status, self.media_type)
        operation: dict[str, Any] = {
            "summary": self.summary,
            "operationId": _operation_id(self.path),
            "tags": [self.tag],
            "parameters": [parameter.as_openapi() for parameter in self.parameters],
            "responses": responses,
        }
        if self.description:
            operation["description"] = self.description
        return operation


_ERROR_REASONS = {400: "Bad input: the message says what is valid", 404: "Not found"}


def _error_response(status: int, media_type: str) -> dict[str, Any]:
    if media_type == HTML:
        return {"description": _ERROR_REASONS[status] + " (an HTML page)", "content": {HTML: {}}}
    return {
        "description": _ERROR_REASONS[status],
        "content": {JSON: {"schema": {"$ref": _REF + "Error"}}},
    }


def _operation_id(path: str) -> str:
    words = [part.strip("{}").replace(".", "_") for part in path.split("/") if part]
    return "get_" + ("_".join(words).replace("-", "_") or "home")


# --- parameters shared by several routes ------------------------------------------------

AUTHOR_ID = Parameter("author_id", "An author id, as in /authors/{author_id}.", where="path")
WORK_ID = Parameter(
    "work_id",
    "A work id (digits). An arXiv id (1411.4413) or OpenAlex id (W2919115771) of the "
    "work answers with a permanent redirect to the work id.",
    where="path",
)
QUERY = Parameter("q", "What to look for: names, words, an arXiv id or a DOI.", required=True)
PAGE = Parameter("page", "Which page of the list (from 1).", "integer", default=1)
PER_PAGE = Parameter("per_page", "How many entries per page.", "integer")
PROFILE_PARAMETERS = (
    Parameter("sort", "Order of the works: date (newest first) or citations.", default="date"),
    Parameter("year", "Only works of this year (four digits)."),
    Parameter("category", "Only works in this category, e.g. hep-th."),
    PAGE,
    Parameter("per_page", "Works per page (at most 500).", "integer", default=50),
    Parameter("coauthors_page", "Which page of co-authors.", "integer", default=1),
)
WORK_PARAMETERS = (
    Parameter("cites_page", "Which page of the works this work cites.", "integer", default=1),
    Parameter("cited_by_page", "Which page of the works citing it.", "integer", default=1),
    Parameter("per_page", "Entries per page of both lists (at most 100).", "integer", default=20),
)


OPERATIONS: tuple[Operation, ...] = (
    Operation("/", "Home: search box, corpus size, most-cited authors, newest works", HTML),
    Operation(
        "/search",
        "Authors and works matching q (HTML)",
        HTML,
        parameters=(QUERY, PAGE, PER_PAGE),
        errors=(400,),
    ),
    Operation(
        "/api/search",
        "Authors and works matching q",
        JSON,
        "SearchResults",
        (QUERY, PAGE, PER_PAGE),
        (400,),
        "Full text over titles and abstracts ranked by BM25; names match despite accents, "
        "hyphens and initials.",
        tag="api",
    ),
    Operation(
        "/authors/{author_id}",
        "An author's profile page",
        HTML,
        parameters=(AUTHOR_ID, *PROFILE_PARAMETERS),
        errors=(400, 404),
    ),
    Operation(
        "/api/authors",
        "Authors whose name matches q",
        JSON,
        "AuthorSearch",
        (QUERY,),
        (400,),
        tag="api",
    ),
    Operation(
        "/api/authors/{author_id}",
        "An author's profile",
        JSON,
        "Profile",
        (AUTHOR_ID, *PROFILE_PARAMETERS),
        (400, 404),
        "An id absorbed by a merge answers with a permanent redirect to the surviving id.",
        tag="api",
    ),
    Operation(
        "/authors/{author_id}/works.bib",
        "Every work of an author as BibTeX",
        BIBTEX,
        parameters=(AUTHOR_ID,),
        errors=(404,),
        description="Newest first, authors in source order; served as a download.",
        tag="downloads",
    ),
    Operation(
        "/authors/{author_id}/feed.atom",
        "An Atom feed of an author's newest works",
        ATOM,
        parameters=(AUTHOR_ID,),
        errors=(404,),
        tag="downloads",
    ),
    Operation(
        "/works/{work_id}",
        "A work's page",
        HTML,
        parameters=(WORK_ID, *WORK_PARAMETERS),
        errors=(400, 404),
    ),
    Operation(
        "/api/works/{work_id}",
        "A work in full",
        JSON,
        "Work",
        (WORK_ID, *WORK_PARAMETERS),
        (400, 404),
        "Versions, every author, the records that describe it, and one page each of the "
        "works it cites and the works citing it.",
        tag="api",
    ),
    Operation(
        "/works/{work_id}.bib",
        "A work as BibTeX",
        BIBTEX,
        parameters=(WORK_ID,),
        errors=(404,),
        tag="downloads",
    ),
    Operation("/healthz", "Liveness and corpus size", JSON, "Health", tag="api"),
    Operation("/api/openapi.json", "This description, as OpenAPI 3.1", JSON, tag="api"),
    Operation("/api/docs", "This description, as a page", HTML, tag="api"),
)


# --- schemas --------------------------------------------------------------------------


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": _REF + name}


def _array(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": dict(item)}


def _map_of(kind: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": dict(kind)}


def _object(description: str, **properties: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": list(properties),
        "properties": {name: dict(schema) for name, schema in properties.items()},
    }


_STRING = {"type": "string"}
_INTEGER = {"type": "integer"}
_DATE = {"type": ["string", "null"], "format": "date"}


def _entry_properties() -> dict[str, Any]:
    return {
        "id": _INTEGER,
        "arxiv_id": _nullable("string"),
        "version": _nullable("string"),
        "date": _DATE,
        "title": _STRING,
        "abstract": _nullable("string"),
        "categories": _array(_STRING),
        "authors": _array(_ref("WorkAuthor")),
        "citations": _INTEGER,
        "citations_in_corpus": _INTEGER,
        "reported_citations": _map_of(_INTEGER),
        "reported_citations_as_of": _map_of(_DATE),
        "doi": _nullable("string"),
        "journal_ref": _nullable("string"),
        "venue": _nullable("string"),
        "ids": _map_of(_STRING),
        "sources": _array(_ref("SourceId")),
        "merges": _array({"type": "object"}),
    }


def _work_schemas() -> dict[str, Any]:
    full = _entry_properties()
    full.update(
        work_type=_nullable("string"),
        year=_nullable("integer"),
        authors=_array(_ref("FullAuthor")),
        authors_total=_INTEGER,
        versions=_array(_ref("Version")),
        records=_array(_ref("SourceRecord")),
        citations_by_year=_map_of(_INTEGER),
        cites=_ref("WorkListing"),
        cited_by=_ref("WorkListing"),
        bibtex={"type": "string", "description": "The work as a BibTeX entry."},
    )
    return {
        "WorkEntry": _object(
            "A work as a profile lists it (rank: its place there).", **_entry_properties()
        ),
        "Work": _object("One work in full.", **full),
        "WorkSummary": _object(
            "A work in a list: its first authors and how many there are.",
            id=_INTEGER,
            title=_STRING,
            date=_DATE,
            year=_nullable("integer"),
            arxiv_id=_nullable("string"),
            doi=_nullable("string"),
            venue=_nullable("string"),
            citations=_INTEGER,
            authors=_array(_ref("WorkAuthor")),
            authors_total=_INTEGER,
        ),
        "WorkListing": _object(
            "One page of a list of works, and how many there are in all.",
            total=_INTEGER,
            page=_INTEGER,
            per_page=_INTEGER,
            pages=_INTEGER,
            works=_array(_ref("WorkSummary")),
        ),
        "Version": _object(
            "One arXiv version.",
            version=_STRING,
            number=_INTEGER,
            submitted=_nullable("string"),
            date=_DATE,
        ),
        "SourceRecord": _object(
            "A source record merged into the work: its ids, the rule that merged it, dates.",
            source=_STRING,
            id=_STRING,
            format=_STRING,
            title=_STRING,
            venue=_nullable("string"),
            work_type=_nullable("string"),
            rule=_STRING,
            matched={"type": ["object", "null"]},
            ids=_map_of(_array(_STRING)),
            published=_DATE,
            source_updated=_DATE,
            ingested_at=_nullable("string"),
        ),
        "SourceId": _object("A source and its id of the work.", source=_STRING, id=_STRING),
    }


def _people_schemas() -> dict[str, Any]:
    return {
        "WorkAuthor": _object(
            "One name on a work; id is null for a name not resolved to an author.",
            id=_nullable("string"),
            name=_STRING,
        ),
        "FullAuthor": _object(
            "One name on a work with its parts as the source gave them.",
            id=_nullable("string"),
            name=_STRING,
            family=_nullable("string"),
            given=_nullable("string"),
            suffix=_nullable("string"),
            orcid=_nullable("string"),
            affiliations=_array(_STRING),
        ),
        "AuthorSummary": _object(
            "An author in a list.",
            id=_STRING,
            name=_STRING,
            works=_INTEGER,
            citations=_INTEGER,
            h_index=_INTEGER,
        ),
        "Profile": _object(
            "An author's profile: figures computed here and reported by sources; a page of works.",
            id=_STRING,
            name=_STRING,
            name_variants=_array(_STRING),
            badges=_array(_STRING),
            ids=_map_of(_STRING),
            metrics=_object(
                "Computed from the works listed and their citation counts.",
                works=_INTEGER,
                citations=_INTEGER,
                h_index=_INTEGER,
                i10_index=_INTEGER,
                g_index=_INTEGER,
                citations_by_year=_map_of(_INTEGER),
            ),
            reported_metrics=_map_of({"type": "object"}),
            works=_array(_ref("WorkEntry")),
        ),
    }


def _response_schemas() -> dict[str, Any]:
    return {
        "AuthorSearch": _object(
            "Authors whose name matches the query.",
            query=_STRING,
            authors=_array(_ref("AuthorSummary")),
        ),
        "SearchResults": _object(
            "One page each of the matching authors and works.",
            query=_STRING,
            authors=_array(_ref("AuthorSummary")),
            works=_array({"type": "object", "description": "A matching work: id, title, ..."}),
        ),
        "Health": _object("The store answers.", status=_STRING, works=_INTEGER, authors=_INTEGER),
        "Error": _object(
            "Every error of the JSON API.",
            error=_object("What went wrong.", status=_INTEGER, message=_STRING),
        ),
    }


def schemas() -> dict[str, Any]:
    """Every named schema of the API."""
    return {**_people_schemas(), **_work_schemas(), **_response_schemas()}


def openapi_document(version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "scholarfolio",
            "version": version,
            "description": "Researcher profiles from open bibliographic metadata: pages, "
            "JSON, BibTeX and Atom. Errors under /api/ are JSON with the status and a message.",
        },
        "paths": {operation.path: {"get": operation.as_openapi()} for operation in OPERATIONS},
        "components": {"schemas": schemas()},
    }
