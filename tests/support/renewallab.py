"""The renewal lab: web servers, a CA status page, a registry (RDAP and JPRS WHOIS) and
caafail.lab's nameserver on loopback.

:func:`running_lab` starts them next to the local DNS hierarchy (tests/support/hierarchy.py);
:class:`RenewalLab` says where they listen and configures webdig for them.
:class:`Case` is one renewal situation with the verdict it must get: :data:`CASES`
covers every check, :data:`EDGE_CASES` (one failure per check) and :data:`HEALTHY`
are what the page, API and CLI tests run.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

from tests.support import hierarchy as lab
from tests.support import signedzones
from tests.support.bind import free_port
from tests.support.fakeserver import FakeServer, framed
from tests.support.registryservers import RdapServer, WhoisServer
from tests.support.threadedservers import QuietHandler, ThreadedServer
from tests.support.webservers import LocalCA, WebServer, closed_port, has_ipv6
from webdig.renewal.items import CheckId
from webdig.settings import Settings

CA_REPLIES = {
    "ok": {"status": {"indicator": "none", "description": "All Systems Operational"}},
    "major": {"status": {"indicator": "major", "description": "Major System Outage"}},
}


class _StatusHandler(QuietHandler):
    """``/ok.json`` and ``/major.json``: Statuspage answers, as Let's Encrypt's status page."""

    def do_GET(self) -> None:
        reply = CA_REPLIES.get(self.path.strip("/").removesuffix(".json"))
        self.send_body(200 if reply else 404, json.dumps(reply).encode(), "application/json")


@contextmanager
def status_page() -> Iterator[str]:
    """A CA status server on 127.0.0.1; yields its base URL."""
    with ThreadedServer(ThreadingHTTPServer(("127.0.0.1", 0), _StatusHandler)) as running:
        yield f"http://127.0.0.1:{running.port}"


def _caafail(query: dns.message.Message, _: bytes) -> list[bytes]:
    """caafail.lab's nameserver: addresses answer, CAA fails (as broken DNS hosts do)."""
    question = query.question[0]
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    name, rdtype = question.name.to_text().lower(), question.rdtype
    if rdtype == dns.rdatatype.CAA:
        response.set_rcode(dns.rcode.SERVFAIL)
        response.flags &= ~dns.flags.AA
    elif (name, rdtype) == ("www.caafail.lab.", dns.rdatatype.A):
        response.answer.append(dns.rrset.from_text(name, 300, "IN", "A", "127.0.0.1"))
    elif (name, rdtype) == ("ns1.caafail.lab.", dns.rdatatype.A):
        response.answer.append(dns.rrset.from_text(name, 300, "IN", "A", lab.SCRIPTED))
    elif (name, rdtype) == ("caafail.lab.", dns.rdatatype.NS):
        response.answer.append(dns.rrset.from_text(name, 300, "IN", "NS", "ns1.caafail.lab."))
    return [response.to_wire()]


@dataclass(frozen=True)
class RenewalLab:
    """Where the lab's web servers listen, by behaviour, and how to configure webdig for them."""

    http: dict[str, int]
    """Port of the HTTP server per behaviour (404, redirect, 401, 403, slow, blocks-le, closed)."""
    tls: dict[str, int]
    """Port of the TLS server per certificate (valid, expiring, expired, wrongname)."""
    ca_file: str
    status_url: str
    rdap: RdapServer
    """The registry's RDAP server and bootstrap file (``lab`` → the scenario's answers)."""
    whois_port: int
    """The JPRS WHOIS server on 127.0.0.1 (``whois.jprs.jp`` in the lab's ``jp.`` zone)."""

    def config(
        self, http: str = "404", tls: str = "valid", ca: str = "ok", rdap: str = "active"
    ) -> dict[str, Any]:
        """App config (un-prefixed keys) for one combination of servers."""
        # "down": a port nothing listens on, as when the status page is unreachable.
        down = f"http://127.0.0.1:{free_port()}/down.json"
        status = f"{self.status_url}/{ca}.json" if ca in CA_REPLIES else down
        bootstrap = down if rdap == "down" else self.rdap.bootstrap(rdap)
        return {
            **lab.APP_CONFIG,
            # Every server here answers (the "slow" one is asked with a deadline
            # of its own in the tests that want a timeout), so the TLS handshakes
            # and fetches get time enough to finish on a loaded 2-core machine.
            "TIMEOUT": 3.0,
            "DEADLINE": 15.0,
            "PRESETS": lab.APP_CONFIG["PRESETS"][:1],
            "HTTP_PORT": self.http[http],
            "HTTPS_PORT": self.tls[tls],
            "TLS_CA_FILE": self.ca_file,
            "CA_STATUS_URL": status,
            "RDAP_BOOTSTRAP_URL": bootstrap,
            "WHOIS_PORT": self.whois_port,
        }

    def settings(self, **servers: str) -> Settings:
        """Engine settings for one combination of servers."""
        return Settings.from_mapping(self.config(**servers))

    def environ(self, **servers: str) -> dict[str, str]:
        """The same configuration as ``WEBDIG_*`` variables, for the CLI."""
        return {f"WEBDIG_{k}": json.dumps(v) for k, v in self.config(**servers).items()}


