"""Validate look-up parameters and resolve the names in them: the :class:`Plan` of a look-up.

:func:`plan` checks every field, collecting all problems keyed by field (so
the page can show each message next to its field), and resolves nameserver
and expected-server hostnames through webdig's own resolver.  Nothing is
sent to the nameservers the user asked about until :func:`webdig.lookup.run.run`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import dns.rdataclass
import dns.rdatatype

from webdig.engine.names import (
    Hostname,
    normalize,
    parse_hostname,
    reverse_hostname,
    strip_decoration,
)
from webdig.engine.nameservers import NameserverSpec, own_resolver, parse_nameserver, resolve
from webdig.engine.policy import IPAddress
from webdig.engine.query import (
    REVERSE,
    Query,
    QueryOptions,
    Server,
    parse_class,
    parse_subnet,
    parse_type,
)
from webdig.engine.session import QuerySession
from webdig.errors import InputError, WebdigError
from webdig.findings.model import Finding, Level
from webdig.language.message import Message
from webdig.lookup.context import LookupContext
from webdig.lookup.hosting import hosting_preset
from webdig.lookup.params import DigFlag, DigValue, Flag, LookupParams, Mode
from webdig.presets import one_per_service
from webdig.settings import SYSTEM, Settings

T = TypeVar("T")


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
    mode: Mode = Mode.RESOLVER
    expected_hosts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Expected servers given by name, and the addresses they resolved to."""
    notes: tuple[Finding, ...] = ()
    """What planning understood or changed (``note.*`` findings, not judgements)."""
    rdclass: dns.rdataclass.RdataClass = dns.rdataclass.IN

    @property
    def queries(self) -> list[Query]:
        """The queries of a fixed-server look-up, hostname-major."""
        return [
            Query(hostname, self.rdtype, server, self.options, self.rdclass)
            for hostname in self.hostnames
            for server in self.servers
        ]

    @property
    def trace(self) -> bool:
        """Whether to walk from the root (``trace=on``)."""
        return self.params.flag(Flag.TRACE)


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.notes: list[Finding] = []
        """Not errors: what the page should say about how the input was read."""

    def note(self, code: str, **params: str) -> None:
        self.notes.append(Finding(code, Level.INFO, params))

    def add(self, name: str, message: str) -> None:
        messages = self.fields.setdefault(name, [])
        if message not in messages:  # the same bad entry twice needs saying once
            messages.append(message)


def plan(
    params: LookupParams,
    settings: Settings,
    *,
    session: QuerySession | None = None,
    context: LookupContext | None = None,
) -> Plan:
    """Validate ``params`` and resolve nameserver and expected-server hostnames.

    Raises :class:`InvalidParams` listing every problem by field.
    """
    errors = _Errors()
    with session_for(session, settings, context) as active:
        rdtype_text = _check(errors, "type", partial(parse_type, params.type)) or "A"
        rdclass = _check(errors, "class", partial(parse_class, params.rdclass))
        reverse = rdtype_text == REVERSE
        options = _check(errors, "options", partial(query_options, params))
        hostnames = _hostnames(params, settings, errors, reverse)
        expected, expected_hosts = _expected(params, settings, errors, active)
        mode = _mode(params.ns, errors)
        servers = _servers(mode, params, settings, errors, active) if mode else []
    if hostnames and servers and len(hostnames) * len(servers) > settings.max_queries:
        errors.add(
            "hostnames",
            Message(
                "{hosts} hostnames × {servers} nameservers make {queries} queries; one look-up "
                "may send at most {limit}.",
                hosts=len(hostnames),
                servers=len(servers),
                queries=len(hostnames) * len(servers),
                limit=settings.max_queries,
            ),
        )
    if rdclass not in (None, dns.rdataclass.IN) and (
        mode not in (Mode.RESOLVER, Mode.SELF) or params.flag(Flag.TRACE)
    ):
        # CH/HS names (version.bind) live in no delegation tree to discover.
        errors.add(
            "class",
            Message(
                "Class CH and HS questions go to the servers you name or to a resolver; "
                "finding a name's authoritative servers and +trace work in class IN only."
            ),
        )
    if errors.fields or mode is None or rdclass is None or options is None:
        raise InvalidParams(errors.fields)
    rdtype = dns.rdatatype.PTR if reverse else dns.rdatatype.from_text(rdtype_text)
    return Plan(
        params=params,
        hostnames=tuple(hostnames),
        rdtype=rdtype,
        servers=tuple(servers),
        options=options,
        expected=tuple(expected),
        server_is_authority=mode == Mode.SELF,
        mode=mode,
        expected_hosts=tuple(expected_hosts),
        notes=tuple(dict.fromkeys(errors.notes)),
        rdclass=rdclass,
    )


