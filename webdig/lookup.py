"""Turn parameters into queries, run them concurrently, and judge the replies.

:func:`plan` validates every field (collecting all problems, keyed by
field) and resolves nameserver and expected-server hostnames; :func:`run`
finds the servers each ``ns`` mode asks, sends every query of the request
at once under one deadline and query budget, and returns one
:class:`Block` per (hostname × server), failures included, plus the
cross-server verdicts and the comparison table.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar

import dns.rdatatype

from webdig import crosschecks
from webdig.comparison import Row, compare
from webdig.crosschecks import Finding
from webdig.errors import InputError, WebdigError
from webdig.hosting import hosting_preset
from webdig.modes import Asked, DelegationFacts, HostTargets, authoritative, delegation_facts
from webdig.names import Hostname, parse_hostname, reverse_hostname
from webdig.nameservers import own_resolver, parse_nameserver, resolve
from webdig.params import MODES, LookupParams
from webdig.policy import IPAddress
from webdig.query import REVERSE, Query, QueryOptions, Server, parse_type
from webdig.result import ErrorKind, QueryError, QueryResult
from webdig.session import QuerySession
from webdig.settings import SYSTEM, Settings
from webdig.trace import Trace, trace
from webdig.verdicts import Verdict, judge

T = TypeVar("T")
ADDRESS_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA)
FAILURE_CACHE_SECONDS = 15.0
"""How long a failed delegation check is reused, so a dead resolver does not slow every request."""


class InvalidParams(WebdigError):
    """One or more fields are invalid; ``fields`` maps field name to messages."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in fields.values() for m in ms))
        self.fields = fields


@dataclass(frozen=True)
class Plan:
    """A validated look-up, ready to send."""

    params: LookupParams
    hostnames: tuple[Hostname, ...]
    rdtype: dns.rdatatype.RdataType
    servers: tuple[Server, ...]
    """The fixed servers of ``resolver``/``self`` mode, the presets in ``all`` mode."""
    options: QueryOptions
    expected: tuple[IPAddress, ...]
    server_is_authority: bool
    """The user named these servers, so a non-authoritative reply is worth a warning."""
    mode: str = "resolver"
    expected_hosts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Expected servers given by name, and the addresses they resolved to."""

    @property
    def queries(self) -> list[Query]:
        """The queries of a fixed-server look-up, hostname-major."""
        return [
            Query(hostname, self.rdtype, server, self.options)
            for hostname in self.hostnames
            for server in self.servers
        ]

    @property
    def trace(self) -> bool:
        """Whether to walk from the root (``trace=on``)."""
        return self.params.flag("trace")


@dataclass(frozen=True)
class Block:
    """One (hostname × server) result as the page shows it."""

    result: QueryResult
    verdict: Verdict | None
    mode: str = "self"
    """The role of the server: ``resolver``, ``self``, ``auth``, ``nic`` or ``trace``."""
    companion: bool = False
    """The other address family's query, sent to check AAAA next to A (or A next to AAAA)."""

    @property
    def query(self) -> Query:
        """The query this block answers."""
        return self.result.query


@dataclass
class Outcome:
    """Everything a look-up produced."""

    plan: Plan
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)
    verdicts: list[Finding] = field(default_factory=list)
    comparison: list[Row] = field(default_factory=list)
    traces: list[Trace] = field(default_factory=list)
    queries_sent: int = 0


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)


