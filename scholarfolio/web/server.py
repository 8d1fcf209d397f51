"""Run the web application in one process: granian, behind the response cache.

Chosen by measurement (``scholarfolio bench web``, docs/performance.md): in the
same run, granian's embedded server (HTTP in Rust, the application on uvloop in
this one process) served cached profiles at about twice uvicorn's rate with
half its 99th-percentile latency. :class:`scholarfolio.web.cache.ResponseCache`
sits in front of the application either way. uvicorn stays as the measured
alternative (``serve_uvicorn``).

Both are handed a socket bound here, so a taken port is one clear ServeError
and nothing can grab the port between the check and the start. No access log:
a line per request costs more than serving a cached page; a reverse proxy in
front can keep one.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from typing import Any

import uvicorn
import uvloop
from granian._granian import SocketHolder
from granian.constants import Interfaces
from granian.log import LogLevels
from granian.server.embed import Server as EmbeddedServer
from starlette.types import ASGIApp

from scholarfolio import settings
from scholarfolio.errors import ServeError
from scholarfolio.store import Store
from scholarfolio.web.app import create_app
from scholarfolio.web.cache import ResponseCache, store_generation
from scholarfolio.web.security import Guard

log = logging.getLogger("scholarfolio.web")


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening; ServeError if the port is taken.

    The server is handed this very socket, so nothing can grab the port between
    the check and the start.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # As uvicorn does: lets a restart reuse a port whose old connections linger in TIME_WAIT.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(socket.SOMAXCONN)
    except OSError as exc:
        sock.close()
        raise _serve_error(host, port, exc) from None
    return sock


def _serve_error(host: str, port: int, exc: OSError) -> ServeError:
    """One clear line saying why ``host:port`` cannot be listened on."""
    if exc.errno == errno.EADDRINUSE:
        return ServeError(f"port {port} on {host} is already in use; choose another with --port")
    reason = exc.strerror or str(exc)
    return ServeError(f"cannot listen on {host} port {port}: {reason}")


def served_app(store: Store, cache_mb: int | None = None) -> Guard:
    """The application as ``serve`` runs it: behind a response cache unless ``cache_mb`` is 0.

    The app's guard stands in front of the cache too (web/security.py), so cached
    answers carry the security headers and the API rate limit counts every request.
    """
    megabytes = settings.RESPONSE_CACHE_MB.get() if cache_mb is None else cache_mb
    app = create_app(store)
    if megabytes <= 0:
        return app.guard(app)
    cache = ResponseCache(app, functools.partial(store_generation, store), megabytes << 20)
    return app.guard(cache)


class _GranianOnSocket(EmbeddedServer):
    """Granian's embedded server listening on a socket bound by :func:`listen`."""

    def __init__(self, app: ASGIApp, sock: socket.socket) -> None:
        host, port = sock.getsockname()[:2]
        super().__init__(
            app,
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            websockets=False,
            log_level=LogLevels.error,
            backlog=socket.SOMAXCONN,
        )
        self._socket = sock

    def _init_shared_socket(self) -> None:
        # Granian would bind the port again; instead it gets (a duplicate of) ours,
        # the way it shares one socket on platforms without SO_REUSEPORT.
        # Its stub leaves out the constructor that unpickling uses: (fd, is_uds, backlog).
        holder = SocketHolder(  # type: ignore[call-arg]
            os.dup(self._socket.fileno()), False, socket.SOMAXCONN
        )
        self._ssp = None
        self._shd = holder  # type: ignore[assignment]
        self._sfd = holder.get_fd()


async def _run_until_signalled(server: Any) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, server.signal_handler_interrupt)
    await server.serve()


def serve(store: Store, host: str, port: int) -> None:
    """Serve ``store`` on ``host:port`` until interrupted; ServeError if the port is taken."""
    sock = listen(host, port)
    try:
        log.info("Serving on %s (Press CTRL+C to quit)", _url(host, sock.getsockname()[1]))
        uvloop.run(_run_until_signalled(_GranianOnSocket(served_app(store), sock)))
    finally:
        sock.close()


def serve_uvicorn(store: Store, host: str, port: int) -> None:
    """The measured alternative: uvicorn on uvloop and httptools, same cache, same socket."""
    sock = listen(host, port)
    try:
        config = uvicorn.Config(
            served_app(store), loop="uvloop", http="httptools", access_log=False
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def _url(host: str, port: int) -> str:
    """The address to open in a browser, e.g. ``http://127.0.0.1:8000``."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


CANDIDATES: dict[str, Callable[[Store, str, int], None]] = {
    "granian": serve,
    "uvicorn": serve_uvicorn,
}


def main(argv: list[str]) -> None:
    """``python -m scholarfolio.web.server SERVER DB PORT``: how ``bench web`` runs each one."""
    name, location, port = argv
    # Benchmarks measure the server, not the API rate limit (all requests come from 127.0.0.1).
    os.environ[settings.API_RATE.env_var] = "0"
    with Store.open(location) as store:
        CANDIDATES[name](store, "127.0.0.1", int(port))


if __name__ == "__main__":
    main(sys.argv[1:])
