"""Requests whose query-string values are read as people type them (see :mod:`webdig.lookup.typed`).

Normalising ``request.args`` once, where Flask builds it, covers every page
and API endpoint at the same time: a full-width ``１９２．０．２．１０`` is
``192.0.2.10`` to the form, the planner, the error messages and the share link,
and ``hostnames=dig @ns1.xserver.jp www.example.com`` is the look-up it means.
"""

from __future__ import annotations

from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

from webdig.dig.command import CommandError, parse_command, split_command
from webdig.errors import InputError
from webdig.lookup.typed import normalise_items

PROMPTS = ("$", "%", "#", ">")
"""Shell prompts copied along with a command from a manual or a terminal."""
KEPT = ("expected", "lang", "format")
"""What a pasted command cannot say: these fields stay as the form sent them."""


def pasted_line(typed: str) -> str | None:
    """The ``dig …`` line in a hostnames value (``$ dig …`` too); None when it holds none."""
    line = next((part.strip() for part in typed.splitlines() if part.strip()), "")
    if line[:1] in PROMPTS:
        line = line[1:].strip()
    return line if line.startswith("dig ") else None


def expand_pasted(
    items: list[tuple[str, str]],
) -> tuple[list[tuple[str, str]], str | None, InputError | None]:
    """A query string whose ``hostnames`` is a pasted dig command, as the fields it means.

    Read by the CLI's own parser (:func:`webdig.dig.command.parse_command`).  Returns
    the items (unchanged when there is no command, or it cannot be read), the command
    as pasted (for the note saying what was understood) and the error when unreadable.
    """
    typed = next((value for name, value in items if name == "hostnames"), "")
    line = pasted_line(typed)
    if line is None:
        return items, None, None
    try:
        command = parse_command(split_command(line))
    except CommandError as exc:
        return items, typed.strip(), exc
    kept = [(name, value) for name, value in items if name in KEPT]
    return [*command.values.items(), *kept], typed.strip(), None


class TypedRequest(Request):
    """A Flask request with NFKC-normalised query-string names and values, and a dig
    command pasted into ``hostnames`` read as the fields it stands for."""

    pasted: str | None = None
    """The dig command found in ``hostnames``, as pasted (None: there was none)."""
    pasted_error: InputError | None = None
    """Why that command could not be read (an unknown option…), for the hostnames field."""

    @cached_property
    def args(self) -> MultiDict[str, str]:
        """The query string's parameters, normalised (full-width digits, dots, spaces…)."""
        raw: MultiDict[str, str] = Request.args.fget(self)  # type: ignore[attr-defined]
        items, self.pasted, self.pasted_error = expand_pasted(
            normalise_items(raw.items(multi=True))
        )
        return _Args(items)


class _Args(ImmutableMultiDict[str, str]):
    """Query-string parameters whose ``get`` of an absent name costs a dict look-up.

    werkzeug's ``get`` raises and catches an HTTP exception for every name that
    is not there, and the look-up reads some fifty names, nearly all absent.
    """

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # type: ignore[override]
        """The first value of ``key`` (converted by ``type``), or ``default``."""
        if not dict.__contains__(self, key):
            return default
        return super().get(key, default, type)