def plan(params: LookupParams, settings: Settings, *, session: QuerySession | None = None) -> Plan:
    """Validate ``params`` and resolve nameserver and expected-server hostnames.

    Raises :class:`InvalidParams` listing every problem by field.
    """
    errors = _Errors()
    with _session(session, settings) as active:
        rdtype_text = _check(errors, "type", partial(parse_type, params.type)) or "A"
        reverse = rdtype_text == REVERSE
        hostnames = _hostnames(params, settings, errors, reverse)
        expected, expected_hosts = _expected(params, settings, errors, active)
        servers = _servers(params, settings, errors, active)
    if hostnames and servers and len(hostnames) * len(servers) > settings.max_queries:
        errors.add(
            "hostnames",
            f"{len(hostnames)} hostnames × {len(servers)} nameservers make "
            f"{len(hostnames) * len(servers)} queries; one look-up may send at most "
            f"{settings.max_queries}.",
        )
    if errors.fields:
        raise InvalidParams(errors.fields)
    options = QueryOptions(
        tcp=params.flag("tcp"),
        recurse=not params.flag("norecursive"),
        dnssec=params.flag("dnssec"),
        nsid=params.flag("nsid"),
    )
    rdtype = dns.rdatatype.PTR if reverse else dns.rdatatype.from_text(rdtype_text)
    return Plan(
        params=params,
        hostnames=tuple(hostnames),
        rdtype=rdtype,
        servers=tuple(servers),
        options=options,
        expected=tuple(expected),
        server_is_authority=params.ns == "self",
        mode=params.ns,
        expected_hosts=tuple(expected_hosts),
    )


class _session:
    """Use the caller's session, or a private one closed on exit."""

    def __init__(self, session: QuerySession | None, settings: Settings) -> None:
        self.own = session is None
        self.session = session or QuerySession(settings)

    def __enter__(self) -> QuerySession:
        return self.session

    def __exit__(self, *exc: object) -> None:
        if self.own:
            self.session.close()


def _check(errors: _Errors, name: str, parse: Callable[[], T]) -> T | None:
    try:
        return parse()
    except InputError as exc:
        errors.add(exc.field or name, exc.message)
        return None


def _hostnames(
    params: LookupParams, settings: Settings, errors: _Errors, reverse: bool
) -> list[Hostname]:
    if not params.hostnames:
        errors.add("hostnames", "Enter at least one hostname, for example www.example.com.")
        return []
    if len(params.hostnames) > settings.max_hostnames:
        errors.add(
            "hostnames",
            f"You entered {len(params.hostnames)} hostnames; "
            f"one look-up can check at most {settings.max_hostnames}.",
        )
        return []
    parse = reverse_hostname if reverse else parse_hostname
    parsed = [_check(errors, "hostnames", partial(parse, text)) for text in params.hostnames]
    return list(dict.fromkeys(h for h in parsed if h is not None))


def _expected(
    params: LookupParams, settings: Settings, errors: _Errors, session: QuerySession
) -> tuple[list[IPAddress], list[tuple[str, tuple[str, ...]]]]:
    addresses: list[IPAddress] = []
    hosts: list[tuple[str, tuple[str, ...]]] = []
    for text in params.expected:
        value = text.strip().strip("[]")
        try:
            addresses.append(ipaddress.ip_address(value))
            continue
        except ValueError:
            pass
        try:
            host = parse_hostname(value)
            if "." not in host.text or host.text.rsplit(".", 1)[1].isdigit():
                raise InputError("not a hostname")
        except InputError:
            errors.add(
                "expected",
                f"“{value[:60]}” is neither an IP address nor a server name. Enter your "
                "server's IP as shown in your hosting panel (for example 192.0.2.10), or its "
                "server name (for example sv12345.xserver.jp).",
            )
            continue
        found, problems = session.addresses(host, own_resolver(settings))
        if not found:
            why = "; ".join(problems) or "it has no A or AAAA record"
            errors.add("expected", f"The server name {host.text} could not be resolved: {why}.")
            continue
        hosts.append((host.text, tuple(found)))
        addresses.extend(ipaddress.ip_address(a) for a in found)
    return list(dict.fromkeys(addresses)), hosts


def _servers(
    params: LookupParams, settings: Settings, errors: _Errors, session: QuerySession
) -> list[Server]:
    if params.ns not in MODES:
        errors.add(
            "ns",
            f"“{params.ns[:20]}” is not a nameserver choice; use resolver, self, auth, nic or all.",
        )
        return []
    if params.ns in ("auth", "nic"):
        return []
    if params.ns == "all":
        return [Server(p.address, p.port, name=p.label) for p in settings.presets]
    if params.ns == "resolver":
        if params.useresolver.lower() == SYSTEM:
            server = _check(errors, "useresolver", partial(own_resolver, settings))
            return [server] if server is not None else []
        preset = settings.preset(params.useresolver)
        if preset is None:
            known = ", ".join(p.key for p in settings.presets)
            errors.add(
                "useresolver",
                f"“{params.useresolver[:40]}” is not one of the resolvers offered ({known}).",
            )
            return []
        return [Server(preset.address, preset.port, name=preset.label)]
    return _typed_servers(params, settings, errors, session)


