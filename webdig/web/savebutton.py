"""What a live result page needs to show the "Save a link to this result" button."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from webdig.web import csrf
from webdig.web.snapshotstore import current_store


def save_form(fields: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The question's fields (sent again with the POST), the form token, and the retention."""
    return {
        "fields": [(name, value) for name, value in fields if name != "lang"],
        "token": csrf.form_token(),
        "days": f"{current_store().days:g}",
    }
