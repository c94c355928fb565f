"""Findings across servers: consistency, delegation, IPv6 and caches.

Pure functions over the blocks of a look-up.  Each finding's code says which
check made it (``consistency.split``: the ``consistency`` check); its sentence
comes from :mod:`webdig.findings.catalog`, backed by rows the page shows below it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import dns.rdatatype

from webdig.engine.policy import IPAddress
from webdig.engine.result import ErrorKind, QueryResult
from webdig.findings.model import Finding, Level, Param
from webdig.lookup.answers import follow_chain, normal_address
from webdig.lookup.block import Block
from webdig.lookup.modes import DelegationFacts, Role


def check_of(finding: Finding) -> str:
    """The check that made ``finding``: ``consistency``, ``delegation``, ``ipv6``, ``cache``…"""
    return finding.code.split(".", 1)[0]


def server_text(result: QueryResult) -> str:
    """``ns1.example.net (192.0.2.53)``, or the address alone."""
    server = result.query.server
    return f"{server.name} ({server.address})" if server.name else server.address


def signature(result: QueryResult) -> str | None:
    """What a server answered, comparable across servers; None for no reply."""
    rcode = result.rcode  # worked out from the reply's flags through enums: ask once
    if rcode not in ("NOERROR", "NXDOMAIN"):
        return None
    if rcode == "NXDOMAIN":
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


def _names(items: Sequence[str]) -> list[str]:
    return [item.rstrip(".") for item in items]


def consistency(blocks: Sequence[Block], expected: Sequence[IPAddress]) -> list[Finding]:
    """Do all authoritative servers of each hostname give the same answer?"""
    findings: list[Finding] = []
    by_host: dict[str, list[QueryResult]] = {}
    for block in blocks:
        if block.mode == Role.AUTH and not block.companion:
            by_host.setdefault(block.result.query.hostname.text, []).append(block.result)
    wanted = {str(a) for a in expected}
    for host, results in by_host.items():
        # A query webdig did not send is no evidence either way: leave it out.
        sent = [result for result in results if was_sent(result)]
        groups: dict[str, list[str]] = {}
        silent = []
        for result in sent:
            sig = signature(result)
            if sig is None:
                silent.append(server_text(result))
            else:
                groups.setdefault(sig, []).append(server_text(result))
        if silent and not groups and not any(result.ok for result in sent):
            # Not one reply: webdig cannot tell what these servers answer.
            quiet = {"host": host, "servers": _names(silent)}
            findings.append(Finding("consistency.no-replies", Level.UNKNOWN, quiet))
            continue
        findings.extend(_consistency(host, groups, silent, len(sent), wanted))
    return findings


def was_sent(result: QueryResult) -> bool:
    """Whether webdig sent the query (a policy refusal or a spent budget sends nothing)."""
    error = result.error
    return error is None or error.kind not in (
        ErrorKind.NOT_ALLOWED,
        ErrorKind.SKIPPED,
        ErrorKind.BUSY,
    )


def _consistency(
    host: str, groups: dict[str, list[str]], silent: list[str], total: int, wanted: set[str]
) -> list[Finding]:
    out: list[Finding] = []
    if len(groups) == 1:
        [(answer, servers)] = groups.items()
        if not silent:
            agree: dict[str, Param] = {"total": total, "answer": answer, "host": host}
            return [Finding("consistency.agree", Level.PASS, agree)]
    if len(groups) > 1:
        # The reference is the answer that matches the expected server, if
        # one does; otherwise the majority.
        def rank(item: tuple[str, list[str]]) -> tuple[bool, int]:
            return (bool(wanted) and set(item[0].split(", ")) <= wanted, len(item[1]))

        ordered = sorted(groups.items(), key=rank, reverse=True)
        (answer, servers), others = ordered[0], ordered[1:]
        rest = [
            {"code": "consistency.still-answers", "servers": _names(s), "answer": a}
            for a, s in others
        ]
        split: dict[str, Param] = {"count": len(servers), "total": total, "answer": answer}
        split.update(host=host, others=rest)
        out.append(Finding("consistency.split", Level.FAIL, split))
    if silent:
        level = Level.FAIL if not groups else Level.WARN
        out.append(Finding("consistency.silent", level, {"servers": _names(silent), "host": host}))
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
        elsewhere = {"zone": zone, "parent": parent, "outside": _names(outside)}
        findings.append(Finding("delegation.registry-differs", Level.FAIL, elsewhere))
    if facts.own_ns and set(facts.own_ns) != set(facts.parent_ns):
        lists = {"zone": zone, "parent": parent, "own": _names(facts.own_ns)}
        findings.append(Finding("delegation.lists-differ", Level.WARN, lists))
    if not findings:
        asked = _names([n or a for n, a in typed])
        agree = {"zone": zone, "parent": parent, "asked": asked}
        findings.append(Finding("delegation.agrees", Level.PASS, agree))
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
    v4_given = any(a.version == 4 for a in expected)
    v6_given = any(a.version == 6 for a in expected)
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
        stray6 = sorted(a for a in seen["AAAA"] if normal_address(a) not in wanted)
        stray4 = sorted(a for a in seen.get("A", set()) if normal_address(a) not in wanted)
        if stray6 and v6_given:
            stray = {"host": host, "addresses": stray6}
            findings.append(Finding("ipv6.stray-aaaa", Level.FAIL, stray))
        elif stray6:
            # No IPv6 address to compare with: it may well be the server's own.  Ask.
            ask = {"host": host, "addresses": stray6}
            findings.append(Finding("ipv6.unverified-aaaa", Level.WARN, ask))
        elif seen["AAAA"]:
            findings.append(Finding("ipv6.aaaa-matches", Level.PASS, {"host": host}))
        else:
            findings.append(Finding("ipv6.no-aaaa", Level.PASS, {"host": host}))
        if stray4 and not v4_given:
            ask = {"host": host, "addresses": stray4}
            findings.append(Finding("ipv6.unverified-a", Level.WARN, ask))
        elif stray4 and not stray6 and v6_given:
            findings.append(
                Finding("ipv6.stray-a", Level.FAIL, {"host": host, "addresses": stray4})
            )
    return findings


def caches(
    blocks: Sequence[Block], expected: Sequence[IPAddress], now: datetime | None = None
) -> list[Finding]:
    """Say how long resolvers that disagree with the source may keep their answer."""
    now = now or datetime.now(UTC)
    findings: list[Finding] = []
    hosts = dict.fromkeys(b.result.query.hostname.text for b in blocks if b.mode == Role.RESOLVER)
    for host in hosts:
        mine = [b for b in blocks if b.result.query.hostname.text == host and not b.companion]
        # Compare like with like: an A answer with the expected IPv4 addresses.
        version = 6 if mine and mine[0].result.query.rdtype == dns.rdatatype.AAAA else 4
        same_family = [a for a in expected if a.version == version]
        source = _reference([b.result for b in mine if b.mode == Role.AUTH], same_family)
        if source is None:
            continue
        stale: list[Mapping[str, object]] = []
        replied, silent = 0, []
        for block in blocks:
            result = block.result
            if block.mode != Role.RESOLVER or block.companion or result.query.hostname.text != host:
                continue
            if not was_sent(result):
                continue
            sig = signature(result)
            if sig is None:
                silent.append(result.query.server.label)
                continue
            replied += 1
            if sig == source:
                continue
            ttl = min((rrset.ttl for rrset in result.answer), default=0)
            until = (now + timedelta(seconds=ttl)).replace(microsecond=0)
            stale.append(
                {
                    "code": "cache.still-answers",
                    "server": result.query.server.label,
                    "answer": sig,
                    "host": host,
                    "ttl": ttl,
                    "until": until.isoformat(),
                }
            )
        if stale:
            findings.append(Finding("cache.stale", Level.WARN, {"host": host, "stale": stale}))
        elif replied:
            agree = {"answer": source, "host": host, "silent": silent}
            findings.append(Finding("cache.agree", Level.PASS, agree))
        elif silent:
            # No resolver replied: there is nothing to compare, so nothing is known.
            quiet = {"host": host, "servers": silent}
            findings.append(Finding("cache.no-replies", Level.UNKNOWN, quiet))
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
