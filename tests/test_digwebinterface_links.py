"""Real digwebinterface links work on webdig when only the host is changed.

Each link below was pasted into a forum post, a manual, a README or a
certbot guide (the source is named); its hostnames are rewritten to names
of the local hierarchy (tests/support/hierarchy.py) and the rest is kept
byte for byte.  The ten preset services are replaced by relays on
loopback, one per published address, that pass queries to the hierarchy's
resolver.  Every link must answer 200 and ask exactly the servers the
README's compatibility table says: the queries each server received are
counted, webdig's own resolver (used to find zones and nameservers) only
as asked or not.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask

from tests.support import hierarchy as lab
from tests.support.querylog import Relays, recording_queries
from webdig import create_app
from webdig.engine.query import Query
from webdig.presets import default_presets

PRESETS = default_presets()
SERVERS = {
    lab.ROOT: "root",
    lab.TLD: "registry",
    lab.NS_A: "ns1.good.lab",
    lab.NS_B: "ns2.good.lab",
    lab.STALE: "127.0.53.54",
}
"""How the hierarchy's servers are named in the expectations (relays go by preset key)."""
OWN = "webdig's resolver"
ANY_AUTH = "ns1|ns2.good.lab"
"""A walk from the root asks one of good.lab's two servers, whichever the referral lists first."""


@dataclass(frozen=True)
class Link:
    """One link as found, and what the README says it asks."""

    source: str
    query: str
    asks: dict[str, int] = field(default_factory=dict)
    """Queries per server, webdig's own resolver excepted."""
    discovers: bool = False
    """Whether webdig's own resolver is asked (to find zones, nameservers, addresses)."""
    notes: tuple[str, ...] = ()
    """Sentences the page must say."""
    path: str = "/"


def each_service(times: int) -> dict[str, int]:
    """The first address of every running preset service, ``times`` queries each."""
    first: dict[str, str] = {}
    for preset in PRESETS:
        if not preset.retired:
            first.setdefault(preset.group, preset.key)
    return dict.fromkeys(first.values(), times)


