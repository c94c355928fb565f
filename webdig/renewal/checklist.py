"""The renewal checklist: "why did my certificate renewal fail?" in one run.

Runs the hosting manuals' checks concurrently under one deadline (domain
exists; DNS points at the server; CAA; the HTTP-01 challenge path; the
certificate now served; the CA's own status) for every name the
certificate must cover, and names the item that most likely broke the
renewal.  The items, by scope, are in :mod:`webdig.renewal.checkitems` (where one is
added); :mod:`webdig.renewal.checkjobs` makes them jobs, and
:mod:`webdig.renewal.discovery` adds the names the served certificate covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from webdig.engine.names import Hostname
from webdig.engine.nameservers import own_resolver
from webdig.engine.session import CHECK_LANES
from webdig.errors import InputError
from webdig.findings.model import Finding, Level
from webdig.lookup.context import LookupContext
from webdig.lookup.params import LookupParams, Mode
from webdig.lookup.run import InvalidParams, plan
from webdig.renewal.checkitems import DNS_ITEMS, REQUEST_ITEMS, Shared
from webdig.renewal.checkjobs import item_jobs
from webdig.renewal.discovery import Discovery, absent_counterparts
from webdig.renewal.dns01 import Method
from webdig.renewal.items import CheckResult, check
from webdig.renewal.names import CheckedName, NameSource, counterpart
from webdig.renewal.question import CheckQuestion
from webdig.renewal.report import RenewalReport, ordered, summarize
from webdig.renewal.sitechecks import Allowance, Handshakes
from webdig.settings import Settings


def check_renewal(
    domain: str | Sequence[str],
    expected: tuple[str, ...],
    settings: Settings,
    context: LookupContext | None = None,
    *,
    only: bool = False,
    now: datetime | None = None,
    method: Method | str = Method.AUTO,
) -> RenewalReport:
    """Run every check for the names in ``domain``; raises :class:`InvalidParams` for bad input.

    ``domain`` is one name, several, or a text with one name per line.  Unless
    ``only``, each name's www/bare counterpart and the names of the
    certificate served now are checked too.  ``method`` ``dns-01`` adds the
    ``dns-01`` item for every name and shows ``http-challenge`` for reference
    only; a wildcard on the served certificate gets the ``dns-01`` item anyway (with
    ``only``, under the typed names it covers).
    Errors are keyed ``domain`` and ``expected``, the fields of the check form.
    ``now`` is the moment expiry dates are judged against (default: the clock's).
    """
    today = (now or datetime.now(UTC)).date()
    wrong_method: list[str] = []
    if not isinstance(method, Method):
        try:
            method = Method.from_text(method)
        except InputError as exc:
            method, wrong_method = Method.AUTO, [exc.message]
    typed = _typed(domain)
    params = LookupParams(hostnames=typed, ns=Mode.ALL, expected=expected)
    shared_context = context or LookupContext()
    with shared_context.session(settings, lanes=CHECK_LANES) as session:
        try:
            looked_up = plan(params, settings, session=session)
        except InvalidParams as exc:
            fields = {("domain" if k == "hostnames" else k): v for k, v in exc.fields.items()}
            raise InvalidParams(
                fields | ({"method": wrong_method} if wrong_method else {})
            ) from exc
        if wrong_method:
            raise InvalidParams({"method": wrong_method})
        shared = Shared(
            settings,
            session,
            own_resolver(settings),
            shared_context,
            looked_up,
            Allowance(),
            today,
            Handshakes(session),
            method=method,
        )
        names = [CheckedName(h.text, NameSource.TYPED) for h in looked_up.hostnames]
        hostnames = list(looked_up.hostnames)
        if not only:
            for hostname in looked_up.hostnames:
                other = counterpart(hostname)
                if other is not None and other not in hostnames:
                    hostnames.append(other)
                    names.append(CheckedName(other.text, NameSource.COUNTERPART))
        hostnames, names, notes = _capped(hostnames, names, settings.max_hostnames)
        discovery = Discovery(shared, hostnames, names, settings.max_hostnames, only=only)
        # Right after the website probes: it starts the longest chain (certificate → names).
        # With ``only`` it adds no name, but a wildcard on the certificate still means DNS-01.
        jobs = [*item_jobs(shared, hostnames), discovery.run]
        jobs += [lambda item=item: list(item(shared)) for item in REQUEST_ITEMS]  # type: ignore[misc]
        rows = [row for done in session.map(lambda job: job(), jobs) for row in done]
        rows = absent_counterparts(shared, rows, discovery.names, discovery.certificate)
        sent, busy_for = session.sent, session.busy_for
    if busy_for:
        # A query webdig chose not to send is never evidence: whatever the DNS
        # items concluded without it ("does not exist", "no CAA") is unknown.
        rows = [_busy(c, busy_for) if c.id in DNS_ITEMS else c for c in rows]
    checks = ordered(rows, [n.name for n in discovery.names])
    return RenewalReport(
        domain=looked_up.hostnames[0].text,
        expected=shared.expected,
        checks=checks,
        headline=summarize(checks, busy_for=busy_for),
        outcomes=[shared.outcomes[h] for h in discovery.hostnames if h in shared.outcomes],
        queries_sent=sent,
        names=discovery.names,
        notes=[*notes, *discovery.notes],
        only=only,
        method=method,
    )


def check_question(
    question: CheckQuestion,
    settings: Settings,
    context: LookupContext | None = None,
    *,
    now: datetime | None = None,
) -> RenewalReport:
    """Run the check ``question`` asks (its cause changes nothing that is checked)."""
    return check_renewal(
        question.domains, question.expected, settings, context,
        only=question.only, now=now, method=question.method,
    )  # fmt: skip


def _typed(domain: str | Sequence[str]) -> tuple[str, ...]:
    """The names typed: one per line of each value, in order, once each (a space inside a
    line is the name's own mistake, which planning explains)."""
    values = [domain] if isinstance(domain, str) else list(domain)
    found = [line.strip() for value in values for line in value.splitlines() if line.strip()]
    return tuple(dict.fromkeys(found)) if found else ("",)


def _capped(
    hostnames: list[Hostname], names: list[CheckedName], most: int
) -> tuple[list[Hostname], list[CheckedName], list[Finding]]:
    """At most ``most`` names are checked (as a look-up's hostnames); the rest are listed."""
    if len(hostnames) <= most:
        return hostnames, names, []
    left = [replace(n, checked=False) for n in names[most:]]
    skipped = [n.name for n in left]
    note = Finding(
        "names.not-checked", Level.INFO, {"names": skipped, "limit": most, "count": len(skipped)}
    )
    return hostnames[:most], [*names[:most], *left], [note]


def _busy(item: CheckResult, wait: int) -> CheckResult:
    return replace(
        check(item.id, item.title, Finding("check.busy", Level.UNKNOWN, {"wait": wait})),
        evidence=item.evidence, name=item.name, zone=item.zone,
    )  # fmt: skip
