"""The ``dnssec`` check: would a validating resolver (Let's Encrypt's) trust this zone's answers?

The common failure: a domain moved to a shared host whose zone is unsigned (or signed with
other keys) while the registry still publishes the old DS record.  Every validating resolver
then answers SERVFAIL, and Let's Encrypt reports "DNS problem: SERVFAIL looking up CAA".

One batch of queries, all with the DO bit and recursion off, through the request's session:
the DS question to every server of the parent zone (found by the checklist's delegation
walk), and the DNSKEY, A, AAAA and CAA questions to every address of every nameserver
that the registry or the zone itself names.  :mod:`webdig.renewal.dnssecchain` judges them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import dns.name
import dns.rdatatype
from dns.rdtypes.ANY.DNSKEY import DNSKEY
from dns.rdtypes.ANY.DS import DS

from webdig.dig.message import render_full
from webdig.engine.names import Hostname, from_dns_name
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.result import QueryResult
from webdig.engine.session import QuerySession
from webdig.findings.markers import N_
from webdig.findings.model import Finding, Level, Param
from webdig.language.message import Quote
from webdig.lookup.delegation import shown, targets
from webdig.lookup.modes import HostTargets
from webdig.renewal.dnssecchain import (
    Flaw,
    Signatures,
    algorithm_name,
    dnskeys,
    ds_records,
    ds_ttl,
    judge_reply,
    key_tag,
    matching_keys,
    suggested_ds,
    validatable,
)
from webdig.renewal.dnssecexpiry import expiry_findings
from webdig.renewal.items import CheckId, CheckResult, Evidence, check

TITLE = N_("DNSSEC does not make look-ups fail")  # the page translates it
DO = QueryOptions(recurse=False, dnssec=True)
"""How validating resolvers ask: the DO bit set, and (to authoritative servers) no recursion."""
RECORD_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA, dns.rdatatype.CAA)
"""What Let's Encrypt looks up for each name before it validates."""
_OK_RCODES = ("NOERROR", "NXDOMAIN")
_FLAW_CODES = {
    Flaw.EXPIRED: "dnssec.expired",
    Flaw.NOT_YET_VALID: "dnssec.not-yet-valid",
    Flaw.INVALID: "dnssec.bad-signature",
    Flaw.MISSING: "dnssec.unsigned-records",
}


@dataclass(frozen=True)
class ServerReplies:
    """What one address of one nameserver answered."""

    label: str
    keys: QueryResult
    """The reply to the DNSKEY question."""
    records: list[QueryResult]
    """The replies about the checked names (A, AAAA, CAA each)."""


@dataclass(frozen=True)
class ZoneReplies:
    """Everything the check asked about one zone."""

    zone: str
    """Absolute (``example.com.``)."""
    registry: list[QueryResult]
    """The parent's servers' replies to the DS question."""
    servers: list[ServerReplies]


def ask_zone(
    facts: HostTargets, names: Sequence[Hostname], session: QuerySession, resolver: Server
) -> ZoneReplies | None:
    """Ask the DS, DNSKEY and the names' A/AAAA/CAA questions at once (None without a zone).

    ``facts`` are the checklist's delegation facts for the zone (from
    :func:`webdig.lookup.modes.delegation_facts`): its parent's servers and both NS sets.
    """
    if facts.zone is None or facts.delegation is None:
        return None
    zone = facts.zone
    parents = [asked.server for asked in facts.asked if asked.refusal is None]
    hosts = sorted({*facts.delegation.parent_ns, *facts.delegation.own_ns})
    # A nameserver with no address, or one the target policy forbids, is the
    # dns-points-here item's to report: here it is simply not asked.
    found, _ = targets(hosts, session, resolver, glue=facts.delegation.glue)
    servers = [t.server for t in found if t.refusal is None]
    apex = from_dns_name(zone)
    questions = [Query(apex, dns.rdatatype.DS, server, DO) for server in parents]
    for server in servers:
        questions.append(Query(apex, dns.rdatatype.DNSKEY, server, DO))
        questions.extend(Query(n, t, server, DO) for n in names for t in RECORD_TYPES)
    replies = session.ask_all(questions)
    registry, rest = replies[: len(parents)], replies[len(parents) :]
    per_server = 1 + len(names) * len(RECORD_TYPES)
    answered = [
        ServerReplies(
            server.label,
            rest[i * per_server],
            rest[i * per_server + 1 : (i + 1) * per_server],
        )
        for i, server in enumerate(servers)
    ]
    return ZoneReplies(zone, registry, answered)


