"""Build QueryResults from dig-like message text, for pure-function tests."""

from __future__ import annotations

from datetime import UTC, datetime

import dns.message
import dns.rdatatype

from webdig.engine.names import parse_hostname
from webdig.engine.query import Query, Server
from webdig.engine.result import ErrorKind, QueryError, QueryResult


def result_from_text(
    text: str, *, name: str = "www.example.com", rdtype: str = "A", server: str = "ns1.example.net"
) -> QueryResult:
    """A QueryResult whose response is ``dns.message.from_text(text)``."""
    query = Query(
        parse_hostname(name), dns.rdatatype.from_text(rdtype), Server("192.0.2.53", 53, server)
    )
    message = dns.message.from_text(text)
    return QueryResult(query=query, started=datetime(2026, 11, 28, tzinfo=UTC), response=message)


def failed_result(kind: ErrorKind = ErrorKind.TIMEOUT, *, rdtype: str = "A") -> QueryResult:
    """A QueryResult without a response."""
    query = Query(
        parse_hostname("www.example.com"),
        dns.rdatatype.from_text(rdtype),
        Server("192.0.2.53", 53, "ns1.example.net"),
    )
    error = QueryError(
        kind,
        "ns1.example.net did not answer within 2 seconds.",
        ";; connection timed out; no servers could be reached",
    )
    return QueryResult(query=query, started=datetime(2026, 11, 28, tzinfo=UTC), error=error)


def reply(
    answer: str = "",
    *,
    rcode: str = "NOERROR",
    flags: str = "QR AA RD",
    question: str = "www.example.com. IN A",
    authority: str = "",
) -> str:
    """dnspython message text for a reply."""
    # dnspython's parser ends a section at a blank line, so skip empty parts.
    parts = ["id 1234", "opcode QUERY", f"rcode {rcode}", f"flags {flags}", ";QUESTION", question]
    for header, body in ((";ANSWER", answer), (";AUTHORITY", authority), (";ADDITIONAL", "")):
        parts.append(header)
        if body:
            parts.append(body)
    return "\n".join(parts) + "\n"
