"""Which addresses webdig may send packets to.

A public webdig must not become a probe of its host's private network, so
by default only globally routable addresses on port 53 are allowed.  IPv6
forms that embed an IPv4 address are unwrapped and the embedded address is
judged too.  ``allow_private`` lifts the rule for intranets and tests.
"""

from __future__ import annotations

import functools
import ipaddress

from webdig.errors import PolicyError
from webdig.language.message import Message

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud platforms answer on these addresses from inside their own networks:
# instance metadata (credentials, user data) and the platform's internal
# resolvers.  A webdig hosted on that cloud would reach them, so they are
# refused with their own reason before the generic ranges that hold some
# of them (link-local, CGNAT, IETF protocol, unique local).
_CLOUD: tuple[tuple[Network, Message], ...] = (
    (
        ipaddress.ip_network("169.254.169.254/32"),
        Message(
            "the instance metadata service of AWS, Google Cloud, Azure, Oracle Cloud, "
            "DigitalOcean, OpenStack and others"
        ),
    ),
    (ipaddress.ip_network("169.254.169.253/32"), Message("the Amazon VPC resolver")),
    (ipaddress.ip_network("169.254.169.123/32"), Message("the Amazon Time Sync service")),
    (ipaddress.ip_network("169.254.0.23/32"), Message("Tencent Cloud's instance metadata service")),
    (
        ipaddress.ip_network("168.63.129.16/32"),
        Message("Azure's platform address (its internal DNS, health probes and VM agent)"),
    ),
    (
        ipaddress.ip_network("100.100.100.200/32"),
        Message("Alibaba Cloud's instance metadata service"),
    ),
    (ipaddress.ip_network("100.100.2.136/31"), Message("Alibaba Cloud's internal resolvers")),
    (ipaddress.ip_network("100.125.0.0/16"), Message("Huawei Cloud's internal service network")),
    (ipaddress.ip_network("192.0.0.192/32"), Message("Oracle Cloud's instance metadata service")),
    (
        ipaddress.ip_network("161.26.0.0/16"),
        Message("IBM Cloud's private service network (its internal resolvers among them)"),
    ),
    (ipaddress.ip_network("166.8.0.0/14"), Message("IBM Cloud's private service endpoints")),
    (
        ipaddress.ip_network("fd00:ec2::/32"),
        Message("Amazon EC2's IPv6 metadata service, resolver and time service"),
    ),
    (ipaddress.ip_network("fd20:ce::254/128"), Message("Google Cloud's IPv6 metadata service")),
)

# Ranges ``is_global`` lets through that no nameserver of the public
# internet lives in.
_EXTRA_BLOCKED: tuple[tuple[Network, Message], ...] = (
    (ipaddress.ip_network("100.64.0.0/10"), Message("a carrier-grade NAT (shared) address")),
    (ipaddress.ip_network("198.18.0.0/15"), Message("a benchmarking address")),
    (ipaddress.ip_network("192.0.0.0/24"), Message("an IETF protocol address")),
    (ipaddress.ip_network("192.0.2.0/24"), Message("a documentation address")),
    (ipaddress.ip_network("198.51.100.0/24"), Message("a documentation address")),
    (ipaddress.ip_network("203.0.113.0/24"), Message("a documentation address")),
    (ipaddress.ip_network("2001:db8::/32"), Message("a documentation address")),
    (ipaddress.ip_network("3fff::/20"), Message("a documentation address")),
    (ipaddress.ip_network("fec0::/10"), Message("a site-local address")),
    (ipaddress.ip_network("240.0.0.0/4"), Message("a reserved address")),
)


def embedded_addresses(address: IPAddress) -> list[IPAddress]:
    """The address itself plus any IPv4 address an IPv6 form carries."""
    found: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            found.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            found.append(address.sixtofour)
        if address.teredo is not None:
            found.extend(address.teredo)
        if address in _NAT64 or address in _NAT64_LOCAL:
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        packed = int(address)
        if packed >> 32 == 0 and packed > 1:
            # IPv4-compatible (::a.b.c.d), deprecated but still routable by some stacks.
            found.append(ipaddress.IPv4Address(packed & 0xFFFFFFFF))
    return found


# Every request checks its servers, the same few again and again, and judging one
# address walks some forty networks (tens of microseconds); the tables are constants,
# so an address's answer never changes.
@functools.lru_cache(maxsize=4096)
def refusal_reason(address: IPAddress) -> Message | None:
    """Why a public webdig must not query ``address``, or None when it may."""
    # Judge the embedded IPv4 address first: it is where packets would go,
    # and it gives the more telling reason.
    for candidate in reversed(embedded_addresses(address)):
        reason = _reason_for(candidate)
        if reason is not None:
            if candidate is not address:
                return Message(
                    "it embeds {address}, {reason}", address=str(candidate), reason=reason
                )
            return Message("it is {reason}", reason=reason)
    return None


def _reason_for(address: IPAddress) -> Message | None:
    for network, reason in _CLOUD:
        if address.version == network.version and address in network:
            return reason
    checks = (
        (address.is_loopback, Message("a loopback address (this webdig server itself)")),
        (address.is_unspecified, Message("the unspecified address")),
        (address.is_link_local, Message("a link-local address")),
        (address.is_multicast, Message("a multicast address")),
    )
    for flag, reason in checks:
        if flag:
            return reason
    for network, reason in _EXTRA_BLOCKED:
        if address.version == network.version and address in network:
            return reason
    if address.is_private:
        return Message("a private-network address")
    if address.is_reserved:
        return Message("a reserved address")
    if not address.is_global:
        return Message("not a public internet address")
    return None


def check_target(
    address: str,
    port: int,
    *,
    allow_private: bool,
    shown: str,
    ports: tuple[int, ...] = (53,),
) -> None:
    """Raise :class:`PolicyError` if a public webdig must not query ``address#port``.

    ``shown`` is the nameserver as the user typed it, for the message.
    ``ports`` are the ports a public webdig may connect to: 53 for
    nameservers, 80 and 443 for the renewal check's HTTP and TLS probes.
    """
    parsed = _parsed(address)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.scope_id:
        raise PolicyError(
            Message(
                "{server}: addresses with a scope (%{scope}) are not allowed.",
                server=shown,
                scope=parsed.scope_id,
            )
        )
    if allow_private:
        return
    reason = refusal_reason(parsed)
    if reason is not None:
        what = shown if shown == address else f"{shown} ({address})"
        raise PolicyError(
            Message(
                "{server} is not queried: {reason}. This public webdig only queries "
                "nameservers on the internet.",
                server=what,
                reason=reason,
            )
        )
    if port not in ports:
        if ports == (53,):
            raise PolicyError(
                Message(
                    "{server}: this public webdig only queries nameservers on port 53.",
                    server=shown,
                )
            )
        raise PolicyError(
            Message(
                "{server}: this public webdig only connects to ports {ports}.",
                server=shown,
                ports=" and ".join(str(p) for p in ports),
            )
        )


@functools.lru_cache(maxsize=4096)
def _parsed(address: str) -> IPAddress:
    # The same servers' addresses, parsed for every request (the result is immutable).
    return ipaddress.ip_address(address)
