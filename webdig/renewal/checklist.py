"""The renewal checklist: "why did my certificate renewal fail?" in one run.

Runs the hosting manuals' checks concurrently under one deadline (domain
exists; DNS points at the server; CAA; the HTTP-01 challenge path; the
certificate now served; the CA's own status) and names the item that most
likely broke the renewal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dns.rdatatype

from webdig.dig.message import render_full
from webdig.engine.names import Hostname, parse_hostname
from webdig.engine.nameservers import own_resolver
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.session import QuerySession
from webdig.findings.catalog import Translations, sentence
from webdig.findings.markers import N_
from webdig.findings.model import Finding, Level
from webdig.lookup.answers import follow_chain
from webdig.lookup.block import Block
from webdig.lookup.context import LookupContext
from webdig.lookup.modes import HostTargets, Role, delegation_facts
from webdig.lookup.params import LookupParams, Mode
from webdig.lookup.run import InvalidParams, Outcome, plan, run
from webdig.renewal.caa import caa_check, find_caa
from webdig.renewal.castatus import ca_status_check
from webdig.renewal.items import STATUS, CheckId, CheckResult, Evidence, check, fix
from webdig.renewal.sitechecks import Allowance, web_checks
from webdig.settings import Settings

# A few registries sell names one level below a two-label suffix.  Without
# the full public-suffix list this catches the common "the name is gone and
# only the suffix answers" case for these.
_TWO_LABEL_SUFFIXES = {
    "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "gr.jp", "ed.jp", "ad.jp", "lg.jp",
    "co.uk", "org.uk", "me.uk", "com.au", "net.au", "org.au", "co.nz", "com.br", "com.cn",
}  # fmt: skip


@dataclass
class RenewalReport:
    """The checklist's results, in the hosting manual's order, with a summary."""

    domain: str
    expected: list[str]
    checks: list[CheckResult]
    headline: Finding
    """``summary.cause``, ``summary.attention`` or ``summary.ready``: its level is the report's."""
    outcome: Outcome | None = None
    queries_sent: int = 0

    @property
    def summary_status(self) -> str:
        """API v1's status of the whole checklist: pass, warn or fail."""
        return STATUS[self.headline.level]

    @property
    def summary(self) -> str:
        """The summary in English; :meth:`summary_in` says it in another language."""
        return self.summary_in(None)

    def summary_in(self, translations: Translations | None) -> str:
        """The headline, then the item it names in words (its findings and fixes)."""
        first = self.first_problem()
        if first is None:
            return sentence(self.headline, translations)
        parts = [
            sentence(self.headline, translations),
            first.detail_in(translations),
            first.fix_in(translations),
        ]
        text = " ".join(part for part in parts if part)
        more = int(str(self.headline.params.get("more", 0)))
        if more:
            text += " " + sentence(
                Finding("summary.more", Level.INFO, {"count": more}), translations
            )
        return text

    def first_problem(self) -> CheckResult | None:
        """The item the summary is about (the first at the headline's level), if any is wrong."""
        if self.headline.level is Level.PASS or self.headline.code == "summary.busy":
            return None
        return next((c for c in self.checks if c.level is self.headline.level), None)


def check_renewal(
    domain: str,
    expected: tuple[str, ...],
    settings: Settings,
    context: LookupContext | None = None,
) -> RenewalReport:
    """Run every check for ``domain``; raises :class:`InvalidParams` for bad input.

    Errors are keyed ``domain`` and ``expected``, the fields of the check form.
    """
    params = LookupParams(hostnames=(domain,), ns=Mode.ALL, expected=expected)
    shared = context or LookupContext()
    with shared.session(settings) as session:
        try:
            looked_up = plan(params, settings, session=session)
        except InvalidParams as exc:
            fields = {("domain" if k == "hostnames" else k): v for k, v in exc.fields.items()}
            raise InvalidParams(fields) from exc
        hostname = looked_up.hostnames[0]
        resolver = own_resolver(settings)
        expected_texts = [str(a) for a in looked_up.expected]
        jobs: list[Callable[[], Any]] = [
            lambda: _domain_exists(hostname, session, resolver),
            lambda: run(looked_up, settings, session=session, context=shared),
            lambda: caa_check(hostname, find_caa(hostname, session, resolver)),
            lambda: web_checks(hostname, session, resolver, expected_texts, Allowance()),
            lambda: ca_status_check(
                settings.ca_status_url,
                settings=settings,
                resolve=_addresses_via(session, resolver),
                deadline=session.deadline,
            ),
        ]
        exists, outcome, caa, (http, certificate), ca = session.map(lambda job: job(), jobs)
        points = _points_here(hostname, outcome)
        checks = [exists, points, caa, http, certificate, ca]
        sent = session.sent
        busy_for = session.busy_for
    assert [c.id for c in checks] == list(CheckId)
    if busy_for:
        # A query webdig chose not to send is never evidence: whatever the DNS
        # items concluded without it ("does not exist", "no CAA") is unknown.
        checks = [_busy(c, busy_for) if c.id in DNS_ITEMS else c for c in checks]
    return RenewalReport(
        domain=hostname.text,
        expected=[str(a) for a in looked_up.expected],
        checks=checks,
        headline=summarize(checks, busy_for=busy_for),
        outcome=outcome,
        queries_sent=sent,
    )


DNS_ITEMS = (CheckId.DOMAIN_EXISTS, CheckId.DNS_POINTS_HERE, CheckId.CAA)
"""The items judged from DNS replies: unknown when a budget held a query back."""


def _busy(item: CheckResult, wait: int) -> CheckResult:
    return check(
        item.id, item.title, Finding("check.busy", Level.UNKNOWN, {"wait": wait}),
        evidence=item.evidence,
    )  # fmt: skip


