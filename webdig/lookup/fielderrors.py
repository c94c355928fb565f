"""What validating look-up parameters found wrong, by field, and what it read differently.

Planning collects every problem instead of stopping at the first, keyed by
the field it belongs to, so a page can show each message next to its field;
:class:`InvalidParams` carries them out of :func:`~webdig.lookup.planning.plan`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from webdig.errors import InputError, WebdigError
from webdig.findings.model import Finding, Level

T = TypeVar("T")


class InvalidParams(WebdigError):
    """One or more fields are invalid; ``fields`` maps field name to messages."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in fields.values() for m in ms))
        self.fields = fields


class FieldErrors:
    """The problems found so far, by field, and the notes on how the input was read."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.notes: list[Finding] = []
        """Not errors: what the page should say about how the input was read."""

    def note(self, code: str, **params: str) -> None:
        """Say how the input was understood (a ``note.*`` finding)."""
        self.notes.append(Finding(code, Level.INFO, params))

    def add(self, name: str, message: str) -> None:
        """Record a problem with field ``name``."""
        messages = self.fields.setdefault(name, [])
        if message not in messages:  # the same bad entry twice needs saying once
            messages.append(message)

    def check(self, name: str, parse: Callable[[], T]) -> T | None:
        """``parse()``, or None with its :class:`InputError` recorded (under its own field,
        else ``name``)."""
        try:
            return parse()
        except InputError as exc:
            self.add(exc.field or name, exc.message)
            return None
