"""The marks and the shape of a catalog entry: :func:`N_` and :func:`NP_` mark a template
for ``pybabel extract``; :class:`V` is one wording of a code and the conditions that pick it.

Kept apart from :mod:`webdig.findings.catalog` so the tables of sentences (one module per
area) can use them without an import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def N_(message: str) -> str:
    """Mark ``message`` as a catalog template for extraction; returns it unchanged."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a template with a plural form (``-k NP_:1,2``); returns both unchanged."""
    return singular, plural


@dataclass(frozen=True)
class V:
    """One wording of a code, used when every condition holds.

    A condition ``"name"`` holds when the parameter is present and not empty;
    ``"name=value"`` when its text equals ``value``.  ``count`` names the
    parameter that picks the plural form of a :func:`NP_` template.
    """

    template: str | tuple[str, str]
    when: tuple[str, ...] = ()
    count: str | None = None

    def holds(self, params: Mapping[str, Any]) -> bool:
        """Whether ``params`` meet every condition of this wording."""
        for condition in self.when:
            name, _, value = condition.partition("=")
            if "=" in condition:
                if str(params.get(name)) != value:
                    return False
            elif params.get(name) in (None, "", (), [], 0, False):
                return False
        return True


def v(template: str | tuple[str, str], *when: str, count: str | None = None) -> V:
    """A wording with its conditions: ``v(N_("…"), "alias")``."""
    return V(template, when, count)
