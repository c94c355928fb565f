"""The core stays Flask-free, so the page, the API and the CLI can share it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "webdig"
WEB_EDGE = {
    "__init__", "config", "pages", "api", "forms", "health", "cli", "limits", "security",
    "checkpage", "checkform",
}  # fmt: skip
WEB_LIBRARIES = {"flask", "werkzeug", "wtforms", "jinja2", "flask_limiter"}
CORE = sorted(p for p in PACKAGE.glob("*.py") if p.stem not in WEB_EDGE)


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_there_is_a_core() -> None:
    assert {"lookup", "transport", "verdicts", "policy"} <= {p.stem for p in CORE}


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.stem)
def test_core_module_imports_no_web_library(path: Path) -> None:
    assert not imported_roots(path) & WEB_LIBRARIES


def test_only_transport_and_webprobe_open_sockets() -> None:
    users = {p.stem for p in PACKAGE.glob("*.py") if imported_roots(p) & {"socket", "ssl", "http"}}
    assert users == {"transport", "webprobe"}
