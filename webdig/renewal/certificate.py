"""The ``certificate`` check: the certificate the site serves now, read as Chrome would.

It replaces the manuals' last step ("open the site in Chrome and look at
the expiry date"): who issued it, until when it is valid, whether it
covers the name and whether its chain verifies, for every address.

The thresholds follow the certificate's own lifetime (notAfter − notBefore),
because Let's Encrypt's lifetimes shrink (90 days, 64 from February 2027, 45
from February 2028) and hosts renew in proportion.  For a 90-day certificate
Xserver tries 30, 25 and 20 days before expiry and ConoHa 20, so a healthy
site always has more than a fifth of the lifetime left (18 of 90 days, 12.8
of 64, 9 of 45): under that, renewal has failed at least once (warn).

Fail means the site is about to break: under 7 days, the week a person
needs to notice and press renew.  For lifetimes under 70 days the limit is
a tenth of the lifetime instead (6.4 of 64, 4.5 of 45 days, 14 hours of a
6-day short-lived certificate), so that there is always a warning before
the failure (a tenth between the two) and a short-lived certificate is not
failed from the day it is issued.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.x509.oid import NameOID

from webdig.findings.markers import N_
from webdig.findings.model import Finding, Level, Param
from webdig.language.message import Lines, Message, Quote
from webdig.renewal.challenge import AddressFinding, combine, on
from webdig.renewal.items import CheckId, CheckResult, Evidence, check, fix
from webdig.renewal.probeoutcome import NO_CONNECTION, ProbeErrorKind, TlsProbe

TITLE = N_("The certificate your site serves")  # the page translates it
FAIL_DAYS = 7
"""Fail with less than this many days left (or a :data:`FAIL_SHARE` of the lifetime, if less)."""
WARN_SHARE = 1 / 5
"""Warn with less than this share of the certificate's lifetime left."""
FAIL_SHARE = 1 / 10
# OpenSSL's verify codes for a certificate outside its validity period: the
# dates are reported on their own, so they do not count as a broken chain.
_DATE_ERRORS = {9, 10}
_FIX_RENEW = fix("fix.renew-certificate")
_FIX_NAME = fix("fix.add-name")
_FIX_CHAIN = fix("fix.install-chain")
_FIX_PORT = fix("fix.https-port")
_FIX_ADDRESS = fix("fix.point-records")


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
        return check(
            CheckId.CERTIFICATE, TITLE, Finding("web.no-address", Level.UNKNOWN, {"host": name})
        )
    moment = now or datetime.now(UTC)
    facts = {p.address: _facts(p) for p in probes}
    level, findings, fixes = combine(
        [tls_finding(p, facts[p.address], moment) for p in probes],
        fallback=Finding("certificate.ipv4-fallback", Level.INFO),
    )
    served = {f.fingerprint: f for f in facts.values() if f is not None}
    if len(served) > 1:
        shown = [
            {"code": "certificate.served", "address": address, "expiry": _day(f.not_after)}
            for address, f in facts.items()
            if f is not None
        ]
        findings.append(Finding("certificate.differ", Level.WARN, {"served": shown}))
        fixes.append(fix("fix.same-certificate"))
        level = Level.WARN if level is Level.PASS else level
    evidence = [
        Evidence(
            Message("TLS {address} port {port}", address=p.address, port=p.port),
            _fields(p, facts[p.address], moment),
        )
        for p in probes
    ]
    return check(CheckId.CERTIFICATE, TITLE, findings, fixes, evidence, level=level)


def tls_finding(probe: TlsProbe, facts: CertificateFacts | None, now: datetime) -> AddressFinding:
    """What the certificate one address serves shows."""
    address, error = probe.address, probe.error
    if error is not None:
        reason = error.message
        if error.kind == ProbeErrorKind.POLICY:
            return on(address, "web.not-allowed", Level.FAIL, _FIX_ADDRESS, reason=reason)
        if error.kind in NO_CONNECTION:
            closed = on(address, "tls.unreachable", Level.FAIL, _FIX_PORT, reason=reason)
            return replace(closed, connection=True)
        if error.kind == ProbeErrorKind.SILENT:
            return on(address, "tls.silent", Level.FAIL, _FIX_PORT, reason=reason)
        return on(address, "tls.failed", Level.FAIL, _FIX_PORT, reason=reason)
    if facts is None:
        return on(address, "certificate.unreadable", Level.FAIL, _FIX_PORT)
    problems = _problems(probe, facts, now)
    if problems:
        advice = tuple(dict.fromkeys(f for _, f in problems))
        listed = [problem for problem, _ in problems]
        return on(address, "certificate.broken", Level.FAIL, *advice, problems=listed)
    days = (facts.not_after - now).days
    about: dict[str, Param] = {
        "issuer": facts.issuer_label,
        "expiry": _day(facts.not_after),
        "days": days,
    }
    if facts.not_after - now < lifetime(facts) * WARN_SHARE:
        about["lifetime"] = round(lifetime(facts) / timedelta(days=1))
        return on(address, "certificate.expires-soon", Level.WARN, _FIX_RENEW, **about)
    return on(address, "certificate.valid", Level.PASS, name=probe.name, **about)


