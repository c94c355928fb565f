"""The renewal checklist: "why did my certificate renewal fail?" in one run.

Runs the hosting manuals' checks concurrently under one deadline (domain
exists; DNS points at the server; CAA; the HTTP-01 challenge path; the
certificate now served; the CA's own status) and names the item that most
likely broke the renewal.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import dns.rdatatype

from webdig.dig.message import render_full
from webdig.engine.names import Hostname, parse_hostname
from webdig.engine.nameservers import own_resolver
from webdig.engine.query import Query, QueryOptions, Server
from webdig.engine.session import QuerySession
from webdig.findings.catalog import paragraph, sentence
from webdig.findings.model import Level
from webdig.lookup.answers import follow_chain
from webdig.lookup.context import LookupContext
from webdig.lookup.modes import HostTargets, delegation_facts
from webdig.lookup.params import LookupParams
from webdig.lookup.run import Block, InvalidParams, Outcome, plan, run
from webdig.renewal.caa import caa_check, find_caa
from webdig.renewal.castatus import ca_status_check
from webdig.renewal.certificate import certificate_check
from webdig.renewal.challenge import challenge_check
from webdig.renewal.items import CHECK_IDS, CheckResult, Evidence
from webdig.renewal.probe import probe_http, probe_tls
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
    """The checklist's results, in the hosting manual's order, with a summary sentence."""

    domain: str
    expected: list[str]
    checks: list[CheckResult]
    summary: str
    summary_status: str
    outcome: Outcome | None = None
    queries_sent: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def check_renewal(
    domain: str,
    expected: tuple[str, ...],
    settings: Settings,
    context: LookupContext | None = None,
) -> RenewalReport:
    """Run every check for ``domain``; raises :class:`InvalidParams` for bad input.

    Errors are keyed ``domain`` and ``expected``, the fields of the check form.
    """
    params = LookupParams(hostnames=(domain,), ns="all", expected=expected)
    shared = context or LookupContext()
    with shared.session(settings) as session:
        try:
            looked_up = plan(params, settings, session=session)
        except InvalidParams as exc:
            fields = {("domain" if k == "hostnames" else k): v for k, v in exc.fields.items()}
            raise InvalidParams(fields) from exc
        hostname = looked_up.hostnames[0]
        resolver = own_resolver(settings)
        jobs: list[Callable[[], Any]] = [
            lambda: _domain_exists(hostname, session, resolver),
            lambda: run(looked_up, settings, session=session, context=shared),
            lambda: caa_check(hostname, find_caa(hostname, session, resolver)),
            lambda: _web_checks(hostname, session, resolver),
            lambda: ca_status_check(settings.ca_status_url, timeout=min(3.0, settings.deadline)),
        ]
        exists, outcome, caa, (http, certificate), ca = session.map(lambda job: job(), jobs)
        points = _points_here(hostname, outcome)
        checks = [exists, points, caa, http, certificate, ca]
        sent = session.sent
    assert [c.id for c in checks] == list(CHECK_IDS)
    summary, status = summarize(checks)
    return RenewalReport(
        domain=hostname.text,
        expected=[str(a) for a in looked_up.expected],
        checks=checks,
        summary=summary,
        summary_status=status,
        outcome=outcome,
        queries_sent=sent,
    )


def summarize(checks: list[CheckResult]) -> tuple[str, str]:
    """One sentence naming the item that most likely broke the renewal, and its status."""
    for wanted in ("fail", "warn"):
        found = [c for c in checks if c.status == wanted]
        if found:
            first = found[0]
            lead = (
                "Most likely cause"
                if wanted == "fail"
                else "Nothing blocks the renewal for sure, but"
            )
            more = (
                f" ({len(found) - 1} more item{'s' if len(found) > 2 else ''} below.)"
                if len(found) > 1
                else ""
            )
            return f"{lead}: {first.detail} {first.fix}".strip() + more, wanted
    return (
        "Everything Let's Encrypt checks looks right. Press renew in your hosting panel, then "
        "open your site and check that the certificate's expiry date moved.",
        "pass",
    )


def _domain_exists(hostname: Hostname, session: QuerySession, resolver: Server) -> CheckResult:
    title = "The domain exists and has not expired"
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
        where = f" (only {zone.rstrip('.')} answers)" if zone else ""
        return CheckResult(
            "domain-exists", "fail", title,
            f"{hostname.text} does not exist in DNS{where}: the domain is not registered, "
            "has expired, or the registry has suspended it.",
            "Check the domain's expiry date at your registrar and renew it; after renewal it "
            "can take a few hours to come back.",
            evidence,
        )  # fmt: skip
    facts = found.delegation
    if facts is None or not facts.parent_ns:
        problem = "; ".join(found.problems) or "the registry's servers gave no delegation"
        return CheckResult(
            "domain-exists", "warn", title,
            f"Could not confirm that the registry delegates {zone.rstrip('.')}: {problem}",
            "Check the domain at your registrar.", evidence,
        )  # fmt: skip
    names = ", ".join(n.rstrip(".") for n in facts.parent_ns)
    return CheckResult(
        "domain-exists", "pass", title,
        f"The registry delegates {zone.rstrip('.')} to {names}.", "", evidence,
    )  # fmt: skip


def _is_suffix(zone: str) -> bool:
    name = zone.rstrip(".").lower()
    return name.count(".") == 0 or name in _TWO_LABEL_SUFFIXES


def _points_here(hostname: Hostname, outcome: Outcome) -> CheckResult:
    title = "DNS points at your server"
    auth = [b for b in outcome.blocks if b.mode == "auth"]
    evidence = [
        Evidence(
            f"{b.query.hostname.text} {b.query.type_text} @{b.query.server.label}",
            render_full(b.result),
        )
        for b in auth
    ]
    if not outcome.plan.expected:
        answered = sorted(
            {a for b in auth if not b.companion and b.result.ok for a in _addresses(b)}
        )
        shown = ", ".join(answered) or "no address"
        return CheckResult(
            "dns-points-here", "warn", title,
            f"The nameservers of {hostname.text} answer {shown}.",
            "Enter your server's IP address (shown in your hosting panel) to check it.",
            evidence,
        )  # fmt: skip
    bad = [f for f in outcome.verdicts if f.level is Level.FAIL]
    wrong = [
        b.verdict for b in auth if not b.companion and b.verdict and b.verdict.status != "match"
    ]
    if not auth:
        return CheckResult(
            "dns-points-here", "fail", title,
            f"No nameserver of {hostname.text} could be asked. {paragraph(outcome.notes)}".strip(),
            "Check the nameserver settings at your registrar.", evidence,
        )  # fmt: skip
    if bad or wrong:
        messages = [sentence(f) for f in bad] + [
            sentence(v.finding) for v in wrong if v is not None
        ]
        return CheckResult(
            "dns-points-here", "fail", title, " ".join(dict.fromkeys(messages)),
            "Correct the A/AAAA records at the nameservers the registry delegates to, so that "
            "they all answer your server's address; then wait for the old answers' TTL to pass.",
            evidence,
        )  # fmt: skip
    warned = [sentence(f) for f in outcome.verdicts if f.level is Level.WARN]
    matched = sorted(
        {a for b in auth if b.verdict and b.verdict.status == "match" for a in b.verdict.matched}
    )
    detail = f"Every nameserver of {hostname.text} answers {', '.join(matched)}, your server."
    if warned:
        return CheckResult(
            "dns-points-here", "warn", title, detail + " " + " ".join(warned),
            "Wait until the old answers expire before pressing renew.", evidence,
        )  # fmt: skip
    return CheckResult("dns-points-here", "pass", title, detail, "", evidence)


def _addresses(block: Block) -> list[str]:
    return follow_chain(block.result)[1]


def _web_checks(
    hostname: Hostname, session: QuerySession, resolver: Server
) -> tuple[CheckResult, CheckResult]:
    addresses, problems = session.addresses(hostname, resolver)
    if not addresses:
        why = "; ".join(problems) or "it has no A or AAAA record"
        skipped = [
            CheckResult(
                check_id,
                "skip",
                title,
                f"{hostname.text} has no address to connect to ({why}).",
                "",
            )
            for check_id, title in (
                ("http-challenge", "Let's Encrypt can reach your site on port 80"),
                ("certificate", "The certificate your site serves"),
            )
        ]
        return skipped[0], skipped[1]
    settings = session.settings

    def resolve(host: str) -> list[str]:
        return session.addresses(parse_hostname(host), resolver)[0]

    # The two probes run side by side: the HTTP one in a helper thread.
    with ThreadPoolExecutor(1, thread_name_prefix="webdig-query") as pool:
        http_future = pool.submit(
            probe_http, hostname.text, addresses, settings=settings, resolve=resolve
        )
        tls_probes = probe_tls(hostname.text, addresses, settings=settings)
        http_probes = http_future.result()
    return challenge_check(hostname.text, http_probes), certificate_check(hostname.text, tls_probes)
