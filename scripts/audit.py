"""pip-audit of requirements.lock, when the vulnerability database can be reached.

CI runs this after the README's test command (``.venv/bin/python scripts/audit.py``).
First a probe: one pinned package audited with a short timeout. If the database
does not answer it (no network, or an index that serves no vulnerability data),
one line says the audit was skipped and the script exits 0: CI must not fail for
lack of network. Otherwise every pin of requirements.lock is audited, strictly (a
package that cannot be audited fails too), and a known vulnerability fails CI.
Fix one by raising the pin (``bash scripts/lock.sh``); only when no fixed release
exists, add its id to IGNORED with the reason.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"
PROBE_TIMEOUT_S = 5
# Vulnerability id -> why it is accepted (no fixed release, code path unused, ...).
IGNORED: dict[str, str] = {}


def _pip_audit(*args: str) -> list[str]:
    ignores = [arg for vuln in IGNORED for arg in ("--ignore-vuln", vuln)]
    options = ["--no-deps", "--disable-pip", "--strict", "--progress-spinner", "off"]
    return [sys.executable, "-m", "pip_audit", *options, *ignores, *args]


def _first_pin() -> str:
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\S+", line):
            return line.split()[0]
    raise SystemExit(f"no pinned package in {LOCK}")


def database_answers(probe_file: Path) -> tuple[bool, str]:
    """Whether auditing one pin gets a real answer: (answered, why not)."""
    pin = _first_pin()
    probe_file.write_text(pin + "\n", encoding="utf-8")
    command = _pip_audit("--timeout", str(PROBE_TIMEOUT_S), "-f", "json", "-r", str(probe_file))
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S * 6, check=False
        )
    except subprocess.TimeoutExpired:
        return False, f"auditing {pin} took over {PROBE_TIMEOUT_S * 6} s"
    try:
        answer = json.loads(done.stdout)
        answered = all("vulns" in dep for dep in answer["dependencies"])
    except (ValueError, KeyError, TypeError):
        answered = False
    if answered:
        return True, ""
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return False, f"auditing {pin}: {last[:200]}"


def main() -> int:
    probe_file = LOCK.with_name(".audit-probe.txt")
    try:
        answered, why = database_answers(probe_file)
    finally:
        probe_file.unlink(missing_ok=True)
    if not answered:
        print(f"pip-audit skipped: no network (vulnerability database unreachable; {why})")
        return 0
    print(f"pip-audit: auditing {LOCK.name}", flush=True)
    return subprocess.run(_pip_audit("-r", str(LOCK)), check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
