"""The areas keep to their imports: only ``webdig.web`` imports Flask; few modules open sockets."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "webdig"
WEB_LIBRARIES = {"flask", "werkzeug", "wtforms", "jinja2", "flask_limiter"}
NETWORK_MODULES = {"socket", "ssl", "selectors", "http.client", "urllib.request", "httpx"}
MODULES = sorted(PACKAGE.rglob("*.py"))
CORE = [p for p in MODULES if "web" not in p.relative_to(PACKAGE).parts[:-1]]


def dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def imported_modules(path: Path) -> set[str]:
    """Every module an import names, with its parents (``a.b`` gives ``a`` and ``a.b``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            full = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            full = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in full:
            parts = name.split(".")
            names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return names


def test_there_is_a_core() -> None:
    names = {dotted(p) for p in CORE}
    assert {"webdig.lookup.run", "webdig.engine.transport", "webdig.engine.policy"} <= names


@pytest.mark.parametrize("path", CORE, ids=dotted)
def test_core_module_imports_no_web_library(path: Path) -> None:
    assert not imported_roots(path) & WEB_LIBRARIES


def test_only_transport_and_probe_open_sockets() -> None:
    users = {dotted(p) for p in MODULES if imported_modules(p) & NETWORK_MODULES}
    assert users <= {"webdig.engine.transport", "webdig.renewal.probe"}
