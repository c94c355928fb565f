"""The target policy: a public webdig queries only public nameservers on port 53."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webdig.engine.policy import IPAddress, check_target, refusal_reason
from webdig.errors import PolicyError


@pytest.mark.parametrize(
    ("address", "fragment"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("169.254.169.254", "instance metadata service of AWS, Google Cloud, Azure"),
        ("169.254.1.1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("198.18.0.1", "benchmarking"),
        ("192.0.2.1", "documentation"),
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "embeds 127.0.0.1"),
        ("64:ff9b::a9fe:a9fe", "embeds 169.254.169.254, the instance metadata"),
        ("64:ff9b::a9fe:101", "link-local"),
        ("168.63.129.16", "Azure's platform address"),
        ("::ffff:168.63.129.16", "embeds 168.63.129.16, Azure's platform address"),
        ("100.100.100.200", "Alibaba Cloud's instance metadata"),
        ("100.100.2.137", "Alibaba Cloud's internal resolvers"),
        ("100.125.1.250", "Huawei Cloud"),
        ("192.0.0.192", "Oracle Cloud's instance metadata"),
        ("161.26.0.10", "IBM Cloud's private service network"),
        ("166.9.1.1", "IBM Cloud's private service endpoints"),
        ("169.254.169.253", "Amazon VPC resolver"),
        ("169.254.0.23", "Tencent Cloud"),
        ("fd00:ec2::254", "Amazon EC2's IPv6 metadata"),
        ("fd20:ce::254", "Google Cloud's IPv6 metadata"),
        ("::127.0.0.1", "loopback"),
        ("2001:db8::1", "documentation"),
    ],
)
def test_non_public_addresses_are_refused(address: str, fragment: str) -> None:
    reason = refusal_reason(ipaddress.ip_address(address))
    assert reason is not None
    assert fragment in reason


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "183.90.1.2", "2001:4860:4860::8888"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None
    check_target(address, 53, allow_private=False, shown=address)


def test_only_port_53_in_public_mode() -> None:
    with pytest.raises(PolicyError, match="port 53"):
        check_target("8.8.8.8", 5353, allow_private=False, shown="8.8.8.8:5353")


@pytest.mark.parametrize("port", [80, 443])
def test_web_probes_may_use_ports_80_and_443(port: int) -> None:
    check_target("8.8.8.8", port, allow_private=False, shown="8.8.8.8", ports=(80, 443))


@pytest.mark.parametrize("port", [53, 8080])
def test_web_probes_refuse_other_ports(port: int) -> None:
    with pytest.raises(PolicyError, match="only connects to ports 80 and 443"):
        check_target("8.8.8.8", port, allow_private=False, shown="8.8.8.8", ports=(80, 443))


def test_web_probes_refuse_the_same_addresses() -> None:
    with pytest.raises(PolicyError, match="loopback"):
        check_target("127.0.0.1", 80, allow_private=False, shown="127.0.0.1", ports=(80, 443))


def test_allow_private_lifts_address_and_port_rules() -> None:
    check_target("127.0.0.1", 5353, allow_private=True, shown="127.0.0.1:5353")


def test_refusal_message_names_what_the_user_typed() -> None:
    with pytest.raises(PolicyError) as info:
        check_target("10.0.0.5", 53, allow_private=False, shown="ns.intra.example")
    assert info.value.message.startswith("ns.intra.example (10.0.0.5) is not queried")


@given(st.ip_addresses())
def test_every_allowed_address_is_global(address: IPAddress) -> None:
    if refusal_reason(address) is None:
        assert address.is_global
        assert not address.is_loopback
        assert not address.is_link_local
