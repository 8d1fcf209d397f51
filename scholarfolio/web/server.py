"""Run the web application with uvicorn in one process."""

from __future__ import annotations

import errno
import logging
import socket

import uvicorn

from scholarfolio.errors import ServeError
from scholarfolio.store import Store
from scholarfolio.web.app import create_app


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


def serve(store: Store, host: str, port: int) -> None:
    """Serve ``store`` on ``host:port`` until interrupted; ServeError if the port is taken."""
    sock = listen(host, port)
    try:
        config = uvicorn.Config(create_app(store), host=host, port=port, workers=1)
        # Uvicorn announces its address only for sockets it binds itself.
        logging.getLogger("uvicorn.error").info(
            "Serving on %s (Press CTRL+C to quit)", _url(host, sock.getsockname()[1])
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def _url(host: str, port: int) -> str:
    """The address to open in a browser, e.g. ``http://127.0.0.1:8000``."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
