"""Requests whose query-string values are read as people type them (see :mod:`webdig.lookup.typed`).

Normalising ``request.args`` once, where Flask builds it, covers every page
and API endpoint at the same time: a full-width ``１９２．０．２．１０`` is
``192.0.2.10`` to the form, the planner, the error messages and the share link.
"""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

from webdig.lookup.typed import normalise_items


class TypedRequest(Request):
    """A Flask request with NFKC-normalised query-string names and values."""

    @cached_property
    def args(self) -> MultiDict[str, str]:
        """The query string's parameters, normalised (full-width digits, dots, spaces…)."""
        raw: MultiDict[str, str] = Request.args.fget(self)  # type: ignore[attr-defined]
        return ImmutableMultiDict(normalise_items(raw.items(multi=True)))
