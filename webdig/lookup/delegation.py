"""Who is responsible for a name: its zone, the zone's nameservers, the parent's delegation.

Everything here asks webdig's own resolver (recursively) except
:func:`delegation`, which asks the parent zone's servers directly,
as a registry's view can only be seen there.  All queries go through the
request's :class:`~webdig.engine.session.QuerySession`, so repeated look-ups of
the same NS host or glue are sent once.
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.name
import dns.rdatatype
import dns.rrset

from webdig.engine.names import Hostname, from_dns_name
from webdig.engine.policy import check_target
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.result import QueryResult
from webdig.engine.session import QuerySession
from webdig.errors import PolicyError
from webdig.language.message import Message

_MAX_WALK = 12
NORECURSE = QueryOptions(recurse=False)


@dataclass(frozen=True)
class Zone:
    """The zone holding a name, or why it could not be found."""

    name: str | None
    """Absolute zone name (``example.com.``), or None."""
    problem: str | None = None


@dataclass(frozen=True)
class Target:
    """An address to query, or the reason it may not be queried."""

    server: Server
    refusal: str | None = None


def shown(zone: str) -> str:
    """A zone name as sentences show it: no trailing dot, except the root."""
    return zone.rstrip(".") or "."


def find_zone(hostname: Hostname, session: QuerySession, resolver: Server) -> Zone:
    """The closest enclosing zone of ``hostname``, found with SOA queries."""
    name = hostname.name
    for _ in range(_MAX_WALK):
        result = session.ask(Query(from_dns_name(name), dns.rdatatype.SOA, resolver))
        if result.error is not None:
            return Zone(None, result.error.message)
        if result.rcode not in ("NOERROR", "NXDOMAIN"):
            return Zone(
                None,
                Message(
                    "The resolver answered {rcode} for {host}.",
                    rcode=result.rcode,
                    host=shown(name.to_text()),
                ),
            )
        for rrset in result.answer:
            if rrset.rdtype == dns.rdatatype.SOA and rrset.name == name:
                return Zone(name.to_text())
        aliased = any(r.rdtype == dns.rdatatype.CNAME and r.name == name for r in result.answer)
        if not aliased:
            for rrset in result.authority:
                if rrset.rdtype == dns.rdatatype.SOA and name.is_subdomain(rrset.name):
                    return Zone(rrset.name.to_text())
        if name == dns.name.root:
            break
        # An alias (or a resolver that left out the SOA): try the parent.
        name = name.parent()
    return Zone(None, Message("No zone was found for {host}.", host=hostname.text))


def ns_names(zone: str, session: QuerySession, resolver: Server) -> tuple[list[str], str | None]:
    """The zone's own NS set as the resolver sees it (sorted), and a problem if any."""
    result = session.ask(Query(from_dns_name(zone), dns.rdatatype.NS, resolver))
    if result.error is not None:
        return [], result.error.message
    names = sorted(
        {
            rdata.target.to_text().lower()
            for rrset in result.answer
            if rrset.rdtype == dns.rdatatype.NS
            for rdata in rrset
        }
    )
    if not names:
        return [], Message(
            "The resolver returned no NS records for {zone} ({rcode}).",
            zone=shown(zone),
            rcode=result.rcode,
        )
    return names, None


def targets(
    names: list[str],
    session: QuerySession,
    resolver: Server,
    *,
    glue: dict[str, list[str]] | None = None,
) -> tuple[list[Target], list[str]]:
    """Every address of every NS host, checked against the target policy.

    ``glue`` (NS name → addresses from a referral) saves look-ups.  Returns
    the targets and sentences about NS hosts that have no address.
    """
    glue = glue or {}

    def addresses(name: str) -> tuple[list[str], list[str]]:
        if glue.get(name):
            return glue[name], []
        return session.addresses(from_dns_name(name), resolver)

    found: list[Target] = []
    problems: list[str] = []
    for name, (addrs, trouble) in zip(names, session.map(addresses, names), strict=True):
        shown = name.rstrip(".")
        if not addrs:
            problems.append(
                Message(
                    "The nameserver {server} has no address: {reasons}",
                    server=shown,
                    reasons=trouble,
                )
                if trouble
                else Message("The nameserver {server} has no A or AAAA record.", server=shown)
            )
        for address in addrs:
            server = Server(address, 53, name=shown)
            try:
                check_target(address, 53, allow_private=session.settings.allow_private, shown=shown)
            except PolicyError as exc:
                found.append(Target(server, exc.message))
            else:
                found.append(Target(server))
    return found, problems


def parent_zone(zone: str, session: QuerySession, resolver: Server) -> Zone:
    """The zone that delegates ``zone`` (``jp.`` for ``example.jp.``)."""
    name = dns.name.from_text(zone)
    if name == dns.name.root:
        return Zone(None, Message("The root zone has no parent."))
    return find_zone(from_dns_name(name.parent()), session, resolver)


@dataclass(frozen=True)
class Delegation:
    """What the parent zone's servers say about a zone."""

    ns: list[str]
    """NS names in the referral (sorted, absolute, lower case)."""
    glue: dict[str, list[str]]
    results: list[QueryResult]
    problem: str | None = None
    ttl: int | None = None
    """The lowest TTL of the referral's NS records (None without a referral)."""


def _ns_records(result: QueryResult, zone_name: dns.name.Name) -> list[dns.rrset.RRset]:
    """The NS record sets for ``zone_name`` in a reply (referral or answer)."""
    return [
        rrset
        for rrset in (*result.authority, *result.answer)
        if rrset.rdtype == dns.rdatatype.NS and rrset.name == zone_name
    ]


def referral_of(result: QueryResult, zone: str) -> tuple[list[str], dict[str, list[str]]]:
    """NS names and glue addresses in a parent's reply about ``zone``."""
    zone_name = dns.name.from_text(zone)
    ns = sorted(
        {
            rdata.target.to_text().lower()
            for rrset in _ns_records(result, zone_name)
            for rdata in rrset
        }
    )
    glue: dict[str, list[str]] = {}
    for rrset in result.additional:
        if rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            owner = rrset.name.to_text().lower()
            if owner in ns:
                glue.setdefault(owner, []).extend(r.to_text() for r in rrset)
    return ns, glue


def delegation(
    zone: str,
    parent_targets: list[Target],
    session: QuerySession,
    hostname: Hostname,
    rdtype: dns.rdatatype.RdataType,
    options: QueryOptions = NORECURSE,
) -> Delegation:
    """Ask every parent server about ``hostname`` with RD off and read their referrals."""
    allowed = [t.server for t in parent_targets if t.refusal is None]
    queries = [Query(hostname, rdtype, server, options) for server in allowed]
    results = session.ask_all(queries)
    ns: list[str] = []
    glue: dict[str, list[str]] = {}
    zone_name = dns.name.from_text(zone)
    ttls = [
        rrset.ttl for result in results if result.ok for rrset in _ns_records(result, zone_name)
    ]
    for result in results:
        if result.ok:
            names, more = referral_of(result, zone)
            ns = ns or names
            for key, values in more.items():
                glue.setdefault(key, [])
                glue[key].extend(v for v in values if v not in glue[key])
    problem = (
        None
        if ns
        else Message("No parent server returned a delegation for {zone}.", zone=shown(zone))
    )
    return Delegation(ns, glue, results, problem, min(ttls, default=None))
