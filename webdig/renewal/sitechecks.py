"""The checklist's website items: which addresses are probed, and how much is said about each.

A name with 200 address records must not turn ``/check`` into a port
scanner, so a request probes at most :data:`PER_FAMILY` addresses of each
family per name and :data:`PER_REQUEST` in all (the user's own server
first); the rest are listed as not probed.  Only addresses the user gave as
``expected`` get the full HTTP-01 and TLS probes (status, headers,
certificate); for any other address webdig says whether port 80 and 443
accept a connection, and nothing more.  Every connection, redirect hops
included, is counted by the session's per-target budgets.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from webdig.engine.names import Hostname, parse_hostname
from webdig.engine.query import Server
from webdig.engine.session import QuerySession
from webdig.findings.model import Finding, Level
from webdig.language.message import Lines, Message
from webdig.renewal import certificate, challenge
from webdig.renewal.connection import probe_reach
from webdig.renewal.httpfetch import BROWSER_USER_AGENT, probe_http
from webdig.renewal.items import CheckId, CheckResult, Evidence, check, fix
from webdig.renewal.probeoutcome import ProbeError, ProbeErrorKind, Reach, TlsProbe
from webdig.renewal.tlsprobe import probe_tls

PER_FAMILY = 4
"""Addresses of one family probed per name: a dual-stack site rarely has more."""
PER_REQUEST = 16
"""Addresses probed per request: apex, www and a certificate's names, both families."""


class Allowance:
    """How many more addresses this request may probe; shared by the names it checks."""

    def __init__(self, total: int = PER_REQUEST) -> None:
        self.left = total
        self._lock = threading.Lock()

    def take(self, wanted: Sequence[str]) -> tuple[list[str], list[str]]:
        """The addresses to probe (at most :data:`PER_FAMILY` per family), and those left out."""
        chosen: list[str] = []
        per_family = {4: 0, 6: 0}
        with self._lock:
            for address in wanted:
                family = ipaddress.ip_address(address).version
                if self.left > 0 and per_family[family] < PER_FAMILY:
                    chosen.append(address)
                    per_family[family] += 1
                    self.left -= 1
        return chosen, [a for a in wanted if a not in chosen]


class Handshakes:
    """Each TLS handshake of a check once: the ``certificate`` item and the reading of the
    certificate's names (:mod:`webdig.renewal.checklist`) ask for the same one."""

    def __init__(self, session: QuerySession) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._probes: dict[tuple[str, str], Future[TlsProbe]] = {}

    def probe(self, name: str, address: str) -> TlsProbe:
        """The handshake with SNI ``name`` on ``address``: made now, or the one already made."""
        key = (name.lower(), address)
        with self._lock:
            waiting = self._probes.get(key)
            if waiting is None:
                self._probes[key] = mine = Future[TlsProbe]()
        if waiting is not None:
            return waiting.result()
        session = self.session
        try:
            (probe,) = probe_tls(
                name, [address], settings=session.settings, deadline=session.deadline,
                admit=session.admit,
            )  # fmt: skip
        except BaseException as exc:
            mine.set_exception(exc)
            raise
        mine.set_result(probe)
        return probe


