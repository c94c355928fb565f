"""The canonical look-up parameters: digwebinterface's query-string names plus ``expected``.

A :class:`LookupParams` is what a shareable URL holds.  It is built from
named values (a query string, a form, CLI arguments) and
written back with :meth:`LookupParams.query_string`, so reopening the URL
re-runs exactly the same look-up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlencode

from webdig.findings.markers import N_
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
    SORT = "sort", "Sort each section's records in the dig text and on the page."
    ONLYFIRST = "onlyfirst", "With ns=auth or ns=nic: ask only the first nameserver of each zone."
    SAVE = (
        "save",
        "digwebinterface's save: the page points at its save button (a GET stores nothing).",
    )
    TRACE = "trace", "Walk the delegation from the root servers down, like dig +trace."
    COMPARE = "compare", "Add the side-by-side comparison of what each server answered."


SECTIONS = ("cmd", "comments", "question", "answer", "authority", "additional", "stats")
"""The parts of dig's output ``+noall`` turns off, in dig's order; each has ``+[no]NAME``."""


class DigFlag(_Described):
    """More ``=on`` options, named as dig's ``+options``: what is printed, then what is sent.

    ``noall`` applies first, then the parts named (``answer``), then the parts
    turned off (``nocomments``), as in ``dig +noall +answer``.  ``stats`` is
    the page option above (after ``noall`` it also brings dig's statistics back).
    """

    NOALL = "noall", N_("+noall: print nothing but what the options after it turn back on.")
    CMD = "cmd", N_("+cmd (after +noall): the banner with the command.")
    COMMENTS = "comments", N_("+comments (after +noall): the header, flags and OPT pseudosection.")
    QUESTION = "question", N_("+question (after +noall): the QUESTION SECTION.")
    ANSWER = "answer", N_("+answer (after +noall): the ANSWER SECTION, as in dig +noall +answer.")
    AUTHORITY = "authority", N_("+authority (after +noall): the AUTHORITY SECTION.")
    ADDITIONAL = "additional", N_("+additional (after +noall): the ADDITIONAL SECTION.")
    NOCMD = "nocmd", N_("+nocmd: no banner.")
    NOCOMMENTS = "nocomments", N_("+nocomments: no header, flags, OPT pseudosection or titles.")
    NOQUESTION = "noquestion", N_("+noquestion: no QUESTION SECTION.")
    NOANSWER = "noanswer", N_("+noanswer: no ANSWER SECTION.")
    NOAUTHORITY = "noauthority", N_("+noauthority: no AUTHORITY SECTION.")
    NOADDITIONAL = "noadditional", N_("+noadditional: no ADDITIONAL SECTION.")
    NOSTATS = "nostats", N_("+nostats: no query time, server, date and size.")
    MULTILINE = (
        "multiline",
        N_("+multiline: long records (SOA, keys, signatures) over several lines."),
    )
    TTLUNITS = "ttlunits", N_("+ttlunits: TTLs as 5m, 1h, 1d.")
    NOTTLID = "nottlid", N_("+nottlid: no TTL column.")
    NOCLASS = "noclass", N_("+noclass: no class column.")
    QR = "qr", N_("+qr: also print the query as sent.")
    IDENTIFY = (
        "identify",
        N_("+identify: say which server answered (with +short, or without stats)."),
    )
    CD = "cd", N_("+cd: checking disabled (a validating resolver returns data failing DNSSEC).")
    NOADFLAG = "noadflag", N_("+noadflag: do not set the AD bit in the query.")
    NOEDNS = "noedns", N_("+noedns: send no EDNS (so no COOKIE, NSID, DNSSEC or client subnet).")
    NOCOOKIE = "nocookie", N_("+nocookie: send no DNS COOKIE.")


ON_OPTIONS: tuple[Flag | DigFlag, ...] = (*Flag, *DigFlag)
"""Every ``=on`` option, in the form's order (listed once: iterating an enum class is slow)."""


class DigValue(_Described):
    """dig's ``+NAME=VALUE`` options, as ``NAME=VALUE`` parameters."""

    BUFSIZE = "bufsize", N_("+bufsize=N: the UDP size advertised in EDNS (0-65535; dig's 1232).")
    SUBNET = "subnet", N_("+subnet=ADDR/PREFIX: EDNS Client Subnet, data sent to the server.")
    RETRY = "retry", N_("+retry=N: retry N more times over UDP (0-5).")
    TIME = "time", N_("+time=N: wait N seconds for each try (1-10).")


CLASS_HELP = N_("The query class: IN, or CH/HS for server identity (version.bind, id.server).")

_SPLIT = re.compile(r"[\s,;]+")


def split_lines(text: str | None) -> tuple[str, ...]:
    """Split a textarea value into entries (newlines, spaces, commas or semicolons)."""
    return tuple(item for item in _SPLIT.split(text or "") if item)


def split_hostnames(text: str | None) -> tuple[str, ...]:
    """Split the hostnames field: as :func:`split_lines`, except on a line with a backslash.

    Such a line holds DNS names in presentation format (dig's master-file
    escapes, ``semi\\;colon.example``), where ``;`` and ``,`` are part of
    the name; only whitespace separates names there.
    """
    found: list[str] = []
    for line in (text or "").splitlines():
        found += line.split() if "\\" in line else split_lines(line)
    return tuple(found)


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
    flags: frozenset[Flag | DigFlag] = field(default_factory=frozenset)
    hosting: str = ""
    """A hosting-provider preset whose nameservers ``ns=self`` asks when none are typed."""
    rdclass: str = "IN"
    """The query class (``class=CH`` for ``version.bind``); IN unless asked."""
    values: tuple[tuple[DigValue, str], ...] = ()
    """dig's valued options (``bufsize``, ``subnet``, ``retry``, ``time``) that were given."""

    def flag(self, name: str) -> bool:
        """Whether the ``name=on`` option is set (a :class:`Flag` or a :class:`DigFlag`)."""
        return name in self.flags

    def value(self, name: DigValue) -> str | None:
        """The value of dig's ``+NAME=VALUE`` option, or None when not given."""
        return dict(self.values).get(name)

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
        if self.rdclass.upper() != "IN":
            items.append(("class", self.rdclass))
        items.extend((str(name), "on") for name in ON_OPTIONS if name in self.flags)
        items.extend((str(name), value) for name, value in self.values)
        return items

    def query_string(self) -> str:
        """The canonical, shareable query string (without ``?``)."""
        return urlencode(self.query_items())


def from_values(values: Mapping[str, str]) -> LookupParams:
    """Build parameters from named values such as ``request.args`` (first value of each name)."""
    get = values.get
    ns = (get("ns") or "").strip().lower() or None
    nameservers = split_lines(get("nameservers"))
    hosting = (get("hosting") or "").strip().lower()
    if ns is None:
        # A link with only nameservers= (or hosting=) means "ask these".
        ns = Mode.SELF if nameservers or hosting else Mode.RESOLVER
    return LookupParams(
        hostnames=split_hostnames(get("hostnames")),
        type=(get("type") or "A").strip() or "A",
        ns=ns,
        useresolver=(get("useresolver") or SYSTEM).strip() or SYSTEM,
        nameservers=nameservers,
        expected=split_lines(get("expected")),
        # Only the few names given are read: asking for each of the ~40 options
        # cost a call apiece on every request.
        flags=frozenset(
            _ON_OPTIONS[name] for name in values if name in _ON_OPTIONS and _is_on(get(name))
        ),
        hosting=hosting,
        rdclass=(get("class") or "IN").strip() or "IN",
        values=tuple(
            (name, value.strip())
            for name in _VALUES
            if name in values and (value := get(name) or "").strip()
        ),
    )


_ON_OPTIONS: dict[str, Flag | DigFlag] = {str(name): name for name in ON_OPTIONS}
_VALUES = tuple(DigValue)
_ON = frozenset({"on", "1", "true", "yes", "y"})


def _is_on(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _ON
