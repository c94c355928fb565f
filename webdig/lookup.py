"""Turn parameters into queries, run them concurrently, and judge the replies.

:func:`plan` validates every field (collecting all problems, keyed by
field) and resolves nameserver hostnames; :func:`run` sends every query of
the request at once, bounded by one deadline, and returns one
:class:`Block` per (hostname × server), failures included.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

import dns.rdatatype

from webdig.errors import InputError, WebdigError
from webdig.names import Hostname, parse_hostname, reverse_hostname
from webdig.nameservers import NameserverSpec, own_resolver, parse_nameserver, resolve
from webdig.params import MODES, LookupParams
from webdig.policy import IPAddress
from webdig.query import REVERSE, Query, QueryOptions, Server, parse_type
from webdig.result import QueryResult
from webdig.settings import SYSTEM, Settings
from webdig.transport import exchange
from webdig.verdicts import Verdict, judge, parse_expected

MAX_THREADS = 32
T = TypeVar("T")
R = TypeVar("R")


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
    options: QueryOptions
    expected: tuple[IPAddress, ...]
    server_is_authority: bool
    """The user named these servers, so a non-authoritative reply is worth a warning."""

    @property
    def queries(self) -> list[Query]:
        """Every query of the look-up, hostname-major."""
        return [
            Query(hostname, self.rdtype, server, self.options)
            for hostname in self.hostnames
            for server in self.servers
        ]


@dataclass(frozen=True)
class Block:
    """One (hostname × server) result as the page shows it."""

    result: QueryResult
    verdict: Verdict | None

    @property
    def query(self) -> Query:
        """The query this block answers."""
        return self.result.query


@dataclass(frozen=True)
class Outcome:
    """Everything a look-up produced."""

    plan: Plan
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)


def plan(params: LookupParams, settings: Settings) -> Plan:
    """Validate ``params`` and resolve nameserver hostnames.

    Raises :class:`InvalidParams` listing every problem by field.
    """
    errors = _Errors()
    rdtype_text = _check(errors, "type", lambda: parse_type(params.type)) or "A"
    reverse = rdtype_text == REVERSE
    hostnames = _hostnames(params, settings, errors, reverse)
    expected: list[IPAddress] = []
    for text in params.expected:
        try:
            expected.append(parse_expected(text))
        except ValueError as exc:
            errors.add("expected", str(exc))
    servers = _servers(params, settings, errors)
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
    )


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


def _servers(params: LookupParams, settings: Settings, errors: _Errors) -> list[Server]:
    if params.ns not in MODES:
        errors.add("ns", f"“{params.ns[:20]}” is not a nameserver choice; use resolver or self.")
        return []
    if params.ns == "resolver":
        if params.useresolver.lower() == SYSTEM:
            server = _check(errors, "useresolver", lambda: own_resolver(settings))
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
    if not params.nameservers:
        errors.add("nameservers", "Enter the nameserver to ask, for example ns1.xserver.jp.")
        return []
    if len(params.nameservers) > settings.max_nameservers:
        errors.add(
            "nameservers",
            f"You entered {len(params.nameservers)} nameservers; "
            f"one look-up can ask at most {settings.max_nameservers}.",
        )
        return []
    specs = [
        _check(errors, "nameservers", partial(parse_nameserver, t)) for t in params.nameservers
    ]
    valid = [spec for spec in dict.fromkeys(specs) if spec is not None]
    deadline = time.monotonic() + settings.deadline
    resolved = _parallel(valid, lambda spec: _resolve_one(spec, settings, deadline))
    servers: list[Server] = []
    for outcome in resolved:
        if isinstance(outcome, InputError):
            errors.add("nameservers", outcome.message)
        else:
            # dig asks the first address of a nameserver name; so do we,
            # preferring IPv4, which every host here can reach.
            servers.append(sorted(outcome, key=lambda s: s.family)[0])
    return list(dict.fromkeys(servers))


def _resolve_one(
    spec: NameserverSpec, settings: Settings, deadline: float
) -> list[Server] | InputError:
    try:
        return resolve(spec, settings, deadline=deadline)
    except InputError as exc:
        return exc


def _parallel(items: list[T], work: Callable[[T], R]) -> list[R]:
    if len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(MAX_THREADS, len(items))) as pool:
        return list(pool.map(work, items))


def run(plan: Plan, settings: Settings) -> Outcome:
    """Send every query of ``plan`` concurrently and judge each reply."""
    deadline = time.monotonic() + settings.deadline

    def one(query: Query) -> Block:
        result = exchange(query, timeout=settings.timeout, tries=settings.tries, deadline=deadline)
        return Block(
            result, judge(result, plan.expected, server_is_authority=plan.server_is_authority)
        )

    blocks = _parallel(plan.queries, one)
    notes: list[str] = []
    if plan.rdtype == dns.rdatatype.ANY:
        notes.append(
            "Many nameservers answer ANY with only some records, or with a single HINFO "
            "record (RFC 8482). Ask for a specific type to see everything."
        )
    if plan.expected and plan.rdtype not in (dns.rdatatype.A, dns.rdatatype.AAAA):
        notes.append("The expected address is compared with A and AAAA answers only.")
    return Outcome(plan, blocks, notes)


def lookup(params: LookupParams, settings: Settings) -> Outcome:
    """Validate and run a look-up in one call (raises :class:`InvalidParams`)."""
    return run(plan(params, settings), settings)
