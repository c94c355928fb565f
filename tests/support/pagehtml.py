"""Reading the pages' HTML in tests."""

from __future__ import annotations

import re


def field_errors(html: str, field: str) -> str:
    """The inside of the error list next to ``field`` on a page ("" when it has none)."""
    found = re.search(rf'<ul class="errors" id="{field}-errors">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""
