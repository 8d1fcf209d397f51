"""The one place that turns an exception into an error response of the right shape.

NotFound is a 404, BadInput a 400, any other ScholarfolioError a 500; Starlette's
own HTTPExceptions (an unknown route, a wrong method) keep their status. Under
``/api/`` the response is ``{"error": {"status": ..., "message": ...}}``,
elsewhere an HTML page.
"""

from __future__ import annotations

from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from scholarfolio.errors import BadInput, Moved, NotFound, ScholarfolioError
from scholarfolio.web.render import Renderer

# Paths that answer in JSON, so their errors must be JSON too.
JSON_PREFIXES = ("/api/", "/healthz")


def wants_json(path: str) -> bool:
    """Whether errors on ``path`` are answered in JSON rather than HTML."""
    return path == "/api" or path.startswith(JSON_PREFIXES)


def describe(request: Request, exc: Exception) -> tuple[int, str]:
    """The HTTP status and the user-facing message for ``exc``."""
    if isinstance(exc, NotFound):
        return 404, str(exc) or "Not found."
    if isinstance(exc, BadInput):
        return 400, str(exc) or "Bad request."
    if isinstance(exc, ScholarfolioError):
        return 500, str(exc) or "Server error."
    if isinstance(exc, HTTPException):
        if exc.status_code == 404:
            return 404, f"There is no page at {request.url.path}."
        return exc.status_code, exc.detail or HTTPStatus(exc.status_code).phrase
    # Unexpected: say little to the client; Starlette re-raises it so the server logs it.
    return 500, "Internal server error."


class ErrorHandler:
    """A Starlette exception handler that renders every error in the right shape."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    async def __call__(self, request: Request, exc: Exception) -> Response:
        """The error response for ``exc`` raised while serving ``request``."""
        if isinstance(exc, Moved):
            # An author absorbed by a merge: its old URL keeps working, for good.
            target = request.url.path.replace(exc.old_id, exc.new_id, 1)
            return RedirectResponse(target, status_code=301)
        status, message = describe(request, exc)
        response = self.renderer.error(status, message, wants_json(request.url.path))
        if isinstance(exc, HTTPException) and exc.headers:
            # Keep headers such as Allow on a 405.
            response.headers.update(exc.headers)
        return response