def _problems(
    probe: TlsProbe, facts: CertificateFacts, now: datetime
) -> list[tuple[dict[str, object], Finding]]:
    """What makes the certificate fail (sub-phrases of ``certificate.broken``), each with its fix."""  # noqa: E501
    found: list[tuple[dict[str, object], Finding]] = []
    expiry = _day(facts.not_after)
    days = (facts.not_after - now).days
    if facts.not_after < now:
        ago = (now - facts.not_after).days
        found.append(({"code": "certificate.expired", "expiry": expiry, "days": ago}, _FIX_RENEW))
    elif facts.not_before > now:
        start = _day(facts.not_before)
        found.append(({"code": "certificate.not-yet-valid", "start": start}, _FIX_RENEW))
    elif facts.not_after - now < fail_margin(facts):
        soon = {"code": "certificate.expires-very-soon", "expiry": expiry, "days": days}
        found.append((soon, _FIX_RENEW))
    if not covers(facts.names, probe.name):
        found.append(
            (
                {"code": "certificate.wrong-name", "name": probe.name, "names": facts.names},
                _FIX_NAME,
            )
        )
    if not probe.verified and probe.verify_code not in _DATE_ERRORS:
        chain: dict[str, object] = {"code": "certificate.chain", "error": probe.verify_error}
        found.append((chain, _FIX_CHAIN))
    return found


def lifetime(facts: CertificateFacts) -> timedelta:
    """How long the certificate is valid in all (notAfter − notBefore)."""
    return facts.not_after - facts.not_before


def fail_margin(facts: CertificateFacts) -> timedelta:
    """Time left under which the certificate fails: 7 days, or a tenth of a shorter lifetime."""
    return min(timedelta(days=FAIL_DAYS), lifetime(facts) * FAIL_SHARE)


def _day(moment: datetime) -> str:
    """A moment as the ISO date a finding's ``{x:date}`` reads."""
    return moment.isoformat()


def _facts(probe: TlsProbe) -> CertificateFacts | None:
    if probe.certificate is None:
        return None
    try:
        return read_certificate(probe.certificate)
    except ValueError:
        return None


def _fields(probe: TlsProbe, facts: CertificateFacts | None, now: datetime) -> Lines:
    """The handshake and the certificate's fields, labelled in the reader's language (the
    labels' padding lines the English values up)."""
    where = {"address": probe.address, "port": probe.port, "name": probe.name}
    if probe.error is not None:
        reason = probe.error.message
        return Lines(
            [Message("* {address} port {port} (SNI {name}): {reason}", reason=reason, **where)]
        )
    version = probe.tls_version
    head = Message(
        "* Connected to {address} port {port} (SNI {name}), {version}", version=version, **where
    )
    if facts is None:
        return Lines([head, Message("* The certificate cannot be read.")])
    names = ", ".join(facts.names)
    return Lines(
        [
            head,
            Message("Subject:     {subject}", subject=Quote(facts.subject)),
            Message("Issuer:      {issuer}", issuer=Quote(facts.issuer)),
            Message("Names (SAN): {names}", names=names) if names else Message("Names (SAN): none"),
            Message("Not before:  {moment}", moment=_moment(facts.not_before)),
            _not_after(facts.not_after, now),
            Message("Chain:       verifies")
            if probe.verified
            else Message(
                "Chain:       does not verify ({reason})", reason=Quote(probe.verify_error)
            ),
            "SHA-256:     " + ":".join(facts.fingerprint[i : i + 2] for i in range(0, 64, 2)),
        ]
    )


def _label(name: x509.Name) -> str:
    organisation, common = (
        [str(a.value) for a in name.get_attributes_for_oid(oid)][:1]
        for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME)
    )
    if organisation and common:
        return f"{organisation[0]} ({common[0]})"
    return (organisation or common or [name.rfc4514_string()])[0]


def _moment(moment: datetime) -> str:
    # The form webdig.language.message reads a moment in: a Japanese reader gets it in JST.
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _not_after(expiry: datetime, now: datetime) -> Message:
    """The expiry and the days left (or since): one wording for one day, one for more."""
    moment = _moment(expiry)
    if expiry < now:
        days = (now - expiry).days
        if days == 1:
            return Message("Not after:   {moment} ({count} day ago)", moment=moment, count=days)
        return Message("Not after:   {moment} ({count} days ago)", moment=moment, count=days)
    days = (expiry - now).days
    if days == 1:
        return Message("Not after:   {moment} ({count} day left)", moment=moment, count=days)
    return Message("Not after:   {moment} ({count} days left)", moment=moment, count=days)
