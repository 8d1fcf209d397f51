"""The operator's identity pages under /admin: merge, split, claim, unclaim, ORCID, undo.

Every page and form needs the operator (web/admin_auth.py: session cookie or
Bearer token); every POST is CSRF-checked there. A decision is stored through
:mod:`scholarfolio.identity.overrides` (audited: ``by``, ``reason``, UTC time)
and applied at once by a build, then the browser goes back to the author's
page (303); a Bearer script gets ``{"decision": N, "author": id}`` instead.

Routes (relative to /admin)::

    GET  /identity                  find an author, merge, attach an ORCID, the full history
    GET  /authors/{author_id}       one author: authorships (split, unclaim), claim, history
    POST /identity/merge            survivor, absorbed
    POST /identity/split|unclaim    author, work, position (optional)
    POST /identity/claim            author, work, position (optional)
    POST /identity/orcid            author, orcid
    POST /identity/undo             decision (and author, the page to go back to)

Each POST also takes ``reason`` (required) and ``by`` (default "operator").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from scholarfolio import pipeline, profiles
from scholarfolio.errors import BadInput, NotFound
from scholarfolio.identity import evidence, overrides
from scholarfolio.store import Store
from scholarfolio.web.admin_auth import AdminLink, AdminSession, admin_form, require_admin
from scholarfolio.web.render import Renderer, json_response

LINKS = [
    AdminLink(
        "/admin/identity",
        "Author identity",
        "merge authors, split or claim authorships, attach ORCIDs, undo, the audit log",
    )
]
DEFAULT_BY = "operator"


def _author_page(author_id: str, decision: int | None = None) -> str:
    path = f"/admin/authors/{quote(author_id, safe='')}"
    return f"{path}?decision={decision}" if decision is not None else path


def _field(form: dict[str, str], name: str) -> str:
    value = form.get(name, "").strip()
    if not value:
        raise BadInput(f"the form needs {name}")
    return value


def _position(form: dict[str, str]) -> int | None:
    text = form.get("position", "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise BadInput(f"position must be a whole number from 1 (got {text!r})")
    return int(text)


def _audit(form: dict[str, str]) -> overrides.Audit:
    return overrides.Audit(form.get("by", "").strip() or DEFAULT_BY, form.get("reason", ""))


class IdentityPages:
    """The endpoints; each POST decides, rebuilds, then shows the author."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.store: Store = renderer.store

    def _context(self, request: Request, session: AdminSession) -> dict[str, Any]:
        decision = request.query_params.get("decision", "")
        return {"session": session, "decision": decision if decision.isdigit() else ""}

    def identity(self, request: Request) -> Response:
        """Find an author (``?author=``), the merge and ORCID forms, the whole audit log."""
        session = require_admin(request)
        wanted = request.query_params.get("author", "").strip()
        if wanted:
            return RedirectResponse(_author_page(profiles.find_author(self.store, wanted)), 303)
        context = self._context(request, session) | {"history": overrides.history(self.store)}
        return self.renderer.page("admin_identity.html", context)

    def author(self, request: Request) -> Response:
        """One author as the operator sees it; an absorbed id goes on to its survivor."""
        session = require_admin(request)
        author_id = request.path_params["author_id"]
        try:
            sheet = evidence.author_sheet(self.store, author_id)
        except NotFound:
            found = profiles.find_author(self.store, author_id)
            return RedirectResponse(_author_page(found), 303)
        context = self._context(request, session) | {
            "author": sheet,
            "history": overrides.history(self.store, author_id),
        }
        return self.renderer.page("admin_author.html", context)

    async def decide(self, request: Request) -> Response:
        """POST /identity/{action}: store the decision, rebuild, go back to the author."""
        session, form = await admin_form(request)
        action = request.path_params["action"]
        decide = {
            "merge": self._merge,
            "split": self._pin,
            "claim": self._pin,
            "unclaim": self._pin,
            "orcid": self._orcid,
            "undo": self._undo,
        }.get(action)
        if decide is None:
            raise HTTPException(404)
        decision, author_id = await run_in_threadpool(decide, action, form)
        await run_in_threadpool(pipeline.build, self.store)
        if session.via == "bearer":
            return json_response({"decision": decision, "author": author_id})
        if author_id is None:
            return RedirectResponse(f"/admin/identity?decision={decision}", 303)
        return RedirectResponse(_author_page(author_id, decision), 303)

    def _author(self, form: dict[str, str], name: str = "author") -> str:
        return profiles.find_author(self.store, _field(form, name))

    def _merge(self, action: str, form: dict[str, str]) -> tuple[int, str | None]:
        survivor, absorbed = self._author(form, "survivor"), self._author(form, "absorbed")
        return overrides.merge(self.store, survivor, absorbed, _audit(form)), survivor

    def _pin(self, action: str, form: dict[str, str]) -> tuple[int, str | None]:
        author_id, work = self._author(form), _field(form, "work")
        pin = {"split": overrides.split, "claim": overrides.claim, "unclaim": overrides.unclaim}
        decided = pin[action](self.store, author_id, work, _position(form), _audit(form))
        return decided, author_id

    def _orcid(self, action: str, form: dict[str, str]) -> tuple[int, str | None]:
        author_id = self._author(form)
        orcid = _field(form, "orcid")
        return overrides.attach_orcid(self.store, author_id, orcid, _audit(form)), author_id

    def _undo(self, action: str, form: dict[str, str]) -> tuple[int, str | None]:
        text = _field(form, "decision")
        if not text.isascii() or not text.isdigit():
            raise BadInput(f"decision must be the number of a decision (got {text!r})")
        undone = overrides.undo(self.store, int(text), _audit(form))
        back = form.get("author", "").strip()
        return undone, profiles.find_author(self.store, back) if back else None


def routes(renderer: Renderer) -> list[BaseRoute]:
    """The identity pages, with paths relative to /admin (admin_auth.mount puts them there)."""
    pages = IdentityPages(renderer)
    return [
        Route("/identity", pages.identity, methods=["GET"]),
        Route("/authors/{author_id}", pages.author, methods=["GET"]),
        Route("/identity/{action}", pages.decide, methods=["POST"]),
    ]
