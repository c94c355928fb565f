"""What to do next, as the hosting manual says it: the fixes, then where to press renew.

The hosting company is known from the domain's nameservers (``ns1.xserver.jp``
is Xserver), so the last step names its panel and menu; when everything
passes, the retry dates say when the host renews by itself (Xserver 30, 25
and 20 days before the certificate expires, ConoHa 20).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from webdig.findings.model import Finding, Level
from webdig.language.translator import JST
from webdig.lookup.hosting import HostingPreset, hosting_of
from webdig.renewal.report import RenewalReport

RETRY_DAYS = {"xserver": (30, 25, 20), "conoha": (20,)}
"""Days before expiry on which a host's automatic renewal runs, as its manual says."""


def hosting(report: RenewalReport) -> HostingPreset | None:
    """The hosting company of the checked domain, from the nameservers that were asked."""
    if report.outcome is None:
        return None
    return hosting_of(block.query.server.label for block in report.outcome.blocks)


def next_steps(report: RenewalReport) -> list[Finding]:
    """The numbered steps: each fix of an item that is not fine, once, then renew and confirm.

    Empty when everything passes: there is nothing to do.
    """
    if report.headline.level is Level.PASS:
        return []
    steps: list[Finding] = []
    for check in report.checks:
        if check.level in (Level.FAIL, Level.WARN):
            steps.extend(fix for fix in check.fixes if fix not in steps)
    host = hosting(report)
    steps.append(Finding("fix.press-renew", Level.INFO, {"host": host.key if host else ""}))
    steps.append(Finding("fix.confirm-expiry", Level.INFO))
    return steps


def expiry(report: RenewalReport) -> date | None:
    """The served certificate's expiry date, when the certificate check read one: the day in
    Japan, where the hosts whose retries are counted from it run (and what a Japanese reader
    is shown as the expiry: 20:00 UTC on the 17th is the 18th)."""
    for check in report.checks:
        for finding in check.findings:
            value = finding.params.get("expiry")
            if isinstance(value, str):
                if len(value) <= 10:
                    return date.fromisoformat(value)
                moment = datetime.fromisoformat(value)
                return (
                    (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(JST).date()
                )
    return None


def retries(report: RenewalReport, today: date) -> Finding:
    """When the host renews by itself next: its retry dates still ahead, from the expiry."""
    host, ends = hosting(report), expiry(report)
    days = RETRY_DAYS.get(host.key, ()) if host else ()
    dates = [ends - timedelta(days=n) for n in days] if ends else []
    ahead = [day.isoformat() for day in dates if day >= today]
    if host is None or not ahead:
        return Finding("renewal.retries", Level.INFO, {})
    params = {"host": host.label, "days": [str(n) for n in days], "dates": ahead}
    return Finding("renewal.retries", Level.INFO, params)
