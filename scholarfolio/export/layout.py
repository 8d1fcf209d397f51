"""Where each page of the site goes as a static file, and its links rewritten to match.

The server's URLs and the static files differ in three ways: a page is a
folder's ``index.html`` (``/works/12`` is ``works/12/index.html``), the JSON
of ``/api/authors/{id}`` and ``/api/works/{id}`` sits beside its page as
``authors/{id}.json`` and ``works/{id}.json``, and a page of a longer list
(``?page=2``, ``?cited_by_page=3``) is a file of its own named after its
query. Whatever needs the server (search, sorting, filtering, co-author
pages: any other query, and every form) has no static form: its links lose
their ``href`` and forms are left out.

Every file path is made of segments that pass :func:`safe_segment`, and the
writer checks each resolved path stays inside the export folder.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from scholarfolio.errors import BadInput

# An id becomes a file or folder name only if it is made of these characters and
# starts with a letter or digit: no separators, no "..", nothing a shell or a
# static server would read differently.
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")
# Query parameters that choose a page of a list of works: those pages are exported.
# Co-author pages are not (a collaboration paper gives each of its thousands of
# authors a hundred of them); their links lose their href like search's.
_PAGING = frozenset({"page", "per_page", "cites_page", "cited_by_page"})
_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_FORM = re.compile(r"<form\b.*?</form>\s*", re.DOTALL | re.IGNORECASE)


def safe_segment(value: str) -> bool:
    """Whether ``value`` may be used as one file or folder name of the export."""
    return bool(_SAFE_SEGMENT.fullmatch(value)) and ".." not in value


@dataclass(frozen=True, slots=True)
class Target:
    """One URL of the server and the file of the export that holds its response."""

    url: str
    file: str
    # The address that links to it use in the static site.
    link: str

    @property
    def is_html(self) -> bool:
        """Whether the file is a page whose links must be rewritten."""
        return self.file.endswith(".html")


# (URL path pattern, file for it, link to it); group 1 is the id.
_ROUTES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"/"), "index.html", "/"),
    (re.compile(r"/authors/([^/]+)"), "authors/{0}/index.html", "/authors/{0}/"),
    (re.compile(r"/api/authors/([^/]+)"), "authors/{0}.json", "/authors/{0}.json"),
    (re.compile(r"/authors/([^/]+)/feed\.atom"), "authors/{0}/feed.atom", "/authors/{0}/feed.atom"),
    (re.compile(r"/authors/([^/]+)/works\.bib"), "authors/{0}/works.bib", "/authors/{0}/works.bib"),
    (re.compile(r"/works/(\d+)\.bib"), "works/{0}.bib", "/works/{0}.bib"),
    (re.compile(r"/works/(\d+)"), "works/{0}/index.html", "/works/{0}/"),
    (re.compile(r"/api/works/(\d+)"), "works/{0}.json", "/works/{0}.json"),
    (re.compile(r"/api/openapi\.json"), "api/openapi.json", "/api/openapi.json"),
    (re.compile(r"/api/docs"), "api/docs/index.html", "/api/docs/"),
    (re.compile(r"/static/([A-Za-z0-9][A-Za-z0-9._-]*)"), "static/{0}", "/static/{0}"),
)


def _paged(file: str, link: str, query: str) -> tuple[str, str] | None:
    """The file and link of one page of a list, or None when the query asks for more."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not file.endswith("/index.html") or not pairs:
        return None
    if not all(name in _PAGING and value.isdigit() for name, value in pairs):
        return None
    name = ".".join(f"{key}-{int(value)}" for key, value in sorted(dict(pairs).items())) + ".html"
    return file.removesuffix("index.html") + name, link + name


def target(url: str) -> Target | None:
    """The static file for a root-relative server URL (path and query), or None if it has
    no static form."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    for pattern, file, link in _ROUTES:
        match = pattern.fullmatch(parts.path)
        if match is None:
            continue
        if any(not safe_segment(group) for group in match.groups()):
            return None
        found = file.format(*match.groups()), link.format(*match.groups())
        if parts.query:
            paged = _paged(*found, parts.query)
            if paged is None:
                return None
            found = paged
        url = f"{parts.path}?{parts.query}" if parts.query else parts.path
        return Target(url=url, file=found[0], link=found[1])
    return None


def rewrite_links(page: str, page_url: str, found: Callable[[Target], None]) -> str:
    """The page with its internal links pointing at the static files, its forms left out.

    Each internal page it links to is passed to ``found`` (to be exported too); a
    link with no static form keeps its text and loses its ``href``.
    """
    page = _FORM.sub("", page)

    def replace(match: re.Match[str]) -> str:
        value = html.unescape(match.group(2))
        if value.startswith("#") or urlsplit(value).scheme in ("http", "https", "mailto"):
            return match.group(0)
        absolute = urlsplit(urljoin(page_url, value))
        fragment = f"#{absolute.fragment}" if absolute.fragment else ""
        query = f"?{absolute.query}" if absolute.query else ""
        linked = target(absolute.path + query)
        if linked is None:
            return ""
        found(linked)
        return match.group(1) + html.escape(linked.link + fragment, quote=True) + match.group(3)

    return _ATTRIBUTE.sub(replace, page)


class UnsafeExportPath(BadInput, ValueError):
    """A file path the export refuses: an unsafe name, or one that resolves outside the folder.

    A BadInput, so the command line says it in one line.
    """


class SiteWriter:
    """Writes files under one folder and refuses any path that would leave it."""

    def __init__(self, folder: Path) -> None:
        self.root = folder.resolve()
        self.files = 0
        self.bytes = 0

    def path(self, relative: str) -> Path:
        """The absolute path of ``relative``; UnsafeExportPath if it is not a safe path inside."""
        segments = relative.split("/")
        if not all(safe_segment(segment) for segment in segments):
            raise UnsafeExportPath(f"unsafe export path {relative!r}")
        path = self.root.joinpath(*segments).resolve()
        if not path.is_relative_to(self.root):
            # A symbolic link inside the folder points elsewhere.
            raise UnsafeExportPath(f"export path {relative!r} leaves {self.root}")
        return path

    def write(self, relative: str, content: bytes) -> None:
        """Write ``content`` to ``relative`` under the folder, creating folders on the way."""
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.files += 1
        self.bytes += len(content)
