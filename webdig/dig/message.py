"""A :class:`~webdig.engine.result.QueryResult` as BIND 9.18's ``dig`` prints it.

:func:`render_full` is dig's output under the display options of a
:class:`~webdig.dig.display.Display` (``+noall +answer``, ``+qr``…),
:func:`render_answer` is ``dig +noall +answer`` and :func:`render_short` is
``dig +short``; each returns exactly what dig writes to stdout (newlines
included), with ``webdig`` where dig prints its name and version.
:func:`dig_args` is the equivalent command as a person types it.  Record
lines come from :mod:`webdig.dig.records`, the OPT pseudosection from
:mod:`webdig.dig.optsection`.
"""

from __future__ import annotations

import functools
import shlex
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from webdig.dig.display import Display
from webdig.dig.optsection import opt_lines
from webdig.dig.records import Style, question_line, rdata_text, record_lines
from webdig.engine.query import Query, QueryOptions
from webdig.engine.result import QueryResult, flag_names
from webdig.engine.wire import BAD_PACKET, COMMUNICATIONS_ERROR, TCP_CONNECT_FAILED, TRUNCATED

__all__ = [
    "dig_args",
    "dig_command",
    "record_lines",
    "render_answer",
    "render_full",
    "render_short",
]

NO_SERVERS = ";; no servers could be reached"
DEFAULT = Display()
_DEFAULT_BUFSIZE = QueryOptions().bufsize

_OPCODES = ("QUERY", "IQUERY", "STATUS", "RESERVED3", "NOTIFY", "UPDATE")
# dig's names for the 12-bit rcode; anything else prints as "?N".
_RCODES = {
    **dict(enumerate(("NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"))),
    **dict(enumerate(("YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"), start=6)),
    **{code: f"RESERVED{code}" for code in range(11, 16)},
    16: "BADVERS",
    23: "BADCOOKIE",
}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LOCAL = dns.name.from_text("local.")


def dig_command(query: Query, display: Display = DEFAULT, extra: Sequence[str] = ()) -> str:
    """The dig command line that sends the same query, ready to paste into a shell."""
    return "dig " + " ".join(shlex.quote(arg) for arg in dig_args(query, display, extra))


def render_full(
    result: QueryResult,
    *,
    command: str | None = None,
    display: Display = DEFAULT,
    sort: bool = False,
) -> str:
    """dig's output for ``result`` with the display options ``display``.

    ``command`` is what the header line shows after ``<<>> webdig <<>>``
    (dig's arguments as typed, with or without a leading ``dig``); by
    default it is the equivalent command built from the query.  ``sort``
    sorts the records of each section (digwebinterface's ``sort=on``),
    leaving the header as dig prints it.
    """
    args = command if command is not None else " ".join(dig_args(result.query, display))
    args = args.removeprefix("dig ")
    # The TCP retry's note is one of dig's comments; a failed try is reported whatever is shown.
    # With +qr it comes between the query sent over UDP and the one sent over TCP.
    qr_retry = display.qr and result.sent is not None and result.resent is not None
    lines = [
        line for line in result.warnings if line != TRUNCATED or (display.comments and not qr_retry)
    ]
    banner = _banner(args) if display.cmd else []
    if result.response is None:
        # dig 9.18 reports the failed exchange before its banner, gives up after it;
        # a TCP connection it could not open stops it before the banner.
        *report, give_up = _failure_lines(result)
        if report and report[0].startswith(TCP_CONNECT_FAILED):
            banner = []
        return "\n".join([*lines, *report, *banner, give_up]) + "\n"
    lines += banner
    style = display.style
    if display.qr and result.sent is not None:
        lines += _sent_lines(result.sent, display, style)
        if result.resent is not None:
            lines += [TRUNCATED] if display.comments else []
            lines += _sent_lines(result.resent, display, style)
    if display.comments:
        lines.append(";; Got answer:")
    lines += _message_lines(result, result.response, display, style, sort=sort)
    if display.stats:
        lines += _footer(result)
    elif display.identify:
        server = result.query.server
        lines += [
            f";; Received {result.wire_size or 0} bytes from {server.endpoint()}"
            f"({server.address}) in {result.elapsed_ms} ms",
            "",
        ]
    return _joined(lines)


def render_answer(result: QueryResult) -> str:
    """The ANSWER section's records, like ``dig +noall +answer``."""
    return _joined(line for rrset in result.answer for line in record_lines(rrset))