def web_checks(
    hostname: Hostname,
    session: QuerySession,
    resolver: Server,
    expected: Iterable[str],
    allowance: Allowance,
    handshakes: Handshakes | None = None,
) -> tuple[CheckResult, CheckResult]:
    """The ``http-challenge`` and ``certificate`` items for ``hostname``."""
    shaken = handshakes or Handshakes(session)
    addresses, problems = session.addresses(hostname, resolver)
    if not addresses:
        none = Finding(
            "web.no-addresses", Level.UNKNOWN, {"host": hostname.text, "problems": problems}
        )
        return (
            check(CheckId.HTTP_CHALLENGE, challenge.TITLE, none),
            check(CheckId.CERTIFICATE, certificate.TITLE, none),
        )
    mine = {ipaddress.ip_address(a) for a in expected}
    # The user's own server first: it is what the checklist is about.
    ordered = sorted(addresses, key=lambda a: ipaddress.ip_address(a) not in mine)
    probed, left_out = allowance.take(ordered)
    detailed = [a for a in probed if ipaddress.ip_address(a) in mine]
    others = [a for a in probed if ipaddress.ip_address(a) not in mine]
    settings, end = session.settings, session.deadline

    def resolve(host: str) -> list[str]:
        return session.addresses(parse_hostname(host), resolver)[0]

    # Everything runs side by side under the request's one deadline, in the
    # session's share of the worker's threads: one job per address and probe, in one
    # fan-out (a check runs this for several names at once, and nested fan-outs would
    # wait for each other's threads).  The quick handshakes come first: when the
    # request's threads are all busy, this thread does them before the slow fetches.
    def http_job(address: str) -> Callable[[], Any]:
        return lambda: probe_http(
            hostname.text, [address], settings=settings, resolve=resolve, deadline=end,
            admit=session.admit,
        )  # fmt: skip

    def tls_job(address: str) -> Callable[[], Any]:
        return lambda: [shaken.probe(hostname.text, address)]

    def reach_job(address: str, port: int) -> Callable[[], Any]:
        return lambda: probe_reach(
            [address], port, settings=settings, deadline=end, admit=session.admit
        )

    jobs: list[Callable[[], Any]] = [
        *(tls_job(a) for a in detailed),
        *(http_job(a) for a in detailed),
        *(reach_job(a, settings.http_port) for a in others),
        *(reach_job(a, settings.https_port) for a in others),
    ]
    done = iter(session.map(lambda job: job(), jobs))
    tls_probes = [probe for _ in detailed for probe in next(done)]
    http_probes = [probe for _ in detailed for probe in next(done)]
    http_reach = [reach for _ in others for reach in next(done)]
    tls_reach = [reach for _ in others for reach in next(done)]

    if detailed:
        # Only a bad answer to Let's Encrypt is worth a second request: a browser's
        # User-Agent getting a better one shows a block aimed at Let's Encrypt.
        again = challenge.needs_comparison(http_probes)
        as_browser = (
            probe_http(
                hostname.text, again, settings=settings, resolve=resolve, deadline=end,
                parallel=session.map, admit=session.admit, user_agent=BROWSER_USER_AGENT,
            )
            if again
            else []
        )  # fmt: skip
        http = challenge.challenge_check(hostname.text, http_probes, as_browser)
        tls = certificate.certificate_check(hostname.text, tls_probes)
    else:
        http = _reach_only(CheckId.HTTP_CHALLENGE, challenge.TITLE, hostname, http_reach)
        tls = _reach_only(CheckId.CERTIFICATE, certificate.TITLE, hostname, tls_reach)
    return (
        _with_others(http, http_reach, left_out, [p.error for p in http_probes if p.error]),
        _with_others(tls, tls_reach, left_out, [p.error for p in tls_probes if p.error]),
    )


def _reach_only(
    check_id: CheckId, title: str, hostname: Hostname, reach: list[Reach]
) -> CheckResult:
    """The item when none of the addresses is the user's server: connections only."""
    port = reach[0].port if reach else 0
    accepted = [r.address for r in reach if r.error is None]
    if accepted or not reach:
        found = Finding("web.reach-only", Level.UNKNOWN, {"port": port, "addresses": accepted})
        return check(check_id, title, found, [fix("fix.enter-expected")])
    closed = Finding("web.reach-none", Level.FAIL, {"port": port, "host": hostname.text})
    return check(
        check_id, title, closed, [fix("fix.open-port-80" if port == 80 else "fix.open-port-443")]
    )


def _with_others(
    item: CheckResult, reach: list[Reach], left_out: list[str], errors: list[ProbeError]
) -> CheckResult:
    """Add the connection-only addresses, those not probed, and anything a budget held back."""
    lines = [
        Message("{address} port {port}: accepts connections", address=r.address, port=r.port)
        if r.error is None
        else Message(
            "{address} port {port}: {reason}",
            address=r.address,
            port=r.port,
            reason=r.error.message,
        )
        for r in reach
    ]
    if left_out:
        lines.append(
            Message(
                "Not probed (at most {per_family} addresses per family and {per_check} per "
                "check): {addresses}",
                per_family=PER_FAMILY,
                per_check=PER_REQUEST,
                addresses=", ".join(left_out),
            )
        )
    evidence = [*item.evidence]
    if lines:
        evidence.append(Evidence(Message("Other addresses of this name"), Lines(lines)))
    held = [
        e for e in [*errors, *(r.error for r in reach if r.error)] if e.kind is ProbeErrorKind.BUSY
    ]
    if held:
        # A connection webdig chose not to make is never evidence.
        busy_finding = Finding(
            "check.busy", Level.UNKNOWN, {"wait": max(e.retry_after for e in held)}
        )
        return check(item.id, item.title, busy_finding, evidence=evidence)
    findings = item.findings
    if left_out:
        not_probed = Finding(
            "web.not-probed", Level.INFO,
            {"count": len(left_out), "per_family": PER_FAMILY, "per_check": PER_REQUEST},
        )  # fmt: skip
        findings = (*findings, not_probed)
    return replace(item, findings=findings, evidence=evidence)