def _typed_servers(
    params: LookupParams, settings: Settings, errors: _Errors, session: QuerySession
) -> list[Server]:
    texts = params.nameservers
    if not texts and params.hosting:
        preset = hosting_preset(params.hosting)
        if preset is None:
            errors.add(
                "hosting", f"“{params.hosting[:30]}” is not a hosting provider webdig knows."
            )
            return []
        texts = preset.nameservers
    if not texts:
        errors.add("nameservers", "Enter the nameserver to ask, for example ns1.xserver.jp.")
        return []
    if len(texts) > settings.max_nameservers:
        errors.add(
            "nameservers",
            f"You entered {len(texts)} nameservers; "
            f"one look-up can ask at most {settings.max_nameservers}.",
        )
        return []
    specs = [_check(errors, "nameservers", partial(parse_nameserver, t)) for t in texts]
    valid = [spec for spec in dict.fromkeys(specs) if spec is not None]

    def one(spec: object) -> list[Server] | InputError:
        try:
            return resolve(spec, settings, session)  # type: ignore[arg-type]
        except InputError as exc:
            return exc

    servers: list[Server] = []
    for outcome in session.map(one, valid):
        if isinstance(outcome, InputError):
            errors.add("nameservers", outcome.message)
        else:
            # dig asks the first address of a nameserver name; so do we,
            # preferring IPv4, which every host can reach.
            servers.append(sorted(outcome, key=lambda s: s.family)[0])
    return list(dict.fromkeys(servers))


def run(plan: Plan, settings: Settings, *, session: QuerySession | None = None) -> Outcome:
    """Find each mode's servers, send every query concurrently, and judge the replies."""
    with _session(session, settings) as active:
        outcome = Outcome(plan, [])
        if plan.trace:
            _run_trace(plan, settings, active, outcome)
        else:
            _run_modes(plan, settings, active, outcome)
        outcome.queries_sent = active.sent
        if active.skipped:
            outcome.notes.append(
                f"{active.skipped} queries were not sent: one look-up may send at most "
                f"{settings.max_queries}. Ask about fewer hostnames or nameservers at once."
            )
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
            outcome.blocks.append(Block(final, verdict, "trace"))
        elif walk.problem:
            outcome.notes.append(f"{walk.hostname.text}: the trace stopped: {walk.problem}")


def _run_modes(plan: Plan, settings: Settings, session: QuerySession, outcome: Outcome) -> None:
    resolver = own_resolver(settings)
    per_host = session.map(lambda h: _targets(plan, h, session, resolver, settings), plan.hostnames)
    jobs: list[tuple[Query, Asked, bool]] = []
    for hostname, found in zip(plan.hostnames, per_host, strict=True):
        outcome.notes.extend(found.problems)
        for asked in found.asked:
            jobs.append((Query(hostname, plan.rdtype, asked.server, asked.options), asked, False))
            other = _other_family(plan, asked)
            if other is not None:
                jobs.append((Query(hostname, other, asked.server, asked.options), asked, True))
    results = session.ask_all(query for query, asked, _ in jobs if asked.refusal is None)
    answers = iter(results)
    for query, asked, companion in jobs:
        result = _refused(query, asked.refusal) if asked.refusal else next(answers)
        authority = asked.mode in ("self", "auth")
        verdict = (
            None
            if asked.mode == "nic"
            else judge(result, plan.expected, server_is_authority=authority)
        )
        outcome.blocks.append(Block(result, verdict, asked.mode, companion))
    _cross_check(plan, outcome, per_host)