def render_short(result: QueryResult, display: Display = DEFAULT, *, sort: bool = False) -> str:
    """The answer's rdata one per line, like ``dig +short``; failures as dig reports them.

    With ``+identify`` each line says which server answered and how fast; ``sort``
    sorts the lines.
    """
    # Each try that failed before the last is reported, as in dig's full output.
    tries = [line for line in result.warnings if line.startswith(COMMUNICATIONS_ERROR)]
    if result.response is None:
        return _joined([*tries, *_failure_lines(result)])
    style = Style(idnout=display.idnout)
    after = ""
    if display.identify:
        after = f" from server {result.query.server.label} in {result.elapsed_ms} ms."
    lines = [rdata_text(rdata, style) + after for rrset in result.answer for rdata in rrset]
    return _joined([*tries, *(sorted(lines) if sort else lines)])


def _failure_lines(result: QueryResult) -> list[str]:
    """How dig reports a failed exchange: the error, then its give-up line."""
    line = result.error.dig_line if result.error is not None else NO_SERVERS
    if line.startswith(BAD_PACKET):
        # A reply came back: the server was reached, whatever dig says next.
        return [line]
    # The transport's timeout line is dig 9.16's form, which already gives up.
    return [line] if line.endswith("no servers could be reached") else [line, NO_SERVERS]


def _joined(lines: Iterable[str]) -> str:
    text = "\n".join(lines)
    return text + "\n" if text else ""


def dig_args(query: Query, display: Display = DEFAULT, extra: Sequence[str] = ()) -> list[str]:
    """dig's arguments for ``query`` as a person would type them.

    ``-x ADDRESS`` for a reverse look-up, the class only when it is not IN,
    then the options in the form's order; ``extra`` are more ``+options``.
    """
    args = [f"@{query.server.address}"]
    if query.server.port != 53:
        args += ["-p", str(query.server.port)]
    hostname = query.hostname
    if hostname.address is not None and query.rdtype == dns.rdatatype.PTR:
        args += ["-x", hostname.address]
    else:
        # The A-label: dig converts a U-label only when writing to a terminal.
        name = hostname.ascii
        args.append(name if name == "." else name.rstrip("."))
        if query.rdclass != dns.rdataclass.IN:
            args.append(dns.rdataclass.to_text(dns.rdataclass.RdataClass.make(query.rdclass)))
        args.append(query.type_text)
    shown = [f"+{name}" for name in display.flags()]
    return [*args, *_query_flags(query.options), *shown, *extra]


def query_flags(options: QueryOptions) -> list[str]:
    """The ``+options`` that change what is sent, as dig spells them, in the form's order."""
    return list(_query_flags(options))


@functools.lru_cache(maxsize=256)
def _query_flags(options: QueryOptions) -> tuple[str, ...]:
    # Nearly every query goes out with one of a few option sets (as in output.jsonbody).
    flags = [
        name
        for wanted, name in (
            (options.tcp, "+tcp"),
            (not options.recurse, "+norecurse"),
            (options.dnssec, "+dnssec"),
            (options.nsid, "+nsid"),
            (options.cd, "+cd"),
            (not options.adflag, "+noadflag"),
            (not options.edns, "+noedns"),
            (options.edns and not options.cookie, "+nocookie"),
        )
        if wanted
    ]
    if options.edns and options.bufsize != _DEFAULT_BUFSIZE:
        flags.append(f"+bufsize={options.bufsize}")
    if options.edns and options.subnet is not None:
        flags.append(f"+subnet={options.subnet}")
    if options.tries is not None:
        flags.append(f"+tries={options.tries}")
    if options.timeout is not None:
        flags.append(f"+time={options.timeout:g}")
    return tuple(flags)


def _banner(args: str) -> list[str]:
    return ["", f"; <<>> webdig <<>> {args}", "; (1 server found)", ";; global options: +cmd"]


def _sent_lines(wire: bytes, display: Display, style: Style) -> list[str]:
    """``+qr``: the query as sent, then its size."""
    sent = dns.message.from_wire(wire)
    lines = [";; Sending:"] if display.comments else []
    lines += _header_lines(sent, display, sent=True)
    lines += _section_lines(sent, display, style)
    if display.stats:
        lines += [f";; QUERY SIZE: {len(wire)}", ""]
    return lines


