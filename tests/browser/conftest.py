"""Browser fixtures: the real server on the demo corpus, driven by Debian's headless Chromium.

The store is built once per session by ``scholarfolio demo --no-serve``, and
``scholarfolio serve`` runs it in a child process on a free port of 127.0.0.1,
exactly as a person would start it. Playwright drives /usr/bin/chromium (never a
browser of its own download); without it every browser test is skipped.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
# Building the demo corpus takes about 10 s; a cold start of the server a few.
START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _scholarfolio(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "scholarfolio", "--db", str(db), *args]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole demo corpus (arXiv and OpenAlex, citations, badges) built into a SQLite file."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium (CI does)")
    location = tmp_path_factory.mktemp("browser") / "demo.db"
    subprocess.run(_scholarfolio(location, "demo", "--no-serve"), check=True, timeout=300)
    return location


@pytest.fixture(scope="session")
def base_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``scholarfolio serve`` on the demo store, in its own process, until the session ends."""
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            _scholarfolio(demo_db, "serve", "--host", "127.0.0.1", "--port", str(port)),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"scholarfolio serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


# Module scope, not session: Playwright's sync API keeps an event loop running in
# the main thread while it is open, and later tests elsewhere call asyncio.run().
@pytest.fixture(scope="module")
def playwright_session() -> Iterator[Playwright]:
    """Playwright's driver, started once per test module."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium (CI does)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    launched = playwright_session.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh desktop-sized tab (own cookies, own cache) that may download files."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder screenshots are saved to (gitignored; CI keeps it as an artifact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
