"""Iterative resolution from the root, like ``dig +trace``.

Starts from root hints (IANA's, or ``WEBDIG_ROOT_HINTS``), asks each
level's servers with recursion off, and follows referrals down to the
answer.  Each step keeps the reply and the server that gave it, so the
renderer can print dig's trace layout and the page can say where a chain
breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
from webdig.lookup.delegation import referral_of

# IANA's root servers (named.root), a.root-servers.net to m.
IANA_ROOT_HINTS: tuple[tuple[str, str], ...] = (
    ("a.root-servers.net", "198.41.0.4"),
    ("b.root-servers.net", "170.247.170.2"),
    ("c.root-servers.net", "192.33.4.12"),
    ("d.root-servers.net", "199.7.91.13"),
    ("e.root-servers.net", "192.203.230.10"),
    ("f.root-servers.net", "192.5.5.241"),
    ("g.root-servers.net", "192.112.36.4"),
    ("h.root-servers.net", "198.97.190.53"),
    ("i.root-servers.net", "192.36.148.17"),
    ("j.root-servers.net", "192.58.128.30"),
    ("k.root-servers.net", "193.0.14.129"),
    ("l.root-servers.net", "199.7.83.42"),
    ("m.root-servers.net", "202.12.27.33"),
)
MAX_STEPS = 16
TRIES_PER_LEVEL = 3


@dataclass(frozen=True)
class TraceStep:
    """One reply on the way down, and the records dig +trace prints for it."""

    result: QueryResult
    records: list[dns.rrset.RRset]


@dataclass
class Trace:
    """The whole walk for one name."""

    hostname: Hostname
    rdtype: dns.rdatatype.RdataType
    steps: list[TraceStep] = field(default_factory=list)
    """Replies in order, including servers that failed (then the next one was tried)."""
    problem: str | None = None
    """Why the walk stopped before an answer, in plain words."""

    @property
    def final(self) -> QueryResult | None:
        """The last reply (the answer, when the walk completed)."""
        if not self.steps or self.problem is not None or not self.steps[-1].result.ok:
            return None
        return self.steps[-1].result


TRACE_OPTIONS = QueryOptions(recurse=False, dnssec=True)
"""What dig +trace sends: no recursion, and the DO bit (it shows DS and RRSIG records)."""


def root_servers(hints: tuple[str, ...] | None) -> list[Server]:
    """Root servers to start from: configured addresses, else IANA's."""
    if hints:
        return [Server(address, 53, name=address) for address in hints]
    return [Server(address, 53, name=name) for name, address in IANA_ROOT_HINTS]


def _root_name() -> Hostname:
    return Hostname(text=".", ascii=".")


def trace(
    hostname: Hostname,
    rdtype: dns.rdatatype.RdataType,
    session: QuerySession,
    resolver: Server,
    hints: tuple[str, ...] | None,
) -> Trace:
    """Walk from the root to ``hostname``'s ``rdtype`` records."""
    walk = Trace(hostname, rdtype)
    servers = _allowed(root_servers(hints), session, walk)
    priming = (
        _ask_level(
            Query(_root_name(), dns.rdatatype.NS, servers[0], TRACE_OPTIONS), servers, session, walk
        )
        if servers
        else None
    )
    if priming is None:
        walk.problem = walk.problem or Message("No root server answered.")
        return walk
    walk.steps.append(
        TraceStep(priming, [r for r in priming.answer if r.rdtype == dns.rdatatype.NS])
    )
    # Go on with the root servers the priming reply names, as dig does, so
    # steps read "a.root-servers.net" rather than a bare address.
    names, glue = referral_of(priming, ".")
    servers = _allowed(_servers_of(names, glue, session, resolver), session, walk) or servers
    zone = dns.name.root
    for _ in range(MAX_STEPS):
        reply = _ask_level(
            Query(hostname, rdtype, servers[0], TRACE_OPTIONS), servers, session, walk
        )
        if reply is None:
            walk.problem = walk.problem or Message(
                "No nameserver of {zone} answered.", zone=zone.to_text()
            )
            return walk
        rcode = reply.rcode
        if reply.answer or rcode != "NOERROR" or "aa" in reply.flags:
            walk.steps.append(TraceStep(reply, [*reply.answer, *reply.authority]))
            return walk
        cut = _referral_zone(reply, hostname, zone)
        if cut is None:
            walk.steps.append(TraceStep(reply, list(reply.authority)))
            walk.problem = Message(
                "{server} neither answered nor referred the question further down "
                "(a lame delegation).",
                server=reply.query.server.label,
            )
            return walk
        walk.steps.append(
            TraceStep(reply, [r for r in reply.authority if r.rdtype != dns.rdatatype.SOA])
        )
        names, glue = referral_of(reply, cut.to_text())
        servers = _allowed(_servers_of(names, glue, session, resolver), session, walk)
        if not servers:
            walk.problem = walk.problem or Message(
                "None of the nameservers of {zone} has a usable address.", zone=cut.to_text()
            )
            return walk
        zone = cut
    walk.problem = Message("Gave up after {count} referrals.", count=MAX_STEPS)
    return walk


def _referral_zone(
    reply: QueryResult, hostname: Hostname, zone: dns.name.Name
) -> dns.name.Name | None:
    for rrset in reply.authority:
        if (
            rrset.rdtype == dns.rdatatype.NS
            and hostname.name.is_subdomain(rrset.name)
            and rrset.name.is_subdomain(zone)
            and rrset.name != zone
        ):
            return rrset.name
    return None


def _servers_of(
    names: list[str], glue: dict[str, list[str]], session: QuerySession, resolver: Server
) -> list[Server]:
    def addresses(name: str) -> list[str]:
        if glue.get(name):
            return glue[name]
        return session.addresses(from_dns_name(name), resolver)[0]

    servers: list[Server] = []
    for name, found in zip(names, session.map(addresses, names), strict=True):
        # IPv4 first: it is what every webdig host can reach.
        for address in sorted(found, key=lambda a: ":" in a):
            servers.append(Server(address, 53, name=name.rstrip(".")))
    return servers


def _allowed(servers: list[Server], session: QuerySession, walk: Trace) -> list[Server]:
    allowed = []
    for server in servers:
        try:
            check_target(
                server.address,
                server.port,
                allow_private=session.settings.allow_private,
                shown=server.label,
            )
        except PolicyError as exc:
            walk.problem = exc.message
            continue
        allowed.append(server)
    if allowed:
        walk.problem = None
    return allowed


def _ask_level(
    query: Query, servers: list[Server], session: QuerySession, walk: Trace
) -> QueryResult | None:
    """Ask the level's servers in turn until one replies (at most a few)."""
    for server in servers[:TRIES_PER_LEVEL]:
        result = session.ask(Query(query.hostname, query.rdtype, server, query.options))
        if result.ok:
            return result
        walk.steps.append(TraceStep(result, []))
    return None