MAX_RETRY = 5
MAX_TIME = 10


def query_options(params: LookupParams) -> QueryOptions:
    """The dig options of ``params`` that change what is sent, validated."""
    bufsize = _number(params, DigValue.BUFSIZE, 0, 65535, "+bufsize=4096")
    retry = _number(params, DigValue.RETRY, 0, MAX_RETRY, "+retry=2")
    seconds = _number(params, DigValue.TIME, 1, MAX_TIME, "+time=3")
    subnet = params.value(DigValue.SUBNET)
    return QueryOptions(
        tcp=params.flag(Flag.TCP),
        recurse=not params.flag(Flag.NORECURSIVE),
        dnssec=params.flag(Flag.DNSSEC),
        nsid=params.flag(Flag.NSID),
        cd=params.flag(DigFlag.CD),
        adflag=not params.flag(DigFlag.NOADFLAG),
        edns=not params.flag(DigFlag.NOEDNS),
        bufsize=1232 if bufsize is None else bufsize,
        cookie=not params.flag(DigFlag.NOCOOKIE),
        subnet=None if subnet is None else _subnet(subnet),
        tries=None if retry is None else retry + 1,
        timeout=None if seconds is None else float(seconds),
    )


def _subnet(text: str) -> str:
    try:
        return parse_subnet(text)
    except InputError as exc:
        raise InputError(exc.message, str(DigValue.SUBNET)) from exc


def _number(params: LookupParams, name: DigValue, low: int, high: int, example: str) -> int | None:
    text = params.value(name)
    if text is None:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise InputError(
            f"+{name}={text[:12]} is not allowed: give a whole number from {low} to {high}, "
            f"for example {example}.",
            field=str(name),
        )
    return int(text)


@contextmanager
def session_for(
    session: QuerySession | None, settings: Settings, context: LookupContext | None
) -> Iterator[QuerySession]:
    """Use the caller's session, or a private one (under ``context``'s gate) closed on exit."""
    if session is not None:
        yield session
        return
    with (context or LookupContext()).session(settings) as own:
        yield own


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
        errors.add(
            "hostnames", Message("Enter at least one hostname, for example www.example.com.")
        )
        return []
    if len(params.hostnames) > settings.max_hostnames:
        errors.add(
            "hostnames",
            Message(
                "You entered {count} hostnames; one look-up can check at most {limit}.",
                count=len(params.hostnames),
                limit=settings.max_hostnames,
            ),
        )
        return []
    parse = reverse_hostname if reverse else parse_hostname
    parsed = [_check(errors, "hostnames", partial(parse, text)) for text in params.hostnames]
    if not reverse:
        for text, name in zip(params.hostnames, parsed, strict=True):
            if name is not None and strip_decoration(text) != normalize(text):
                errors.note("note.host-understood", given=_clip(text), host=name.text)
    return list(dict.fromkeys(h for h in parsed if h is not None))


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
                Message(
                    "“{value}” is neither an IP address nor a server name. Enter your "
                    "server's IP as shown in your hosting panel (for example 192.0.2.10), or "
                    "its server name (for example sv12345.xserver.jp).",
                    value=value[:60],
                ),
            )
            continue
        found, problems = session.addresses(host, own_resolver(settings))
        if not found:
            errors.add(
                "expected",
                Message(
                    "The server name {host} could not be resolved: {reasons}",
                    host=host.text,
                    reasons=problems,
                )
                if problems
                else Message("The server name {host} has no A or AAAA record.", host=host.text),
            )
            continue
        hosts.append((host.text, tuple(found)))
        addresses.extend(ipaddress.ip_address(a) for a in found)
    return list(dict.fromkeys(addresses)), hosts


