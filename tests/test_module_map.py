"""The README's "How it is built" names every module of webdig, and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_map() -> str:
    """The "How it is built" section of the README."""
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"^## How it is built\n(.*?)(?=^## |\Z)", readme, re.MULTILINE | re.DOTALL)
    assert match, 'the README has no "How it is built" section'
    return match.group(1)


def listed_modules(text: str) -> set[str]:
    """The module paths the map names in its tables (``webdig/…/x.py`` in backquotes)."""
    return set(re.findall(r"`(webdig/[\w/]+\.py)`", text))


def modules() -> set[str]:
    """Every module of the package; an area's ``__init__.py`` is its heading, not a row."""
    found = {str(p.relative_to(ROOT)) for p in (ROOT / "webdig").rglob("*.py")}
    return {m for m in found if not (m.endswith("/__init__.py") and m.count("/") > 1)}


def test_the_map_names_every_module() -> None:
    missing = modules() - listed_modules(module_map())
    assert not missing, f"add to the README's module map: {sorted(missing)}"


def test_the_map_names_no_module_that_does_not_exist() -> None:
    stale = listed_modules(module_map()) - modules()
    assert not stale, f"the README's module map names missing modules: {sorted(stale)}"


def test_the_map_gives_each_module_one_line() -> None:
    rows = [line for line in module_map().splitlines() if line.startswith("| `webdig/")]
    named = [m for row in rows for m in listed_modules(row.split(" | ")[0])]
    assert len(named) == len(set(named))


def test_every_area_has_a_heading() -> None:
    areas = {p.parent.name for p in (ROOT / "webdig").glob("*/__init__.py")}
    headings = set(re.findall(r"^\*\*`webdig/(\w+)/`\*\*", module_map(), re.MULTILINE))
    assert headings == areas
