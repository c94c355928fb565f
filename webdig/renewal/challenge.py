"""The ``http-challenge`` check: can Let's Encrypt fetch the HTTP-01 challenge file?

A 404 for a random token is the healthy answer: the web server answers on
port 80 and would serve the real file once the hosting puts it in place.
Forwarding to another host, Basic auth or an IP block, and an unreachable
port 80 are what the hosting manuals name as the usual causes.  Each
address is judged on its own, so a broken IPv6 server is named.  The probe
sends Let's Encrypt's User-Agent; where that gets a bad answer, the address
is asked again as a browser, and a better answer then names a block aimed
at Let's Encrypt (a WAF rule, a robot or country block).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

from webdig.findings.markers import N_
from webdig.findings.model import Finding, Level, Param
from webdig.language.message import Lines, Message, Quote
from webdig.renewal.items import CheckId, CheckResult, Evidence, check, fix
from webdig.renewal.probeoutcome import NO_CONNECTION, HttpHop, HttpProbe, ProbeErrorKind

_NOT_SENT = NO_CONNECTION | {ProbeErrorKind.POLICY}
"""Nothing reached the server, so its User-Agent cannot have mattered."""

TITLE = N_("Let's Encrypt can reach your site on port 80")  # the page translates it

_FIX_FORWARDING = fix("fix.remove-forwarding")
_FIX_ACCESS = fix("fix.remove-restriction")
_FIX_PORT = fix("fix.open-port-80")
_FIX_ADDRESS = fix("fix.point-records")
_FIX_SERVER = fix("fix.check-server-log")


@dataclass(frozen=True)
class AddressFinding:
    """What one address showed: a finding (``On <address>, …``) and what to do about it."""

    address: str
    finding: Finding
    fixes: tuple[Finding, ...] = ()
    connection: bool = False
    """Nothing could connect at all (clients fall back from IPv6 to IPv4 then)."""

    @property
    def level(self) -> Level:
        """The level of this address's finding."""
        return self.finding.level


def on(address: str, code: str, level: Level, *fixes: Finding, **params: Param) -> AddressFinding:
    """The finding ``code`` for one address; :func:`combine` adds the ``addresses`` it holds for."""
    return AddressFinding(address, Finding(code, level, params), fixes)


def challenge_check(
    name: str, probes: list[HttpProbe], as_browser: list[HttpProbe] | None = None
) -> CheckResult:
    """The ``http-challenge`` checklist item from one probe per address of ``name``.

    ``as_browser`` holds the same request sent with a browser's User-Agent to
    the addresses :func:`needs_comparison` named.
    """
    if not probes:
        return check(
            CheckId.HTTP_CHALLENGE, TITLE, Finding("web.no-address", Level.UNKNOWN, {"host": name})
        )
    browsers = {probe.address: probe for probe in as_browser or ()}
    found = [compared(probe, browsers.get(probe.address)) for probe in probes]
    level, findings, fixes = combine(found, fallback=Finding("http.ipv4-fallback", Level.INFO))
    evidence = [
        Evidence(Message("HTTP through {address}", address=p.address), exchange_text(p))
        for p in probes
    ]
    # The browser's exchange is shown only where it told something apart.
    evidence += [
        Evidence(
            Message("HTTP through {address} as a browser", address=item.address),
            exchange_text(browsers[item.address]),
        )
        for item in found
        if item.finding.code == "http.blocks-letsencrypt"
    ]
    return check(CheckId.HTTP_CHALLENGE, TITLE, findings, fixes, evidence, level=level)


def needs_comparison(probes: list[HttpProbe]) -> list[str]:
    """The addresses worth asking again as a browser: the server got Let's Encrypt's request
    and its answer was not the healthy one."""
    return [
        probe.address
        for probe in probes
        if probe.hops
        and (probe.hops[-1].error is None or probe.hops[-1].error.kind not in _NOT_SENT)
        and http_finding(probe).level is not Level.PASS
    ]


