"""Per-answer verdicts: does this server answer the address the user expected?

Pure functions over a :class:`~webdig.engine.result.QueryResult`; no I/O.  Each
:class:`Verdict` holds an ``answer.*`` finding (worded by :mod:`webdig.findings.catalog`);
the page, the API and the CLI all show the one made here.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import dns.name
import dns.rdataclass
import dns.rdatatype

from webdig.engine.policy import IPAddress
from webdig.engine.result import QueryResult
from webdig.findings.model import Finding, Level, Param

Status = Literal["match", "mismatch", "no-answer", "error"]
"""The verdict kinds of API v1, kept in ``status`` next to the finding's level."""

STATUS: dict[str, Status] = {
    "answer.match": "match",
    "answer.mixed": "mismatch",
    "answer.mismatch": "mismatch",
    "answer.other-family": "mismatch",
    "answer.nxdomain": "no-answer",
    "answer.no-record": "no-answer",
    "answer.referral": "no-answer",
    "answer.refused": "error",
    "answer.servfail": "error",
    "answer.rcode": "error",
    "answer.no-reply": "error",
}
"""Each per-answer code's API v1 status; its level says how bad it is."""

ADDRESS_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA)
IN = dns.rdataclass.IN
_MAX_CHAIN = 16


@dataclass(frozen=True)
class Verdict:
    """The finding on one reply, with the evidence behind it."""

    finding: Finding
    notes: tuple[Finding, ...] = ()
    """Remarks on the reply itself, e.g. ``answer.not-authoritative``."""
    chain: tuple[str, ...] = field(default=(), repr=False)
    """Owner names of the CNAME chain (ASCII, absolute), question name first."""

    @property
    def level(self) -> Level:
        """How bad the answer is."""
        return self.finding.level

    @property
    def status(self) -> Status:
        """The API v1 status: match, mismatch, no-answer or error."""
        return STATUS[self.finding.code]

    @property
    def matched(self) -> tuple[str, ...]:
        """The answered addresses that are the user's server."""
        return _texts(self.finding.params.get("matched"))

    @property
    def unexpected(self) -> tuple[str, ...]:
        """The answered addresses that are not."""
        return _texts(self.finding.params.get("unexpected"))

    @property
    def judged(self) -> bool:
        """Whether the answer was compared with the user's server at all: not for an
        address of a family the user gave none of (``answer.other-family``)."""
        return self.finding.code != "answer.other-family"

    def mark(self, owner: str, rdtype: int, address: str) -> bool | None:
        """True/False for an A/AAAA line that the verdict judged, None otherwise."""
        if not self.judged or rdtype not in ADDRESS_TYPES or owner.lower() not in self.chain:
            return None
        return address in self.matched


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, (list, tuple)) else ()


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
    about: dict[str, Param] = {"server": query.server.label, "host": query.hostname.text}
    failed = _failure(result, about)
    if failed is not None:
        return Verdict(failed)
    rcode = result.rcode
    names, found = follow_chain(result)
    chain = tuple(name.to_text().lower() for name in names)
    notes = _notes(result, about, server_is_authority)
    if len(names) > 1:
        about["alias"] = names[-1].to_text(omit_final_dot=True)
    if rcode == "NXDOMAIN":
        return Verdict(Finding("answer.nxdomain", Level.FAIL, about), notes, chain)
    if rcode != "NOERROR":
        return Verdict(Finding("answer.rcode", Level.FAIL, {**about, "rcode": rcode}), notes, chain)
    version = 6 if query.rdtype == dns.rdatatype.AAAA else 4
    if not found:
        if _is_referral(result):
            referral = {k: about[k] for k in ("server", "host")}
            return Verdict(Finding("answer.referral", Level.FAIL, referral), notes, chain)
        # No record of a family the user gave no address for cannot lead elsewhere.
        level = Level.FAIL if any(a.version == version for a in expected) else Level.INFO
        missing = {**about, "type": query.type_text}
        return Verdict(Finding("answer.no-record", level, missing), notes, chain)
    wanted = {str(a) for a in expected}
    matched = list(dict.fromkeys(a for a in found if normal_address(a) in wanted))
    unexpected = list(dict.fromkeys(a for a in found if normal_address(a) not in wanted))
    if not unexpected:
        return Verdict(
            Finding("answer.match", Level.PASS, {**about, "matched": matched}), notes, chain
        )
    if matched:
        both = {**about, "matched": matched, "unexpected": unexpected}
        return Verdict(Finding("answer.mixed", Level.FAIL, both), notes, chain)
    if not any(a.version == ipaddress.ip_address(unexpected[0]).version for a in expected):
        family = {**about, "unexpected": unexpected, "family": "IPv6" if version == 6 else "IPv4"}
        # webdig cannot judge an address of a family the user gave none of: ask, never fail.
        return Verdict(Finding("answer.other-family", Level.WARN, family), notes, chain)
    wrong = {**about, "unexpected": unexpected, "expected": [str(a) for a in expected]}
    return Verdict(Finding("answer.mismatch", Level.FAIL, wrong), notes, chain)


def describe(result: QueryResult) -> Finding:
    """What one reply says, with no judgement of the data: the answer to the question asked
    when there is no expected address to compare with (``answer.records`` and the like)."""
    query = result.query
    about: dict[str, Param] = {"server": query.server.label, "host": query.hostname.text}
    failed = _failure(result, about)
    if failed is not None:
        return failed
    if result.rcode == "NXDOMAIN":
        return Finding("answer.nxdomain", Level.INFO, about)
    if result.rcode != "NOERROR":
        return Finding("answer.rcode", Level.FAIL, {**about, "rcode": result.rcode})
    records = [
        rdata.to_text()
        for rrset in result.answer
        if rrset.rdtype == query.rdtype and rrset.rdclass == IN
        for rdata in rrset
    ]
    kind = {**about, "type": query.type_text}
    if records:
        return Finding(
            "answer.records", Level.INFO, {**kind, "records": records, "count": len(records)}
        )
    if _is_referral(result):
        return Finding("answer.referral", Level.INFO, about)
    return Finding("answer.no-record", Level.INFO, kind)


def _failure(result: QueryResult, about: dict[str, Param]) -> Finding | None:
    """The finding for a reply that says nothing about the data: none came, or an error did."""
    if result.error is not None:
        # No reply, or a query webdig did not send: nothing is known.
        reason = {**about, "reason": result.error.message, "error": str(result.error.kind)}
        return Finding("answer.no-reply", Level.UNKNOWN, reason)
    if result.rcode == "REFUSED":
        return Finding("answer.refused", Level.FAIL, about)
    if result.rcode == "SERVFAIL":
        return Finding("answer.servfail", Level.FAIL, about)
    return None


@functools.lru_cache(maxsize=1024)
def normal_address(address: str) -> str:
    """An answered address in the form ``str(ip_address(…))`` gives (``2001:db8::1``), parsed
    once per distinct spelling: every verdict and cross-check compares answers with it."""
    return str(ipaddress.ip_address(address))


def _is_referral(result: QueryResult) -> bool:
    return any(rrset.rdtype == dns.rdatatype.NS for rrset in result.authority) and not any(
        rrset.rdtype == dns.rdatatype.SOA for rrset in result.authority
    )


def _notes(
    result: QueryResult, about: Mapping[str, Param], server_is_authority: bool
) -> tuple[Finding, ...]:
    if server_is_authority and "aa" not in result.flags and result.answer:
        server = {"server": about["server"]}
        return (Finding("answer.not-authoritative", Level.WARN, server),)
    return ()