def _mode(text: str, errors: _Errors) -> Mode | None:
    try:
        return Mode(text)
    except ValueError:
        *first, last = Mode
        choices = f"{', '.join(first)} or {last}"
        errors.add(
            "ns",
            Message(
                "“{value}” is not a nameserver choice; use {choices}.",
                value=text[:20],
                choices=choices,
            ),
        )
        return None


def _servers(
    mode: Mode, params: LookupParams, settings: Settings, errors: _Errors, session: QuerySession
) -> list[Server]:
    if mode in (Mode.AUTH, Mode.NIC):
        return []
    if mode == Mode.ALL:
        return [Server(p.address, p.port, name=p.label) for p in one_per_service(settings.presets)]
    if mode == Mode.RESOLVER:
        return _resolver(params, settings, errors, session)
    return _typed_servers(params, settings, errors, session)


def _resolver(
    params: LookupParams, settings: Settings, errors: _Errors, session: QuerySession
) -> list[Server]:
    """The ``useresolver`` server: this server's own, a preset, or any public address."""
    choice = params.useresolver.strip()
    if choice.lower() == SYSTEM:
        server = _check(errors, "useresolver", partial(own_resolver, settings))
        return [server] if server is not None else []
    preset = settings.preset(choice)
    if preset is not None:
        if preset.retired:
            retired = {"service": preset.label, "address": preset.key}
            errors.note("note.preset-retired", **retired, successor=preset.successor or "")
        return [Server(preset.address, preset.port, name=preset.label)]
    try:
        spec: NameserverSpec | None = parse_nameserver(choice)
    except InputError:
        spec = None
    if spec is None or not spec.is_address:
        errors.add(
            "useresolver",
            Message(
                "“{value}” is not one of the resolvers offered; choose one from the list, or "
                "enter a resolver's IP address.",
                value=choice[:40],
            ),
        )
        return []
    # digwebinterface links may name any resolver by address.  One webdig
    # does not know is asked exactly as if it had been typed in nameservers:
    # the same target policy, the same per-target rate limit.
    servers = _check(errors, "useresolver", partial(resolve, spec, settings, session))
    if not servers:
        return []
    errors.note("note.resolver-not-preset", address=spec.text)
    return servers[:1]


def _typed_servers(
    params: LookupParams, settings: Settings, errors: _Errors, session: QuerySession
) -> list[Server]:
    texts = params.nameservers
    if not texts and params.hosting:
        preset = hosting_preset(params.hosting)
        if preset is None:
            errors.add(
                "hosting",
                Message(
                    "“{value}” is not a hosting provider webdig knows.", value=params.hosting[:30]
                ),
            )
            return []
        texts = preset.nameservers
    if not texts:
        errors.add(
            "nameservers", Message("Enter the nameserver to ask, for example ns1.xserver.jp.")
        )
        return []
    if len(texts) > settings.max_nameservers:
        errors.add(
            "nameservers",
            Message(
                "You entered {count} nameservers; one look-up can ask at most {limit}.",
                count=len(texts),
                limit=settings.max_nameservers,
            ),
        )
        return []
    specs = [_check(errors, "nameservers", partial(parse_nameserver, t)) for t in texts]
    valid = [spec for spec in dict.fromkeys(specs) if spec is not None]

    def one(spec: NameserverSpec) -> list[Server] | InputError:
        preset = settings.preset(spec.host) if spec.is_address and spec.port == 53 else None
        if preset is not None:
            # A preset resolver typed by its address (digwebinterface links
            # list 1.1.1.1 and 8.8.8.8 in nameservers): ask it as the preset,
            # where the configuration sends it, under its name.
            return [Server(preset.address, preset.port, name=preset.label)]
        try:
            return resolve(spec, settings, session)
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
