"""DNS messages as webdig sends and reads them, and failures described as dig does.

Queries are built the way BIND 9.18's ``dig`` builds them (RD and AD set,
EDNS0 with a 1232-byte buffer and a client COOKIE).  Replies are parsed and
matched to their question here, and every way an exchange can fail gets
its sentence for people and its line as dig prints it.  Nothing here opens
a socket: :mod:`webdig.engine.transport` does.
"""

from __future__ import annotations

import errno
import functools
import os
import struct

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype

from webdig.engine.query import Query, QueryOptions
from webdig.engine.result import ErrorKind, QueryError

EDNS_PAYLOAD = 1232
COOKIE_SIZE = 8
_NSID_OPTION_SIZE = 4
"""An empty NSID option on the wire: code and length, no data."""
_NO_QUESTION_NEEDED = {dns.rcode.FORMERR, dns.rcode.SERVFAIL, dns.rcode.NOTIMP, dns.rcode.REFUSED}


class Failure(Exception):
    """One exchange failed; carries the error to record."""

    def __init__(self, error: QueryError) -> None:
        super().__init__(error.message)
        self.error = error


def build_message(query: Query, *, cookie: bytes | None = None) -> dns.message.QueryMessage:
    """Build the query message dig would send for ``query``."""
    return _make_message(query.hostname.name, query.rdtype, query.rdclass, query.options, cookie)


def _make_message(
    name: dns.name.Name,
    rdtype: dns.rdatatype.RdataType,
    rdclass: dns.rdataclass.RdataClass,
    options: QueryOptions,
    cookie: bytes | None,
) -> dns.message.QueryMessage:
    message = dns.message.make_query(
        name,
        rdtype,
        rdclass,
        use_edns=0,
        payload=EDNS_PAYLOAD,
        want_dnssec=options.dnssec,
        options=_edns_options(cookie, nsid=options.nsid),
    )
    # dig sets AD by default (+adflag) and RD unless +norecurse.
    message.flags = dns.flags.AD | (dns.flags.RD if options.recurse else 0)
    return message


@functools.lru_cache(maxsize=4096)
def _wire_template(
    name: dns.name.Name,
    rdtype: dns.rdatatype.RdataType,
    rdclass: dns.rdataclass.RdataClass,
    options: QueryOptions,
) -> tuple[bytes, int]:
    """The query's wire form with ID 0 and a zero cookie, and where the cookie starts.

    Building a message with dnspython took a tenth of a look-up's CPU time;
    a repeated question only needs a fresh ID and cookie written in.
    """
    message = _make_message(name, rdtype, rdclass, options, bytes(COOKIE_SIZE))
    message.id = 0
    wire = message.to_wire()
    # The OPT record ends the message: COOKIE first, then NSID if asked for.
    end = len(wire) - (_NSID_OPTION_SIZE if options.nsid else 0)
    return wire, end - COOKIE_SIZE


def _edns_options(cookie: bytes | None, *, nsid: bool) -> list[dns.edns.Option]:
    options: list[dns.edns.Option] = []
    if cookie is not None:
        options.append(dns.edns.GenericOption(dns.edns.OptionType.COOKIE, cookie))
    if nsid:
        options.append(dns.edns.GenericOption(dns.edns.OptionType.NSID, b""))
    return options


def query_wire(query: Query, query_id: int, cookie: bytes) -> bytes:
    """The wire form of :func:`build_message` for ``query`` with this ID and cookie."""
    template, cookie_at = _wire_template(
        query.hostname.name, query.rdtype, query.rdclass, query.options
    )
    return b"".join(
        (
            struct.pack("!H", query_id),
            template[2:cookie_at],
            cookie,
            template[cookie_at + COOKIE_SIZE :],
        )
    )


def parse_reply(
    data: bytes, query_id: int, query: Query, warnings: list[str]
) -> dns.message.Message | None:
    """Parse a reply; None means "not ours, keep waiting" (noted in warnings)."""
    endpoint = query.server.endpoint()
    if len(data) >= 2:
        (reply_id,) = struct.unpack("!H", data[:2])
        if reply_id != query_id:
            warnings.append(f";; Warning: ID mismatch: expected ID {query_id}, got {reply_id}")
            return None
    try:
        reply = dns.message.from_wire(data)
    except dns.message.TrailingJunk:
        warnings.append(";; Warning: Message parser reports malformed message packet.")
        try:
            reply = dns.message.from_wire(data, ignore_trailing=True)
        except dns.exception.DNSException as exc:
            raise Failure(_malformed(query, exc, endpoint)) from exc
    except (dns.exception.DNSException, ValueError, IndexError) as exc:
        raise Failure(_malformed(query, exc, endpoint)) from exc
    if not _answers(query, query_id, reply):
        question = ", ".join(str(rrset).strip() for rrset in reply.question) or "no question"
        warnings.append(f";; Question section mismatch: got {question}")
        return None
    return reply


def _answers(query: Query, query_id: int, reply: dns.message.Message) -> bool:
    """dnspython's ``Message.is_response`` for a one-question query we did not keep."""
    if not reply.flags & dns.flags.QR or reply.id != query_id:
        return False
    if dns.opcode.from_flags(reply.flags) != dns.opcode.QUERY:
        return False
    if reply.rcode() in _NO_QUESTION_NEEDED and not reply.question:
        return True
    # Names compare case-insensitively; every question must be ours, and ours must be there.
    return bool(reply.question) and all(
        asked.name == query.hostname.name
        and asked.rdtype == query.rdtype
        and asked.rdclass == query.rdclass
        and asked.covers == dns.rdatatype.NONE
        for asked in reply.question
    )


def _malformed(query: Query, exc: BaseException, endpoint: str) -> QueryError:
    reason = str(exc) or type(exc).__name__
    return QueryError(
        ErrorKind.MALFORMED,
        f"{query.server.label} sent a reply that is not a valid DNS message ({reason}).",
        f";; Got bad packet from {endpoint}: {reason}",
    )


def timeout_error(query: Query, seconds: float) -> QueryError:
    shown = f"{seconds:.1f}".rstrip("0").rstrip(".")
    unit = "second" if shown == "1" else "seconds"
    return QueryError(
        ErrorKind.TIMEOUT,
        f"{query.server.label} did not answer within {shown} {unit}.",
        f";; communications error to {query.server.endpoint()}: timed out",
    )


def socket_error(query: Query, exc: OSError) -> QueryError:
    label, endpoint = query.server.label, query.server.endpoint()
    if exc.errno == errno.ECONNREFUSED:
        return QueryError(
            ErrorKind.REFUSED,
            f"{label} refused the connection: no DNS server is listening at {endpoint}.",
            f";; communications error to {endpoint}: connection refused",
        )
    if exc.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.EADDRNOTAVAIL,
        errno.EAFNOSUPPORT,
    ):
        return QueryError(
            ErrorKind.UNREACHABLE,
            f"{label} cannot be reached from this webdig server ({os.strerror(exc.errno)}).",
            f";; communications error to {endpoint}: network unreachable",
        )
    return QueryError(
        ErrorKind.UNREACHABLE,
        f"Could not talk to {label} ({exc.strerror or exc}).",
        f";; communications error to {endpoint}: {exc.strerror or exc}",
    )