def _message_lines(
    result: QueryResult,
    message: dns.message.Message,
    display: Display,
    style: Style,
    *,
    sort: bool = False,
) -> list[str]:
    """From the header to the last section: everything between banner and footer."""
    lines = []
    if display.comments and result.query.hostname.name.is_subdomain(_LOCAL):
        lines.append(";; WARNING: .local is reserved for Multicast DNS")
        lines.append(
            ";; You are currently testing what happens when an mDNS query is leaked to DNS"
        )
    lines += _header_lines(message, display, sent=False, query=result.query)
    return lines + _section_lines(message, display, style, sort=sort)


def _header_lines(
    message: dns.message.Message, display: Display, *, sent: bool, query: Query | None = None
) -> list[str]:
    """The header, flags and OPT PSEUDOSECTION (dig's comments)."""
    if not display.comments:
        return []
    # The header's numbers as plain ints: dnspython's flag, opcode and rcode enums cost
    # an enum look-up per bit test, and dig names them from its own tables anyway.
    bits = int(message.flags)
    opcode = (bits & 0x7800) >> 11
    rcode = (bits & 0x000F) | ((int(message.ednsflags) >> 20) & 0xFF0)
    status = _RCODES.get(rcode, f"?{rcode}")
    opname = _OPCODES[opcode] if opcode < len(_OPCODES) else f"RESERVED{opcode}"
    lines = [f";; ->>HEADER<<- opcode: {opname}, status: {status}, id: {message.id}"]
    mbz = "; MBZ: 0x4" if bits & 0x0040 else ""
    # As dnspython's section_count, without its enum look-ups: an empty
    # RRset (a question) counts as one; OPT and TSIG count in ADDITIONAL.
    extra = (message.opt is not None) + (message.tsig is not None)
    counts = ", ".join(
        f"{label}: {sum(max(1, len(rrset)) for rrset in section) + more}"
        for label, section, more in (
            ("QUERY", message.question, 0),
            ("ANSWER", message.answer, 0),
            ("AUTHORITY", message.authority, 0),
            ("ADDITIONAL", message.additional, extra),
        )
    )
    flags = "".join(" " + flag for flag in flag_names(bits))
    lines.append(f";; flags:{flags}{mbz}; {counts}")
    if not sent and bits & dns.flags.RD and not bits & dns.flags.RA:
        lines.append(";; WARNING: recursion requested but not available")
    lines.append("")
    edns_sent = query is not None and query.options.edns
    if edns_sent and message.opt is None and rcode in (dns.rcode.FORMERR, dns.rcode.NOTIMP):
        # A reply without OPT and one of these codes is what dig flags as
        # an EDNS problem.
        assert query is not None
        retry = "+nodnssec +noedns" if query.options.dnssec else "+noedns"
        lines.append(f";; WARNING: EDNS query returned status {status} - retry with '{retry}'")
        lines.append("")
    return lines + opt_lines(message, sent=sent)


def _section_lines(
    message: dns.message.Message, display: Display, style: Style, *, sort: bool = False
) -> list[str]:
    sections = (
        ("QUESTION", display.question, [question_line(r, style) for r in message.question]),
        ("ANSWER", display.answer, _records(message.answer, style)),
        ("AUTHORITY", display.authority, _records(message.authority, style)),
        ("ADDITIONAL", display.additional, _records(message.additional, style)),
    )
    lines = []
    for title, shown, records in sections:
        if shown and records:
            records = sorted(records) if sort and title != "QUESTION" else records
            if display.comments:
                lines += [f";; {title} SECTION:", *records, ""]
            else:
                lines += records
    return lines


def _records(section: Iterable[dns.rrset.RRset], style: Style) -> list[str]:
    return [line for rrset in section for line in record_lines(rrset, style)]


def _footer(result: QueryResult) -> list[str]:
    server = result.query.server
    return [
        f";; Query time: {result.elapsed_ms} msec",
        f";; SERVER: {server.endpoint()}({server.address}) ({result.transport.upper()})",
        f";; WHEN: {_when(result.started)}",
        f";; MSG SIZE  rcvd: {result.wire_size or 0}",
        "",
    ]


def _when(started: datetime) -> str:
    """dig's ``%a %b %d %H:%M:%S %Z %Y`` in UTC, in English whatever the locale."""
    moment = started.astimezone(UTC) if started.tzinfo else started.replace(tzinfo=UTC)
    day, month = _DAYS[moment.weekday()], _MONTHS[moment.month - 1]
    clock = f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    return f"{day} {month} {moment.day:02d} {clock} UTC {moment.year}"
