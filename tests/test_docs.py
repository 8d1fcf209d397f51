"""The README's promises stay true: the test command CI runs and the documented settings."""

from __future__ import annotations

from pathlib import Path

from scholarfolio import settings

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.startswith("python3 -m venv")]


def test_ci_runs_the_readme_test_command() -> None:
    demo, tests = _readme_commands()
    assert demo.endswith("scholarfolio demo")
    assert tests.endswith("pytest")
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_every_badge_setting_is_documented() -> None:
    metrics_doc = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    for setting in settings.REGISTRY:
        if setting.name.startswith(("famous", "prolific")):
            assert setting.env_var in metrics_doc
