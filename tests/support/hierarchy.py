"""A small DNS delegation hierarchy on loopback, served by real BIND instances.

Addresses (all port 53, so run as root, ideally in a network namespace as
.ci/test does):

- 127.0.53.1  the root (``.``), delegating ``lab.`` and ``jp.``
- 127.0.53.2  the ``lab.`` TLD ("the registry"), delegating the zones below, and a small
  ``jp.`` (``whois.jprs.jp`` is 127.0.0.1, where the renewal tests run a JPRS WHOIS server;
  shop.co.jp, shop.jp and old.jp are served by nameservers A and B)
- 127.0.53.3  nameserver A: good.lab, split.lab (current), lame.lab, moved.lab (old provider)
- 127.0.53.4  nameserver B: good.lab, split.lab (stale copy), moved.lab (new provider)
- 127.0.53.5  an old copy of good.lab (www -> 203.0.113.7), delegated by nobody; also
  acme-dns.lab, the DNS-01 alias target of tests/support/acmezones.py
- 127.0.53.6  a scripted server for caafail.lab (see renewal tests): A works, CAA SERVFAILs
- 127.0.53.9  nothing listens: the dead nameserver of lame.lab
- 127.0.53.53 a recursive resolver whose root hints point at 127.0.53.1
- 127.0.53.54 a "stale" resolver: it forwards to the old copy, like a public
  resolver still caching yesterday's answer

So: good.lab is healthy; split.lab's two nameservers disagree (B still
serves 203.0.113.7); lame.lab has one dead nameserver; moved.lab is
delegated by the registry to ns2.good.lab (B) while nameserver A still
holds an old copy that the user may be editing; drift.lab's registry NS set
(ns1, ns2) differs from the NS set in the zone itself (ns1, ns3).  The DNSSEC zones
(signed.lab, staleds.lab, expired.lab, expiring.lab, rolled.lab) are in
tests/support/signedzones.py.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.support import acmezones, signedzones
from tests.support.bind import NamedServer, Zone
from tests.support.signedzones import SignedZones

ROOT, TLD, NS_A, NS_B, OLD, SCRIPTED, DEAD, RESOLVER, STALE = (
    "127.0.53.1",
    "127.0.53.2",
    "127.0.53.3",
    "127.0.53.4",
    "127.0.53.5",
    "127.0.53.6",
    "127.0.53.9",
    "127.0.53.53",
    "127.0.53.54",
)
ROOT_ZONE = Zone.of_records(
    ".",
    f"""
.                       IN NS a.root-servers.lab.
lab.                    IN NS ns1.nic.lab.
jp.                     IN NS ns1.nic.lab.
a.root-servers.lab.     IN A  {ROOT}
ns1.nic.lab.            IN A  {TLD}
""",
    mname="a.root-servers.lab.",
)

# .jp has no RDAP: the renewal check asks whois.jprs.jp, found through this zone.
JP_ZONE = Zone.of_records(
    "jp.",
    """
jp.                     IN NS ns1.nic.lab.
whois.jprs.jp.          IN A  127.0.0.1
shop.co.jp.             IN NS ns1.good.lab.
shop.co.jp.             IN NS ns2.good.lab.
shop.jp.                IN NS ns1.good.lab.
old.jp.                 IN NS ns1.good.lab.
""",
    mname="ns1.nic.lab.",
)


def _jp_site(origin: str) -> Zone:
    """A .jp site whose web server is the renewal tests' (127.0.0.1), as www.shop.lab."""
    return Zone.of_records(
        origin,
        f"""
{origin}                IN NS   ns1.good.lab.
{origin}                IN CAA  0 issue "letsencrypt.org"
www                     IN A    127.0.0.1
""",
        mname="ns1.good.lab.",
        ttl=300,
    )


JP_SITES = [_jp_site(origin) for origin in ("shop.co.jp.", "shop.jp.", "old.jp.")]

