"""The ``http-challenge`` check: can Let's Encrypt fetch the HTTP-01 challenge file?

A 404 for a random token is the healthy answer: the web server answers on
port 80 and would serve the real file once the hosting puts it in place.
Forwarding to another host, Basic auth or an IP block, and an unreachable
port 80 are what the hosting manuals name as the usual causes.  Each
address is judged on its own, so a broken IPv6 server is named.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from webdig.renewal.items import CheckResult, CheckStatus, Evidence
from webdig.renewal.probe import HttpHop, HttpProbe

TITLE = "Let's Encrypt can reach your site on port 80"
_RANK: dict[CheckStatus, int] = {"skip": 0, "pass": 0, "warn": 1, "fail": 2}

_FIX_FORWARDING = (
    "Remove the site forwarding (サイト転送) setting in your hosting panel while renewing, "
    "or exclude /.well-known/acme-challenge/ from it."
)
_FIX_ACCESS = (
    "Turn off the access restriction (アクセス制限: Basic authentication or an IP allow/deny "
    "list) while renewing, or exempt /.well-known/acme-challenge/ from it."
)
_FIX_PORT = (
    "Make sure the web server is running and that port 80 is open to the whole internet: "
    "Let's Encrypt always validates on port 80."
)
_FIX_ADDRESS = "Point the name's A/AAAA records at your server's public IP address."
_FIX_SERVER = "Check the web server's error log and its rewrite rules for /.well-known/."


@dataclass(frozen=True)
class Finding:
    """What one address showed: a verdict, the problem in words, and what to do."""

    address: str
    status: CheckStatus
    problem: str
    """A phrase that follows "On <address>, "."""
    fix: str = ""
    connection: bool = False
    """Nothing could connect at all (clients fall back from IPv6 to IPv4 then)."""


def challenge_check(name: str, probes: list[HttpProbe]) -> CheckResult:
    """The ``http-challenge`` checklist item from one probe per address of ``name``."""
    if not probes:
        return CheckResult("http-challenge", "skip", TITLE, f"{name} has no address.", "")
    findings = [judge(probe) for probe in probes]
    status, detail, fix = combine(
        findings,
        fallback="Let's Encrypt retries over IPv4 when it cannot connect over IPv6, so this "
        "alone does not stop the renewal, but visitors on IPv6 cannot reach the site.",
    )
    evidence = [Evidence(f"HTTP through {p.address}", exchange_text(p)) for p in probes]
    return CheckResult("http-challenge", status, TITLE, detail, fix, evidence)


def judge(probe: HttpProbe) -> Finding:
    """The verdict on one address's redirect chain."""
    address = probe.address
    for hop in probe.hops:
        target = urljoin(hop.url, hop.location) if hop.location else None
        if target and _host(target) != probe.name:
            problem = f"site forwarding is set: the challenge path is redirected to {_host(target)}"
            return Finding(address, "fail", problem, _FIX_FORWARDING)
    last = probe.hops[-1] if probe.hops else None
    via = " after a redirect (Let's Encrypt follows it)" if len(probe.hops) > 1 else ""
    if last is not None and last.url.startswith("https:"):
        via = via.replace("redirect", "redirect to https")
    if probe.error is not None or last is None or last.status is None:
        return _failed(probe, last)
    answer = f"{last.status} {last.reason}".strip()
    if last.status == 404:
        problem = f"the challenge path answers {answer}{via}, as it should for a file that "
        return Finding(address, "pass", problem + "does not exist")
    if last.status in (401, 403):
        kind = "a password, Basic auth" if last.status == 401 else "an IP block or a deny rule"
        problem = f"access restriction is set: the challenge path answers {answer}{via} ({kind})"
        return Finding(address, "fail", problem, _FIX_ACCESS)
    if last.status >= 500 or 300 <= last.status < 400:
        problem = f"the challenge path answers {answer}{via}, so Let's Encrypt gets no file"
        return Finding(address, "fail", problem, _FIX_SERVER)
    if 200 <= last.status < 300:
        problem = f"the challenge path answers {answer}{via} for a file that does not exist"
        fix = "Usually harmless; if renewal fails, check rewrite rules for /.well-known/."
        return Finding(address, "warn", problem, fix)
    problem = f"the challenge path answers {answer}{via} instead of 404 Not Found"
    return Finding(address, "warn", problem, _FIX_SERVER)


