"""What nameservers answer for an ``_acme-challenge`` name, read from their replies.

Pure functions over :class:`~webdig.engine.result.QueryResult` (no look-ups): the
challenge name of a certificate name, one server's answer as data, the
negative-cache time a "no record" reply asks resolvers to keep (RFC 2308), and the
names a record ends up at when it was typed into the wrong field of a panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import dns.name
import dns.rdatatype

from webdig.engine.result import QueryResult

CHALLENGE_LABEL = "_acme-challenge"
"""The label RFC 8555 §8.4 puts in front of the name being validated."""


class Kind(StrEnum):
    """What one nameserver answered for a challenge name."""

    TXT = "txt"
    """TXT records (their values)."""
    ALIAS = "alias"
    """A CNAME (its target): the record lives under another name, often in another zone."""
    NXDOMAIN = "nxdomain"
    """The name does not exist."""
    NODATA = "nodata"
    """The name exists, with no TXT record."""
    NO_ANSWER = "no-answer"
    """No usable reply: a timeout, an error code, a referral, a query not sent."""


@dataclass(frozen=True)
class ServerAnswer:
    """One nameserver's answer for one name."""

    kind: Kind
    values: tuple[str, ...] = ()
    """Sorted TXT values (each quoted as dig shows it), or the alias target."""
    negative_ttl: int | None = None
    """For NXDOMAIN and NODATA: how long resolvers may remember it (RFC 2308 §5)."""
    problem: str = ""
    """For NO_ANSWER: why, in words (the error, or the rcode)."""

    @property
    def same(self) -> tuple[Kind, tuple[str, ...]]:
        """What two servers must share to agree (the negative TTL may differ in flight)."""
        return self.kind, self.values


def challenge_name(name: dns.name.Name) -> dns.name.Name:
    """``_acme-challenge.`` in front of ``name``; a wildcard's is its parent's (RFC 8555 §8.4)."""
    if name.labels and name.labels[0] == b"*":
        name = name.parent()
    return dns.name.Name((CHALLENGE_LABEL.encode(), *name.labels))


def doubled_names(challenge: dns.name.Name, zone: dns.name.Name) -> list[dns.name.Name]:
    """Where a record for ``challenge`` lands when it is typed with a part the panel adds.

    ``_acme-challenge._acme-challenge.www.example.com``: the label typed into a field that
    already has it; ``_acme-challenge.www.example.com.example.com``: the full name typed into
    a host field that appends the zone.  Names too long for DNS are left out.
    """
    found = []
    for labels in (
        (CHALLENGE_LABEL.encode(), *challenge.labels),
        (*challenge.labels[:-1], *zone.labels),
    ):
        try:
            found.append(dns.name.Name(labels))
        except dns.name.NameTooLong:
            continue
    return found


def read_answer(result: QueryResult, name: dns.name.Name) -> ServerAnswer:
    """What ``result`` says about the TXT records of ``name``."""
    if result.error is not None:
        return ServerAnswer(Kind.NO_ANSWER, problem=result.error.message)
    # Records of other names are a chain the server chased itself: the rcode then speaks of
    # its end (RFC 6604), and the target is asked at its own zone's servers anyway.
    own = [rrset for rrset in result.answer if rrset.name == name]
    for rrset in own:
        if rrset.rdtype == dns.rdatatype.CNAME:
            return ServerAnswer(Kind.ALIAS, (rrset[0].target.to_text(),))
    rcode = result.rcode
    if rcode == "NXDOMAIN":
        return ServerAnswer(Kind.NXDOMAIN, negative_ttl=negative_ttl(result))
    if rcode != "NOERROR":
        return ServerAnswer(Kind.NO_ANSWER, problem=str(rcode))
    for rrset in own:
        if rrset.rdtype == dns.rdatatype.TXT:
            values = sorted(_txt_value(rdata.strings) for rdata in rrset)
            return ServerAnswer(Kind.TXT, tuple(values))
    if not any(r.rdtype == dns.rdatatype.SOA for r in result.authority):
        # NOERROR without an answer or an SOA is a referral (or a lame server): no verdict.
        return ServerAnswer(Kind.NO_ANSWER, problem="a referral instead of an answer")
    return ServerAnswer(Kind.NODATA, negative_ttl=negative_ttl(result))


def negative_ttl(result: QueryResult) -> int | None:
    """How long a resolver may cache this "no record" reply: the SOA's TTL or its
    MINIMUM field, whichever is smaller (RFC 2308 §5); None without an SOA."""
    for rrset in result.authority:
        if rrset.rdtype == dns.rdatatype.SOA:
            return min(rrset.ttl, min(int(rdata.minimum) for rdata in rrset))
    return None


def _txt_value(strings: tuple[bytes, ...]) -> str:
    # ACME reads a TXT record's strings as one value (RFC 8555 §8.4); shown quoted as dig does.
    return '"' + b"".join(strings).decode("utf-8", "backslashreplace") + '"'