def dnssec_check(
    replies: ZoneReplies | None, host: str, *, now: datetime | None = None
) -> CheckResult:
    """The ``dnssec`` checklist item for one zone; ``now`` decides which signatures are valid."""
    if replies is None:
        return check(
            CheckId.DNSSEC, TITLE, Finding("dnssec.no-zone", Level.UNKNOWN, {"host": host})
        )
    moment = now or datetime.now(UTC)
    evidence = _evidence(replies)
    zone = dns.name.from_text(replies.zone)
    shown_zone = shown(replies.zone)
    heard = [r for r in replies.registry if r.ok and r.rcode in _OK_RCODES]
    if not heard:
        silent = Finding("dnssec.registry-silent", Level.UNKNOWN, {"zone": shown_zone})
        return check(CheckId.DNSSEC, TITLE, silent, evidence=evidence)
    ds_set = ds_records(heard, zone)
    answering = [s for s in replies.servers if s.keys.ok and s.keys.rcode == "NOERROR"]
    quiet = _labels(s.label for s in replies.servers if s not in answering)
    notes = [Finding("dnssec.silent", Level.INFO, {"servers": quiet})] if quiet else []
    if not answering:
        nobody = Finding("dnssec.no-replies", Level.UNKNOWN, {"zone": shown_zone})
        return check(CheckId.DNSSEC, TITLE, nobody, evidence=evidence)
    if not ds_set:
        keyed = any(dnskeys(s.keys, zone) for s in answering)
        code = "dnssec.keys-without-ds" if keyed else "dnssec.unsigned"
        found = Finding(code, Level.PASS, {"zone": shown_zone})
        # Nobody validates the answers, so their replies are no evidence of anything.
        keys_only = _evidence(replies, answers=False)
        return check(CheckId.DNSSEC, TITLE, [found, *notes], evidence=keys_only)
    usable = [ds for ds in ds_set if validatable(ds)]
    if not usable:
        # Resolvers ignore a DS record they cannot use: the zone is unsigned to them.
        algorithms = sorted({algorithm_name(ds.algorithm) for ds in ds_set})
        unusable = {"zone": shown_zone, "algorithms": algorithms}
        found = Finding("dnssec.unsupported", Level.UNKNOWN, unusable)
        return check(CheckId.DNSSEC, TITLE, [found, *notes], evidence=evidence)
    tally = _tally(zone, usable, answering, moment)
    ttl = ds_ttl(heard, zone)
    problems, fixes = _problems(tally, zone, usable, ttl)
    # Valid today, but not for long: the signer may have stopped (see dnssecexpiry).
    warned, advice = expiry_findings(tally.valid, shown_zone, moment, ttl)
    fixes += advice
    if problems:
        found_all = [*problems, *warned, *notes]
        return check(CheckId.DNSSEC, TITLE, found_all, fixes, evidence, level=Level.FAIL)
    found_ok = [*warned, _valid(tally, zone), *notes]
    return check(CheckId.DNSSEC, TITLE, found_ok, fixes, evidence)


@dataclass
class _Tally:
    """What the servers that answered showed, sorted by what is wrong."""

    no_keys: list[str] = field(default_factory=list)
    other_algorithm: list[str] = field(default_factory=list)
    other_key: list[str] = field(default_factory=list)
    flawed: dict[Flaw, list[tuple[str, Signatures]]] = field(default_factory=dict)
    valid: list[Signatures] = field(default_factory=list)
    trusted: dict[int, str] = field(default_factory=dict)
    """Key tag → algorithm of the served keys a DS record matches."""
    served: dict[int, DNSKEY] = field(default_factory=dict)