def summarize(checks: list[CheckResult], *, busy_for: int = 0) -> Finding:
    """The headline: the item that most likely broke the renewal, or that all is ready.

    Items that could not be checked (``unknown``) do not count either way, but
    when a budget held queries back (``busy_for`` seconds until webdig may
    send them) and nothing fails, the checklist is incomplete, never ready.
    """
    if busy_for and not any(c.level is Level.FAIL for c in checks):
        return Finding("summary.busy", Level.WARN, {"wait": busy_for})
    for wanted, code in ((Level.FAIL, "summary.cause"), (Level.WARN, "summary.attention")):
        found = [c for c in checks if c.level is wanted]
        if found:
            return Finding(code, wanted, {"check": found[0].id, "more": len(found) - 1})
    return Finding("summary.ready", Level.PASS)


def _domain_exists(hostname: Hostname, session: QuerySession, resolver: Server) -> CheckResult:
    title = N_("The domain exists and has not expired")
    found: HostTargets = delegation_facts(
        hostname, dns.rdatatype.A, session, resolver, QueryOptions()
    )
    # The registry's replies were sent by delegation_facts; asking again reads the cache.
    replies = session.ask_all(
        Query(hostname, dns.rdatatype.A, a.server, a.options) for a in found.asked if not a.refusal
    )
    evidence = [
        Evidence(f"The registry's server {r.query.server.label}", render_full(r)) for r in replies
    ]
    zone = found.zone
    if zone is None or _is_suffix(zone):
        gone = {"host": hostname.text, "zone": zone.rstrip(".") if zone else None}
        return check(
            CheckId.DOMAIN_EXISTS, title, Finding("domain.missing", Level.FAIL, gone),
            [fix("fix.renew-domain")], evidence,
        )  # fmt: skip
    facts = found.delegation
    if facts is None or not facts.parent_ns:
        unsure = {"zone": zone.rstrip("."), "problems": list(found.problems)}
        return check(
            CheckId.DOMAIN_EXISTS, title, Finding("domain.unconfirmed", Level.WARN, unsure),
            [fix("fix.check-registrar")], evidence,
        )  # fmt: skip
    names = [n.rstrip(".") for n in facts.parent_ns]
    delegated = {"zone": zone.rstrip("."), "nameservers": names}
    return check(
        CheckId.DOMAIN_EXISTS,
        title,
        Finding("domain.delegated", Level.PASS, delegated),
        (),
        evidence,
    )


def _is_suffix(zone: str) -> bool:
    name = zone.rstrip(".").lower()
    return name.count(".") == 0 or name in _TWO_LABEL_SUFFIXES


def _points_here(hostname: Hostname, outcome: Outcome) -> CheckResult:
    title = N_("DNS points at your server")
    auth = [b for b in outcome.blocks if b.mode == Role.AUTH]
    evidence = [
        Evidence(
            f"{b.query.hostname.text} {b.query.type_text} @{b.query.server.label}",
            render_full(b.result),
        )
        for b in auth
    ]
    host = hostname.text
    if not outcome.plan.expected:
        answered = sorted(
            {a for b in auth if not b.companion and b.result.ok for a in _addresses(b)}
        )
        shown = Finding("dns.not-compared", Level.WARN, {"host": host, "addresses": answered})
        return check(CheckId.DNS_POINTS_HERE, title, shown, [fix("fix.enter-expected")], evidence)
    bad = [f for f in outcome.verdicts if f.level is Level.FAIL]
    verdicts = [b.verdict for b in auth if not b.companion and b.verdict]
    wrong = [v.finding for v in verdicts if v.level is Level.FAIL]
    if not auth:
        nobody = Finding("dns.no-nameservers", Level.FAIL, {"host": host})
        return check(
            CheckId.DNS_POINTS_HERE, title, [nobody, *outcome.notes],
            [fix("fix.check-nameservers")], evidence, level=Level.FAIL,
        )  # fmt: skip
    if bad or wrong:
        return check(
            CheckId.DNS_POINTS_HERE, title, [*bad, *wrong], [fix("fix.correct-records")], evidence,
            level=Level.FAIL,
        )  # fmt: skip
    matched = sorted({a for v in verdicts if v.status == "match" for a in v.matched})
    warned = [f for f in outcome.verdicts if f.level is Level.WARN]
    warned += [v.finding for v in verdicts if v.level is Level.WARN]
    if not matched and not warned:
        # Not one nameserver replied: nothing says where the name points.
        silent = Finding("dns.no-replies", Level.UNKNOWN, {"host": host})
        return check(
            CheckId.DNS_POINTS_HERE, title, [silent, *outcome.verdicts],
            [fix("fix.check-nameservers")], evidence,
        )  # fmt: skip
    here = Finding("dns.points-here", Level.PASS, {"host": host, "addresses": matched})
    if warned:
        # Old answers in caches wear off; a silent nameserver needs fixing; a record webdig
        # cannot judge needs the user's answer (its sentence asks).
        advice = []
        if any(f.code == "cache.stale" for f in warned):
            advice.append(fix("fix.wait-ttl"))
        if any(f.code == "consistency.silent" for f in warned):
            advice.append(fix("fix.check-nameservers"))
        found = [here, *warned] if matched else warned
        return check(CheckId.DNS_POINTS_HERE, title, found, advice, evidence, level=Level.WARN)
    return check(CheckId.DNS_POINTS_HERE, title, here, (), evidence)


def _addresses(block: Block) -> list[str]:
    return follow_chain(block.result)[1]


def _addresses_via(session: QuerySession, resolver: Server) -> Callable[[str], list[str]]:
    """A host's addresses through ``resolver``, as the probes look up redirect targets."""

    def resolve(host: str) -> list[str]:
        return session.addresses(parse_hostname(host), resolver)[0]

    return resolve
