"""Verdicts across servers: consistency, delegation, IPv6 and caches.

Pure functions over the blocks of a look-up.  Each :class:`Finding` is one
or two plain sentences backed by rows the page shows below it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import dns.rdatatype

from webdig.engine.policy import IPAddress
from webdig.engine.result import QueryResult
from webdig.lookup.answers import follow_chain
from webdig.lookup.modes import DelegationFacts

if TYPE_CHECKING:
    from webdig.lookup.run import Block

Level = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Finding:
    """One cross-server verdict."""

    kind: str
    """``consistency``, ``delegation``, ``ipv6``, ``cache``, ``expected`` or ``discovery``."""
    status: Level
    message: str


def server_text(result: QueryResult) -> str:
    """``ns1.example.net (192.0.2.53)``, or the address alone."""
    server = result.query.server
    return f"{server.name} ({server.address})" if server.name else server.address


def signature(result: QueryResult) -> str | None:
    """What a server answered, comparable across servers; None for no reply."""
    if not result.ok or result.rcode not in ("NOERROR", "NXDOMAIN"):
        return None
    if result.rcode == "NXDOMAIN":
        return "NXDOMAIN"
    if result.query.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
        _, addresses = follow_chain(result)
        return ", ".join(sorted(set(addresses))) or "no record"
    texts = sorted(
        rdata.to_text()
        for rrset in result.answer
        if rrset.rdtype == result.query.rdtype
        for rdata in rrset
    )
    return ", ".join(texts) or "no record"


def _names(items: Sequence[str]) -> str:
    shown = [item.rstrip(".") for item in items]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def consistency(blocks: Sequence[Block], expected: Sequence[IPAddress]) -> list[Finding]:
    """Do all authoritative servers of each hostname give the same answer?"""
    findings: list[Finding] = []
    by_host: dict[str, list[QueryResult]] = {}
    for block in blocks:
        if block.mode == "auth" and not block.companion:
            by_host.setdefault(block.result.query.hostname.text, []).append(block.result)
    wanted = {str(a) for a in expected}
    for host, results in by_host.items():
        groups: dict[str, list[str]] = {}
        silent = []
        for result in results:
            sig = signature(result)
            if sig is None:
                silent.append(server_text(result))
            else:
                groups.setdefault(sig, []).append(server_text(result))
        findings.extend(_consistency(host, groups, silent, len(results), wanted))
    return findings


def _consistency(
    host: str, groups: dict[str, list[str]], silent: list[str], total: int, wanted: set[str]
) -> list[Finding]:
    out: list[Finding] = []
    if len(groups) == 1:
        [(answer, servers)] = groups.items()
        if not silent:
            return [
                Finding(
                    "consistency",
                    "ok",
                    f"All {total} nameserver addresses answer {answer} for {host}.",
                )
            ]
    if len(groups) > 1:
        # The reference is the answer that matches the expected server, if
        # one does; otherwise the majority.
        def rank(item: tuple[str, list[str]]) -> tuple[bool, int]:
            return (bool(wanted) and set(item[0].split(", ")) <= wanted, len(item[1]))

        ordered = sorted(groups.items(), key=rank, reverse=True)
        (answer, servers), others = ordered[0], ordered[1:]
        rest = "; ".join(f"{_names(s)} still answers {a}" for a, s in others)
        out.append(
            Finding(
                "consistency",
                "fail",
                f"{len(servers)} of your {total} nameserver addresses answer {answer} for "
                f"{host}; {rest}. Resolvers pick a nameserver at random, so visitors and "
                "Let's Encrypt get either answer.",
            )
        )
    if silent:
        status: Level = "fail" if not groups else "warn"
        out.append(
            Finding(
                "consistency",
                status,
                f"{_names(silent)} did not give a usable answer for {host}: resolvers that "
                "try it first wait for a time-out, and if every nameserver fails the name "
                "cannot be resolved.",
            )
        )
    return out


def delegation(facts: DelegationFacts, typed: Sequence[tuple[str | None, str]]) -> list[Finding]:
    """Compare the registry's NS set with the zone's own and with the servers the user typed.

    ``typed`` lists (name, address) of the nameservers the user asked.
    """
    zone = facts.zone.rstrip(".")
    if not facts.parent_ns:
        # The reason is already among the look-up's notes; no verdict either way.
        return []
    parent = _names(facts.parent_ns)
    findings: list[Finding] = []
    outside = [name or address for name, address in typed if not _delegated(name, address, facts)]
    if outside:
        findings.append(
            Finding(
                "delegation",
                "fail",
                f"The registry delegates {zone} to {parent}, so the records you edit at "
                f"{_names(outside)} are not used. Change the records at {parent}, or change "
                "the nameservers at your domain registrar.",
            )
        )
    if facts.own_ns and set(facts.own_ns) != set(facts.parent_ns):
        findings.append(
            Finding(
                "delegation",
                "warn",
                f"The registry delegates {zone} to {parent}, but the zone itself lists "
                f"{_names(facts.own_ns)}. Resolvers may use either list: make them the same.",
            )
        )
    if not findings:
        asked = (
            f", including {_names([n or a for n, a in typed])}, which you asked" if typed else ""
        )
        findings.append(
            Finding(
                "delegation",
                "ok",
                f"The registry delegates {zone} to {parent}{asked}, and the zone lists the "
                "same nameservers.",
            )
        )
    return findings


def _delegated(name: str | None, address: str, facts: DelegationFacts) -> bool:
    if name and f"{name.lower().rstrip('.')}." in facts.parent_ns:
        return True
    return any(address in addresses for addresses in facts.glue.values())


def ipv6(blocks: Sequence[Block], expected: Sequence[IPAddress]) -> list[Finding]:
    """Flag addresses of the *other* family that point away from the expected server."""
    if not expected:
        return []
    wanted = {str(a) for a in expected}
    findings: list[Finding] = []
    by_host: dict[str, dict[str, set[str]]] = {}
    for block in blocks:
        result = block.result
        if result.query.rdtype not in (dns.rdatatype.A, dns.rdatatype.AAAA) or not result.ok:
            continue
        if result.rcode != "NOERROR":
            continue  # NXDOMAIN, REFUSED…: nothing is known about this family.
        family = "AAAA" if result.query.rdtype == dns.rdatatype.AAAA else "A"
        seen = by_host.setdefault(result.query.hostname.text, {})
        seen.setdefault(family, set()).update(follow_chain(result)[1])
    for host, seen in by_host.items():
        if "AAAA" not in seen:
            continue
        stray6 = sorted(a for a in seen["AAAA"] if str(_ip(a)) not in wanted)
        stray4 = sorted(a for a in seen.get("A", set()) if str(_ip(a)) not in wanted)
        if stray6:
            findings.append(
                Finding(
                    "ipv6",
                    "fail",
                    f"{host} has an AAAA record ({', '.join(stray6)}) that is not your server. "
                    "Let's Encrypt prefers IPv6: this AAAA record sends it to another server. "
                    "Delete it, or set it to your server's IPv6 address.",
                )
            )
        elif seen["AAAA"]:
            findings.append(Finding("ipv6", "ok", f"{host}'s AAAA record points at your server."))
        else:
            findings.append(
                Finding("ipv6", "ok", f"{host} has no AAAA record, so IPv6 cannot lead elsewhere.")
            )
        if stray4 and not stray6 and any(a.version == 6 for a in expected):
            findings.append(
                Finding(
                    "ipv6",
                    "fail",
                    f"{host} has an A record ({', '.join(stray4)}) that is not your server.",
                )
            )
    return findings


def _ip(text: str) -> IPAddress:
    return ipaddress.ip_address(text)


def caches(
    blocks: Sequence[Block], expected: Sequence[IPAddress], now: datetime | None = None
) -> list[Finding]:
    """Say how long resolvers that disagree with the source may keep their answer."""
    now = now or datetime.now(UTC)
    findings: list[Finding] = []
    hosts = dict.fromkeys(b.result.query.hostname.text for b in blocks if b.mode == "resolver")
    for host in hosts:
        mine = [b for b in blocks if b.result.query.hostname.text == host and not b.companion]
        # Compare like with like: an A answer with the expected IPv4 addresses.
        version = 6 if mine and mine[0].result.query.rdtype == dns.rdatatype.AAAA else 4
        same_family = [a for a in expected if a.version == version]
        source = _reference([b.result for b in mine if b.mode == "auth"], same_family)
        if source is None:
            continue
        stale = []
        for block in blocks:
            result = block.result
            if block.mode != "resolver" or block.companion or result.query.hostname.text != host:
                continue
            sig = signature(result)
            if sig is None or sig == source:
                continue
            ttl = min((rrset.ttl for rrset in result.answer), default=0)
            until = (now + timedelta(seconds=ttl)).strftime("%H:%M UTC")
            stale.append(
                f"{result.query.server.label} still answers {sig} for {host} and may serve "
                f"it for up to {_duration(ttl)} more (until {until})"
            )
        if stale:
            findings.append(Finding("cache", "warn", "; ".join(stale) + "."))
        else:
            findings.append(
                Finding(
                    "cache",
                    "ok",
                    f"Every resolver asked answers {source} for {host}, as the source does.",
                )
            )
    return findings


def _reference(results: Sequence[QueryResult], expected: Sequence[IPAddress]) -> str | None:
    if expected:
        return ", ".join(sorted(str(a) for a in expected))
    counts: dict[str, int] = {}
    for result in results:
        sig = signature(result)
        if sig is not None:
            counts[sig] = counts.get(sig, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    if seconds < 48 * 3600:
        return f"{round(seconds / 3600)} hours"
    return f"{round(seconds / 86400)} days"