LINKS = [
    Link(
        "crimeflare: DigitalOcean's nameservers are on Cloudflare",
        "hostnames=ns1.good.lab%0D%0Ans2.good.lab&type=A&ns=resolver&useresolver=8.8.4.4"
        "&nameservers=",
        {"8.8.4.4": 2},
    ),
    Link(
        "emsisoft NS record check",
        "hostnames=good.lab&type=NS&ns=resolver&useresolver=8.8.4.4&nameservers=",
        {"8.8.4.4": 1},
    ),
    Link(
        "certbot DNS-01 notes: _acme-challenge TXT with a trailing dot",
        "hostnames=_acme-challenge.good.lab.&type=TXT&ns=resolver&useresolver=8.8.4.4&nameservers=",
        {"8.8.4.4": 1},
    ),
    Link(
        "Power BI failover notes: empty type=",
        "hostnames=www.good.lab&type=&ns=resolver&useresolver=8.8.4.4&nameservers=",
        {"8.8.4.4": 1},
    ),
    Link(
        "atproto handle guide: useresolver=1.1.1.1",
        "hostnames=_atproto.good.lab&type=TXT&ns=resolver&useresolver=1.1.1.1&nameservers=",
        {"1.1.1.1": 1},
    ),
    Link(
        "DuckDNS TXT docs: no nameservers parameter at all",
        "hostnames=www.good.lab&type=TXT&ns=resolver&useresolver=8.8.4.4",
        {"8.8.4.4": 1},
    ),
    Link(
        "archive.today vs Cloudflare: ns=self with two resolvers' addresses",
        "hostnames=www.good.lab%0D%0Agood.lab%0D%0Asplit.lab&type=A&useresolver=8.8.4.4&ns=self"
        "&nameservers=1.1.1.1%0D%0A8.8.8.8",
        {"1.1.1.1": 3, "8.8.8.8": 3},
    ),
    Link(
        "TW verification guide: ns=auth, nameservers with no '='",
        "hostnames=good.lab&type=TXT&useresolver=8.8.4.4&ns=auth&nameservers",
        {"ns1.good.lab": 1, "ns2.good.lab": 1, "registry": 1},
        discovers=True,
    ),
    Link(
        "SAIT course: +trace with showcommand, colorize, norecursive, ns=all",
        "hostnames=www.good.lab&type=&showcommand=on&colorize=on&trace=on&norecursive=on"
        "&useresolver=9.9.9.10&ns=all&nameservers=",
        {"root": 2, "registry": 1, ANY_AUTH: 1},
    ),
    Link(
        "GitHub Pages custom domain: ns=all, %0D%0A, empty type=",
        "hostnames=good.lab%0D%0Awww.good.lab&type=&useresolver=8.8.4.4&ns=all&nameservers=",
        {**each_service(2), "ns1.good.lab": 2, "ns2.good.lab": 2},
        discovers=True,
    ),
    Link(
        "shell notes: an IP address and a trailing %0D%0A, empty type=",
        "hostnames=192.0.2.10%0D%0A&type=&ns=resolver&useresolver=8.8.4.4&nameservers=",
        {"8.8.4.4": 1},
    ),
    Link(
        "reverse look-up",
        "hostnames=192.0.2.10&type=Reverse&ns=resolver&useresolver=8.8.8.8&nameservers=",
        {"8.8.8.8": 1},
    ),
    Link(
        "Yandex mail docs: empty hostnames, the form prefilled",
        "hostnames=&type=MX&ns=resolver&useresolver=8.8.4.4&nameservers=",
    ),
    Link(
        "Cloudflare verification docs: no hostnames at all",
        "type=TXT&ns=auth&nameservers=",
    ),
    Link(
        "pentest notes: a lone %0D%0A and useresolver=9.9.9.10",
        "hostnames=%0D%0A&type=&ns=resolver&useresolver=9.9.9.10&nameservers=",
    ),
    Link(
        "%0A separator and Cloudflare's secondary",
        "hostnames=www.good.lab%0Agood.lab&type=A&ns=resolver&useresolver=1.0.0.1&nameservers=",
        {"1.0.0.1": 2},
    ),
    Link(
        "registry view",
        "hostnames=www.good.lab&type=NS&ns=nic&useresolver=8.8.4.4&nameservers=",
        {"registry": 1},
        discovers=True,
    ),
    Link(
        "onlyfirst with ns=auth",
        "hostnames=www.good.lab&type=A&ns=auth&onlyfirst=on&useresolver=8.8.4.4&nameservers=",
        {"ns1.good.lab": 1, "registry": 1},
        discovers=True,
    ),
    Link(
        "onlyfirst with ns=nic",
        "hostnames=www.good.lab&type=A&ns=nic&onlyfirst=on&useresolver=8.8.4.4&nameservers=",
        {"registry": 1},
        discovers=True,
    ),
    Link(
        "sort with ns=auth",
        "hostnames=www.split.lab&type=A&ns=auth&sort=on&useresolver=8.8.4.4&nameservers=",
        {"ns1.good.lab": 1, "ns2.good.lab": 1, "registry": 1},
        discovers=True,
    ),
    Link(
        "save, stats and short",
        "hostnames=www.good.lab&type=A&ns=resolver&useresolver=8.8.4.4&nameservers=&save=on"
        "&stats=on&short=on",
        {"8.8.4.4": 1},
        notes=("This link asks to save the result",),
    ),
    Link(
        "dnssec and nsid",
        "hostnames=good.lab&type=SOA&ns=resolver&useresolver=9.9.9.9&dnssec=on&nsid=on",
        {"9.9.9.9": 1},
    ),
    Link(
        "tcp with a nameserver given by address",
        "hostnames=www.good.lab&type=A&ns=self&useresolver=8.8.4.4&nameservers=127.0.53.3&tcp=on",
        {"ns1.good.lab": 1},
    ),
    Link(
        "a resolver webdig has no preset for",
        "hostnames=www.good.lab&type=A&ns=resolver&useresolver=127.0.53.54&nameservers=",
        {"127.0.53.54": 1},
        notes=("127.0.53.54 is not one of webdig's preset resolvers",),
    ),
    Link(
        "a service that has shut down",
        "hostnames=www.good.lab&type=A&ns=resolver&useresolver=64.6.64.6&nameservers=",
        {"64.6.64.6": 1},
        notes=("Verisign Public DNS has shut down; 64.6.64.6 was asked as the link says",),
    ),
    Link(
        "an IPv6 preset address",
        "hostnames=www.good.lab&type=AAAA&ns=resolver&useresolver=2001:4860:4860::8844",
        {"2001:4860:4860::8844": 1},
    ),
    Link(
        "Fix: a URL and an e-mail address",
        "hostnames=https://www.good.lab/contact%0D%0Ainfo@good.lab&type=MX&ns=resolver"
        "&useresolver=8.8.4.4&nameservers=",
        {"8.8.4.4": 2},
        notes=(
            "Understood “https://www.good.lab/contact” as www.good.lab.",
            "Understood “info@good.lab” as good.lab.",
        ),
    ),
    Link(
        "the path shortcut",
        "",
        {"ns1.good.lab": 1},
        discovers=True,
        path="/www.good.lab/A/ns1.good.lab",
    ),
]