TLD_ZONE = Zone.of_records(
    "lab.",
    f"""
lab.                    IN NS ns1.nic.lab.
ns1.nic.lab.            IN A  {TLD}
a.root-servers.lab.     IN A  {ROOT}
good.lab.               IN NS ns1.good.lab.
good.lab.               IN NS ns2.good.lab.
ns1.good.lab.           IN A  {NS_A}
ns2.good.lab.           IN A  {NS_B}
split.lab.              IN NS ns1.split.lab.
split.lab.              IN NS ns2.split.lab.
ns1.split.lab.          IN A  {NS_A}
ns2.split.lab.          IN A  {NS_B}
lame.lab.               IN NS ns1.lame.lab.
lame.lab.               IN NS ns2.lame.lab.
ns1.lame.lab.           IN A  {NS_A}
ns2.lame.lab.           IN A  {DEAD}
moved.lab.              IN NS ns2.good.lab.
drift.lab.              IN NS ns1.drift.lab.
drift.lab.              IN NS ns2.drift.lab.
ns1.drift.lab.          IN A  {NS_A}
ns2.drift.lab.          IN A  {NS_B}
shop.lab.               IN NS ns1.good.lab.
shop.lab.               IN NS ns2.good.lab.
otherca.lab.            IN NS ns1.good.lab.
pair.lab.               IN NS ns1.good.lab.
pair.lab.               IN NS ns2.good.lab.
caafail.lab.            IN NS ns1.caafail.lab.
ns1.caafail.lab.        IN A  {SCRIPTED}
{acmezones.TLD_RECORDS}""",
    mname="ns1.nic.lab.",
)


def _good(www: str) -> Zone:
    return Zone.of_records(
        "good.lab.",
        f"""
good.lab.               IN NS   ns1.good.lab.
good.lab.               IN NS   ns2.good.lab.
ns1                     IN A    {NS_A}
ns2                     IN A    {NS_B}
www                     IN A    {www}
www                     IN AAAA 2001:db8::10
v6stale                 IN A    192.0.2.10
v6stale                 IN AAAA 2001:db8::dead
alias                   IN CNAME www
""",
        mname="ns1.good.lab.",
        ttl=300,
    )


GOOD_ZONE = _good("192.0.2.10")
DRIFT_ZONE = Zone.of_records(
    "drift.lab.",
    f"""
drift.lab.              IN NS ns1.drift.lab.
drift.lab.              IN NS ns3.drift.lab.
ns1                     IN A  {NS_A}
ns3                     IN A  {NS_B}
www                     IN A  192.0.2.10
""",
    mname="ns1.drift.lab.",
    ttl=300,
)


