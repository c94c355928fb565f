"""The areas keep to their imports, and no module imports in a cycle.

:data:`MAY_IMPORT` states, per area (a subpackage of ``webdig``, or a cross-cutting
module at its top), which other parts of webdig it may import. Each subpackage's
docstring says the same in its "May import:" sentence; a test keeps the two equal,
so the docstring a newcomer reads is the rule the code follows. Imports are read
from the source (every ``import`` statement, in functions and under
``TYPE_CHECKING`` too), not by importing the modules.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "webdig"


def dotted(path: Path) -> str:
    """``webdig/lookup/run.py`` → ``webdig.lookup.run``; a package's ``__init__`` → its name."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {dotted(path): path for path in sorted(PACKAGE.rglob("*.py"))}

CORE = {"webdig.engine", "webdig.lookup", "webdig.dig", "webdig.renewal", "webdig.output"}
SHARED = {"webdig.errors", "webdig.settings", "webdig.findings", "webdig.language"}
"""Cross-cutting parts every area may use."""

MAY_IMPORT: dict[str, set[str]] = {
    "webdig": {"webdig.web"},  # only for the lazy webdig:create_app
    "webdig.errors": set(),
    "webdig.presets": set(),
    "webdig.settings": {"webdig.presets"},
    "webdig.findings": {"webdig.language"},  # a parameter may be a core Message
    "webdig.language": set(),
    "webdig.engine": {"webdig.errors", "webdig.settings", "webdig.findings", "webdig.language"},
    "webdig.lookup": {"webdig.engine", "webdig.presets"} | SHARED,
    "webdig.dig": {"webdig.engine", "webdig.lookup"} | SHARED,
    "webdig.renewal": {"webdig.engine", "webdig.lookup", "webdig.dig"} | SHARED,
    "webdig.output": CORE - {"webdig.output"} | SHARED | {"webdig.language"},
    "webdig.version": set(),
    "webdig.storage": {"webdig.errors"},
    "webdig.cli": CORE | SHARED | {"webdig.presets", "webdig.language", "webdig.storage", "webdig"},
    "webdig.web": CORE
    | SHARED
    | {"webdig.presets", "webdig.language", "webdig.storage", "webdig.version"},
}
"""Area → the other areas it may import (its own modules always)."""

WEB_LIBRARIES = {
    "flask", "flask_babel", "flask_limiter", "flask_wtf", "werkzeug", "wtforms", "jinja2",
    "markupsafe",
}  # fmt: skip
NETWORK_MODULES = {
    "socket", "ssl", "select", "selectors", "asyncio", "http.client", "urllib.request", "httpx",
    "requests", "urllib3",
}  # fmt: skip
SOCKET_USERS = {
    "webdig.engine.transport",  # DNS queries
    # The renewal probes, split by what they speak: TCP connections under the target policy
    # and a deadline, HTTP (challenge path, status page) on them, and the TLS handshake.
    "webdig.renewal.connection",
    "webdig.renewal.httpfetch",
    "webdig.renewal.tlsprobe",
}


def area_of(module: str) -> str:
    """The area a module belongs to: its subpackage, or itself at the top of webdig."""
    parts = module.split(".")
    return ".".join(parts[:2])


def imports(module: str) -> Iterator[tuple[str, ast.stmt]]:
    """Every module name ``module``'s imports name (``from a import b`` gives ``a.b`` when
    that is a module, else ``a``), wherever the import statement is."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if full in MODULES else base), node


def webdig_imports(module: str) -> set[str]:
    """The webdig modules ``module`` imports (a name inside a module counts as the module)."""
    found: set[str] = set()
    for name, _ in imports(module):
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name.startswith("webdig") and name != module:
            found.add(name)
    return found


def library_roots(module: str) -> set[str]:
    """Every non-webdig module ``module`` imports, with its parents (``a.b`` gives both)."""
    names: set[str] = set()
    for name, _ in imports(module):
        parts = name.split(".")
        names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return {name for name in names if not name.startswith("webdig")}


def test_every_area_is_stated() -> None:
    assert {area_of(module) for module in MODULES} == set(MAY_IMPORT)


@pytest.mark.parametrize("area", sorted(MAY_IMPORT))
def test_area_imports_only_what_it_may(area: str) -> None:
    allowed = MAY_IMPORT[area] | {area}
    wrong = {
        f"{module} imports {target}"
        for module in MODULES
        if area_of(module) == area
        for target in webdig_imports(module)
        if area_of(target) not in allowed
    }
    assert not wrong


def may_import_sentence(docstring: str) -> str:
    """The "May import: …" sentence of an area's docstring."""
    match = re.search(r"May import:?(.*?)(?:\.\s|\.$)", docstring, re.DOTALL)
    assert match, "the docstring does not say what the area may import"
    return match.group(1)


@pytest.mark.parametrize(
    "area", sorted(a for a in MAY_IMPORT if MODULES[a].name == "__init__.py" and a != "webdig")
)
def test_area_docstring_says_what_it_may_import(area: str) -> None:
    docstring = ast.get_docstring(ast.parse(MODULES[area].read_text())) or ""
    named = set(re.findall(r"``(webdig(?:\.\w+)?)``", may_import_sentence(docstring)))
    assert named == MAY_IMPORT[area]


def test_only_the_web_edge_imports_web_libraries() -> None:
    users = {m for m in MODULES if library_roots(m) & WEB_LIBRARIES}
    assert users
    assert {area_of(m) for m in users} == {"webdig.web"}


def test_only_the_transport_and_the_probe_open_sockets() -> None:
    users = {m for m in MODULES if library_roots(m) & NETWORK_MODULES}
    assert users == SOCKET_USERS


def import_graph() -> dict[str, set[str]]:
    """Module → the webdig modules it imports."""
    return {module: webdig_imports(module) for module in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_in_a_cycle() -> None:
    assert cycles(import_graph()) == []


def test_a_cycle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_type_checking_and_function_imports_count() -> None:
    # lookup.run imports crosschecks at the top; the guard must also see imports that
    # only run under TYPE_CHECKING or inside a function (webdig:create_app is one).
    assert "webdig.web.app" in webdig_imports("webdig")
