"""Validate look-up parameters and resolve the names in them: the :class:`Plan` of a look-up.

:func:`plan` checks every field, collecting all problems keyed by field
(:mod:`webdig.lookup.fielderrors`, so the page can show each message next to its
field), and resolves nameserver and expected-server hostnames through webdig's
own resolver.  The hostnames, the type and class, the expected servers and the
``ns`` choice are read here; dig's sending options in :mod:`webdig.lookup.sendoptions`,
the servers the parameters name in :mod:`webdig.lookup.serverchoice`.  Nothing is
sent to the nameservers the user asked about until :func:`webdig.lookup.run.run`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import partial

import dns.rdataclass
import dns.rdatatype

from webdig.engine.names import (
    Hostname,
    normalize,
    parse_hostname,
    reverse_hostname,
    strip_decoration,
)
from webdig.engine.nameservers import own_resolver
from webdig.engine.policy import IPAddress
from webdig.engine.query import (
    REVERSE,
    Query,
    QueryOptions,
    Server,
    parse_class,
    parse_type,
    type_code,
)
from webdig.engine.session import QuerySession
from webdig.errors import InputError
from webdig.findings.model import Finding
from webdig.language.message import Message
from webdig.lookup.context import LookupContext
from webdig.lookup.fielderrors import FieldErrors, InvalidParams
from webdig.lookup.params import Flag, LookupParams, Mode
from webdig.lookup.sendoptions import query_options
from webdig.lookup.serverchoice import chosen_servers
from webdig.settings import Settings


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
    if session is None:
        with (context or LookupContext()).session(settings) as own:
            return plan(params, settings, session=own)
    errors = FieldErrors()
    rdtype_text = errors.check("type", partial(parse_type, params.type)) or "A"
    rdclass = errors.check("class", partial(parse_class, params.rdclass))
    reverse = rdtype_text == REVERSE
    options = errors.check("options", partial(query_options, params))
    hostnames = _hostnames(params, settings, errors, reverse)
    expected, expected_hosts = _expected(params, settings, errors, session)
    mode = _mode(params.ns, errors)
    servers = chosen_servers(mode, params, settings, errors, session) if mode else []
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
    return Plan(
        params=params,
        hostnames=tuple(hostnames),
        rdtype=type_code(rdtype_text),
        servers=tuple(servers),
        options=options,
        expected=tuple(expected),
        server_is_authority=mode == Mode.SELF,
        mode=mode,
        expected_hosts=tuple(expected_hosts),
        notes=tuple(dict.fromkeys(errors.notes)),
        rdclass=rdclass,
    )


def _hostnames(
    params: LookupParams, settings: Settings, errors: FieldErrors, reverse: bool
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
    parsed = [errors.check("hostnames", partial(parse, text)) for text in params.hostnames]
    if not reverse:
        for text, name in zip(params.hostnames, parsed, strict=True):
            if name is not None and strip_decoration(text) != normalize(text):
                errors.note("note.host-understood", given=_clip(text), host=name.text)
            if name is not None and _is_address(name.text):
                # Asked as dig asks it, but a site owner who typed their server's IP here
                # meant another question: say which field each belongs in.
                errors.note("note.address-as-name", address=name.text.rstrip("."))
    return list(dict.fromkeys(h for h in parsed if h is not None))


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.rstrip("."))
    except ValueError:
        return False
    return True


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expected(
    params: LookupParams, settings: Settings, errors: FieldErrors, session: QuerySession
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


def _mode(text: str, errors: FieldErrors) -> Mode | None:
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
