"""Which servers each ``ns`` mode asks about one hostname.

``resolver`` and ``self`` ask fixed servers; ``auth`` finds the zone and
asks every address of every nameserver with recursion off; ``nic`` asks
the parent zone's servers (the registry's view); ``all`` asks every preset
resolver plus the authoritative servers, so caches can be compared with
the source.  Discovery goes through the request's session, so a zone's NS
set and addresses are looked up once for all hostnames in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

import dns.rdatatype

from webdig.engine.names import Hostname
from webdig.engine.query import QueryOptions, Server
from webdig.engine.session import QuerySession
from webdig.language.message import Message
from webdig.lookup.delegation import (
    Target,
    delegation,
    find_zone,
    ns_names,
    parent_zone,
    shown,
    targets,
)


class Role(StrEnum):
    """What a server is to a look-up: how the ``ns`` mode found it (a block's ``mode``)."""

    RESOLVER = "resolver"
    """A recursive resolver: a preset, or this server's own."""
    SELF = "self"
    """A nameserver the user gave."""
    AUTH = "auth"
    """An authoritative nameserver of the name's zone, found through the resolver."""
    NIC = "nic"
    """A server of the parent zone: the registry's view of the delegation."""
    TRACE = "trace"
    """The server that answered at the end of a walk from the root."""


@dataclass(frozen=True)
class Asked:
    """One server to ask about a hostname, and in which role."""

    server: Server
    mode: Role
    options: QueryOptions
    refusal: str | None = None
    """Set when the target policy forbids this (DNS-discovered) address."""


@dataclass(frozen=True)
class DelegationFacts:
    """The registry's delegation of a zone next to the zone's own NS set."""

    zone: str
    parent_ns: tuple[str, ...]
    own_ns: tuple[str, ...]
    glue: dict[str, list[str]] = field(default_factory=dict, compare=False)
    problem: str | None = None
    ttl: int | None = field(default=None, compare=False)
    """The lowest TTL of the registry's NS records, which bounds how long these facts hold."""


@dataclass
class HostTargets:
    """Everything a mode decided for one hostname."""

    asked: list[Asked] = field(default_factory=list)
    zone: str | None = None
    delegation: DelegationFacts | None = None
    problems: list[str] = field(default_factory=list)


def _from_targets(found: list[Target], mode: Role, options: QueryOptions) -> list[Asked]:
    return [Asked(t.server, mode, options, t.refusal) for t in found]


def authoritative(
    hostname: Hostname,
    session: QuerySession,
    resolver: Server,
    options: QueryOptions,
    *,
    only_first: bool = False,
) -> HostTargets:
    """Every address of every nameserver of the zone holding ``hostname`` (RD off).

    ``only_first``: only the first nameserver by name (digwebinterface's ``onlyfirst``).
    """
    out = HostTargets()
    zone = find_zone(hostname, session, resolver)
    if zone.name is None:
        out.problems.append(_not_found(hostname, zone.problem))
        return out
    out.zone = zone.name
    names, problem = ns_names(zone.name, session, resolver)
    if problem:
        out.problems.append(_not_listed(zone.name, problem))
    found, trouble = targets(names[:1] if only_first else names, session, resolver)
    out.problems.extend(trouble)
    out.asked = _from_targets(found, Role.AUTH, replace(options, recurse=False))
    return out


def registry(
    hostname: Hostname,
    session: QuerySession,
    resolver: Server,
    *,
    zone: str | None = None,
    only_first: bool = False,
) -> tuple[HostTargets, list[Target]]:
    """The parent zone's servers for ``hostname``'s zone (only the first by name if
    ``only_first``), and the delegation they publish."""
    out = HostTargets(zone=zone)
    if out.zone is None:
        found_zone = find_zone(hostname, session, resolver)
        if found_zone.name is None:
            out.problems.append(_not_found(hostname, found_zone.problem))
            return out, []
        out.zone = found_zone.name
    parent = parent_zone(out.zone, session, resolver)
    if parent.name is None:
        out.problems.append(
            Message(
                "Could not find the parent zone of {zone}: {reason}",
                zone=shown(out.zone),
                reason=parent.problem or "",
            )
        )
        return out, []
    names, problem = ns_names(parent.name, session, resolver)
    if problem:
        out.problems.append(_not_listed(parent.name, problem))
    parent_targets, trouble = targets(names[:1] if only_first else names, session, resolver)
    out.problems.extend(trouble)
    return out, parent_targets


def _not_found(hostname: Hostname, reason: str | None) -> Message:
    return Message(
        "Could not find the zone of {host}: {reason}", host=hostname.text, reason=reason or ""
    )


def _not_listed(zone: str, reason: str) -> Message:
    return Message(
        "Could not list the nameservers of {zone}: {reason}", zone=shown(zone), reason=reason
    )


def delegation_facts(
    hostname: Hostname,
    rdtype: dns.rdatatype.RdataType,
    session: QuerySession,
    resolver: Server,
    options: QueryOptions,
    *,
    zone: str | None = None,
    only_first: bool = False,
) -> HostTargets:
    """Ask the registry's servers about ``hostname`` and compare with the zone's own NS set."""
    out, parent_targets = registry(hostname, session, resolver, zone=zone, only_first=only_first)
    out.asked = _from_targets(parent_targets, Role.NIC, replace(options, recurse=False))
    if out.zone is None:
        return out
    norecurse = replace(options, recurse=False)
    published = delegation(out.zone, parent_targets, session, hostname, rdtype, norecurse)
    own, problem = ns_names(out.zone, session, resolver)
    out.delegation = DelegationFacts(
        zone=out.zone,
        parent_ns=tuple(published.ns),
        own_ns=tuple(own),
        glue=published.glue,
        problem=published.problem or problem,
        ttl=published.ttl,
    )
    return out
