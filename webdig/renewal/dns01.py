"""The ``dns-01`` check: can Let's Encrypt read the ``_acme-challenge`` TXT record?

A wildcard certificate can only be validated by DNS-01: Let's Encrypt looks up the TXT
record at ``_acme-challenge.<name>`` through its own resolvers, which may ask any of the
zone's authoritative nameservers, and follow a CNAME that delegates the record to
another zone (acme-dns and similar services).  So every nameserver is asked directly
(recursion off), the registry's NS set together with the zone's own, and an alias is
followed to the target zone's own nameservers.  Besides "there" and "not there", it
names what people get wrong: the record created under a doubled name by a panel that
appends the zone, nameservers that answer differently, and how long resolvers may keep
a "no record" answer (RFC 2308), which is how long a retry must wait.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

import dns.name
import dns.rdatatype

from webdig.dig.message import render_full
from webdig.engine.names import Hostname, from_dns_name
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.result import QueryResult
from webdig.engine.session import QuerySession
from webdig.errors import InputError
from webdig.findings.markers import N_
from webdig.findings.model import Finding, Level, Param
from webdig.language.message import Message, Quote
from webdig.lookup.delegation import NORECURSE, find_zone, shown, targets
from webdig.lookup.modes import delegation_facts
from webdig.renewal.acmerecords import (
    Kind,
    ServerAnswer,
    challenge_name,
    doubled_names,
    read_answer,
)
from webdig.renewal.items import CheckId, CheckResult, Evidence, check, fix

TITLE = N_("The _acme-challenge TXT record (DNS-01)")  # the page translates it


class Method(StrEnum):
    """How the renewal proves control of the names (``method=``)."""

    AUTO = "auto"
    """HTTP-01, as hosting panels renew; DNS-01 too when the site's certificate is a wildcard."""
    DNS01 = "dns-01"
    """The user said the renewal uses DNS-01: the TXT record must be there now."""

    @classmethod
    def from_text(cls, text: str | None) -> Method:
        """``method=`` as given (any case; empty is ``auto``, ``http-01`` too); raises
        :class:`~webdig.errors.InputError` for anything else."""
        value = (text or "").strip().lower().replace("_", "-")
        if value in ("", "http-01"):
            return cls.AUTO
        try:
            return cls(value)
        except ValueError:
            shown = value[:40]
            raise InputError(
                Message("“{value}” is not a validation method: use dns-01, or leave it empty.",
                        value=shown)
            ) from None  # fmt: skip


MAX_ALIASES = 8
"""CNAME steps followed from the challenge name; a longer chain is reported as broken."""


@dataclass(frozen=True)
class ZoneAnswers:
    """What the nameservers of one zone answered for one name on the way to the TXT record."""

    name: dns.name.Name
    zone: str | None = None
    nameservers: tuple[str, ...] = ()
    """NS names asked: the registry's delegation and the zone's own NS set together."""
    answers: tuple[tuple[Server, ServerAnswer], ...] = ()
    results: tuple[QueryResult, ...] = ()
    problem: str | None = None
    """Why no nameserver could be asked (no zone, no NS set, no address webdig may use)."""
    doubled: tuple[str, ...] = ()
    """Doubled-label names (see :func:`doubled_names`) that hold a TXT record."""

    @property
    def replied(self) -> list[tuple[Server, ServerAnswer]]:
        """The answers that say something about the name."""
        return [(s, a) for s, a in self.answers if a.kind is not Kind.NO_ANSWER]

    @property
    def agreed(self) -> ServerAnswer | None:
        """The answer every replying server gave, or None (no replies, or they differ)."""
        distinct = {answer.same for _, answer in self.replied}
        if len(distinct) != 1:
            return None
        # The shortest negative-cache time any server gave is the first a retry may succeed.
        waits = [a.negative_ttl for _, a in self.replied if a.negative_ttl is not None]
        first = self.replied[0][1]
        return ServerAnswer(first.kind, first.values, min(waits, default=None))


def find_challenge(
    hostname: Hostname, session: QuerySession, resolver: Server
) -> list[ZoneAnswers]:
    """Ask every nameserver for ``_acme-challenge.<hostname>`` TXT, following aliases.

    One :class:`ZoneAnswers` per zone on the way; the last one holds the verdict.
    """
    name = challenge_name(hostname.name)
    chain: list[ZoneAnswers] = []
    seen = {name}
    for step in range(MAX_ALIASES + 1):
        found = _ask_zone(name, session, resolver, hostname if step == 0 else None)
        chain.append(found)
        agreed = found.agreed
        if agreed is None or agreed.kind is not Kind.ALIAS:
            break
        name = dns.name.from_text(agreed.values[0])
        if name in seen:
            break  # a loop: the last step still says "alias", which the verdict reports
        seen.add(name)
    return chain