def compared(probe: HttpProbe, as_browser: HttpProbe | None) -> AddressFinding:
    """What one address showed Let's Encrypt, or, when a browser got a better answer, that
    the server refuses Let's Encrypt only."""
    found = http_finding(probe)
    if as_browser is None:
        return found
    theirs = http_finding(as_browser)
    if theirs.level.rank <= found.level.rank or theirs.finding == found.finding:
        return found
    return on(
        probe.address,
        "http.blocks-letsencrypt",
        found.level,
        fix("fix.allow-letsencrypt"),
        answer=_answer(probe),
        browser=_answer(as_browser),
    )


def _answer(probe: HttpProbe) -> str:
    """The last answer of a chain in a few words: "403 Forbidden" or why there was none."""
    last = probe.hops[-1] if probe.hops else None
    if last is not None and last.status is not None:
        return f"{last.status} {last.reason}".strip()
    error = probe.error or (last.error if last is not None else None)
    return error.message if error is not None else "no answer"


def http_finding(probe: HttpProbe) -> AddressFinding:
    """What one address's redirect chain shows."""
    address = probe.address
    for hop in probe.hops:
        target = urljoin(hop.url, hop.location) if hop.location else None
        if target and _host(target) != probe.name:
            return on(
                address,
                "http.redirect-elsewhere",
                Level.FAIL,
                _FIX_FORWARDING,
                target=_host(target),
            )
    last = probe.hops[-1] if probe.hops else None
    via = "direct"
    if len(probe.hops) > 1:
        via = "https" if last is not None and last.url.startswith("https:") else "redirect"
    if probe.error is not None or last is None or last.status is None:
        return _failed(probe, last)
    answer = f"{last.status} {last.reason}".strip()
    seen: dict[str, Param] = {"answer": answer, "via": via, "status": last.status}
    if last.status == 404:
        return on(address, "http.not-found", Level.PASS, **seen)
    if last.status in (401, 403):
        return on(address, "http.access-denied", Level.FAIL, _FIX_ACCESS, **seen)
    if last.status >= 500 or 300 <= last.status < 400:
        return on(address, "http.no-file", Level.FAIL, _FIX_SERVER, **seen)
    if 200 <= last.status < 300:
        return on(address, "http.served", Level.WARN, fix("fix.usually-harmless"), **seen)
    return on(address, "http.unexpected-status", Level.WARN, _FIX_SERVER, **seen)


def _failed(probe: HttpProbe, last: HttpHop | None) -> AddressFinding:
    error = probe.error
    reason = error.message if error else None
    port = 443 if last is not None and last.url.startswith("https:") else 80
    where: dict[str, Param] = {"port": port, "reason": reason}
    if error is None or error.kind in NO_CONNECTION:
        first = len(probe.hops) == 1
        advice = _FIX_PORT if port == 80 else fix("fix.open-port-443")
        if first and _is_ipv6(probe.address):
            advice = fix("fix.serve-ipv6")
        unreachable = on(probe.address, "http.unreachable", Level.FAIL, advice, **where)
        return replace(unreachable, connection=first)
    if error.kind == ProbeErrorKind.POLICY:
        return on(probe.address, "web.not-allowed", Level.FAIL, _FIX_ADDRESS, reason=reason)
    if error.kind == ProbeErrorKind.REDIRECT:
        return on(
            probe.address,
            "http.redirect-refused",
            Level.FAIL,
            fix("fix.remove-redirect"),
            reason=reason,
        )
    if error.kind == ProbeErrorKind.TLS:
        return on(
            probe.address, "http.https-failed", Level.FAIL, fix("fix.https-setup"), reason=reason
        )
    where["protocol"] = error.kind == ProbeErrorKind.PROTOCOL
    advice = _FIX_PORT if port == 80 else _FIX_SERVER
    return on(probe.address, "http.no-answer", Level.FAIL, advice, **where)