def _targets(
    plan: Plan, hostname: Hostname, session: QuerySession, resolver: Server, settings: Settings
) -> HostTargets:
    mode = plan.mode
    if mode in ("resolver", "self"):
        found = HostTargets(asked=[Asked(s, mode, plan.options) for s in plan.servers])
        if mode == "self" and plan.expected:
            # The user's own nameserver only matters if the registry delegates to it.
            delegation, problems = _delegation(plan, hostname, session, resolver, settings)
            found.delegation, found.problems = delegation, list(problems)
        return found
    if mode == "nic":
        return delegation_facts(hostname, plan.rdtype, session, resolver, plan.options)
    auth = authoritative(hostname, session, resolver, plan.options)
    if mode == "auth" and auth.zone is not None:
        facts = delegation_facts(
            hostname, plan.rdtype, session, resolver, plan.options, zone=auth.zone
        )
        auth.delegation = facts.delegation
        auth.problems.extend(facts.problems)
    if mode == "all":
        presets = [Asked(s, "resolver", plan.options) for s in plan.servers]
        auth.asked = presets + auth.asked
    return auth


def _delegation(
    plan: Plan, hostname: Hostname, session: QuerySession, resolver: Server, settings: Settings
) -> tuple[DelegationFacts | None, tuple[str, ...]]:
    """The registry's delegation for ``hostname``, reused for a while across requests.

    Finding it takes half a dozen queries in a row; people re-check the
    same name again and again while they fix their records, and the
    registry's NS records live for hours, so asking once a minute is plenty.
    """
    key = (hostname.ascii.lower(), resolver.address, resolver.port)
    cached = settings.delegations.get(key) if settings.delegation_cache > 0 else None
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
    settings.delegations.put(key, found, seconds)
    return found


def _other_family(plan: Plan, asked: Asked) -> dns.rdatatype.RdataType | None:
    if not plan.expected or plan.rdtype not in ADDRESS_TYPES or asked.mode == "nic":
        return None
    return dns.rdatatype.AAAA if plan.rdtype == dns.rdatatype.A else dns.rdatatype.A


def _refused(query: Query, reason: str) -> QueryResult:
    error = QueryError(ErrorKind.NOT_ALLOWED, reason, f";; not queried: {reason}")
    return QueryResult(query=query, started=datetime.now(UTC), error=error)


def _cross_check(plan: Plan, outcome: Outcome, per_host: list[HostTargets]) -> None:
    blocks = outcome.blocks
    outcome.verdicts.extend(
        Finding(
            "expected",
            "ok",
            f"{host} resolves to {', '.join(addrs)}; answers are compared with "
            f"{'that address' if len(addrs) == 1 else 'those addresses'}.",
        )
        for host, addrs in plan.expected_hosts
    )
    outcome.verdicts.extend(crosschecks.consistency(blocks, plan.expected))
    typed = [(s.name, s.address) for s in plan.servers] if plan.mode == "self" else []
    seen: set[str] = set()
    for found in per_host:
        facts = found.delegation
        if facts is not None and facts.zone not in seen:
            seen.add(facts.zone)
            outcome.verdicts.extend(crosschecks.delegation(facts, typed))
    if plan.rdtype in ADDRESS_TYPES:
        outcome.verdicts.extend(crosschecks.ipv6(blocks, plan.expected))
    if plan.mode == "all":
        outcome.verdicts.extend(crosschecks.caches(blocks, plan.expected))
    if plan.mode in ("auth", "all") or plan.params.flag("compare"):
        outcome.comparison = compare(blocks, plan.expected)


def _add_notes(plan: Plan, outcome: Outcome) -> None:
    if plan.rdtype == dns.rdatatype.ANY:
        outcome.notes.append(
            "Many nameservers answer ANY with only some records, or with a single HINFO "
            "record (RFC 8482). Ask for a specific type to see everything."
        )
    if plan.expected and plan.rdtype not in ADDRESS_TYPES:
        outcome.notes.append("The expected address is compared with A and AAAA answers only.")


def lookup(params: LookupParams, settings: Settings) -> Outcome:
    """Validate and run a look-up in one call (raises :class:`InvalidParams`)."""
    with QuerySession(settings) as session:
        return run(plan(params, settings, session=session), settings, session=session)