def _ask_zone(
    name: dns.name.Name, session: QuerySession, resolver: Server, origin: Hostname | None
) -> ZoneAnswers:
    """Ask the nameservers of ``name``'s zone; ``origin`` is the certificate name (first step)."""
    asked = from_dns_name(name)
    zone = find_zone(asked, session, resolver)
    if zone.name is None and len(name) > 2:
        # The resolver chases an alias and fails when its target is broken (a loop, dead
        # servers); an alias is never a zone's apex, so its zone is its parent's.
        zone = find_zone(from_dns_name(name.parent()), session, resolver)
    if zone.name is None:
        return ZoneAnswers(name, problem=zone.problem)
    # domain-exists asked the registry about the certificate name already: the same
    # questions read the session's answers when the challenge name is in its zone.
    subject, rdtype = asked, dns.rdatatype.TXT
    if origin is not None and find_zone(origin, session, resolver).name == zone.name:
        subject, rdtype = origin, dns.rdatatype.A
    found = delegation_facts(subject, rdtype, session, resolver, QueryOptions(), zone=zone.name)
    facts = found.delegation
    if facts is None or not (facts.parent_ns or facts.own_ns):
        why = "; ".join(found.problems) or f"no NS records for {shown(zone.name)}"
        return ZoneAnswers(name, zone.name, problem=why)
    names = sorted({*facts.parent_ns, *facts.own_ns})
    listed = tuple(shown(n) for n in names)
    servers, trouble = targets(names, session, resolver, glue=facts.glue)
    allowed = [t.server for t in servers if t.refusal is None]
    if not allowed:
        why = "; ".join([*trouble, *(t.refusal for t in servers if t.refusal)])
        return ZoneAnswers(name, zone.name, listed, problem=why)
    extra = doubled_names(name, dns.name.from_text(zone.name)) if origin is not None else []
    pairs = [(question, server) for server in allowed for question in (name, *extra)]
    results = session.ask_all(
        Query(from_dns_name(question), dns.rdatatype.TXT, server, NORECURSE)
        for question, server in pairs
    )
    replies: dict[dns.name.Name, list[tuple[Server, QueryResult]]] = {}
    for (question, server), result in zip(pairs, results, strict=True):
        replies.setdefault(question, []).append((server, result))
    doubled = [
        (question, result)
        for question in extra
        for _, result in replies[question]
        if read_answer(result, question).kind is Kind.TXT
    ]
    return ZoneAnswers(
        name,
        zone.name,
        listed,
        tuple((server, read_answer(result, name)) for server, result in replies[name]),
        # The evidence: every server's reply for the name, and where a doubled name was found.
        (*(result for _, result in replies[name]), *(result for _, result in doubled)),
        doubled=tuple(dict.fromkeys(_text(question) for question, _ in doubled)),
    )


def dns01_check(chain: list[ZoneAnswers], *, asked: bool) -> CheckResult:
    """The ``dns-01`` item for one certificate name, from :func:`find_challenge`'s chain.

    ``asked``: the user said the renewal uses DNS-01 (``method=dns-01``), so a missing
    record fails; when the check runs because the certificate is a wildcard, the record
    may exist only while a renewal runs, so its absence is a fact, not a fault.
    """
    evidence = [
        Evidence(f"{r.query.hostname.text} TXT @{r.query.server.label}", Quote(render_full(r)))
        for hop in chain
        for r in hop.results
    ]
    last = chain[-1]
    found, fixes, level = _verdict(chain, _text(chain[0].name), asked=asked)
    silent = [(s, a.problem) for s, a in last.answers if a.kind is Kind.NO_ANSWER]
    if silent and last.replied:
        # Resolvers move on to another nameserver, so this alone does not fail the item.
        quiet: dict[str, Param] = {
            "name": _text(last.name),
            "servers": _labels(s for s, _ in silent),
            "problems": list(dict.fromkeys(problem for _, problem in silent)),
        }
        found = [*found, Finding("dns01.silent", Level.WARN, quiet)]
        if level in (Level.PASS, Level.INFO):
            level = Level.WARN
            fixes = [*fixes, fix("fix.check-nameservers")]
    return check(CheckId.DNS01, TITLE, found, fixes, evidence, level=level)


