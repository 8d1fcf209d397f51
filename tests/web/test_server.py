"""Starting the server: a port already in use is one clear error, not a traceback."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from scholarfolio.errors import ServeError
from scholarfolio.store import Store
from scholarfolio.web.server import listen, serve


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