def _tally(
    zone: dns.name.Name, ds_set: Sequence[DS], answering: Sequence[ServerReplies], now: datetime
) -> _Tally:
    """Follow the chain DS → DNSKEY → signatures on every server that answered."""
    tally = _Tally()
    for server in answering:
        keys = dnskeys(server.keys, zone)
        if not keys:
            tally.no_keys.append(server.label)
            continue
        tally.served.update((key_tag(key), key) for key in keys)
        trusted = matching_keys(zone, ds_set, keys)
        if not trusted:
            # Some DS may be a key not published yet (a roll in progress): only a server
            # with no key any DS matches breaks the chain.
            if {ds.algorithm for ds in ds_set} & {key.algorithm for key in keys}:
                tally.other_key.append(server.label)
            else:
                tally.other_algorithm.append(server.label)
            continue
        tally.trusted.update((key_tag(key), algorithm_name(key.algorithm)) for key in trusted)
        judged = [judge_reply(server.keys, zone, trusted, now)]
        judged += [
            judge_reply(reply, zone, keys, now)
            for reply in server.records
            if reply.ok and reply.rcode in _OK_RCODES
        ]
        for signatures in judged:
            if signatures.flaw is None:
                tally.valid.append(signatures)
            else:
                tally.flawed.setdefault(signatures.flaw, []).append((server.label, signatures))
    return tally


def _problems(
    tally: _Tally, zone: dns.name.Name, ds_set: Sequence[DS], ds_ttl: int | None
) -> tuple[list[Finding], list[Finding]]:
    """The failures, worst break first, and what to do about them."""
    text = shown(zone.to_text())
    found: list[Finding] = []
    fixes: list[Finding] = []
    if tally.no_keys:
        params: dict[str, Param] = {"zone": text, "servers": _labels(tally.no_keys)}
        found.append(Finding("dnssec.no-dnskey", Level.FAIL, params))
        removal: dict[str, Param] = {"zone": text}
        if ds_ttl:
            removal["ttl"] = ds_ttl
        fixes.append(Finding("fix.remove-ds", Level.INFO, removal))
    replace: dict[str, Param] = {
        "zone": text,
        "ds": suggested_ds(zone, list(tally.served.values())),
    }
    if tally.other_algorithm:
        params = {
            "zone": text,
            "servers": _labels(tally.other_algorithm),
            "ds_algorithms": sorted({algorithm_name(ds.algorithm) for ds in ds_set}),
            "key_algorithms": sorted({algorithm_name(k.algorithm) for k in tally.served.values()}),
        }
        found.append(Finding("dnssec.ds-algorithm", Level.FAIL, params))
        fixes.append(Finding("fix.replace-ds", Level.INFO, replace))
    if tally.other_key:
        params = {
            "zone": text,
            "servers": _labels(tally.other_key),
            "ds_tags": sorted({str(ds.key_tag) for ds in ds_set}),
            "key_tags": sorted({str(tag) for tag in tally.served}),
        }
        found.append(Finding("dnssec.ds-mismatch", Level.FAIL, params))
        if not tally.other_algorithm:
            fixes.append(Finding("fix.replace-ds", Level.INFO, replace))
    for flaw, code in _FLAW_CODES.items():
        bad = tally.flawed.get(flaw, [])
        if not bad:
            continue
        params = {
            "zone": text,
            "servers": _labels(label for label, _ in bad),
            "records": _labels(signatures.record for _, signatures in bad),
        }
        moments = [s.moment for _, s in bad if s.moment is not None]
        if moments and flaw is Flaw.EXPIRED:
            params["expiry"] = max(moments).isoformat()
        elif moments:
            params["start"] = min(moments).isoformat()
        found.append(Finding(code, Level.FAIL, params))
        resign = Finding("fix.resign-zone", Level.INFO, {"zone": text})
        if resign not in fixes:
            fixes.append(resign)
    return found, fixes


def _valid(tally: _Tally, zone: dns.name.Name) -> Finding:
    params: dict[str, Param] = {
        "zone": shown(zone.to_text()),
        "tags": [str(tag) for tag in sorted(tally.trusted)],
        "algorithms": sorted(set(tally.trusted.values())),
    }
    expiries = [s.moment for s in tally.valid if s.moment is not None]
    if expiries:
        params["expiry"] = min(expiries).isoformat()
    return Finding("dnssec.valid", Level.PASS, params)


def _labels(labels: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(labels))


def _evidence(replies: ZoneReplies, *, answers: bool = True) -> list[Evidence]:
    """The DS and DNSKEY replies, and (``answers``) the replies about the names."""
    asked = [(s.keys, *s.records) if answers else (s.keys,) for s in replies.servers]
    shown_replies = [*replies.registry, *(r for replies_of in asked for r in replies_of)]
    return [
        Evidence(
            f"{r.query.hostname.ascii.rstrip('.')} {r.query.type_text} +dnssec"
            f" @{r.query.server.label}",
            Quote(render_full(r)),
        )
        for r in shown_replies
    ]
