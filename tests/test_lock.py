"""requirements.lock pins every declared dependency, and scripts/audit.py keeps its policy.

The lock must be regenerated (``bash scripts/lock.sh``) whenever pyproject.toml's
dependencies change: a dependency missing from it, or pinned outside its declared
range, fails here. The audit script is run against a vulnerability database
served on 127.0.0.1 (pip-audit's OSV service pointed at it), never the internet.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
# The platform the lock is made for (scripts/lock.sh): CPython 3.11 on Linux.
LOCK_MARKERS = {"python_version": "3.11", "sys_platform": "linux", "platform_system": "Linux"}


def _pins() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = Version(match.group(2))
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = [project["dependencies"], *project["optional-dependencies"].values()]
    return [Requirement(text) for group in groups for text in group]


def test_the_lock_pins_real_packages() -> None:
    pins = _pins()
    assert {"sqlalchemy", "starlette", "granian", "pytest", "pip-audit"} <= set(pins)
    # Transitive dependencies are pinned too, not only the declared ones.
    assert {"anyio", "markupsafe", "typing-extensions"} <= set(pins)


@pytest.mark.parametrize("requirement", _declared(), ids=str)
def test_every_declared_dependency_is_pinned_in_its_range(requirement: Requirement) -> None:
    if requirement.marker is not None and not requirement.marker.evaluate(LOCK_MARKERS):
        pytest.skip(f"{requirement} does not apply to CPython 3.11 on Linux")
    pins = _pins()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{requirement.name} is missing: run bash scripts/lock.sh"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"{requirement.name}=={pins[name]} is outside {requirement}: run bash scripts/lock.sh"
    )


def test_the_readme_installs_with_the_lock_as_constraints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    installs = [line for line in readme.splitlines() if line.startswith("python3 -m venv")]
    assert installs
    assert all("pip install -q -c requirements.lock -e '.[dev]'" in line for line in installs)


class _Osv(BaseHTTPRequestHandler):
    """OSV's query API, knowing one vulnerability: in the package named by ``vulnerable``."""

    vulnerable = ""

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        package = query["package"]["name"]
        answer: dict[str, object] = {}
        if package == self.vulnerable:
            affected = {
                "package": {"name": package, "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
            }
            answer = {"vulns": [{"id": "PYSEC-0000-1", "summary": "test", "affected": [affected]}]}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def osv() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Osv)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _audit(url: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        PIP_AUDIT_VULNERABILITY_SERVICE="osv",
        PIP_AUDIT_OSV_URL=url,
        NO_PROXY="127.0.0.1",
        no_proxy="127.0.0.1",
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "audit.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_the_audit_fails_on_a_known_vulnerability(osv: ThreadingHTTPServer) -> None:
    _Osv.vulnerable = "starlette"
    done = _audit(f"http://127.0.0.1:{osv.server_address[1]}/v1/query")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "PYSEC-0000-1" in done.stdout
    assert f"starlette  {_pins()['starlette']}" in re.sub(r" +", "  ", done.stdout)


def test_the_audit_passes_a_clean_lock(osv: ThreadingHTTPServer) -> None:
    _Osv.vulnerable = "no-such-package"
    done = _audit(f"http://127.0.0.1:{osv.server_address[1]}/v1/query")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No known vulnerabilities found" in done.stdout + done.stderr


def test_the_audit_is_skipped_when_the_database_is_unreachable() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), _Osv) as closed:
        port = closed.server_address[1]
    done = _audit(f"http://127.0.0.1:{port}/v1/query")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("pip-audit skipped: no network")
