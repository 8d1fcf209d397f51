"""The domain never imports the web or CLI layers (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import scholarfolio

PACKAGE = Path(scholarfolio.__file__).parent
OUTER = ("scholarfolio.web", "scholarfolio.cli")
PACKAGES = tuple(f"{name}." for name in OUTER)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_domain_modules_do_not_import_web_or_cli() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).parts
        # The static-site export drives the web app itself, so it is an outer layer too.
        if relative[0] in ("web", "cli.py", "__main__.py") or relative == ("export", "site.py"):
            continue
        # By package: scholarfolio.webbench (a benchmark, top level) is not scholarfolio.web.
        bad = {name for name in _imports(path) if name in OUTER or name.startswith(PACKAGES)}
        if bad:
            offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(bad)}")
    assert offenders == []


def test_only_the_store_writes_sql() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in ("store",)
        and any(name == "sqlalchemy" or name.startswith("sqlalchemy.") for name in _imports(path))
        and "sa." in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_modules_stay_small() -> None:
    # House style: modules under about 500 lines.
    long = [
        f"{path.relative_to(PACKAGE)}: {n}"
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    ]
    assert long == []
