"""Nameservers as users type them: ``192.0.2.53``, ``[2001:db8::53]:5353``, ``ns1.example.jp``.

Parsing is pure; :func:`resolve` turns a hostname into addresses through
webdig's own resolver (via the request's query session) and checks every
address against the target policy before any query is sent to it.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass

import dns.resolver

from webdig.engine.names import normalize, parse_hostname
from webdig.engine.policy import check_target
from webdig.engine.query import Server
from webdig.engine.session import QuerySession
from webdig.errors import InputError
from webdig.language.message import Message
from webdig.settings import Settings

# Digits, dots and hex prefixes only: a legacy IPv4 spelling (127.1,
# 0x7f000001, 2130706433) that getaddrinfo would quietly accept.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+))*\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class NameserverSpec:
    """One nameserver line, parsed but not yet resolved."""

    text: str
    host: str
    """An IP address literal or an ASCII hostname (no trailing dot)."""
    port: int
    is_address: bool


@functools.lru_cache(maxsize=1024)
def parse_nameserver(text: str) -> NameserverSpec:
    """Parse ``IP``, ``IP:port``, ``IP#port``, ``[IPv6]:port`` or ``hostname[:port]``."""
    value = normalize(text)
    if "://" in value:
        # A pasted URL: keep its host and port, drop scheme, credentials and path.
        value = value.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    if not value:
        raise InputError(
            Message("Enter a nameserver: an IP address or a hostname such as ns1.example.jp.")
        )
    host, port = _split_port(value)
    if "%" in host:
        raise InputError(
            Message("“{value}”: addresses with a scope (%…) are not allowed.", value=value)
        )
    address = _address(host, value)
    if address is not None:
        return NameserverSpec(value, address, port, is_address=True)
    # parse_hostname understands pasted decoration (``0.0/`` is read as
    # ``0.0``), so the host it understood is checked again: a spelling the C
    # library reads as an IPv4 address must never pass as a hostname.
    understood = parse_hostname(host).ascii.rstrip(".").lower()
    address = _address(understood, value)
    if address is not None:
        return NameserverSpec(value, address, port, is_address=True)
    return NameserverSpec(value, understood, port, is_address=False)


def _address(host: str, value: str) -> str | None:
    """``host`` as an IP address literal, or None for a name; legacy IPv4 spellings are refused."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        if _NUMERIC_HOST.match(host):
            raise InputError(
                Message(
                    "“{value}” is not a valid IP address; write all four numbers, "
                    "for example 192.0.2.53.",
                    value=value,
                )
            ) from None
        return None


def _split_port(value: str) -> tuple[str, int]:
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            raise InputError(Message("“{value}” is missing the closing ‘]’.", value=value))
        host, rest = value[1:end], value[end + 1 :]
        if not rest:
            return host, 53
        if rest[0] not in ":#":
            raise InputError(Message("“{value}”: write the port as [address]:port.", value=value))
        return host, _port(rest[1:], value)
    if "#" in value:
        host, port_text = value.rsplit("#", 1)
        return host, _port(port_text, value)
    if value.count(":") == 1:
        host, port_text = value.split(":", 1)
        return host, _port(port_text, value)
    return value, 53


def _port(text: str, whole: str) -> int:
    # str.isdigit() is also true for other scripts' digits ("፩"), which int() refuses.
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        raise InputError(
            Message("“{value}”: the port must be a number from 1 to 65535.", value=whole)
        )
    return int(text)


# Not "this server's resolver": next to "your server" (the user's web server) that read as theirs.
OWN_RESOLVER = Message("webdig's own resolver")
"""How sentences name webdig's own resolver (a Message: said in the reader's language)."""


def system_resolver() -> Server:
    """The first nameserver of this machine's resolver configuration."""
    try:
        addresses = dns.resolver.Resolver(configure=True).nameservers
    except dns.resolver.NoResolverConfiguration:
        addresses = []
    address = str(addresses[0]) if addresses else "127.0.0.1"
    return Server(address=address, port=53, name=OWN_RESOLVER)


def own_resolver(settings: Settings) -> Server:
    """webdig's own resolver: ``settings.resolver`` or the system's."""
    if settings.resolver is None:
        return system_resolver()
    spec = parse_nameserver(settings.resolver)
    if not spec.is_address:
        raise InputError(f"WEBDIG_RESOLVER must be an IP address, not {spec.host}.")
    return Server(spec.host, spec.port, name=OWN_RESOLVER)


def resolve(spec: NameserverSpec, settings: Settings, session: QuerySession) -> list[Server]:
    """Addresses to query for ``spec``, each allowed by the target policy.

    A hostname is looked up (A and AAAA) through webdig's own resolver; the
    addresses found are the ones queried, so nothing is resolved twice.
    Raises :class:`InputError` when the name does not resolve or the policy
    refuses an address.
    """
    if spec.is_address:
        check_target(spec.host, spec.port, allow_private=settings.allow_private, shown=spec.text)
        return [Server(spec.host, spec.port, name=None)]
    addresses, problems = session.addresses(parse_hostname(spec.host), own_resolver(settings))
    if not addresses:
        raise InputError(
            Message(
                "The nameserver {host} could not be resolved: {reasons}",
                host=spec.host,
                reasons=problems,
            )
            if problems
            else Message("The nameserver {server} has no A or AAAA record.", server=spec.host)
        )
    for address in addresses:
        check_target(address, spec.port, allow_private=settings.allow_private, shown=spec.host)
    return [Server(address, spec.port, name=spec.host) for address in addresses]
