"""The canonical look-up parameters: digwebinterface's query-string names plus ``expected``.

A :class:`LookupParams` is what a shareable URL holds.  It is built from
any ``get(name)`` source (a query string, a form, CLI arguments) and
written back with :meth:`LookupParams.query_string`, so reopening the URL
re-runs exactly the same look-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from webdig.settings import SYSTEM

MODES = ("resolver", "self", "auth", "nic", "all")
"""``ns`` values: a preset resolver; the nameservers the user lists; every
authoritative nameserver of the name; the parent zone's (registry's)
servers; every preset resolver side by side."""

FLAGS = (
    "short", "stats", "norecursive", "tcp", "dnssec", "nsid", "showcommand", "colorize",
    "trace", "compare",
)  # fmt: skip
"""The ``=on`` options, in digwebinterface's order."""

_SPLIT = re.compile(r"[\s,;]+")


def split_lines(text: str | None) -> tuple[str, ...]:
    """Split a textarea value into entries (newlines, spaces, commas or semicolons)."""
    return tuple(item for item in _SPLIT.split(text or "") if item)


@dataclass(frozen=True)
class LookupParams:
    """Everything a look-up URL holds, as text, before validation."""

    hostnames: tuple[str, ...] = ()
    type: str = "A"
    ns: str = "resolver"
    useresolver: str = SYSTEM
    nameservers: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)
    hosting: str = ""
    """A hosting-provider preset whose nameservers ``ns=self`` asks when none are typed."""

    def flag(self, name: str) -> bool:
        """Whether the ``name=on`` option is set."""
        return name in self.flags

    def query_items(self) -> list[tuple[str, str]]:
        """The canonical query-string pairs (only what differs from nothing)."""
        items = [("hostnames", "\n".join(self.hostnames)), ("type", self.type), ("ns", self.ns)]
        if self.ns == "resolver":
            items.append(("useresolver", self.useresolver))
        elif self.ns == "self":
            if self.hosting and not self.nameservers:
                items.append(("hosting", self.hosting))
            else:
                items.append(("nameservers", "\n".join(self.nameservers)))
        if self.expected:
            items.append(("expected", "\n".join(self.expected)))
        items.extend((name, "on") for name in FLAGS if name in self.flags)
        return items

    def query_string(self) -> str:
        """The canonical, shareable query string (without ``?``)."""
        return urlencode(self.query_items())


def from_getter(get: Callable[[str], str | None]) -> LookupParams:
    """Build parameters from a ``get(name)`` function such as ``request.args.get``."""
    ns = (get("ns") or "").strip().lower() or None
    nameservers = split_lines(get("nameservers"))
    hosting = (get("hosting") or "").strip().lower()
    if ns is None:
        # A link with only nameservers= (or hosting=) means "ask these".
        ns = "self" if nameservers or hosting else "resolver"
    return LookupParams(
        hostnames=split_lines(get("hostnames")),
        type=(get("type") or "A").strip() or "A",
        ns=ns,
        useresolver=(get("useresolver") or SYSTEM).strip() or SYSTEM,
        nameservers=nameservers,
        expected=split_lines(get("expected")),
        flags=frozenset(name for name in FLAGS if _is_on(get(name))),
        hosting=hosting,
    )


def _is_on(value: str | None) -> bool:
    return (value or "").strip().lower() in {"on", "1", "true", "yes", "y"}