def _verdict(
    chain: list[ZoneAnswers], challenge: str, *, asked: bool
) -> tuple[list[Finding], list[Finding], Level]:
    """The findings, fixes and level the last step of ``chain`` comes to."""
    first, last = chain[0], chain[-1]
    target = _text(last.name) if len(chain) > 1 else None
    if last.problem is not None:
        if target is None:
            why = {"name": challenge, "problem": last.problem}
            return [Finding("dns01.not-asked", Level.UNKNOWN, why)], [], Level.UNKNOWN
        broken = {"name": challenge, "target": target, "problem": last.problem}
        alias_fix = fix("fix.dns01-alias", name=challenge, target=target)
        return [Finding("dns01.alias-broken", Level.FAIL, broken)], [alias_fix], Level.FAIL
    if not last.replied:
        silent = {"name": _text(last.name), "zone": shown(str(last.zone))}
        no_replies = Finding("dns01.no-replies", Level.UNKNOWN, silent)
        return [no_replies], [fix("fix.check-nameservers")], Level.UNKNOWN
    agreed = last.agreed
    if agreed is None:
        differ: dict[str, Param] = {"name": _text(last.name), "answers": _groups(last)}
        same_fix = fix("fix.dns01-same", name=_text(last.name))
        return [Finding("dns01.differ", Level.FAIL, differ)], [same_fix], Level.FAIL
    where: dict[str, Param] = {
        "name": challenge,
        **({"target": target} if target else {}),
        "zone": shown(str(last.zone)),
        "nameservers": list(last.nameservers),
    }
    if agreed.kind is Kind.ALIAS:
        loop: dict[str, Param] = {"name": challenge, "limit": MAX_ALIASES}
        alias_fix = fix("fix.dns01-alias", name=challenge, target=_text(last.name))
        return [Finding("dns01.alias-loop", Level.FAIL, loop)], [alias_fix], Level.FAIL
    if agreed.kind is Kind.TXT:
        present = Finding("dns01.present", Level.PASS, {**where, "values": list(agreed.values)})
        return [present], [], Level.PASS
    cached, wait = _wait(agreed, str(last.zone))
    label = _label(first)
    if first.doubled and target is None:
        doubled = {"name": challenge, "found": first.doubled[0], "zone": where["zone"]}
        move = fix("fix.dns01-move", name=challenge, label=label, zone=str(where["zone"]),
                   found=first.doubled[0])  # fmt: skip
        return [Finding("dns01.doubled", Level.FAIL, doubled), *cached], [move, *wait], Level.FAIL
    if target is not None and agreed.kind is Kind.NXDOMAIN:
        dangling = Finding("dns01.alias-missing", Level.FAIL, where)
        alias_fix = fix("fix.dns01-alias", name=challenge, target=target)
        return [dangling], [alias_fix], Level.FAIL
    missing = Finding(
        "dns01.missing",
        Level.FAIL if asked else Level.INFO,
        {**where, "rcode": "NXDOMAIN" if agreed.kind is Kind.NXDOMAIN else "NOERROR"},
    )
    if not asked:
        return [missing, Finding("dns01.between-renewals", Level.INFO)], [], Level.INFO
    add = fix("fix.dns01-add", name=target or challenge, label="" if target else label,
              zone=str(where["zone"]))  # fmt: skip
    return [missing, *cached], [add, *wait], Level.FAIL


def _wait(answer: ServerAnswer, zone: str) -> tuple[list[Finding], list[Finding]]:
    """How long resolvers may keep the "no record" answer, and the fix that waits it out
    (none without an SOA in the reply)."""
    seconds = answer.negative_ttl
    if not seconds:
        return [], []
    cached = Finding("dns01.negative-cache", Level.INFO, {"zone": shown(zone), "wait": seconds})
    return [cached], [fix("fix.dns01-wait", wait=str(seconds))]


def _groups(hop: ZoneAnswers) -> list[Mapping[str, object]]:
    """The differing answers as sub-phrases: which servers said what."""
    said: dict[tuple[Kind, tuple[str, ...]], list[Server]] = {}
    for server, answer in hop.replied:
        said.setdefault(answer.same, []).append(server)
    phrases: list[Mapping[str, object]] = []
    for (kind, values), servers in said.items():
        phrase: dict[str, object] = {"code": f"dns01.answer-{kind}", "servers": _labels(servers)}
        if kind is Kind.TXT:
            phrase["values"] = list(values)
        elif kind is Kind.ALIAS:
            phrase["target"] = values[0].rstrip(".")
        phrases.append(phrase)
    return phrases


def _labels(servers: Iterable[Server]) -> list[str]:
    return list(dict.fromkeys(server.label for server in servers))


def _label(hop: ZoneAnswers) -> str:
    """What to type in a panel's host name field for ``hop.name``: the part before the zone."""
    if hop.zone is None:
        return _text(hop.name)
    return hop.name.relativize(dns.name.from_text(hop.zone)).to_text()


def _text(name: dns.name.Name) -> str:
    return name.to_text().rstrip(".")


def for_reference(item: CheckResult) -> CheckResult:
    """The ``http-challenge`` item when the renewal uses DNS-01: shown, but judging nothing.

    Let's Encrypt fetches no file then, so whatever port 80 answers cannot block the
    renewal; its findings stay for whoever also serves the site there, without fixes.
    """
    note = Finding("http.not-used", Level.INFO)
    return replace(item, level=Level.INFO, findings=(note, *item.findings), fixes=())
