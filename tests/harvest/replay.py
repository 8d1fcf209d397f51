"""A replay server: recorded HTTP answers served on 127.0.0.1 to the real client code.

Routes are keyed by method, path, query (parameter order does not matter) and,
for a POST, the JSON body. Each route holds one or more replies, served in order
(the last one again once they run out). A request without a route, or a reply
never served, is a problem the ``replay`` fixture turns into a test failure.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scholarfolio.harvest.http import Clock

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "harvest"

Key = tuple[str, str, tuple[tuple[str, str], ...], str]


def fixture_bytes(relative: str) -> bytes:
    """A fixture file's content, gunzipped when its name ends in .gz."""
    data = (FIXTURES / relative).read_bytes()
    return gzip.decompress(data) if relative.endswith(".gz") else data


@dataclass
class Reply:
    """One recorded answer."""

    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class Route:
    """The replies for one request, and what the server saw of its requests."""

    key: Key
    replies: list[Reply]
    hits: int = 0
    times: list[float] = field(default_factory=list)  # the test clock at each request
    headers: list[dict[str, str]] = field(default_factory=list)

    def take(self) -> Reply:
        reply = self.replies[min(self.hits, len(self.replies) - 1)]
        self.hits += 1
        return reply


def request_key(method: str, target: str, body: bytes | None = None) -> Key:
    """Method, path, sorted query pairs and canonical JSON body of a request."""
    url = urlsplit(target)
    query = tuple(sorted(parse_qsl(url.query, keep_blank_values=True)))
    payload = json.dumps(json.loads(body), sort_keys=True) if body else ""
    return (method, url.path, query, payload)


class ReplayServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) answering from routes."""

    def __init__(self) -> None:
        self.routes: dict[Key, Route] = {}
        self.unmatched: list[str] = []
        self.clock: Clock | None = None
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.replay = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add(self, method: str, target: str, *replies: Reply, json_body: Any = None) -> Route:
        """Answer ``method target`` (and this JSON body) with ``replies`` in order."""
        body = json.dumps(json_body).encode() if json_body is not None else None
        route = Route(request_key(method, target, body), list(replies))
        self.routes[route.key] = route
        return route

    def answer(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str]
    ) -> Reply:
        key = request_key(method, target, body)
        with self._lock:
            route = self.routes.get(key)
            if route is None:
                self.unmatched.append(f"{method} {target}")
                return Reply(
                    b"no recording for this request", status=599, content_type="text/plain"
                )
            if self.clock is not None:
                route.times.append(self.clock.monotonic())
            route.headers.append(headers)
            return route.take()

    def problems(self) -> list[str]:
        """Requests without a recording, and recordings never (fully) served."""
        unused = [
            f"unused recording: {route.key[0]} {route.key[1]} {dict(route.key[2])}"
            for route in self.routes.values()
            if route.hits < len(route.replies)
        ]
        return [f"no recording for: {request}" for request in self.unmatched] + unused


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._reply(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._reply(self.rfile.read(length))

    def _reply(self, body: bytes | None) -> None:
        replay: ReplayServer = self.server.replay  # type: ignore[attr-defined]
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = replay.answer(self.command, self.path, body, headers)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            # The client went away (a killed harvest): nothing to answer.
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass
