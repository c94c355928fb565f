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
from webdig.engine.rawmessage import from_wire_leniently
from webdig.engine.result import ErrorKind, QueryError
from webdig.language.message import Message

COOKIE_SIZE = 8
BAD_PACKET = ";; Got bad packet"
"""How dig's line about a reply it cannot read begins."""
TRUNCATED = ";; Truncated, retrying in TCP mode."
"""dig's note before it asks again over TCP (printed only with its comments)."""
COMMUNICATIONS_ERROR = ";; communications error to "
"""How each failed try starts in dig's output, whatever else it prints (``+short`` too)."""
TCP_CONNECT_FAILED = ";; Connection to "
"""How dig reports a TCP connection it could not open; no banner follows."""
_NO_QUESTION_NEEDED = {dns.rcode.FORMERR, dns.rcode.SERVFAIL, dns.rcode.NOTIMP, dns.rcode.REFUSED}


class Failure(Exception):
    """One exchange failed; carries the error to record."""

    def __init__(self, error: QueryError) -> None:
        super().__init__(error.message)
        self.error = error


def build_message(query: Query, *, cookie: bytes | None = None) -> dns.message.QueryMessage:
    """Build the query message dig would send for ``query``.

    ``cookie`` is the client COOKIE to send (left out with ``+nocookie``).
    """
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
        use_edns=0 if options.edns else False,
        payload=options.bufsize,
        want_dnssec=options.dnssec and options.edns,
        options=_edns_options(options, cookie) if options.edns else None,
    )
    # dig sets AD by default (+adflag) and RD unless +norecurse.
    message.flags = (
        (dns.flags.AD if options.adflag else 0)
        | (dns.flags.RD if options.recurse else 0)
        | (dns.flags.CD if options.cd else 0)
    )
    return message


@functools.lru_cache(maxsize=4096)
def _wire_template(
    name_text: str,
    rdtype: dns.rdatatype.RdataType,
    rdclass: dns.rdataclass.RdataClass,
    options: QueryOptions,
) -> tuple[bytes, int | None]:
    """The query's wire form with ID 0 and a zero cookie, and where the cookie starts.

    Building a message with dnspython took a tenth of a look-up's CPU time;
    a repeated question only needs a fresh ID and cookie written in.  The
    key is the name's text, not a dnspython name: those compare ignoring
    case, and the case typed is what goes on the wire.
    """
    cookie = bytes(COOKIE_SIZE) if options.cookie else None
    message = _make_message(dns.name.from_text(name_text), rdtype, rdclass, options, cookie)
    message.id = 0
    wire = message.to_wire()
    # The COOKIE is the last option, so the last thing in the message.
    return wire, (len(wire) - COOKIE_SIZE if cookie is not None and options.edns else None)


def _edns_options(options: QueryOptions, cookie: bytes | None) -> list[dns.edns.Option]:
    """dig's order: NSID, CLIENT-SUBNET, then COOKIE."""
    found: list[dns.edns.Option] = []
    if options.nsid:
        found.append(dns.edns.GenericOption(dns.edns.OptionType.NSID, b""))
    if options.subnet is not None:
        address, prefix = options.subnet.rsplit("/", 1)
        found.append(dns.edns.ECSOption(address, int(prefix), 0))
    if cookie is not None and options.cookie:
        found.append(dns.edns.GenericOption(dns.edns.OptionType.COOKIE, cookie))
    return found


def query_wire(query: Query, query_id: int, cookie: bytes) -> bytes:
    """The wire form of :func:`build_message` for ``query`` with this ID and cookie."""
    template, cookie_at = _wire_template(
        query.hostname.ascii, query.rdtype, query.rdclass, query.options
    )
    if cookie_at is None:
        return struct.pack("!H", query_id) + template[2:]
    return b"".join((struct.pack("!H", query_id), template[2:cookie_at], cookie))


def retry_wire(query: Query, sent: bytes, reply: dns.message.Message) -> bytes:
    """The query to send over TCP after ``reply`` came back truncated.

    As dig does, the server's cookie from that reply follows the client cookie
    (RFC 7873); without one, ``sent`` goes again as it was.
    """
    options = query.options
    if not (options.edns and options.cookie):
        return sent
    client = sent[-COOKIE_SIZE:]
    for option in reply.options:
        data = option.to_wire() or b""
        echoed = 16 <= len(data) <= 40 and data[:COOKIE_SIZE] == client
        if option.otype == dns.edns.OptionType.COOKIE and echoed:
            message = build_message(query, cookie=data)
            message.id = int.from_bytes(sent[:2])
            return bytes(message.to_wire())
    return sent


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
        # One record's data may be what dnspython refuses; the rest is the
        # server's reply all the same, and dig shows it.
        try:
            reply, notes = from_wire_leniently(data)
        except (dns.exception.DNSException, ValueError, IndexError):
            raise Failure(_malformed(query, exc, endpoint)) from exc
        warnings.extend(notes)
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
    if not reply.question:
        return reply.rcode() in _NO_QUESTION_NEEDED
    # Names compare case-insensitively; every question must be ours, and ours must be there.
    return all(
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
        Message(
            "{server} sent a reply that is not a valid DNS message ({reason}).",
            server=query.server.label,
            reason=_malformed_reason(exc),
        ),
        # dig's line keeps dnspython's own words: support staff compare it with dig's.
        f"{BAD_PACKET} from {endpoint}: {reason}",
    )


_MALFORMED: tuple[tuple[type[BaseException], Message], ...] = (
    (dns.message.ShortHeader, Message("it is shorter than the 12-byte DNS header")),
    (dns.message.TrailingJunk, Message("it has extra bytes after the DNS message")),
    (dns.message.BadEDNS, Message("its OPT record is repeated or out of place")),
    (dns.message.BadTSIG, Message("its TSIG record is not the last record")),
    (dns.name.BadPointer, Message("a compressed name in it points forward, not back")),
    (dns.name.PointerChainTooLong, Message("a compressed name in it has too many pointers")),
    (dns.name.BadLabelType, Message("a name in it has a label type DNS does not define")),
    (dns.name.NameTooLong, Message("a name in it is longer than 255 bytes")),
)
"""dnspython's refusals in words a catalog translates: its own messages are English only."""


def _malformed_reason(exc: BaseException) -> Message:
    """Why a reply cannot be read, as a phrase in the reader's language (dnspython's
    exception class named when webdig has no words of its own for it)."""
    for kind, reason in _MALFORMED:
        if isinstance(exc, kind):
            return reason
    return Message("webdig cannot read it: {error}", error=type(exc).__name__)


def timeout_error(query: Query, seconds: float) -> QueryError:
    """A query that got no reply within ``seconds``, as dig words it and in a sentence."""
    shown = f"{seconds:.1f}".rstrip("0").rstrip(".")
    server = query.server.label
    return QueryError(
        ErrorKind.TIMEOUT,
        Message("{server} did not answer within 1 second.", server=server)
        if shown == "1"
        else Message(
            "{server} did not answer within {seconds} seconds.", server=server, seconds=shown
        ),
        f"{COMMUNICATIONS_ERROR}{query.server.endpoint()}: timed out",
    )


def socket_error(query: Query, exc: OSError, *, connecting: bool = False) -> QueryError:
    """A socket failure (refused, unreachable…), as dig words it and in a sentence.

    ``connecting``: a TCP connection that could not be opened, which dig reports in
    its own words (``;; Connection to 192.0.2.53#53(192.0.2.53) for example.com failed:
    connection refused.``).
    """
    label, endpoint = query.server.label, query.server.endpoint()

    def dig_line(reason: str) -> str:
        if connecting:
            name = query.hostname.ascii
            shown = name if name == "." else name.rstrip(".")
            address = query.server.address
            return f"{TCP_CONNECT_FAILED}{endpoint}({address}) for {shown} failed: {reason}."
        return f"{COMMUNICATIONS_ERROR}{endpoint}: {reason}"

    if exc.errno == errno.ECONNREFUSED:
        return QueryError(
            ErrorKind.REFUSED,
            Message(
                "{server} refused the connection: no DNS server is listening at {endpoint}.",
                server=label,
                endpoint=endpoint,
            ),
            dig_line("connection refused"),
        )
    # The system's own words for the error are English: the errno's name (a code) is what
    # the sentence shows, and dig's line keeps the words.
    code = errno.errorcode.get(exc.errno or 0, "")
    if exc.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.EADDRNOTAVAIL,
        errno.EAFNOSUPPORT,
    ):
        return QueryError(
            ErrorKind.UNREACHABLE,
            Message(
                "{server} cannot be reached from this webdig server ({code}).",
                server=label,
                code=code,
            ),
            dig_line("network unreachable"),
        )
    return QueryError(
        ErrorKind.UNREACHABLE,
        Message(
            "Could not talk to {server} ({code}).", server=label, code=code or type(exc).__name__
        ),
        dig_line(str(exc.strerror or exc)),
    )
