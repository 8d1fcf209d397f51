"""Run the fuzz harnesses under atheris, one subprocess per target, for a bounded time.

Each target's corpus starts from its seed inputs (:func:`~.targets.seed_inputs`);
libFuzzer writes a crashing input into the target's crash folder and the
process ends; the report says what crashed and where the input is.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from hashlib import sha1
from pathlib import Path
from typing import Any

from scholarfolio.errors import BadInput, BenchError
from scholarfolio.fuzz.targets import MAX_SEED_BYTES, TARGETS, seed_inputs, target

# Starting the worker instruments every loaded module before the clock runs.
STARTUP_ALLOWANCE_SECONDS = 180
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
_EXECUTED = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_PROGRESS = re.compile(r"^#(\d+)\s", re.MULTILINE)
_COVERAGE = re.compile(r"\bcov: (\d+)")
_WRITTEN = re.compile(r"Test unit written to (\S+)")
_PYTHON_ERROR = "=== Uncaught Python exception: ==="


@dataclass(frozen=True, slots=True)
class FuzzResult:
    """What one target's run did: executions, coverage, and the crash if one was found."""

    target: str
    seconds: int
    executions: int
    coverage: int
    seeds: int
    crash: str | None = None
    crash_input: str | None = None
    log: str | None = None

    def line(self) -> str:
        """One line for the terminal."""
        rate = self.executions / self.seconds if self.seconds else 0.0
        head = (
            f"{self.target}: {self.executions:,} runs in {self.seconds} s ({rate:,.0f}/s), "
            f"coverage {self.coverage}, {self.seeds} seeds"
        )
        if self.crash is None:
            return head + ", no crash"
        return f"{head}, CRASH: {self.crash} (input: {self.crash_input}; log: {self.log})"

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return asdict(self)


def atheris_available() -> bool:
    """Whether atheris (the ``fuzz`` extra) is importable."""
    return importlib.util.find_spec("atheris") is not None


def default_fixtures() -> Path:
    """The repository's tests/fixtures folder, next to the package in a checkout."""
    return Path(__file__).resolve().parents[2] / "tests" / "fixtures"


def chosen_targets(name: str) -> list[str]:
    """The target names ``name`` stands for (``all``: every target)."""
    if name == "all":
        return list(TARGETS)
    return [target(name).name]


def run_target(
    name: str, seconds: int, corpus_root: Path, crash_root: Path, fixtures: Path
) -> FuzzResult:
    """Fuzz one target for ``seconds`` in a subprocess and read what it reported."""
    if not atheris_available():
        raise BenchError("atheris is not installed: pip install 'scholarfolio[fuzz]'")
    corpus = corpus_root / name
    crashes = crash_root / name
    seeds = write_seeds(name, corpus, fixtures)
    crashes.mkdir(parents=True, exist_ok=True)
    log = crashes / "fuzz.log"
    command = [sys.executable, "-m", "scholarfolio.fuzz.worker", name, str(corpus)]
    command += [str(crashes), str(seconds), str(MAX_SEED_BYTES)]
    with log.open("wb") as output:
        try:
            finished = subprocess.run(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=seconds + STARTUP_ALLOWANCE_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return _result(name, seconds, seeds, log, "the fuzzer did not stop in time")
    failure = None if finished.returncode == 0 else f"exit status {finished.returncode}"
    return _result(name, seconds, seeds, log, failure)


def write_seeds(name: str, corpus: Path, fixtures: Path) -> int:
    """Put the target's seed inputs into ``corpus`` (kept inputs stay); how many distinct."""
    corpus.mkdir(parents=True, exist_ok=True)
    if not fixtures.is_dir():
        raise BadInput(f"no fixtures folder to seed from: {fixtures} (give --seeds DIR)")
    written: set[str] = set()
    for data in seed_inputs(target(name), fixtures):
        file_name = f"seed-{sha1(data).hexdigest()[:16]}"  # the same value once
        (corpus / file_name).write_bytes(data)
        written.add(file_name)
    return len(written)


def _result(name: str, seconds: int, seeds: int, log: Path, failure: str | None) -> FuzzResult:
    """Read the libFuzzer log of one run into a :class:`FuzzResult`."""
    text = log.read_text(encoding="utf-8", errors="replace")
    executed = _EXECUTED.search(text) or _DONE.search(text)
    progress = _PROGRESS.findall(text)
    executions = int(executed[1]) if executed else int(progress[-1]) if progress else 0
    coverage = [int(found) for found in _COVERAGE.findall(text)]
    written = _WRITTEN.search(text)
    crash = _crash_description(text) if written or failure else None
    if crash is None and failure is not None:
        crash = failure
    return FuzzResult(
        target=name,
        seconds=seconds,
        executions=executions,
        coverage=max(coverage, default=0),
        seeds=seeds,
        crash=crash,
        crash_input=written[1] if written else None,
        log=str(log) if crash else None,
    )


def _crash_description(text: str) -> str | None:
    """The last line of the Python traceback (``KeyError: 'x'``) or libFuzzer's error line."""
    if _PYTHON_ERROR in text:
        # atheris prints the exception line first, then its traceback.
        after = text.split(_PYTHON_ERROR, 1)[1].splitlines()
        first = next((line.strip() for line in after if line.strip()), None)
        if first is not None:
            return first
    errors = [line for line in text.splitlines() if "ERROR: libFuzzer" in line]
    return errors[-1].split("ERROR: ", 1)[1] if errors else None
