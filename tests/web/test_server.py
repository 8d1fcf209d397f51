"""Starting the server: a port already in use is one clear error; it serves, then stops cleanly."""

from __future__ import annotations

import contextlib
import http.client
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scholarfolio.errors import ServeError
from scholarfolio.store import Store
from scholarfolio.web.server import listen, serve

STYLESHEET = Path(__file__).resolve().parents[2] / "scholarfolio" / "web" / "static" / "style.css"


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 that another socket is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def test_serve_refuses_a_port_in_use(built_store: Store, taken_port: int) -> None:
    with pytest.raises(ServeError) as caught:
        serve(built_store, "127.0.0.1", taken_port)
    assert str(caught.value) == (
        f"port {taken_port} on 127.0.0.1 is already in use; choose another with --port"
    )


def test_listen_on_a_free_port_gives_a_listening_socket() -> None:
    sock = listen("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    finally:
        sock.close()


def test_listen_on_an_address_not_on_this_machine_is_a_serve_error() -> None:
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address, and no DNS lookup needed.
    with pytest.raises(ServeError, match="^cannot listen on 192.0.2.1 port 8000: "):
        listen("192.0.2.1", 8000)


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


@pytest.fixture
def served(built_store: Store) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``scholarfolio serve`` on the built store, in its own process, and its port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    location = built_store.engine.url.render_as_string(hide_password=False)
    command = [sys.executable, "-m", "scholarfolio", "--db", location, "serve", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while server.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if _get(port, "/healthz").status == 200:
                break
        time.sleep(0.1)
    yield server, port
    if server.poll() is None:
        server.kill()
        server.wait()


def test_serve_answers_on_its_port_with_etags_and_304s(
    served: tuple[subprocess.Popen[bytes], int],
) -> None:
    server, port = served
    first = _get(port, "/healthz")
    assert first.status == 200
    assert first.getheader("server") == "granian"
    tag = first.getheader("etag")
    assert tag is not None
    again = _get(port, "/healthz", {"If-None-Match": tag})
    assert again.status == 304
    assert _get(port, "/static/style.css").getheader("content-length") == str(
        STYLESHEET.stat().st_size
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_cleanly_on_ctrl_c_and_on_terminate(
    served: tuple[subprocess.Popen[bytes], int], signum: int
) -> None:
    server, port = served
    assert _get(port, "/healthz").status == 200
    server.send_signal(signum)
    output, _ = server.communicate(timeout=20)
    assert server.returncode == 0
    assert b"Traceback" not in output
    with pytest.raises(OSError):
        _get(port, "/healthz")
