"""Renewal-check benchmark: the whole checklist versus its longest chain of steps.

3 names × 2 nameservers: v6.shop.lab is typed; the certificate its server
serves also names www.shop.lab and dual.shop.lab, so the check adds them
(a subdomain gets no www counterpart).  shop.lab
has 2 nameservers (ns1/ns2.good.lab); v6 and dual have 2 addresses each
(127.0.0.1 and ::1).  The web server answers the challenge path after
``--http-delay`` ms (a slow PHP site), and the CA status page after
``--status-delay`` ms, so the steps take clearly different times.  The
script times the whole ``check_renewal`` and each step run alone (its own
session, nothing shared), after one warm-up run that fills the test
resolver's cache for both.  ``domain-exists`` includes
the registry's RDAP answer (a local RDAP server; never cached between runs
when run alone, and a fresh context per whole check).

Some steps must run one after another: the certificate is read before the
names on it are known, and only then are those names probed.  The longest
such chain is the TLS handshake plus the slowest step of an added name
(its challenge path).  Target (issues 5 and 12): whole ≤ 1.2 × that chain,
because everything else runs in parallel under one deadline.  The whole
check runs the ``dnssec`` item too; alone it is timed with ``domain-exists``
(``domain+dnssec``), since it reads the delegation that step finds.

    unshare -n sh -c 'ip link set lo up; python3 bench/renewal.py [--runs 10]'
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import hierarchy as lab
from tests.support.registryservers import RdapServer, WhoisServer
from tests.support.renewallab import RenewalLab
from tests.support.threadedservers import QuietHandler, ThreadedServer
from tests.support.webservers import LocalCA, WebServer
from webdig.engine.names import parse_hostname
from webdig.engine.nameservers import own_resolver
from webdig.engine.session import QuerySession
from webdig.lookup.params import LookupParams
from webdig.lookup.run import plan, run
from webdig.renewal import checklist as renewal
from webdig.renewal import dnsitems
from webdig.renewal.caa import caa_check, find_caa
from webdig.renewal.castatus import ca_status_check
from webdig.renewal.certificate import certificate_check
from webdig.renewal.challenge import challenge_check
from webdig.renewal.dnssec import ask_zone, dnssec_check
from webdig.renewal.httpfetch import probe_http
from webdig.renewal.registration import with_registration
from webdig.renewal.registry import registration_verdict
from webdig.renewal.tlsprobe import probe_tls
from webdig.settings import Settings

NAME, EXPECTED = "v6.shop.lab", ("127.0.0.1", "::1")
ADDED = ("www.shop.lab", "dual.shop.lab")
"""The names the certificate adds."""
ADDRESSES = ("127.0.0.1", "::1")


class _Server6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _slow_handler(delay: float, body: bytes, status: int) -> type[QuietHandler]:
    class Slow(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(delay)
            self.send_body(status, body, "application/json", [("Connection", "close")])

    return Slow


@contextmanager
def slow_http(
    addresses: tuple[str, ...], delay: float, body: bytes = b"404\n", status: int = 404
) -> Iterator[int]:
    """An HTTP server answering every GET after ``delay`` s on ``addresses`` (one port)."""
    handler = _slow_handler(delay, body, status)
    first = ThreadingHTTPServer((addresses[0], 0), handler)
    port = first.server_address[1]
    servers = [first] + [_Server6((a, port), handler) for a in addresses[1:]]
    with ExitStack() as running:
        for server in servers:
            running.enter_context(ThreadedServer(server, poll=0.05))
        yield port


@contextmanager
def web_servers(
    leaf: Any, http_delay: float, status_delay: float, status: bytes
) -> Iterator[tuple[int, int, int]]:
    """The site (slow challenge path, TLS) and the status page, in a process of their own:
    a web server is another machine, and here its handshakes would otherwise take turns
    with webdig's threads for this process's interpreter lock."""
    ports, theirs = multiprocessing.Pipe()
    stop = multiprocessing.Event()

    def serve() -> None:
        with ExitStack() as stack:
            http_port = stack.enter_context(slow_http(ADDRESSES, http_delay))
            tls = stack.enter_context(WebServer("404", ADDRESSES, certificate=leaf))
            status_port = stack.enter_context(slow_http(("127.0.0.1",), status_delay, status, 200))
            theirs.send((http_port, tls.port, status_port))
            stop.wait()

    child = multiprocessing.get_context("fork").Process(target=serve, daemon=True)
    child.start()
    try:
        yield ports.recv()
    finally:
        stop.set()
        child.join(5)


def steps(settings: Settings, name: str = NAME) -> dict[str, Callable[[], object]]:
    """Each checklist step for ``name`` as it runs inside check_renewal, but alone (own
    session)."""
    NAME = name  # the steps below were written for the bench's one name
    hostname = parse_hostname(NAME)
    resolver = own_resolver(settings)

    def with_session(work: Callable[[QuerySession], object]) -> Callable[[], object]:
        def timed() -> object:
            with QuerySession(settings) as session:
                return work(session)

        return timed

    def points_here(session: QuerySession) -> object:
        params = LookupParams(hostnames=(NAME,), ns="all", expected=EXPECTED)
        return run(plan(params, settings, session=session), settings, session=session)

    def http(session: QuerySession) -> object:
        found = session.addresses(hostname, resolver)[0]

        def resolve(host: str) -> list[str]:
            return session.addresses(parse_hostname(host), resolver)[0]

        probes = probe_http(NAME, found, settings=settings, resolve=resolve)
        return challenge_check(NAME, probes)

    def tls(session: QuerySession) -> object:
        found = session.addresses(hostname, resolver)[0]
        return certificate_check(NAME, probe_tls(NAME, found, settings=settings))

    def ca_status(session: QuerySession) -> object:
        def resolve(host: str) -> list[str]:
            return session.addresses(parse_hostname(host), resolver)[0]

        return ca_status_check(
            settings.ca_status_url, settings=settings, resolve=resolve, deadline=session.deadline
        )

    def zone_items(session: QuerySession) -> object:
        # As the checklist's zone items: the delegation walk, then the registry (RDAP) and
        # the dnssec batch (DS, DNSKEY, the name's signed answers).
        found = dnsitems.zone_of(hostname, session, resolver)
        item = dnsitems.domain_exists(hostname, found, session)
        verdict = registration_verdict(
            found.zone, NAME, session=session, resolver=resolver, cache=None, today=date.today()
        )
        exists = item if verdict is None else with_registration(item, verdict)
        return exists, dnssec_check(ask_zone(found, [hostname], session, resolver), NAME)

    return {
        "domain+dnssec": with_session(zone_items),
        "dns-points-here": with_session(points_here),
        "caa": with_session(lambda s: caa_check(hostname, find_caa(hostname, s, resolver))),
        "http-challenge": with_session(http),
        "certificate": with_session(tls),
        "ca-status": with_session(ca_status),
    }


def median_ms(work: Callable[[], object], runs: int) -> float:
    """Median wall time of ``work`` over ``runs`` runs, in milliseconds."""
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        work()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--http-delay", type=float, default=200.0, help="ms (challenge path)")
    parser.add_argument("--status-delay", type=float, default=100.0, help="ms (CA status)")
    args = parser.parse_args()
    status = b'{"status": {"indicator": "none", "description": "All Systems Operational"}}'
    with ExitStack() as stack:
        stack.enter_context(lab.running())
        authority = LocalCA(Path(stack.enter_context(tempfile.TemporaryDirectory())))
        leaf = authority.leaf("valid", NAME, *ADDED)
        http_port, tls_port, status_port = stack.enter_context(
            web_servers(leaf, args.http_delay / 1000, args.status_delay / 1000, status)
        )
        rdap = stack.enter_context(RdapServer())
        whois = stack.enter_context(WhoisServer())
        # The tests' configuration, with these servers in the healthy roles.
        settings = RenewalLab(
            {"404": http_port},
            {"valid": tls_port},
            authority.ca_file,
            f"http://127.0.0.1:{status_port}",
            rdap,
            whois.port,
        ).settings()
        report = renewal.check_renewal(NAME, EXPECTED, settings)  # warm-up: caches, threads
        for row in report.checks:
            print(f"  {row.name or row.zone or '(check)'}: {row.id} {row.status}")
        checked = [n.name for n in report.names if n.checked]
        assert checked == [NAME, *ADDED], checked  # a subdomain: no www counterpart
        alone = {
            (host, step): median_ms(work, args.runs)
            for host in (NAME, *ADDED)
            for step, work in steps(settings, host).items()
        }
        whole = median_ms(lambda: renewal.check_renewal(NAME, EXPECTED, settings), args.runs)
    for (host, step), ms in alone.items():
        print(f"  {host:<14} {step:<16} alone {ms:7.1f} ms")
    slowest = max(alone, key=lambda key: alone[key])
    # The certificate's names are known once the typed name's handshake is done.
    per_name = ("dns-points-here", "caa", "http-challenge", "certificate")
    added = max(ms for (host, step), ms in alone.items() if host in ADDED and step in per_name)
    chain = max(alone[slowest], alone[(NAME, "certificate")] + added)
    ratio = whole / chain
    print(f"  {'whole check':<31}       {whole:7.1f} ms  (median of {args.runs})")
    print(f"  longest chain: handshake then an added name's slowest step = {chain:.1f} ms")
    print(f"whole / longest chain = {ratio:.2f} (target ≤ 1.20)")
    return 0 if ratio <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
