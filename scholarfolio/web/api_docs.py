"""The ``GET /api/docs`` page: the OpenAPI document laid out for reading, no JavaScript.

:func:`docs_context` flattens the document of :mod:`scholarfolio.web.openapi`
into what the ``api_docs.html`` template lists: each route with its
parameters and responses, then each schema with its fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_REF = "#/components/schemas/"


def type_label(schema: Mapping[str, Any]) -> tuple[str, str | None]:
    """A readable type (``array of WorkSummary``, ``string or null``) and the schema it names."""
    if "$ref" in schema:
        name = str(schema["$ref"]).removeprefix(_REF)
        return name, name
    kind = schema.get("type", "any")
    if kind == "array":
        label, named = type_label(schema.get("items", {}))
        return f"array of {label}", named
    if kind == "object" and isinstance(schema.get("additionalProperties"), Mapping):
        label, named = type_label(schema["additionalProperties"])
        return f"map of {label}", named
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind), None
    return str(kind), None


def _fields(schema: Mapping[str, Any]) -> list[dict[str, Any]]:
    fields = []
    for name, part in schema.get("properties", {}).items():
        label, named = type_label(part)
        fields.append(
            {
                "name": name,
                "type": label,
                "schema": named,
                "description": part.get("description", ""),
                "fields": _fields(part),
            }
        )
    return fields


def docs_context(document: Mapping[str, Any]) -> dict[str, Any]:
    """What the ``/api/docs`` page shows: each route with its parameters and responses,
    then each schema with its fields."""
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = []
            for status, response in operation["responses"].items():
                for media_type, content in response.get("content", {}).items():
                    label, named = type_label(content.get("schema", {"type": "document"}))
                    responses.append(
                        {"status": status, "media_type": media_type, "type": label, "schema": named}
                    )
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation["operationId"],
                    "summary": operation["summary"],
                    "description": operation.get("description", ""),
                    "tag": operation["tags"][0],
                    "parameters": operation["parameters"],
                    "responses": responses,
                }
            )
    components = document["components"]["schemas"]
    return {
        "title": document["info"]["title"],
        "version": document["info"]["version"],
        "description": document["info"]["description"],
        "openapi": document["openapi"],
        "operations": operations,
        "schemas": [
            {"name": name, "description": schema.get("description", ""), "fields": _fields(schema)}
            for name, schema in sorted(components.items())
        ],
    }
