"""What one DNS query is: a name, a type, a server and dig-style options."""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass, field

import dns.rdataclass
import dns.rdatatype

from webdig.engine.bindtypes import MNEMONICS
from webdig.engine.names import Hostname
from webdig.errors import InputError
from webdig.language.message import Message

REVERSE = "Reverse"
"""The pseudo-type that turns an IP address into a PTR query (``dig -x``)."""

# Types that are not look-ups: zone transfers and meta types that a
# nameserver cannot answer as a normal query.
_REFUSED_TYPES = {
    dns.rdatatype.AXFR: "Zone transfers (AXFR) are not offered: webdig is a look-up tool.",
    dns.rdatatype.IXFR: "Zone transfers (IXFR) are not offered: webdig is a look-up tool.",
    dns.rdatatype.OPT: "OPT is not a record type you can ask for.",
    dns.rdatatype.TSIG: "TSIG is not a record type you can ask for.",
    dns.rdatatype.TKEY: "TKEY is not a record type you can ask for.",
    dns.rdatatype.MAILA: "MAILA is an obsolete meta type; ask for MX instead.",
    dns.rdatatype.MAILB: "MAILB is an obsolete meta type; ask for MX instead.",
}

# The types offered first in the form: what people debugging a website ask.
COMMON_TYPES = (
    "A", "AAAA", "CNAME", "MX", "NS", "TXT", "SOA", "CAA", "SRV", "PTR",
    "HTTPS", "SVCB", "DS", "DNSKEY", "ANY",
)  # fmt: skip


def all_types() -> list[str]:
    """Every type the form offers: common ones first, then the rest A–Z."""
    known = {t.name for t in dns.rdatatype.RdataType if t not in _REFUSED_TYPES}
    # dig's types that dnspython lacks are named by webdig.engine.bindtypes; NXNAME is a
    # meta type BIND 9.18 does not know.
    known = (known | set(MNEMONICS)) - {"NXNAME"}
    rest = sorted(t for t in known if t not in COMMON_TYPES and not t.startswith("TYPE"))
    return [*COMMON_TYPES, REVERSE, *rest]


@functools.lru_cache(maxsize=256)
def parse_type(text: str) -> str:
    """Validate a record type name (``a``, ``AAAA``, ``TYPE65``, ``Reverse``).

    Returns the canonical spelling; raises :class:`InputError` for unknown
    types and for zone transfers.
    """
    value = text.strip()
    if not value:
        return "A"
    if value.lower() == REVERSE.lower() or value.lower() == "ptr-reverse":
        return REVERSE
    try:
        rdtype = dns.rdatatype.from_text(value.upper())
    except (dns.rdatatype.UnknownRdatatype, ValueError) as exc:
        raise InputError(
            Message(
                "“{value}” is not a DNS record type. Try A, AAAA, MX, TXT or CNAME.",
                value=value[:30],
            )
        ) from exc
    if rdtype in _REFUSED_TYPES:
        raise InputError(_REFUSED_TYPES[rdtype])
    return dns.rdatatype.to_text(rdtype)


@functools.lru_cache(maxsize=256)
def type_code(text: str) -> dns.rdatatype.RdataType:
    """The type a spelling from :func:`parse_type` asks for (``Reverse``: PTR)."""
    return dns.rdatatype.PTR if text == REVERSE else dns.rdatatype.from_text(text)


@dataclass(frozen=True)
class Server:
    """A nameserver address to send queries to, and how to label it."""

    address: str
    """An IP address literal (never a hostname: resolution happened before)."""
    port: int = 53
    name: str | None = None
    """What the user typed or the preset's label, e.g. ``ns1.xserver.jp``."""

    @property
    def label(self) -> str:
        """How the server is named in headings: its name, else its address."""
        return self.name or self.address

    @property
    def family(self) -> int:
        """4 or 6."""
        # Asked for every socket and every sort of servers: an IPv6 literal always has a
        # colon and an IPv4 one never does, so there is no need to parse the address.
        return 6 if ":" in self.address else 4

    def endpoint(self) -> str:
        """``addr#port`` as dig prints it in ``;; SERVER:``."""
        return f"{self.address}#{self.port}"