def _failed(probe: HttpProbe, last: HttpHop | None) -> Finding:
    error = probe.error
    message = error.message if error else "no answer"
    port = 443 if last is not None and last.url.startswith("https:") else 80
    redirected = " (the site redirects to https)" if port == 443 else ""
    if error is None or error.kind in ("refused", "timeout", "unreachable"):
        problem = f"port {port} is not reachable{redirected}: {message}"
        first = len(probe.hops) == 1
        fix = _FIX_PORT if port == 80 else "Open port 443 or remove the redirect to https."
        if first and _is_ipv6(probe.address):
            fix = "Make the web server answer on IPv6 too, or remove the name's AAAA record."
        return Finding(probe.address, "fail", problem, fix, connection=first)
    if error.kind == "policy":
        return Finding(probe.address, "fail", message, _FIX_ADDRESS)
    if error.kind == "redirect":
        return Finding(probe.address, "fail", message, "Remove that redirect while renewing.")
    if error.kind == "tls":
        problem = f"the site redirects to https, and {message}"
        return Finding(probe.address, "fail", problem, "Fix the HTTPS setup or the redirect.")
    properly = " properly" if error.kind == "protocol" else ""
    problem = f"port {port}{redirected} does not answer{properly}: {message}"
    return Finding(probe.address, "fail", problem, _FIX_PORT if port == 80 else _FIX_SERVER)


def combine(findings: list[Finding], *, fallback: str) -> tuple[CheckStatus, str, str]:
    """Status, detail and fix of a check from each address's finding, worst first.

    When only IPv6 addresses fail, only because nothing connects, and an IPv4
    address passes, the check is a warning: clients retry over IPv4 (``fallback``
    says so in words).
    """
    groups: dict[tuple[CheckStatus, str, str], list[str]] = {}
    for finding in findings:
        groups.setdefault((finding.status, finding.problem, finding.fix), []).append(
            finding.address
        )
    ordered = sorted(groups.items(), key=lambda item: -_RANK[item[0][0]])
    status = ordered[0][0][0]
    sentences = [f"On {_where(addresses)}, {problem}." for (_, problem, _), addresses in ordered]
    failing = [f for f in findings if f.status == "fail"]
    if (
        failing
        and all(f.connection and _is_ipv6(f.address) for f in failing)
        and any(f.status == "pass" and not _is_ipv6(f.address) for f in findings)
    ):
        status = "warn"
        sentences.append(fallback)
    if len(ordered) > 1 and {_is_ipv6(f.address) for f in findings} == {True, False}:
        sentences.insert(0, "IPv4 and IPv6 behave differently.")
    fixes = dict.fromkeys(fix for (s, _, fix), _ in ordered if fix and s != "pass")
    return status, " ".join(sentences), " ".join(fixes)


def exchange_text(probe: HttpProbe) -> str:
    """The redirect chain as a curl -v style transcript: > sent, < received, * notes."""
    lines: list[str] = []
    for hop in probe.hops:
        if lines:
            lines.append("")
        if not hop.request:
            lines.append(f"* Not connected to {hop.address} port {hop.port} for {hop.url}")
        else:
            lines.append(f"* Trying {hop.address} port {hop.port} for {hop.url}")
        sent = hop.status is not None or (hop.error and hop.error.kind in ("silent", "protocol"))
        if sent:
            lines.extend("> " + line for line in hop.request.split("\r\n")[:2])
        if hop.status is not None:
            lines.append(f"< {hop.version} {hop.status} {hop.reason}".rstrip())
            lines.extend(f"< {key}: {value}" for key, value in hop.headers)
            lines.append(f"* {_body(hop)}; {hop.elapsed_ms} ms")
        elif hop.error is not None:
            lines.append(f"* {hop.error.message} ({hop.elapsed_ms} ms)")
    if probe.error is not None and (not probe.hops or probe.hops[-1].error is None):
        lines.append(f"* {probe.error.message}")
    return "\n".join(lines)


def _body(hop: HttpHop) -> str:
    if not hop.body:
        return "empty body"
    size = f"first {len(hop.body)} bytes" if hop.truncated else f"{len(hop.body)} bytes"
    text = " ".join(hop.body[:160].decode("utf-8", "replace").split())
    return f"body ({size}): {text}" + ("…" if len(hop.body) > 160 else "")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".")


def _where(addresses: list[str]) -> str:
    if len(addresses) == 1:
        return addresses[0]
    return ", ".join(addresses[:-1]) + " and " + addresses[-1]


def _is_ipv6(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).version == 6
    except ValueError:
        return False
