"""The one module that sends packets.

It builds a query the way BIND 9.18's ``dig`` does (RD and AD set, EDNS0
with a 1232-byte buffer and a client COOKIE), sends it over UDP, falls back
to TCP when the reply is truncated, and turns every failure into a
:class:`~webdig.result.QueryError`.  Every socket operation is bounded by
an absolute deadline, so a silent or byte-dribbling server cannot hold a
worker longer than the caller allows.
"""

from __future__ import annotations

import errno
import functools
import os
import socket
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype

from webdig.query import Query, QueryOptions
from webdig.result import ErrorKind, QueryError, QueryResult

DEFAULT_TIMEOUT = 2.0
DEFAULT_TRIES = 2
EDNS_PAYLOAD = 1232
MAX_MESSAGE = 65535
COOKIE_SIZE = 8
_NSID_OPTION_SIZE = 4
"""An empty NSID option on the wire: code and length, no data."""
_NO_QUESTION_NEEDED = {dns.rcode.FORMERR, dns.rcode.SERVFAIL, dns.rcode.NOTIMP, dns.rcode.REFUSED}


class _Failure(Exception):
    """Internal: one exchange failed; carries the error to record."""

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


def exchange(
    query: Query,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    tries: int = DEFAULT_TRIES,
    deadline: float | None = None,
) -> QueryResult:
    """Send ``query`` and return what happened; never raises for DNS trouble.

    ``timeout`` bounds each UDP try and the TCP exchange; ``deadline`` (a
    :func:`time.monotonic` value) bounds the whole call.
    """
    started = datetime.now(UTC)
    result = QueryResult(query=query, started=started)
    random = os.urandom(2 + COOKIE_SIZE)
    query_id = int.from_bytes(random[:2])
    wire = query_wire(query, query_id, random[2:])
    # dig 9.18 asks ANY over TCP: answers are large and UDP ANY is abused.
    use_tcp = query.options.tcp or query.rdtype == dns.rdatatype.ANY
    try:
        if not use_tcp:
            reply, size, elapsed = _udp_with_retries(
                query_id, wire, query, timeout, tries, deadline, result.warnings
            )
            if reply.flags & dns.flags.TC:
                result.warnings.append(";; Truncated, retrying in TCP mode.")
                use_tcp = True
            else:
                _store(result, reply, size, elapsed, "udp")
                return result
        result.transport = "tcp"
        end = _expiration(timeout, deadline)
        reply, size, elapsed = _tcp_exchange(query_id, wire, query, end, result.warnings)
        _store(result, reply, size, elapsed, "tcp")
    except _Failure as failure:
        result.transport = "tcp" if use_tcp else "udp"
        result.error = failure.error
    return result


def _store(
    result: QueryResult, reply: dns.message.Message, size: int, elapsed: float, transport: str
) -> None:
    result.response = reply
    result.wire_size = size
    result.elapsed_ms = int(elapsed * 1000)
    result.transport = transport


def _expiration(timeout: float, deadline: float | None) -> float:
    end = time.monotonic() + timeout
    return end if deadline is None else min(end, deadline)


def _udp_with_retries(
    query_id: int,
    wire: bytes,
    query: Query,
    timeout: float,
    tries: int,
    deadline: float | None,
    warnings: list[str],
) -> tuple[dns.message.Message, int, float]:
    last: _Failure | None = None
    for _ in range(max(1, tries)):
        if deadline is not None and time.monotonic() >= deadline:
            break
        try:
            return _udp_exchange(query_id, wire, query, _expiration(timeout, deadline), warnings)
        except _Failure as failure:
            last = failure
            if failure.error.kind is not ErrorKind.TIMEOUT:
                raise
    raise last or _Failure(_timeout_error(query, timeout))


def _udp_exchange(
    query_id: int,
    wire: bytes,
    query: Query,
    expiration: float,
    warnings: list[str],
) -> tuple[dns.message.Message, int, float]:
    server = query.server
    begin = time.monotonic()
    with _socket(query, socket.SOCK_DGRAM) as sock, _failures(query, begin, expiration):
        # A connected socket makes the kernel drop datagrams from other
        # sources and report ICMP port-unreachable as ECONNREFUSED.
        sock.connect((server.address, server.port))
        sock.send(wire)
        while True:
            sock.settimeout(_remaining(expiration, query))
            data = sock.recv(MAX_MESSAGE)
            reply = _parse_reply(data, query_id, query, warnings)
            if reply is not None:
                return reply, len(data), time.monotonic() - begin


def _tcp_exchange(
    query_id: int,
    wire: bytes,
    query: Query,
    expiration: float,
    warnings: list[str],
) -> tuple[dns.message.Message, int, float]:
    server = query.server
    begin = time.monotonic()
    with _socket(query, socket.SOCK_STREAM) as sock, _failures(query, begin, expiration):
        sock.settimeout(_remaining(expiration, query))
        sock.connect((server.address, server.port))
        sock.sendall(struct.pack("!H", len(wire)) + wire)
        (length,) = struct.unpack("!H", _read_exactly(sock, 2, expiration, query))
        data = _read_exactly(sock, length, expiration, query)
        reply = _parse_reply(data, query_id, query, warnings)
        if reply is None:
            # Over TCP there is no second datagram to wait for.
            raise _Failure(
                QueryError(
                    ErrorKind.MALFORMED,
                    f"{query.server.label} sent a TCP reply that does not answer the question.",
                    f";; communications error to {query.server.endpoint()}: "
                    "reply does not match query",
                )
            )
        return reply, len(data), time.monotonic() - begin


def _socket(query: Query, kind: socket.SocketKind) -> socket.socket:
    family = socket.AF_INET6 if query.server.family == 6 else socket.AF_INET
    return socket.socket(family, kind)


@contextmanager
def _failures(query: Query, begin: float, expiration: float) -> Iterator[None]:
    """Turn socket exceptions into :class:`_Failure` with a readable error."""
    try:
        yield
    except TimeoutError as exc:
        raise _Failure(_timeout_error(query, expiration - begin)) from exc
    except _Failure:
        raise
    except OSError as exc:
        raise _Failure(_socket_error(query, exc)) from exc


def _read_exactly(sock: socket.socket, count: int, expiration: float, query: Query) -> bytes:
    chunks = bytearray()
    while len(chunks) < count:
        # Re-arm the timeout from the absolute deadline on every read, so a
        # server sending one byte at a time still finishes by the deadline.
        sock.settimeout(_remaining(expiration, query))
        chunk = sock.recv(count - len(chunks))
        if not chunk:
            raise _Failure(
                QueryError(
                    ErrorKind.MALFORMED,
                    f"{query.server.label} closed the TCP connection before the reply "
                    "was complete.",
                    f";; communications error to {query.server.endpoint()}: end of file",
                )
            )
        chunks += chunk
    return bytes(chunks)


def _remaining(expiration: float, query: Query) -> float:
    left = expiration - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _parse_reply(
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
            raise _Failure(_malformed(query, exc, endpoint)) from exc
    except (dns.exception.DNSException, ValueError, IndexError) as exc:
        raise _Failure(_malformed(query, exc, endpoint)) from exc
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


def _timeout_error(query: Query, seconds: float) -> QueryError:
    shown = f"{seconds:.1f}".rstrip("0").rstrip(".")
    unit = "second" if shown == "1" else "seconds"
    return QueryError(
        ErrorKind.TIMEOUT,
        f"{query.server.label} did not answer within {shown} {unit}.",
        f";; communications error to {query.server.endpoint()}: timed out",
    )


def _socket_error(query: Query, exc: OSError) -> QueryError:
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