HTTP_BEHAVIOURS = ("404", "redirect", "401", "403", "slow", "blocks-le")
CERTIFICATES = ("valid", "expiring", "expired", "wrongname")
NAMES = ("www.shop.lab", "*.shop.lab")
"""The lab certificates' names: a check of www.shop.lab adds no other name to probe, and
notes the wildcard."""
EXTRA_CERTIFICATES = {
    "san": ("www.shop.lab", "v6.shop.lab", "*.shop.lab"),
    "pair": ("pair.lab", "www.pair.lab"),
    "apex": ("www.shop.lab", "shop.lab"),
    "many": tuple(f"n{n}.shop.lab" for n in range(1, 25)),
    "dns01": ("www.dns01.lab", "dns01.lab"),
    "slowneg": ("www.slowneg.lab",),
    "dns01wild": ("dns01.lab", "*.dns01.lab"),
    **{zone: (f"www.{zone}",) for zone in signedzones.ZONES},
}
"""Valid certificates with other names: one that adds v6.shop.lab to a check of
www.shop.lab, pair.lab's (apex and www), one with shop.lab (which has no address), one
with more names than a check covers; and for the dns-01 zones (tests/support/acmezones.py)
their names, and a wildcard; one for each DNSSEC zone (tests/support/signedzones.py), keyed
by the zone, so that only DNSSEC differs for its www name."""


@contextmanager
def running_lab() -> Iterator[RenewalLab]:
    """Start the web servers, the CA status page and caafail.lab's nameserver."""
    addresses = ("127.0.0.1", "::1") if has_ipv6() else ("127.0.0.1",)
    caafail = FakeServer(
        address=lab.SCRIPTED,
        port=53,
        udp=_caafail,
        tcp=lambda query, wire: [framed(reply) for reply in _caafail(query, wire)],
    )
    with ExitStack() as stack:
        authority = LocalCA(Path(stack.enter_context(tempfile.TemporaryDirectory())))
        http = {
            kind: stack.enter_context(WebServer(kind, addresses)).port for kind in HTTP_BEHAVIOURS
        }
        tls = {
            kind: stack.enter_context(
                WebServer("404", addresses, certificate=authority.leaf(kind, *NAMES))
            ).port
            for kind in CERTIFICATES
        }
        tls |= {
            kind: stack.enter_context(
                WebServer("404", addresses, certificate=authority.leaf("valid", *names))
            ).port
            for kind, names in EXTRA_CERTIFICATES.items()
        }
        status_url = stack.enter_context(status_page())
        stack.enter_context(caafail)
        rdap = stack.enter_context(RdapServer())
        whois = stack.enter_context(WhoisServer())
        yield RenewalLab(
            {**http, "closed": closed_port()}, tls, authority.ca_file, status_url, rdap, whois.port
        )


ITEMS = [item for item in CheckId if item is not CheckId.DNS01]
"""A name's items, in order, when the check is not told the renewal uses DNS-01.  (The lab
certificates' wildcard, ``*.shop.lab``, gets a ``dns-01`` row of its own: no TXT record there
now, which is only information then.)"""


def own_rows(checks: list[Any], domain: str) -> list[Any]:
    """The rows of a check (objects or JSON) about ``domain``, its zone, or the whole check:
    what a check of one name showed before names were added (a certificate's names from
    another zone add that zone's rows)."""

    def field(row: Any, key: str) -> Any:
        return row[key] if isinstance(row, dict) else getattr(row, key)

    def own(row: Any) -> bool:
        zone = field(row, "zone")
        return field(row, "name") in (None, domain) and (
            zone is None or domain == zone or domain.endswith("." + zone)
        )

    return [c for c in checks if own(c)]


