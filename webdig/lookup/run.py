"""Run a planned look-up: find the servers, send every query at once, judge the replies.

:func:`~webdig.lookup.planning.plan` (re-exported here) validates the parameters;
:func:`run` finds the servers each ``ns`` mode asks, sends every query of
the request at once under one deadline and query budget, and returns one
:class:`Block` per (hostname × server), failures included, plus the
cross-server verdicts and the comparison table.  :func:`lookup` does both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import dns.rdataclass
import dns.rdatatype

from webdig.engine.names import Hostname
from webdig.engine.nameservers import own_resolver
from webdig.engine.query import Query, Server
from webdig.engine.result import ErrorKind, QueryError, QueryResult
from webdig.engine.session import QuerySession
from webdig.findings.model import Finding, Level
from webdig.lookup import crosschecks
from webdig.lookup.answers import judge
from webdig.lookup.block import Block
from webdig.lookup.comparison import Row, compare
from webdig.lookup.context import Delegation, LookupContext
from webdig.lookup.fielderrors import InvalidParams
from webdig.lookup.modes import Asked, HostTargets, Role, authoritative, delegation_facts
from webdig.lookup.params import Flag, LookupParams, Mode
from webdig.lookup.planning import Plan, plan
from webdig.lookup.trace import Trace, trace
from webdig.settings import Settings

__all__ = ["InvalidParams", "Outcome", "Plan", "lookup", "plan", "run"]

ADDRESS_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA)
FAILURE_CACHE_SECONDS = 15.0
"""How long a failed delegation check is reused, so a dead resolver does not slow every request."""


@dataclass
class Outcome:
    """Everything a look-up produced."""

    plan: Plan
    blocks: list[Block]
    notes: list[Finding] = field(default_factory=list)
    """Remarks on the look-up as a whole (``note.*`` codes): problems finding servers…"""
    verdicts: list[Finding] = field(default_factory=list)
    comparison: list[Row] = field(default_factory=list)
    traces: list[Trace] = field(default_factory=list)
    queries_sent: int = 0

    def trace_finals(self) -> list[Block | None]:
        """Each walk's final answer as a block, in the order of :attr:`traces`.

        Matched by hostname (one walk per hostname), never by object identity,
        so a stored outcome pairs them the same way.
        """
        finals = {
            block.query.hostname.ascii: block for block in self.blocks if block.mode == Role.TRACE
        }
        return [
            finals.get(walk.hostname.ascii) if walk.final is not None else None
            for walk in self.traces
        ]


def run(
    plan: Plan,
    settings: Settings,
    *,
    session: QuerySession | None = None,
    context: LookupContext | None = None,
) -> Outcome:
    """Find each mode's servers, send every query concurrently, and judge the replies.

    ``context`` holds what look-ups share (the delegation cache, the target
    gate); without one, nothing is reused from or kept for other look-ups.
    """
    shared = context or LookupContext()
    if session is None:
        with shared.session(settings) as own:
            return run(plan, settings, session=own, context=shared)
    outcome = Outcome(plan, [], notes=list(plan.notes))
    if plan.trace:
        _run_trace(plan, settings, session, outcome)
    else:
        _run_modes(plan, settings, session, outcome, shared)
    outcome.queries_sent = session.sent
    if session.skipped:
        skipped = {"count": session.skipped, "limit": settings.max_queries}
        outcome.notes.append(Finding("note.queries-skipped", Level.INFO, skipped))
    if session.busy_for:
        # A query a budget held back is never evidence: the rows say "not sent".
        busy = {"wait": session.busy_for}
        outcome.notes.append(Finding("note.busy", Level.UNKNOWN, busy))
    _add_notes(plan, outcome)
    # Hostnames of one zone share discovery problems; say each once.
    outcome.notes = list(dict.fromkeys(outcome.notes))
    return outcome


def _run_trace(plan: Plan, settings: Settings, session: QuerySession, outcome: Outcome) -> None:
    resolver = own_resolver(settings)
    outcome.traces = session.map(
        lambda h: trace(h, plan.rdtype, session, resolver, settings.root_hints), plan.hostnames
    )
    for walk in outcome.traces:
        final = walk.final
        if final is not None:
            verdict = judge(final, plan.expected, server_is_authority=True)
            outcome.blocks.append(Block(final, verdict, Role.TRACE))
        elif walk.problem:
            stopped = {"host": walk.hostname.text, "problem": walk.problem}
            outcome.notes.append(Finding("note.trace-stopped", Level.INFO, stopped))


def _run_modes(
    plan: Plan,
    settings: Settings,
    session: QuerySession,
    outcome: Outcome,
    context: LookupContext,
) -> None:
    resolver = own_resolver(settings)
    per_host = session.map(
        lambda h: _targets(plan, h, session, resolver, settings, context), plan.hostnames
    )
    jobs: list[tuple[Query, Asked, bool]] = []
    for hostname, found in zip(plan.hostnames, per_host, strict=True):
        outcome.notes.extend(
            Finding("note.discovery", Level.INFO, {"problem": problem})
            for problem in found.problems
        )
        for asked in found.asked:
            query = Query(hostname, plan.rdtype, asked.server, asked.options, plan.rdclass)
            jobs.append((query, asked, False))
            other = _other_family(plan, asked)
            if other is not None:
                jobs.append((Query(hostname, other, asked.server, asked.options), asked, True))
    results = session.ask_all(query for query, asked, _ in jobs if asked.refusal is None)
    answers = iter(results)
    for query, asked, companion in jobs:
        result = _refused(query, asked.refusal) if asked.refusal else next(answers)
        authority = asked.mode in (Role.SELF, Role.AUTH)
        verdict = (
            None
            if asked.mode == Role.NIC
            else judge(result, plan.expected, server_is_authority=authority)
        )
        outcome.blocks.append(Block(result, verdict, asked.mode, companion))
    _cross_check(plan, outcome, per_host)


def _targets(
    plan: Plan,
    hostname: Hostname,
    session: QuerySession,
    resolver: Server,
    settings: Settings,
    context: LookupContext,
) -> HostTargets:
    mode = plan.mode
    if mode in (Mode.RESOLVER, Mode.SELF):
        role = Role.SELF if mode == Mode.SELF else Role.RESOLVER
        found = HostTargets(asked=[Asked(s, role, plan.options) for s in plan.servers])
        if mode == Mode.SELF and plan.expected:
            # The user's own nameserver only matters if the registry delegates to it.
            delegation, problems = _delegation(plan, hostname, session, resolver, settings, context)
            found.delegation, found.problems = delegation, list(problems)
        return found
    first = plan.params.flag(Flag.ONLYFIRST)
    if mode == Mode.NIC:
        return delegation_facts(
            hostname, plan.rdtype, session, resolver, plan.options, only_first=first
        )
    auth = authoritative(hostname, session, resolver, plan.options, only_first=first)
    if mode == Mode.AUTH and auth.zone is not None:
        facts = delegation_facts(
            hostname, plan.rdtype, session, resolver, plan.options, zone=auth.zone, only_first=first
        )
        auth.delegation = facts.delegation
        auth.problems.extend(facts.problems)
    if mode == Mode.ALL:
        presets = [Asked(s, Role.RESOLVER, plan.options) for s in plan.servers]
        auth.asked = presets + auth.asked
    return auth


def _delegation(
    plan: Plan,
    hostname: Hostname,
    session: QuerySession,
    resolver: Server,
    settings: Settings,
    context: LookupContext,
) -> Delegation:
    """The registry's delegation for ``hostname``, reused for a while across requests.

    Finding it takes half a dozen queries in a row; people re-check the
    same name again and again while they fix their records, and the
    registry's NS records live for hours, so asking once a minute is plenty.
    """
    key = (hostname.key, resolver.address, resolver.port)
    cached = context.delegations.get(key) if settings.delegation_cache > 0 else None
    if cached is not None:
        return cached
    facts = delegation_facts(hostname, plan.rdtype, session, resolver, plan.options)
    found = (facts.delegation, tuple(facts.problems))
    seconds = settings.delegation_cache
    if facts.delegation is None or facts.delegation.problem or facts.problems:
        # Failures may be passing trouble: retry them sooner.
        seconds = min(seconds, FAILURE_CACHE_SECONDS)
    elif facts.delegation.ttl is not None:
        seconds = min(seconds, facts.delegation.ttl)
    context.delegations.put(key, found, seconds)
    return found


def _other_family(plan: Plan, asked: Asked) -> dns.rdatatype.RdataType | None:
    if not plan.expected or plan.rdtype not in ADDRESS_TYPES or asked.mode == Role.NIC:
        return None
    if plan.rdclass != dns.rdataclass.IN:
        return None
    return dns.rdatatype.AAAA if plan.rdtype == dns.rdatatype.A else dns.rdatatype.A


def _refused(query: Query, reason: str) -> QueryResult:
    error = QueryError(ErrorKind.NOT_ALLOWED, reason, f";; not queried: {reason}")
    return QueryResult(query=query, started=datetime.now(UTC), error=error)


def _cross_check(plan: Plan, outcome: Outcome, per_host: list[HostTargets]) -> None:
    blocks = outcome.blocks
    outcome.verdicts.extend(
        Finding("expected.resolved", Level.INFO, {"host": h, "addresses": a, "count": len(a)})
        for h, a in plan.expected_hosts
    )
    outcome.verdicts.extend(crosschecks.consistency(blocks, plan.expected))
    typed = [(s.name, s.address) for s in plan.servers] if plan.mode == Mode.SELF else []
    seen: set[str] = set()
    for found in per_host:
        facts = found.delegation
        if facts is not None and facts.zone not in seen:
            seen.add(facts.zone)
            outcome.verdicts.extend(crosschecks.delegation(facts, typed))
    if plan.rdtype in ADDRESS_TYPES:
        outcome.verdicts.extend(crosschecks.ipv6(blocks, plan.expected))
    if plan.mode == Mode.ALL:
        outcome.verdicts.extend(crosschecks.caches(blocks, plan.expected))
    if plan.mode in (Mode.AUTH, Mode.ALL) or plan.params.flag(Flag.COMPARE):
        outcome.comparison = compare(blocks, plan.expected)


def _add_notes(plan: Plan, outcome: Outcome) -> None:
    params = plan.params
    if params.ns == "resolver" and params.nameservers:
        # Typed, but not asked: said first, as it explains every answer below.
        unused = {"nameservers": list(params.nameservers)}
        outcome.notes.insert(0, Finding("note.resolver-not-asked", Level.INFO, unused))
    if plan.rdtype == dns.rdatatype.ANY:
        outcome.notes.append(Finding("note.any", Level.INFO))
    if plan.expected and plan.rdtype not in ADDRESS_TYPES:
        outcome.notes.append(Finding("note.expected-addresses-only", Level.INFO))
    if plan.params.flag(Flag.SAVE):
        # digwebinterface's save=on: the page points at its save button, but a GET
        # never stores anything (a link must not be a way to fill the database).
        outcome.notes.append(Finding("note.save-offered", Level.INFO))


def lookup(
    params: LookupParams, settings: Settings, context: LookupContext | None = None
) -> Outcome:
    """Validate and run a look-up in one call (raises :class:`InvalidParams`)."""
    shared = context or LookupContext()
    with shared.session(settings) as session:
        planned = plan(params, settings, session=session)
        return run(planned, settings, session=session, context=shared)
