"""The bundled demo corpus: real arXiv records shipped inside the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEMO_PACKAGE = "scholarfolio.demo_data"


DATA_SUFFIXES = (".gz", ".xml", ".jsonl", ".json")


def demo_files() -> list[Path]:
    """The arXiv demo files, in a fixed order."""
    return _data_files(Path(str(resources.files(DEMO_PACKAGE))))


def openalex_demo_files() -> list[Path]:
    """The OpenAlex demo files (one author and their works each), in a fixed order."""
    return _data_files(Path(str(resources.files(DEMO_PACKAGE))) / "openalex_idb03")


def all_demo_files() -> list[Path]:
    """Everything the demo ingests."""
    return demo_files() + openalex_demo_files()


def _data_files(folder: Path) -> list[Path]:
    return sorted(
        entry
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(DATA_SUFFIXES) and not entry.name.startswith(".")
    )