def combine(
    found: list[AddressFinding], *, fallback: Finding
) -> tuple[Level, list[Finding], list[Finding]]:
    """The level, findings and fixes of a check from each address's finding, worst first.

    Addresses with the same finding share one sentence.  When only IPv6
    addresses fail, only because nothing connects, and an IPv4 address
    passes, the check is a warning: clients retry over IPv4 (``fallback``
    says so).
    """
    groups: dict[tuple[Finding, tuple[Finding, ...]], list[str]] = {}
    for item in found:
        groups.setdefault((item.finding, item.fixes), []).append(item.address)
    ordered = sorted(groups.items(), key=lambda group: _RANK[group[0][0].level])
    level = ordered[0][0][0].level
    findings = [
        Finding(finding.code, finding.level, {"addresses": addresses, **finding.params})
        for (finding, _), addresses in ordered
    ]
    failing = [f for f in found if f.level is Level.FAIL]
    if (
        failing
        and all(f.connection and _is_ipv6(f.address) for f in failing)
        and any(f.level is Level.PASS and not _is_ipv6(f.address) for f in found)
    ):
        level = Level.WARN
        findings.append(fallback)
    if len(ordered) > 1 and {_is_ipv6(f.address) for f in found} == {True, False}:
        findings.insert(0, Finding("web.families-differ", Level.INFO))
    fixes = [
        advice
        for (finding, advised), _ in ordered
        if finding.level is not Level.PASS
        for advice in advised
    ]
    return level, findings, list(dict.fromkeys(fixes))


_RANK = {Level.FAIL: 0, Level.WARN: 1, Level.PASS: 2, Level.UNKNOWN: 2, Level.INFO: 2}
"""Failures first, then warnings; passes keep their order (a stable sort)."""


def exchange_text(probe: HttpProbe) -> Lines:
    """The redirect chain as a curl -v style transcript: > sent, < received, * notes (the
    notes in the reader's language, the exchange quoted)."""
    lines: list[str] = []
    for hop in probe.hops:
        if lines:
            lines.append("")
        where = {"address": hop.address, "port": hop.port, "url": hop.url}
        if not hop.request:
            lines.append(Message("* Not connected to {address} port {port} for {url}", **where))
        else:
            lines.append(Message("* Trying {address} port {port} for {url}", **where))
        sent = hop.status is not None or (
            hop.error and hop.error.kind in (ProbeErrorKind.SILENT, ProbeErrorKind.PROTOCOL)
        )
        if sent:
            lines.extend(Quote("> " + line) for line in hop.request.split("\r\n")[:2])
        if hop.status is not None:
            lines.append(Quote(f"< {hop.version} {hop.status} {hop.reason}".rstrip()))
            lines.extend(Quote(f"< {key}: {value}") for key, value in hop.headers)
            lines.append(_body(hop))
        elif hop.error is not None:
            took = {"reason": hop.error.message, "ms": hop.elapsed_ms}
            lines.append(Message("* {reason} ({ms} ms)", **took))
    if probe.error is not None and (not probe.hops or probe.hops[-1].error is None):
        lines.append(Message("* {reason}", reason=probe.error.message))
    return Lines(lines)


def _body(hop: HttpHop) -> Message:
    """The note on the body received (its first characters, as they are) and the time taken."""
    if not hop.body:
        return Message("* empty body; {ms} ms", ms=hop.elapsed_ms)
    text = " ".join(hop.body[:160].decode("utf-8", "replace").split())
    said = {"count": len(hop.body), "text": Quote(text + ("…" if len(hop.body) > 160 else ""))}
    if hop.truncated:
        return Message("* body (first {count} bytes): {text}; {ms} ms", **said, ms=hop.elapsed_ms)
    return Message("* body ({count} bytes): {text}; {ms} ms", **said, ms=hop.elapsed_ms)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".")


def _is_ipv6(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).version == 6
    except ValueError:
        return False