def _relay_config(ports: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "key": preset.key,
            "label": preset.label,
            "service": preset.service,
            "retired": preset.retired,
            "successor": preset.successor,
            "address": "127.0.0.1",
            "port": port,
        }
        for preset, port in zip(PRESETS, ports, strict=True)
    ]


@pytest.fixture(scope="module")
def relays(hierarchy: None) -> Iterator[Relays]:
    """One relay per preset address, passing queries to the hierarchy's resolver."""
    with Relays(len(PRESETS), (lab.RESOLVER, 53)) as found:
        yield found


@pytest.fixture
def corpus_app(relays: Relays) -> Flask:
    """webdig on the hierarchy, with every preset address answered by its relay."""
    return create_app({**lab.APP_CONFIG, "PRESETS": _relay_config(relays.ports)})


def server_names(relays: Relays, sent: list[Query]) -> Counter[str]:
    """Queries per server, named as the expectations name them."""
    by_port = {port: preset.key for preset, port in zip(PRESETS, relays.ports, strict=True)}
    counted: Counter[str] = Counter()
    for query in sent:
        server = query.server
        if server.address == lab.RESOLVER:
            counted[OWN] += 1
        elif server.address == "127.0.0.1":
            counted[by_port[server.port]] += 1
        else:
            counted[SERVERS[server.address]] += 1
    return counted


@pytest.mark.parametrize("link", LINKS, ids=[link.source for link in LINKS])
def test_link_answers_and_asks_what_the_readme_says(
    corpus_app: Flask, relays: Relays, monkeypatch: pytest.MonkeyPatch, link: Link
) -> None:
    client = corpus_app.test_client()
    url = f"{link.path}?{link.query}" if link.query else link.path
    with recording_queries(monkeypatch) as sent:
        response = client.get(url, follow_redirects=True)
    assert response.status_code == 200
    counted = server_names(relays, sent)
    assert (counted.pop(OWN, 0) > 0) == link.discovers
    expected = dict(link.asks)
    walked = expected.pop(ANY_AUTH, None)
    if walked is not None:
        # Whichever of good.lab's servers the referral lists first.
        assert counted.pop("ns1.good.lab", 0) + counted.pop("ns2.good.lab", 0) == walked
    assert dict(counted) == expected
    page = html.unescape(response.get_data(as_text=True))
    for note in link.notes:
        assert note in page
