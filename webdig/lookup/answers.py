"""Plain-words verdicts: does this server answer the address the user expected?

Pure functions over a :class:`~webdig.engine.result.QueryResult`; no I/O.  The
page, the API and the CLI all show the :class:`Verdict` made here.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import dns.name
import dns.rdataclass
import dns.rdatatype

from webdig.engine.policy import IPAddress
from webdig.engine.result import QueryResult

Status = Literal["match", "mismatch", "no-answer", "error"]

ADDRESS_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA)
IN = dns.rdataclass.IN
_MAX_CHAIN = 16


@dataclass(frozen=True)
class Verdict:
    """The verdict on one reply, with the evidence behind it."""

    status: Status
    message: str
    matched: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    chain: tuple[str, ...] = field(default=(), repr=False)
    """Owner names of the CNAME chain (ASCII, absolute), question name first."""

    def mark(self, owner: str, rdtype: int, address: str) -> bool | None:
        """True/False for an A/AAAA line that the verdict judged, None otherwise."""
        if rdtype not in ADDRESS_TYPES or owner.lower() not in self.chain:
            return None
        return address in self.matched


def parse_expected(text: str) -> IPAddress:
    """Parse one expected address; raises ValueError with a readable message."""
    value = text.strip().strip("[]")
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(
            f"“{value[:60]}” is not an IP address. Enter your server's IP as shown "
            "in your hosting panel, for example 192.0.2.10 or 2001:db8::10."
        ) from None


def follow_chain(result: QueryResult) -> tuple[list[dns.name.Name], list[str]]:
    """The CNAME chain from the question name, and the address records at its end."""
    if result.response is None or not result.response.question:
        return [], []
    current = result.response.question[0].name
    names = [current]
    for _ in range(_MAX_CHAIN):
        target = next(
            (
                rrset[0].target
                for rrset in result.answer
                if rrset.rdtype == dns.rdatatype.CNAME
                and rrset.rdclass == IN
                and rrset.name == current
                and len(rrset)
            ),
            None,
        )
        if target is None or target in names:
            break
        names.append(target)
        current = target
    addresses = [
        rdata.to_text()
        for rrset in result.answer
        # Class matters: a lying server's CLASS5 "A" record is opaque data.
        if rrset.rdtype in ADDRESS_TYPES and rrset.rdclass == IN and rrset.name in names
        for rdata in rrset
    ]
    return names, addresses


def judge(
    result: QueryResult, expected: Sequence[IPAddress], *, server_is_authority: bool = True
) -> Verdict | None:
    """Judge one reply against the expected addresses.

    Returns None when there is nothing to judge (no ``expected``, or a
    question that is not A/AAAA).  ``server_is_authority`` says the user
    picked this server as the domain's own nameserver, so a reply without
    the ``aa`` flag deserves a warning.
    """
    query = result.query
    if not expected or query.rdtype not in ADDRESS_TYPES:
        return None
    server, host = query.server.label, query.hostname.text
    kind = query.type_text
    if result.error is not None:
        return Verdict("error", result.error.message)
    rcode = result.rcode
    if rcode == "REFUSED":
        return Verdict(
            "error",
            f"{server} refused to answer for {host}: it is not a nameserver of this domain "
            "and does not look up other domains.",
        )
    if rcode == "SERVFAIL":
        return Verdict(
            "error",
            f"{server} answered SERVFAIL: it failed to find an answer for {host} "
            "(often a broken delegation or DNSSEC problem).",
        )
    names, found = follow_chain(result)
    chain = tuple(name.to_text().lower() for name in names)
    notes = _notes(result, server, server_is_authority)
    alias = ""
    if len(names) > 1:
        alias = f" ({host} is an alias of {names[-1].to_text(omit_final_dot=True)})"
    if rcode == "NXDOMAIN":
        return Verdict(
            "no-answer",
            f"According to {server}, {host} does not exist (NXDOMAIN){alias}.",
            notes=notes,
            chain=chain,
        )
    if rcode != "NOERROR":
        return Verdict("error", f"{server} answered {rcode} for {host}.", notes=notes, chain=chain)
    if not found:
        message = f"{server} has no {kind} record for {host}{alias}."
        if _is_referral(result):
            message = (
                f"{server} does not hold the records of {host}: it referred the question "
                "to other nameservers (a referral), so it is not this domain's nameserver."
            )
        return Verdict("no-answer", message, notes=notes, chain=chain)
    wanted = {str(a) for a in expected}
    matched = tuple(dict.fromkeys(a for a in found if _normal(a) in wanted))
    unexpected = tuple(dict.fromkeys(a for a in found if _normal(a) not in wanted))
    shown_expected = ", ".join(str(a) for a in expected)
    if not unexpected:
        return Verdict(
            "match",
            f"{server} answers {', '.join(matched)} for {host}{alias}: this matches your server.",
            matched,
            (),
            notes,
            chain,
        )
    if matched:
        message = (
            f"{server} answers {', '.join(matched)} for {host}{alias}, which is your server, "
            f"but also {', '.join(unexpected)}, which is not: visitors and Let's Encrypt "
            "may be sent to either."
        )
    elif not any(a.version == ipaddress.ip_address(unexpected[0]).version for a in expected):
        message = (
            f"{server} answers {', '.join(unexpected)} for {host}{alias}, but you gave no "
            f"{'IPv6' if kind == 'AAAA' else 'IPv4'} address to compare with. If your server "
            "has no such address, this record sends visitors (and Let's Encrypt) elsewhere."
        )
    else:
        message = (
            f"{server} answers {', '.join(unexpected)} for {host}{alias}, "
            f"not your server ({shown_expected})."
        )
    return Verdict("mismatch", message, matched, unexpected, notes, chain)


@functools.lru_cache(maxsize=1024)
def _normal(address: str) -> str:
    return str(ipaddress.ip_address(address))


def _is_referral(result: QueryResult) -> bool:
    return any(rrset.rdtype == dns.rdatatype.NS for rrset in result.authority) and not any(
        rrset.rdtype == dns.rdatatype.SOA for rrset in result.authority
    )


def _notes(result: QueryResult, server: str, server_is_authority: bool) -> tuple[str, ...]:
    if server_is_authority and "aa" not in result.flags and result.answer:
        return (
            f"The answer is not authoritative (no aa flag): {server} answered from its cache "
            "or by asking others, so it may differ from what the domain's own nameservers say.",
        )
    return ()
