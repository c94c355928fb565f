"""Nameserver lines: addresses, ports, hostnames, and legacy spellings refused."""

from __future__ import annotations

import re

import pytest

from tests.support.bind import NamedServer
from webdig.engine.nameservers import parse_nameserver, resolve
from webdig.engine.session import QuerySession
from webdig.errors import InputError, PolicyError
from webdig.settings import Settings


@pytest.mark.parametrize(
    ("text", "host", "port", "is_address"),
    [
        ("192.0.2.53", "192.0.2.53", 53, True),
        ("192.0.2.53:5353", "192.0.2.53", 5353, True),
        ("192.0.2.53#5353", "192.0.2.53", 5353, True),
        ("2001:db8::53", "2001:db8::53", 53, True),
        ("[2001:db8::53]", "2001:db8::53", 53, True),
        ("[2001:db8::53]:5353", "2001:db8::53", 5353, True),
        ("ns1.xserver.jp", "ns1.xserver.jp", 53, False),
        ("NS1.Xserver.JP.", "ns1.xserver.jp", 53, False),
        ("ns1.example.com:5300", "ns1.example.com", 5300, False),
        # A pasted path is dropped the way hostnames drop it; what is left is an address.
        ("192.0.2.53/", "192.0.2.53", 53, True),
    ],
)
def test_parse_nameserver(text: str, host: str, port: int, is_address: bool) -> None:
    spec = parse_nameserver(text)
    assert (spec.host, spec.port, spec.is_address) == (host, port, is_address)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Enter a nameserver"),
        ("127.1", "not a valid IP address"),
        ("0x7f000001", "not a valid IP address"),
        ("2130706433", "not a valid IP address"),
        ("0177.0.0.1", "not a valid IP address"),
        # Found by Hypothesis: the hostname parser drops the "/" and understands
        # 0.0, which the C library reads as 0.0.0.0.
        ("0.0/", "not a valid IP address"),
        ("127.1/", "not a valid IP address"),
        ("192.0.2.53:0", "port must be"),
        ("192.0.2.53:99999", "port must be"),
        ("192.0.2.53:dns", "port must be"),
        ("[2001:db8::53", "closing"),
        ("fe80::1%eth0", "scope"),
        ("ns1 example", "space"),
    ],
)
def test_bad_nameservers_say_why(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_nameserver(text)
    assert fragment in info.value.message


def test_hostname_resolves_through_own_resolver(named: NamedServer) -> None:
    settings = Settings(resolver=f"127.0.0.1#{named.port}", allow_private=True, timeout=1)
    servers = resolve(
        parse_nameserver(f"ns1.webdig.test:{named.port}"), settings, QuerySession(settings)
    )
    assert [(s.address, s.port, s.name) for s in servers] == [
        ("127.0.0.1", named.port, "ns1.webdig.test")
    ]


def test_unresolvable_hostname_is_input_error(named: NamedServer) -> None:
    settings = Settings(resolver=f"127.0.0.1#{named.port}", allow_private=True, timeout=1)
    with pytest.raises(
        InputError,
        match=re.escape(
            "could not be resolved: The resolver answered NXDOMAIN for missing.webdig.test."
        )
        + "$",
    ):
        resolve(parse_nameserver("missing.webdig.test"), settings, QuerySession(settings))


def test_resolved_private_address_is_refused_in_public_mode(named: NamedServer) -> None:
    settings = Settings(resolver=f"127.0.0.1#{named.port}", allow_private=False, timeout=1)
    with pytest.raises(PolicyError, match="loopback"):
        resolve(parse_nameserver("ns1.webdig.test"), settings, QuerySession(settings))