@dataclass(frozen=True)
class QueryOptions:
    """dig's ``+`` options that change what is sent (defaults as dig 9.18's)."""

    tcp: bool = False
    recurse: bool = True
    dnssec: bool = False
    nsid: bool = False
    cd: bool = False
    """``+cd``: checking disabled."""
    adflag: bool = True
    """dig sets AD in queries unless ``+noadflag``."""
    edns: bool = True
    """``+noedns`` sends no OPT record (and so no COOKIE, NSID, DO or ECS)."""
    bufsize: int = 1232
    """``+bufsize=N``: the UDP size advertised in OPT."""
    cookie: bool = True
    """``+nocookie`` leaves the client COOKIE out."""
    subnet: str | None = None
    """``+subnet=ADDR/PREFIX``: EDNS Client Subnet data sent to the server (never a target)."""
    tries: int | None = None
    """``+retry=N`` (N+1 tries) or ``+tries=N``; None: the configured number."""
    timeout: float | None = None
    """``+time=N`` seconds per try; None: the configured timeout."""


CLASSES = ("IN", "CH", "HS")
"""The classes webdig asks: IN, and CHAOS/Hesiod for server-identity queries (version.bind)."""


@functools.lru_cache(maxsize=64)
def parse_class(text: str) -> dns.rdataclass.RdataClass:
    """Validate a class (``IN``, ``CH``/``CHAOS``, ``HS``/``HESIOD``, any case)."""
    value = text.strip().upper() or "IN"
    try:
        rdclass = dns.rdataclass.from_text(value)
    except (dns.rdataclass.UnknownRdataclass, ValueError) as exc:
        raise InputError(
            Message("“{value}” is not a DNS class. Use IN, CH or HS.", value=value[:20])
        ) from exc
    if dns.rdataclass.to_text(rdclass) not in CLASSES:
        raise InputError(
            Message(
                "Class {value} is not offered; use IN, CH or HS.",
                value=dns.rdataclass.to_text(rdclass),
            )
        )
    return rdclass


def parse_subnet(text: str) -> str:
    """Validate ``+subnet=ADDR[/PREFIX]`` as dig reads it; returns ``ADDR/PREFIX``.

    The address is data for the server (EDNS Client Subnet), so any
    address is allowed, private ranges included; ``0`` means ``0.0.0.0/0``, and an
    IPv4 address cut short before its prefix is filled in (``10/8``, ``0/0``).
    """
    value = text.strip()
    if value == "0":
        return "0.0.0.0/0"
    address, slash, prefix = value.partition("/")
    if slash and ":" not in address and 0 < address.count(".") + 1 < 4:
        # dig fills in an IPv4 address cut short before a prefix: 10/8, 192.168/16.
        value = address + ".0" * (3 - address.count(".")) + "/" + prefix
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError as exc:
        raise InputError(
            f"“{value[:50]}” is not an address with a prefix, for example 192.0.2.0/24."
        ) from exc
    return f"{network.network_address}/{network.prefixlen}"


@dataclass(frozen=True)
class Query:
    """One question to one server."""

    hostname: Hostname
    rdtype: dns.rdatatype.RdataType
    server: Server
    options: QueryOptions = field(default_factory=QueryOptions)
    rdclass: dns.rdataclass.RdataClass = dns.rdataclass.IN

    @property
    def type_text(self) -> str:
        """The type as dig prints it (``A``, ``TYPE65534``)."""
        return _type_text(self.rdtype)


@functools.lru_cache(maxsize=1024)
def _type_text(rdtype: dns.rdatatype.RdataType) -> str:
    # Asked for by every verdict, export and rendering of a query.
    return dns.rdatatype.to_text(rdtype)