@dataclass(frozen=True)
class Case:
    """One renewal situation and what the checklist must say about it."""

    domain: str
    check: str
    status: str
    words: str
    """In the item's detail."""
    expected: tuple[str, ...] = ("127.0.0.1",)
    http: str = "404"
    tls: str = "valid"
    ca: str = "ok"
    rdap: str = "active"
    """What the registry's RDAP server answers for .lab domains (registryservers.RDAP_SCENARIOS)."""

    @property
    def servers(self) -> dict[str, str]:
        """Which lab servers this case uses."""
        return {"http": self.http, "tls": self.tls, "ca": self.ca, "rdap": self.rdap}

    @property
    def id(self) -> str:
        parts = (self.check, self.status, self.domain, self.http, self.tls, self.ca, self.rdap)
        return "-".join(parts)


# One failing case per check id: the edges (page, API, CLI) run these and HEALTHY.
EDGE_CASES = [
    Case("www.gone.lab", "domain-exists", "fail", "does not exist"),
    Case("www.shop.lab", "dns-points-here", "fail", "192.0.2.99", expected=("192.0.2.99",)),
    Case("www.otherca.lab", "caa", "fail", "does not allow Let's Encrypt"),
    Case("www.shop.lab", "http-challenge", "fail", "forwarding", http="redirect"),
    Case("www.shop.lab", "certificate", "fail", "5 days", tls="expiring"),
    Case("www.shop.lab", "ca-status", "fail", "Major System Outage", ca="major"),
    Case("www.staleds.lab", "dnssec", "fail", "serve no DNSKEY", tls="staleds.lab"),
]
HEALTHY = Case("www.shop.lab", "", "pass", "")
CASES = [
    *EDGE_CASES,
    Case("www.shop.lab", "domain-exists", "pass", "The registry delegates shop.lab"),
    Case("www.shop.lab", "domain-exists", "pass", "registered at Lab Registrar, Inc. until"),
    Case("www.shop.lab", "domain-exists", "fail", "days ago", rdap="expired"),
    Case("www.shop.lab", "domain-exists", "fail", "(client hold)", rdap="hold"),
    Case("www.shop.lab", "domain-exists", "fail", "(redemption period)", rdap="redemption"),
    Case("www.shop.lab", "domain-exists", "fail", "has no record of shop.lab", rdap="404"),
    Case("www.shop.lab", "domain-exists", "warn", "days left): renew it", rdap="expiring"),
    Case("www.shop.lab", "domain-exists", "skip", "could not be read", rdap="malformed"),
    Case("www.shop.lab", "domain-exists", "skip", "RDAP server 127.0.0.1", rdap="500"),
    Case("www.shop.lab", "domain-exists", "skip", "IANA's list", rdap="down"),
    Case("www.shop.co.jp", "domain-exists", "pass", "shop.co.jp is registered until"),
    Case("www.old.jp", "domain-exists", "fail", "old.jp expired on"),
    Case("www.shop.lab", "dnssec", "pass", "shop.lab is not signed with DNSSEC"),
    Case("www.signed.lab", "dnssec", "pass", "DNSSEC is valid for signed.lab", tls="signed.lab"),
    Case(
        "www.expired.lab", "dnssec", "fail", "signatures on expired.lab DNSKEY", tls="expired.lab"
    ),
    Case("www.rolled.lab", "dnssec", "fail", "with ED25519 only", tls="rolled.lab"),
    Case("www.expiring.lab", "dnssec", "warn", "expiring.lab DNSKEY", tls="expiring.lab"),
    Case("www.shop.lab", "dns-points-here", "pass", "answers 127.0.0.1, your server"),
    Case("www.shop.lab", "dns-points-here", "warn", "answer 127.0.0.1", expected=()),
    Case("www.shop.lab", "caa", "pass", 'issue "letsencrypt.org"'),
    Case("www.caafail.lab", "caa", "fail", "SERVFAIL"),
    Case("www.shop.lab", "http-challenge", "pass", "404"),
    Case("www.shop.lab", "http-challenge", "fail", "access restriction", http="401"),
    Case("www.shop.lab", "http-challenge", "fail", "access restriction", http="403"),
    Case("www.shop.lab", "http-challenge", "fail", "port 80", http="closed"),
    Case("www.shop.lab", "http-challenge", "fail", "refuses Let's Encrypt", http="blocks-le"),
    Case("www.shop.lab", "certificate", "pass", "60 days"),
    Case("www.shop.lab", "certificate", "fail", "expired", tls="expired"),
    Case("www.shop.lab", "certificate", "fail", "does not cover", tls="wrongname"),
    Case("www.shop.lab", "ca-status", "pass", "All Systems Operational"),
    Case("www.shop.lab", "ca-status", "skip", "could not be read", ca="down"),
]
