"""What a live result page needs to show the "Save a link to this result" button."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from webdig.web import csrf
from webdig.web.snapshotstore import current_store


def save_form(fields: Iterable[tuple[str, str]], *, highlight: bool = False) -> dict[str, Any]:
    """The question's fields (sent again with the POST), the form token, and the retention.

    ``highlight``: the link asked to save (digwebinterface's ``save=on``), so the button
    stands out; pressing it is still the person's choice.
    """
    return {
        "highlight": highlight,
        "fields": [(name, value) for name, value in fields if name != "lang"],
        "token": csrf.form_token(),
        "days": f"{current_store().days:g}",
    }
