"""The outcome of one query, failures included, as plain data."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import dns.flags
import dns.message
import dns.rcode
import dns.rrset

from webdig.engine.query import Query


class ErrorKind(StrEnum):
    """Why no usable reply came back."""

    TIMEOUT = "timeout"
    REFUSED = "refused"
    """The connection was refused: nothing listens there (ICMP or TCP RST)."""
    UNREACHABLE = "unreachable"
    MALFORMED = "malformed"
    """Something came back, but it is not a DNS reply we can read."""
    SKIPPED = "skipped"
    """Never sent: the request's deadline or query budget ran out first."""
    BUSY = "busy"
    """Never sent: a budget that protects that server is spent for now (try again later)."""
    NOT_ALLOWED = "not-allowed"
    """Never sent: the target policy forbids this address (found through DNS)."""


@dataclass(frozen=True)
class QueryError:
    """A failure to get a reply, with a sentence a non-expert can read."""

    kind: ErrorKind
    message: str
    dig_line: str
    """How dig reports the same failure, e.g. ``;; connection timed out; ...``."""


# dig prints header flags in this order.
_FLAG_ORDER = (
    ("qr", dns.flags.QR),
    ("aa", dns.flags.AA),
    ("tc", dns.flags.TC),
    ("rd", dns.flags.RD),
    ("ra", dns.flags.RA),
    ("ad", dns.flags.AD),
    ("cd", dns.flags.CD),
)


@dataclass
class QueryResult:
    """What happened when one :class:`~webdig.engine.query.Query` was sent."""

    query: Query
    started: datetime
    """When the query was sent (UTC), for dig's ``;; WHEN:`` line."""
    response: dns.message.Message | None = None
    wire: bytes | None = None
    """The reply exactly as it arrived, kept so a saved result can be read again later."""
    wire_size: int | None = None
    transport: str = "udp"
    """``udp`` or ``tcp``: the transport of the exchange that produced ``response``."""
    elapsed_ms: int = 0
    error: QueryError | None = None
    warnings: list[str] = field(default_factory=list)
    """dig-style notes printed before the reply, e.g. ``;; Truncated, retrying in TCP mode.``"""
    sent: bytes | None = None
    """The query as sent (its ID and cookie included), for dig's ``+qr``."""
    resent: bytes | None = None
    """The query sent again over TCP after a truncated reply (with the server's cookie)."""

    @property
    def ok(self) -> bool:
        """True when a reply was received and parsed (whatever its rcode)."""
        return self.response is not None

    @property
    def rcode(self) -> str | None:
        """The reply's status as dig prints it (``NOERROR``, ``NXDOMAIN``), or None."""
        if self.response is None:
            return None
        return _rcode_text(self.response.flags, self.response.ednsflags)

    @property
    def flags(self) -> list[str]:
        """The reply's header flags in dig's order, e.g. ``["qr", "aa", "rd"]``."""
        if self.response is None:
            return []
        return list(flag_names(int(self.response.flags)))

    @property
    def answer(self) -> list[dns.rrset.RRset]:
        """The ANSWER section (empty without a reply)."""
        return list(self.response.answer) if self.response is not None else []

    @property
    def authority(self) -> list[dns.rrset.RRset]:
        """The AUTHORITY section (empty without a reply)."""
        return list(self.response.authority) if self.response is not None else []

    @property
    def additional(self) -> list[dns.rrset.RRset]:
        """The ADDITIONAL section without OPT/TSIG (empty without a reply)."""
        return list(self.response.additional) if self.response is not None else []


@functools.lru_cache(maxsize=256)
def _rcode_text(flags: int, ednsflags: int) -> str:
    # Every verdict and rendering asks a reply's status several times; through dnspython's
    # enums that cost more than the rest of the verdict.
    return dns.rcode.to_text(dns.rcode.from_flags(flags, ednsflags))


@functools.lru_cache(maxsize=256)
def flag_names(bits: int) -> tuple[str, ...]:
    """Header flag names in dig's order (``qr aa rd``…)."""
    # A reply has one of a few flag combinations; naming its bits went through enums.
    return tuple(name for name, bit in _FLAG_ORDER if bits & bit)