# Names for the renewal checklist: their web server is the test's HTTP/TLS
# server on 127.0.0.1 (and ::1), on the ports the test configures.  many.shop.lab
# has 100 addresses (BIND's most per RRset), as a name that would turn /check into
# a port scanner.
SHOP_ZONE = Zone.of_records(
    "shop.lab.",
    """
shop.lab.               IN NS   ns1.good.lab.
shop.lab.               IN NS   ns2.good.lab.
shop.lab.               IN CAA  0 issue "letsencrypt.org"
www                     IN A    127.0.0.1
v6                      IN A    127.0.0.1
v6                      IN AAAA ::1
dual                    IN A    127.0.0.1
dual                    IN AAAA ::1
q1                      IN A    127.0.3.1
q1                      IN A    127.0.3.2
q1                      IN A    127.0.3.3
q1                      IN A    127.0.3.4
q2                      IN A    127.0.3.5
q2                      IN A    127.0.3.6
q2                      IN A    127.0.3.7
q2                      IN A    127.0.3.8
q3                      IN A    127.0.3.9
q3                      IN A    127.0.3.10
q3                      IN A    127.0.3.11
q3                      IN A    127.0.3.12
q4                      IN A    127.0.3.13
q4                      IN A    127.0.3.14
q4                      IN A    127.0.3.15
q4                      IN A    127.0.3.16
q5                      IN A    127.0.3.17
q5                      IN A    127.0.3.18
q5                      IN A    127.0.3.19
q5                      IN A    127.0.3.20
many                    IN A    127.0.1.1
many                    IN A    127.0.1.2
many                    IN A    127.0.1.3
many                    IN A    127.0.1.4
many                    IN A    127.0.1.5
many                    IN A    127.0.1.6
many                    IN A    127.0.1.7
many                    IN A    127.0.1.8
many                    IN A    127.0.1.9
many                    IN A    127.0.1.10
many                    IN A    127.0.1.11
many                    IN A    127.0.1.12
many                    IN A    127.0.1.13
many                    IN A    127.0.1.14
many                    IN A    127.0.1.15
many                    IN A    127.0.1.16
many                    IN A    127.0.1.17
many                    IN A    127.0.1.18
many                    IN A    127.0.1.19
many                    IN A    127.0.1.20
many                    IN A    127.0.1.21
many                    IN A    127.0.1.22
many                    IN A    127.0.1.23
many                    IN A    127.0.1.24
many                    IN A    127.0.1.25
many                    IN A    127.0.1.26
many                    IN A    127.0.1.27
many                    IN A    127.0.1.28
many                    IN A    127.0.1.29
many                    IN A    127.0.1.30
many                    IN A    127.0.1.31
many                    IN A    127.0.1.32
many                    IN A    127.0.1.33
many                    IN A    127.0.1.34
many                    IN A    127.0.1.35
many                    IN A    127.0.1.36
many                    IN A    127.0.1.37
many                    IN A    127.0.1.38
many                    IN A    127.0.1.39
many                    IN A    127.0.1.40
many                    IN A    127.0.1.41
many                    IN A    127.0.1.42
many                    IN A    127.0.1.43
many                    IN A    127.0.1.44
many                    IN A    127.0.1.45
many                    IN A    127.0.1.46
many                    IN A    127.0.1.47
many                    IN A    127.0.1.48
many                    IN A    127.0.1.49
many                    IN A    127.0.1.50
many                    IN A    127.0.1.51
many                    IN A    127.0.1.52
many                    IN A    127.0.1.53
many                    IN A    127.0.1.54
many                    IN A    127.0.1.55
many                    IN A    127.0.1.56
many                    IN A    127.0.1.57
many                    IN A    127.0.1.58
many                    IN A    127.0.1.59
many                    IN A    127.0.1.60
many                    IN A    127.0.1.61
many                    IN A    127.0.1.62
many                    IN A    127.0.1.63
many                    IN A    127.0.1.64
many                    IN A    127.0.1.65
many                    IN A    127.0.1.66
many                    IN A    127.0.1.67
many                    IN A    127.0.1.68
many                    IN A    127.0.1.69
many                    IN A    127.0.1.70
many                    IN A    127.0.1.71
many                    IN A    127.0.1.72
many                    IN A    127.0.1.73
many                    IN A    127.0.1.74
many                    IN A    127.0.1.75
many                    IN A    127.0.1.76
many                    IN A    127.0.1.77
many                    IN A    127.0.1.78
many                    IN A    127.0.1.79
many                    IN A    127.0.1.80
many                    IN A    127.0.1.81
many                    IN A    127.0.1.82
many                    IN A    127.0.1.83
many                    IN A    127.0.1.84
many                    IN A    127.0.1.85
many                    IN A    127.0.1.86
many                    IN A    127.0.1.87
many                    IN A    127.0.1.88
many                    IN A    127.0.1.89
many                    IN A    127.0.1.90
many                    IN A    127.0.1.91
many                    IN A    127.0.1.92
many                    IN A    127.0.1.93
many                    IN A    127.0.1.94
many                    IN A    127.0.1.95
many                    IN A    127.0.1.96
many                    IN A    127.0.1.97
many                    IN A    127.0.1.98
many                    IN A    127.0.1.99
many                    IN A    127.0.0.1
""",
    mname="ns1.good.lab.",
    ttl=300,
)
# pair.lab's apex is the user's server; its www points at another server (127.0.0.2,
# where nothing listens), as when only one of the two names was moved.
PAIR_ZONE = Zone.of_records(
    "pair.lab.",
    """
pair.lab.               IN NS   ns1.good.lab.
pair.lab.               IN NS   ns2.good.lab.
pair.lab.               IN A    127.0.0.1
www                     IN A    127.0.0.2
""",
    mname="ns1.good.lab.",
    ttl=300,
)
OTHERCA_ZONE = Zone.of_records(
    "otherca.lab.",
    """
otherca.lab.            IN NS   ns1.good.lab.
otherca.lab.            IN CAA  0 issue "digicert.com"
www                     IN A    127.0.0.1
""",
    mname="ns1.good.lab.",
    ttl=300,
)


def _split(serial: int, address: str) -> Zone:
    return Zone.of_records(
        "split.lab.",
        f"""
split.lab.              IN NS ns1.split.lab.
split.lab.              IN NS ns2.split.lab.
ns1                     IN A  {NS_A}
ns2                     IN A  {NS_B}
www                     IN A  {address}
""",
        mname="ns1.split.lab.",
        serial=serial,
        ttl=300,
    )


LAME_ZONE = Zone.of_records(
    "lame.lab.",
    f"""
lame.lab.               IN NS ns1.lame.lab.
lame.lab.               IN NS ns2.lame.lab.
ns1                     IN A  {NS_A}
ns2                     IN A  {DEAD}
www                     IN A  192.0.2.10
""",
    mname="ns1.lame.lab.",
    ttl=300,
)

MOVED_OLD = Zone.of_records(
    "moved.lab.",
    """
moved.lab.              IN NS ns1.good.lab.
www                     IN A  192.0.2.10
""",
    mname="ns1.good.lab.",
    ttl=300,
)

