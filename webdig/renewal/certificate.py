"""The ``certificate`` check: the certificate the site serves now, read as Chrome would.

It replaces the manuals' last step ("open the site in Chrome and look at
the expiry date"): who issued it, until when it is valid, whether it
covers the name and whether its chain verifies, for every address.  A
Let's Encrypt certificate lives 90 days and hosting panels renew it 30
days before expiry, so under 30 days left means renewal is already
failing, and under 7 days the site is about to break.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.x509.oid import NameOID

from webdig.renewal.challenge import Finding, combine
from webdig.renewal.items import CheckResult, Evidence
from webdig.renewal.probe import TlsProbe

TITLE = "The certificate your site serves"
FAIL_DAYS = 7
WARN_DAYS = 30
# OpenSSL's verify codes for a certificate outside its validity period: the
# dates are reported on their own, so they do not count as a broken chain.
_DATE_ERRORS = {9, 10}
_FIX_RENEW = (
    "Fix any failing item above, press renew (更新) in your hosting panel, then check again: "
    "the expiry date should move to about 90 days from today."
)
_FIX_NAME = (
    "Add this name to the free SSL setting in your hosting panel, or check that its DNS "
    "points at the server that holds its certificate."
)
_FIX_CHAIN = "Install the full chain (the intermediate certificate) together with the certificate."
_FIX_PORT = "Check that HTTPS is set up for this name on the server and that port 443 is open."
_FIX_ADDRESS = "Point the name's A/AAAA records at your server's public IP address."


@dataclass(frozen=True)
class CertificateFacts:
    """The fields of a certificate people look at in the browser."""

    subject: str
    issuer: str
    issuer_label: str
    """The issuer as people say it: its organisation and common name ("Let's Encrypt (R11)")."""
    names: list[str]
    """DNS names and IP addresses of the subjectAltName extension."""
    not_before: datetime
    not_after: datetime
    fingerprint: str
    """SHA-256 of the DER form in upper-case hex (the evidence shows it colon-separated)."""


def read_certificate(der: bytes) -> CertificateFacts:
    """Parse a DER certificate; raises ValueError when it cannot be read."""
    cert = x509.load_der_x509_certificate(der)
    try:
        alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [*alt.get_values_for_type(x509.DNSName)]
        names += [str(ip) for ip in alt.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        names = []
    return CertificateFacts(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        issuer_label=_label(cert.issuer),
        names=names,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        fingerprint=hashlib.sha256(der).hexdigest().upper(),
    )


def covers(names: list[str], name: str) -> bool:
    """Whether a certificate for ``names`` is valid for ``name`` (one-label wildcards, RFC 6125)."""
    wanted = name.lower().rstrip(".")
    parent = wanted.split(".", 1)[1] if "." in wanted else None
    for candidate in (n.lower().rstrip(".") for n in names):
        if candidate == wanted or (candidate.startswith("*.") and candidate[2:] == parent):
            return True
    return False


def certificate_check(
    name: str, probes: list[TlsProbe], *, now: datetime | None = None
) -> CheckResult:
    """The ``certificate`` checklist item from one TLS probe per address of ``name``."""
    if not probes:
        return CheckResult("certificate", "skip", TITLE, f"{name} has no address.", "")
    moment = now or datetime.now(UTC)
    facts = {p.address: _facts(p) for p in probes}
    findings = [judge(p, facts[p.address], moment) for p in probes]
    status, detail, fix = combine(
        findings,
        fallback="Browsers retry over IPv4 when they cannot connect over IPv6, so most "
        "visitors still see the site.",
    )
    served = {f.fingerprint: f for f in facts.values() if f is not None}
    if len(served) > 1:
        shown = "; ".join(
            f"{address}: one valid until {_date(f.not_after)}"
            for address, f in facts.items()
            if f is not None
        )
        detail += f" The addresses serve different certificates ({shown})."
        fix = " ".join(filter(None, (fix, "Make every address serve the renewed certificate.")))
        status = "warn" if status == "pass" else status
    evidence = [
        Evidence(f"TLS {p.address} port {p.port}", _fields(p, facts[p.address], moment))
        for p in probes
    ]
    return CheckResult("certificate", status, TITLE, detail, fix, evidence)


def judge(probe: TlsProbe, facts: CertificateFacts | None, now: datetime) -> Finding:
    """The verdict on the certificate one address serves."""
    address, error = probe.address, probe.error
    if error is not None:
        if error.kind == "policy":
            return Finding(address, "fail", error.message, _FIX_ADDRESS)
        if error.kind in ("refused", "timeout", "unreachable"):
            problem = f"nothing answers on port 443: {error.message}"
            return Finding(address, "fail", problem, _FIX_PORT, connection=True)
        if error.kind == "silent":
            return Finding(address, "fail", f"port 443 does not answer: {error.message}", _FIX_PORT)
        return Finding(address, "fail", error.message, _FIX_PORT)
    if facts is None:
        return Finding(address, "fail", "the certificate sent cannot be read", _FIX_PORT)
    problems = _problems(probe, facts, now)
    if problems:
        text = "; ".join(problem for problem, _ in problems)
        return Finding(address, "fail", text, " ".join(dict.fromkeys(f for _, f in problems)))
    days = (facts.not_after - now).days
    summary = f"the certificate from {facts.issuer_label} is valid until {_date(facts.not_after)}"
    if days < WARN_DAYS:
        problem = f"{summary}, only {_days(days)} left: auto-renewal should have replaced it by now"
        return Finding(address, "warn", problem, _FIX_RENEW)
    return Finding(address, "pass", f"{summary} ({_days(days)} left) and covers {probe.name}")


def _problems(probe: TlsProbe, facts: CertificateFacts, now: datetime) -> list[tuple[str, str]]:
    """What makes the certificate fail, each with its fix."""
    found: list[tuple[str, str]] = []
    expiry = _date(facts.not_after)
    days = (facts.not_after - now).days
    if facts.not_after < now:
        found.append((f"the certificate expired on {expiry}, {_ago(facts, now)}", _FIX_RENEW))
    elif facts.not_before > now:
        found.append((f"the certificate is not valid before {_date(facts.not_before)}", _FIX_RENEW))
    elif days < FAIL_DAYS:
        left = f"in {_days(days)}" if days else "within a day"
        found.append(
            (f"the certificate expires {left} ({expiry}) and auto-renewal has stopped", _FIX_RENEW)
        )
    if not covers(facts.names, probe.name):
        listed = ", ".join(facts.names) or "no names (no subjectAltName)"
        found.append(
            (f"the certificate does not cover {probe.name}: it is for {listed}", _FIX_NAME)
        )
    if not probe.verified and probe.verify_code not in _DATE_ERRORS:
        found.append((f"its chain does not verify ({probe.verify_error})", _FIX_CHAIN))
    return found


def _facts(probe: TlsProbe) -> CertificateFacts | None:
    if probe.certificate is None:
        return None
    try:
        return read_certificate(probe.certificate)
    except ValueError:
        return None


def _fields(probe: TlsProbe, facts: CertificateFacts | None, now: datetime) -> str:
    if probe.error is not None:
        return f"* {probe.address} port {probe.port} (SNI {probe.name}): {probe.error.message}"
    head = (
        f"* Connected to {probe.address} port {probe.port} (SNI {probe.name}), {probe.tls_version}"
    )
    if facts is None:
        return head + "\n* The certificate cannot be read."
    chain = "verifies" if probe.verified else f"does not verify ({probe.verify_error})"
    rows = [
        ("Subject", facts.subject),
        ("Issuer", facts.issuer),
        ("Names (SAN)", ", ".join(facts.names) or "none"),
        ("Not before", _date(facts.not_before, time=True)),
        ("Not after", f"{_date(facts.not_after, time=True)} ({_ago(facts, now)})"),
        ("Chain", chain),
        ("SHA-256", ":".join(facts.fingerprint[i : i + 2] for i in range(0, 64, 2))),
    ]
    return "\n".join([head, *(f"{label + ':':<13}{value}" for label, value in rows)])


def _label(name: x509.Name) -> str:
    organisation, common = (
        [str(a.value) for a in name.get_attributes_for_oid(oid)][:1]
        for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME)
    )
    if organisation and common:
        return f"{organisation[0]} ({common[0]})"
    return (organisation or common or [name.rfc4514_string()])[0]


def _date(moment: datetime, *, time: bool = False) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC" if time else "%Y-%m-%d")


def _ago(facts: CertificateFacts, now: datetime) -> str:
    if facts.not_after < now:
        return f"{_days((now - facts.not_after).days)} ago"
    return f"{_days((facts.not_after - now).days)} left"


def _days(count: int) -> str:
    return f"{count} day" if abs(count) == 1 else f"{count} days"
