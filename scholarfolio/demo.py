"""The bundled demo corpus: real arXiv records shipped inside the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEMO_PACKAGE = "scholarfolio.demo_data"


def demo_files() -> list[Path]:
    """The demo corpus files, in a fixed order."""
    folder = resources.files(DEMO_PACKAGE)
    names = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.endswith((".gz", ".xml", ".jsonl")) and not entry.name.startswith(".")
    )
    return [Path(str(folder.joinpath(name))) for name in names]
