"""What one step of the renewal checklist found, as data.

Every check of :mod:`webdig.renewal.checklist` returns a :class:`CheckResult`: its
level, the findings that say what was found and those that say what to do
(all worded by :mod:`webdig.findings.catalog`).  The page shows them in the
hosting manual's order, the API returns them as JSON, and the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from webdig.findings.catalog import Translations, paragraph
from webdig.findings.markers import N_
from webdig.findings.model import Finding, Level

CheckStatus = Literal["pass", "warn", "fail", "skip"]
"""API v1's status of a checklist item."""

STATUS: dict[Level, CheckStatus] = {
    Level.PASS: "pass",
    Level.INFO: "pass",
    Level.WARN: "warn",
    Level.FAIL: "fail",
    Level.UNKNOWN: "skip",
}
"""A level as API v1's item status: ``unknown`` (not checked) is ``skip``, ``info`` is ``pass``."""


CHECK_WORDS: dict[Level, str] = {
    Level.PASS: N_("Pass"),
    Level.INFO: N_("Pass"),
    Level.WARN: N_("Warning"),
    Level.FAIL: N_("Problem"),
    Level.UNKNOWN: N_("Not checked"),
}
"""The word after an item's mark, on the page and in the CLI."""


class CheckId(StrEnum):
    """The checklist's items, in the order of the hosting manuals' renewal checklist."""

    DOMAIN_EXISTS = "domain-exists"
    """The domain is registered and delegated (step 1)."""
    DNSSEC = "dnssec"
    """The registry's DS record and the zone's keys and signatures agree (or neither exists)."""
    DNS_POINTS_HERE = "dns-points-here"
    """Every nameserver answers the hosting server's address (step 2)."""
    CAA = "caa"
    """No CAA record forbids Let's Encrypt."""
    HTTP_CHALLENGE = "http-challenge"
    """Port 80 serves the challenge path: no forwarding, no access restriction (steps 3, 4)."""
    DNS01 = "dns-01"
    """The ``_acme-challenge`` TXT record of DNS-01 (asked for, or a wildcard certificate)."""
    CERTIFICATE = "certificate"
    """The certificate the site serves now."""
    CA_STATUS = "ca-status"
    """Let's Encrypt's own status (step 5)."""


@dataclass(frozen=True)
class Evidence:
    """Raw material behind a verdict, shown folded: dig text, an HTTP exchange, cert fields."""

    title: str
    text: str


@dataclass(frozen=True)
class CheckResult:
    """One checklist item: how it went, what was found and what to do about it."""

    id: CheckId
    level: Level
    title: str
    """What was checked, e.g. "DNS points at your server"."""
    findings: tuple[Finding, ...]
    """What was found, in order; the first is the item's own verdict."""
    fixes: tuple[Finding, ...] = ()
    """What to do next (``fix.*`` codes; none when nothing needs doing)."""
    evidence: list[Evidence] = field(default_factory=list)
    name: str | None = None
    """The name the row is about (``www.example.com``); None for a zone's or the whole
    check's rows (``domain-exists``, ``ca-status``).  The checklist sets it."""
    zone: str | None = None
    """For a zone's rows, the registered domain they are about (``example.com``)."""

    @property
    def status(self) -> CheckStatus:
        """API v1's status: pass, warn, fail or skip."""
        return STATUS[self.level]

    @property
    def detail(self) -> str:
        """What was found, in English: the findings' sentences."""
        return self.detail_in(None)

    @property
    def fix(self) -> str:
        """What to do, in English ("" when nothing needs doing)."""
        return self.fix_in(None)

    def detail_in(self, translations: Translations | None) -> str:
        """What was found, in the language of ``translations``."""
        return paragraph(self.findings, translations)

    def fix_in(self, translations: Translations | None) -> str:
        """What to do, in the language of ``translations``."""
        return paragraph(self.fixes, translations)


def check(
    check_id: CheckId,
    title: str,
    found: Finding | Iterable[Finding],
    fixes: Iterable[Finding] = (),
    evidence: list[Evidence] | None = None,
    *,
    level: Level | None = None,
) -> CheckResult:
    """A :class:`CheckResult` whose level is its first finding's unless given.

    A failing item's fixes end with :data:`RETRY_ONCE`.
    """
    findings = (found,) if isinstance(found, Finding) else tuple(found)
    chosen = level if level is not None else findings[0].level
    advice = tuple(fixes)
    if chosen is Level.FAIL and RETRY_ONCE not in advice:
        # Pressing renew again and again while something is broken spends the failed-validation
        # limit, and then even a fixed site must wait an hour.
        advice += (RETRY_ONCE,)
    return CheckResult(check_id, chosen, title, findings, advice, evidence or [])


def fix(code: str, **params: str) -> Finding:
    """What to do, as a finding: a ``fix.*`` code (advice, so no judgement of its own)."""
    return Finding(code, Level.INFO, params)


RETRY_ONCE = fix("fix.retry-once")
"""Let's Encrypt allows 5 failed validations per name per hour: fix first, then retry once."""