MOVED_NEW = Zone.of_records(
    "moved.lab.",
    """
moved.lab.              IN NS ns2.good.lab.
www                     IN A  198.51.100.20
""",
    mname="ns2.good.lab.",
    serial=7,
    ttl=300,
)

ROOT_HINTS = f""".                       3600000 IN NS a.root-servers.lab.
a.root-servers.lab.     3600000 IN A  {ROOT}
"""


def servers(signed: SignedZones) -> list[NamedServer]:
    """The named instances of the hierarchy (not started), with the DNSSEC zones ``signed``."""
    common = {"port": 53, "also_ipv6": False}
    resolver = NamedServer(address=RESOLVER, recursion=True, **common)  # type: ignore[arg-type]
    resolver.zones = [Zone(".", text=ROOT_HINTS)]
    resolver.hint_zone = True
    return [
        NamedServer(address=ROOT, zones=[ROOT_ZONE], **common),  # type: ignore[arg-type]
        NamedServer(address=TLD, zones=[_with(TLD_ZONE, signed.registry), JP_ZONE], **common),  # type: ignore[arg-type]
        NamedServer(
            address=NS_A,
            zones=[
                GOOD_ZONE,
                _split(2, "192.0.2.10"),
                LAME_ZONE,
                MOVED_OLD,
                DRIFT_ZONE,
                SHOP_ZONE,
                OTHERCA_ZONE,
                PAIR_ZONE,
                *JP_SITES,
                *acmezones.ZONES_A,
                *signed.zones,
            ],
            **common,  # type: ignore[arg-type]
        ),
        NamedServer(
            address=NS_B,
            zones=[
                GOOD_ZONE,
                _split(1, "203.0.113.7"),
                MOVED_NEW,
                DRIFT_ZONE,
                SHOP_ZONE,
                PAIR_ZONE,
                JP_SITES[0],
                *acmezones.ZONES_B,
                *signed.zones,
            ],
            **common,  # type: ignore[arg-type]
        ),
        NamedServer(
            address=OLD,
            zones=[_good("203.0.113.7"), *acmezones.ZONES_OLD],
            **common,  # type: ignore[arg-type]
        ),
        resolver,
        NamedServer(
            address=STALE,
            recursion=True,
            forwarders=[(OLD, 53)],
            **common,  # type: ignore[arg-type]
        ),
    ]


APP_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "RATE_LIMIT_DISABLED": True,
    "RESOLVER": RESOLVER,
    "ROOT_HINTS": [ROOT],
    "ALLOW_PRIVATE": True,
    "TIMEOUT": 0.5,
    "TRIES": 1,
    "DEADLINE": 6,
    # "Google Public DNS" is up to date; "Cloudflare" forwards to the old copy
    # of good.lab, like a resolver still caching an old answer.
    "PRESETS": [
        {"key": "8.8.8.8", "label": "Google Public DNS", "address": RESOLVER},
        {"key": "1.1.1.1", "label": "Cloudflare", "address": STALE},
    ],
}
"""App config (un-prefixed keys) that points webdig at this hierarchy."""

ADDRESSES = (ROOT, TLD, NS_A, NS_B, OLD, SCRIPTED, DEAD, RESOLVER, STALE)


def _lo_addresses() -> set[str]:
    out = subprocess.run(
        ["ip", "-o", "-4", "addr", "show", "dev", "lo"], capture_output=True, text=True, check=True
    ).stdout
    return {field.split("/")[0] for field in out.split() if field.startswith("127.")}


@contextmanager
def loopback_addresses() -> Iterator[None]:
    """Put the hierarchy's 127.0.53.x addresses on ``lo`` (named binds only to
    configured addresses); remove the ones this added afterwards."""
    added = [address for address in ADDRESSES if address not in _lo_addresses()]
    for address in added:
        subprocess.run(["ip", "addr", "add", f"{address}/32", "dev", "lo"], check=True)
    try:
        yield
    finally:
        for address in added:
            subprocess.run(["ip", "addr", "del", f"{address}/32", "dev", "lo"], check=False)


def _with(zone: Zone, records: str) -> Zone:
    return Zone(zone.origin, text=f"{zone.text}{records}")


@contextmanager
def running() -> Iterator[list[NamedServer]]:
    """Start every server of the hierarchy; stop them all afterwards.

    The DNSSEC zones are signed first, with keys made for this run.
    """
    started: list[NamedServer] = []
    with loopback_addresses(), tempfile.TemporaryDirectory(prefix="webdig-keys-") as keys:
        signed = signedzones.build(Path(keys))
        try:
            for server in servers(signed):
                started.append(server.start())
            yield started
        finally:
            for server in started:
                server.stop()
