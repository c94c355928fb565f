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
from enum import StrEnum
from urllib.parse import urlencode

from webdig.settings import SYSTEM


class _Described(StrEnum):
    """A closed set of query-string values, each with its one-line description."""

    description: str

    def __new__(cls, value: str, description: str = "") -> _Described:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    @classmethod
    def summary(cls) -> str:
        """Every value with its description: ``a: …; b: …`` (API document, CLI help)."""
        return "; ".join(f"{member}: {member.description}" for member in cls)


class Mode(_Described):
    """The ``ns`` parameter: which servers a look-up asks (digwebinterface's values)."""

    RESOLVER = "resolver", "a recursive resolver (a preset, or this server's own)"
    SELF = "self", "the nameservers given (or a hosting provider's)"
    AUTH = "auth", "every authoritative nameserver of the name"
    NIC = "nic", "the parent zone's (registry's) servers"
    ALL = "all", "one address of each preset resolver service and the authoritative servers"


class Flag(_Described):
    """The ``=on`` options, in digwebinterface's order."""

    SHORT = "short", "Print only the record data, like dig +short (text output)."
    STATS = "stats", "Show the full dig output on the page, statistics included."
    NORECURSIVE = "norecursive", "Clear the RD bit, like dig +norecurse."
    TCP = "tcp", "Query over TCP from the start, like dig +tcp."
    DNSSEC = "dnssec", "Set the DO bit to ask for DNSSEC records, like dig +dnssec."
    NSID = "nsid", "Ask the server for its NSID, like dig +nsid."
    SHOWCOMMAND = "showcommand", "Show the equivalent dig command line above each block."
    COLORIZE = "colorize", "Colour matching and non-matching answers on the page."
    TRACE = "trace", "Walk the delegation from the root servers down, like dig +trace."
    COMPARE = "compare", "Add the side-by-side comparison of what each server answered."


_SPLIT = re.compile(r"[\s,;]+")


def split_lines(text: str | None) -> tuple[str, ...]:
    """Split a textarea value into entries (newlines, spaces, commas or semicolons)."""
    return tuple(item for item in _SPLIT.split(text or "") if item)


@dataclass(frozen=True)
class LookupParams:
    """Everything a look-up URL holds, as text, before validation."""

    hostnames: tuple[str, ...] = ()
    type: str = "A"
    ns: str = Mode.RESOLVER
    """The ``ns`` text as given: ``plan()`` checks it is a :class:`Mode`."""
    useresolver: str = SYSTEM
    nameservers: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    flags: frozenset[Flag] = field(default_factory=frozenset)
    hosting: str = ""
    """A hosting-provider preset whose nameservers ``ns=self`` asks when none are typed."""

    def flag(self, name: Flag) -> bool:
        """Whether the ``name=on`` option is set."""
        return name in self.flags

    def query_items(self) -> list[tuple[str, str]]:
        """The canonical query-string pairs (only what differs from nothing)."""
        items = [
            ("hostnames", "\n".join(self.hostnames)),
            ("type", self.type),
            ("ns", str(self.ns)),
        ]
        if self.ns == Mode.RESOLVER:
            items.append(("useresolver", self.useresolver))
        elif self.ns == Mode.SELF:
            if self.hosting and not self.nameservers:
                items.append(("hosting", self.hosting))
            else:
                items.append(("nameservers", "\n".join(self.nameservers)))
        if self.expected:
            items.append(("expected", "\n".join(self.expected)))
        items.extend((str(name), "on") for name in Flag if name in self.flags)
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
        ns = Mode.SELF if nameservers or hosting else Mode.RESOLVER
    return LookupParams(
        hostnames=split_lines(get("hostnames")),
        type=(get("type") or "A").strip() or "A",
        ns=ns,
        useresolver=(get("useresolver") or SYSTEM).strip() or SYSTEM,
        nameservers=nameservers,
        expected=split_lines(get("expected")),
        flags=frozenset(name for name in Flag if _is_on(get(name))),
        hosting=hosting,
    )


def _is_on(value: str | None) -> bool:
    return (value or "").strip().lower() in {"on", "1", "true", "yes", "y"}
