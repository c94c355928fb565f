"""The renewal checklist: "why did my certificate renewal fail?" in one run.

Runs the hosting manuals' checks concurrently under one deadline (domain
exists; DNS points at the server; CAA; the HTTP-01 challenge path; the
certificate now served; the CA's own status) for every name the
certificate must cover, and names the item that most likely broke the
renewal.

**Adding an item.**  An item is a function that returns its rows
(:class:`~webdig.renewal.items.CheckResult`), listed in one of the tuples
below by scope; the runner stamps each row with the name it is about,
runs everything side by side, and orders the rows by :class:`CheckId`
(the manual's order) within each name:

- :data:`NAME_ITEMS`: ``item(shared, hostname)``, once per checked name
  (``dns-points-here``, ``caa``, and ``dns-01`` with ``method=dns-01``): DNS
  look-ups, which take milliseconds, so they run one after another in one
  job of the check;
- :data:`PROBE_ITEMS`: the same, for items that wait on a web server
  (``http-challenge``, ``certificate``): each name's runs in a job of its own;
- :data:`ZONE_ITEMS`: ``item(shared, zone)``, once per zone the names
  belong to (``domain-exists``, ``dnssec``); rows have no name;
- :data:`WILDCARD_ITEMS`: ``item(shared, hostname)``, once per wildcard
  name of the served certificate (``*.example.com``: noted, never probed
  over HTTP; ``dns-01``, the only way a wildcard is validated);
- :data:`REQUEST_ITEMS`: ``item(shared)``, once per check (``ca-status``);
  rows have no name.

Add the id to :class:`CheckId` in the manual's order, the function to the
tuple, its words to the catalog, and its DNS items to :data:`DNS_ITEMS`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from webdig.engine.names import Hostname, parse_hostname
from webdig.engine.nameservers import own_resolver
from webdig.engine.query import Server
from webdig.engine.session import CHECK_LANES, QuerySession
from webdig.errors import InputError
from webdig.findings.model import Finding, Level, Param
from webdig.lookup.context import LookupContext
from webdig.lookup.modes import HostTargets
from webdig.lookup.params import LookupParams, Mode
from webdig.lookup.planning import Plan
from webdig.lookup.run import InvalidParams, Outcome, plan, run
from webdig.renewal import dnsitems
from webdig.renewal.caa import caa_check, find_caa
from webdig.renewal.castatus import ca_status_check
from webdig.renewal.certificate import read_certificate
from webdig.renewal.dns01 import Method, dns01_check, find_challenge, for_reference
from webdig.renewal.dnssec import ask_zone, dnssec_check
from webdig.renewal.items import CheckId, CheckResult, check
from webdig.renewal.names import (
    CheckedName,
    NameSource,
    certificate_hostnames,
    counterpart,
)
from webdig.renewal.registration import with_registration
from webdig.renewal.registry import registration_verdict
from webdig.renewal.report import RenewalReport, ordered, summarize
from webdig.renewal.sitechecks import Allowance, Handshakes, web_checks
from webdig.settings import Settings


@dataclass(frozen=True)
class Shared:
    """What every item of one check gets: the session, the user's input, the budgets."""

    settings: Settings
    session: QuerySession
    resolver: Server
    """webdig's own resolver: how names and redirect targets are resolved."""
    context: LookupContext
    plan: Plan
    """The typed names' look-up plan: validated input, ``expected`` resolved."""
    allowance: Allowance
    """The probe caps, shared by every name of the check."""
    today: date
    """The day expiry dates are judged against (UTC): the caller's clock."""
    handshakes: Handshakes
    """The check's TLS handshakes, each made once."""
    outcomes: dict[Hostname, Outcome] = field(default_factory=dict)
    """Each name's ``dns-points-here`` look-up, kept for the report (replies, hosting)."""
    method: Method = Method.AUTO
    """How the renewal validates: ``dns-01`` when the user said so."""

    @property
    def expected(self) -> list[str]:
        """The user's server addresses, as text."""
        return [str(a) for a in self.plan.expected]

    def plan_for(self, hostname: Hostname) -> Plan:
        """The look-up of ``hostname`` alone, as the typed names' plan asks it."""
        params = replace(self.plan.params, hostnames=(hostname.text,))
        return replace(self.plan, params=params, hostnames=(hostname,))


@dataclass(frozen=True)
class Zone:
    """A zone the checked names belong to, as the registry's delegation showed it."""

    name: str
    """The registered domain (``example.com``, lower case): the rows' ``zone``."""
    hostname: Hostname
    """The first checked name in it (the one walked)."""
    found: HostTargets
    names: tuple[Hostname, ...]


NameItem = Callable[[Shared, Hostname], Sequence[CheckResult]]
ZoneItem = Callable[[Shared, Zone], Sequence[CheckResult]]
RequestItem = Callable[[Shared], Sequence[CheckResult]]


def _points_here(shared: Shared, hostname: Hostname) -> Sequence[CheckResult]:
    outcome = run(
        shared.plan_for(hostname), shared.settings, session=shared.session, context=shared.context
    )
    shared.outcomes[hostname] = outcome
    return [dnsitems.points_here(hostname, outcome)]


def _caa(shared: Shared, hostname: Hostname) -> Sequence[CheckResult]:
    return [caa_check(hostname, find_caa(hostname, shared.session, shared.resolver))]


def _website(shared: Shared, hostname: Hostname) -> Sequence[CheckResult]:
    session = shared.session
    rows = web_checks(
        hostname, session, shared.resolver, shared.expected, shared.allowance, shared.handshakes
    )
    if shared.method is not Method.DNS01:
        return rows
    # Let's Encrypt fetches no file for a DNS-01 renewal: port 80 is shown, not judged.
    return [for_reference(r) if r.id is CheckId.HTTP_CHALLENGE else r for r in rows]


def _dns01(shared: Shared, hostname: Hostname) -> Sequence[CheckResult]:
    if shared.method is not Method.DNS01:
        return []
    return _dns01_wildcard(shared, hostname)


def _dns01_wildcard(shared: Shared, hostname: Hostname) -> Sequence[CheckResult]:
    # A wildcard can only be validated by DNS-01; unless the user said the renewal uses
    # it, the TXT record may exist only while a renewal runs (see dns01_check).
    chain = find_challenge(hostname, shared.session, shared.resolver)
    return [dns01_check(chain, asked=shared.method is Method.DNS01)]


def _domain_exists(shared: Shared, zone: Zone) -> Sequence[CheckResult]:
    item = dnsitems.domain_exists(zone.hostname, zone.found, shared.session)
    # The registry is asked about the zone cut the walk found (none: the name's own domain).
    delegated = item.findings[0].code != "domain.missing"
    verdict = registration_verdict(
        zone.found.zone if delegated else None, zone.hostname.ascii, session=shared.session,
        resolver=shared.resolver, cache=shared.context.registry, today=shared.today,
    )  # fmt: skip
    return [item if verdict is None else with_registration(item, verdict)]


def _dnssec(shared: Shared, zone: Zone) -> Sequence[CheckResult]:
    found = zone.found
    # Without a registered domain (only a suffix answers) there is no DS record to look for.
    registered = found.zone is not None and not dnsitems.is_suffix(found.zone)
    replies = ask_zone(found, zone.names, shared.session, shared.resolver) if registered else None
    return [dnssec_check(replies, zone.hostname.text)]


def _ca_status(shared: Shared) -> Sequence[CheckResult]:
    session, resolver = shared.session, shared.resolver

    def resolve(host: str) -> list[str]:
        return session.addresses(parse_hostname(host), resolver)[0]

    url = shared.settings.ca_status_url
    return [
        ca_status_check(url, settings=shared.settings, resolve=resolve, deadline=session.deadline)
    ]


NAME_ITEMS: tuple[NameItem, ...] = (_points_here, _caa, _dns01)
"""DNS items run once per checked name, one after another."""
PROBE_ITEMS: tuple[NameItem, ...] = (_website,)
"""Items run once per checked name that wait on web servers: each in its own job."""
ZONE_ITEMS: tuple[ZoneItem, ...] = (_domain_exists, _dnssec)
"""Items run once per zone of the checked names."""
WILDCARD_ITEMS: tuple[NameItem, ...] = (_dns01_wildcard,)
"""Items run once per wildcard name of the served certificate (``*.example.com``)."""
REQUEST_ITEMS: tuple[RequestItem, ...] = (_ca_status,)
"""Items run once per check."""

DNS_ITEMS = (
    CheckId.DOMAIN_EXISTS,
    CheckId.DNSSEC,
    CheckId.DNS_POINTS_HERE,
    CheckId.CAA,
    CheckId.DNS01,
)
"""The items judged from DNS replies: unknown when a budget held a query back."""


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
    only; a wildcard on the served certificate gets the ``dns-01`` item anyway.
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
        discovery = _Discovery(shared, hostnames, names, settings.max_hostnames)
        jobs = _jobs(shared, hostnames)
        if not only:
            # Right after the website probes: it starts the longest chain (certificate → names).
            jobs.append(discovery.run)
        jobs += [lambda item=item: list(item(shared)) for item in REQUEST_ITEMS]  # type: ignore[misc]
        rows = [row for done in session.map(lambda job: job(), jobs) for row in done]
        rows = _absent_counterparts(shared, rows, discovery.names, discovery.certificate)
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


def _jobs(shared: Shared, hostnames: Sequence[Hostname]) -> list[Callable[[], list[CheckResult]]]:
    """Every item for ``hostnames`` as jobs: first every DNS item, one after another (the
    job the calling thread runs itself), then each name's probes in a job of its own,
    then the zones' items.

    A check has few threads of the shared pool (``CHECK_LANES``), and a job that found none
    waits for its turn: they go to the probes, which wait on web servers for a long
    time, rather than to look-ups that are over in milliseconds.
    """

    def named(item: NameItem, hostname: Hostname) -> Callable[[], list[CheckResult]]:
        return lambda: [replace(row, name=hostname.text) for row in item(shared, hostname)]

    def look_ups() -> list[CheckResult]:
        return [row for item in NAME_ITEMS for h in hostnames for row in named(item, h)()]

    probes = [named(item, h) for item in PROBE_ITEMS for h in hostnames]
    # The zone's items ask the registry too (RDAP, WHOIS), which may take its time.
    return [look_ups, *probes, lambda: _zone_rows(shared, hostnames)]


def _zone_rows(shared: Shared, hostnames: Sequence[Hostname]) -> list[CheckResult]:
    """The zones of ``hostnames`` (one delegation walk each, cached), then each zone's items."""
    walked = [dnsitems.zone_of(h, shared.session, shared.resolver) for h in hostnames]
    zones: dict[str, Zone] = {}
    for hostname, found in zip(hostnames, walked, strict=True):
        key = zone_key(hostname, found)
        if key in zones:
            zones[key] = replace(zones[key], names=(*zones[key].names, hostname))
        else:
            zones[key] = Zone(key, hostname, found, (hostname,))
    return [
        replace(row, zone=zone.name)
        for zone in zones.values()
        for item in ZONE_ITEMS
        for row in item(shared, zone)
    ]


def zone_key(hostname: Hostname, found: HostTargets) -> str:
    """The registered domain a name belongs to: its zone, or, when the domain is gone (only
    a suffix answers), the label below that suffix."""
    zone = found.zone
    if zone is not None and not dnsitems.is_suffix(zone):
        return zone.rstrip(".").lower()
    labels = hostname.ascii.rstrip(".").lower().split(".")
    depth = zone.rstrip(".").count(".") + 2 if zone else 2
    return ".".join(labels[-depth:])


class _Discovery:
    """The certificate served now for the typed names, and the checks of the names on it.

    Its :meth:`run` is one job of the check: the TLS handshake with the
    user's server, then every item of the names the certificate adds (the
    longest chain of the check: certificate, then its names' probes).
    """

    def __init__(
        self, shared: Shared, hostnames: list[Hostname], names: list[CheckedName], most: int
    ) -> None:
        self.shared = shared
        self.hostnames = list(hostnames)
        self.names = list(names)
        self.most = most
        self.certificate: list[str] = []
        """The DNS names of the certificates read (empty: none could be read)."""
        self.notes: list[Finding] = []

    def run(self) -> list[CheckResult]:
        shared = self.shared
        typed = [h for h in self.hostnames if self._source(h) is NameSource.TYPED]
        for names in shared.session.map(self._served_names, typed):
            self.certificate += [n for n in names if n not in self.certificate]
        added, wildcards = certificate_hostnames(self.certificate)
        added = [h for h in added if h not in self.hostnames]
        room = max(self.most - len(self.hostnames), 0)
        self.hostnames += added[:room]
        self.names += [CheckedName(h.text, NameSource.CERTIFICATE) for h in added[:room]]
        if added[room:]:
            left = [h.text for h in added[room:]]
            self.names += [CheckedName(n, NameSource.CERTIFICATE, checked=False) for n in left]
            skipped: dict[str, Param] = {"names": left, "limit": self.most, "count": len(left)}
            self.notes.append(Finding("names.not-checked", Level.INFO, skipped))
        for wildcard in wildcards:
            self.names.append(
                CheckedName(wildcard, NameSource.CERTIFICATE, wildcard=True, checked=False)
            )
            self.notes.append(Finding("names.wildcard", Level.INFO, {"name": wildcard}))
        jobs = _jobs(shared, added[:room]) if added[:room] else []
        jobs += [_wildcard_job(shared, item, name) for item in WILDCARD_ITEMS for name in wildcards]
        return [row for rows in shared.session.map(lambda job: job(), jobs) for row in rows]

    def _source(self, hostname: Hostname) -> NameSource:
        for name in self.names:
            if name.name == hostname.text:
                return name.source
        return NameSource.TYPED

    def _served_names(self, hostname: Hostname) -> list[str]:
        """The names on the certificate the user's server serves for ``hostname``."""
        shared = self.shared
        addresses = shared.session.addresses(hostname, shared.resolver)[0]
        mine = {ipaddress.ip_address(a) for a in shared.expected}
        # Only the user's own server gets a full TLS probe (see sitechecks).
        theirs = [a for a in addresses if ipaddress.ip_address(a) in mine][:1]
        if not theirs:
            return []
        probe = shared.handshakes.probe(hostname.text, theirs[0])
        if probe.certificate is None:
            return []
        try:
            return read_certificate(probe.certificate).names
        except ValueError:
            return []


def _wildcard_job(shared: Shared, item: NameItem, wildcard: str) -> Callable[[], list[CheckResult]]:
    """``item`` for a wildcard of the certificate: it gets the name below ``*.``."""
    base = parse_hostname(wildcard[2:])
    return lambda: [replace(row, name=wildcard) for row in item(shared, base)]


def _absent_counterparts(
    shared: Shared, rows: list[CheckResult], names: list[CheckedName], certificate: list[str]
) -> list[CheckResult]:
    """A counterpart with no address, not on the certificate, is fine: one ``info`` row."""
    on_certificate = set(certificate_hostnames(certificate)[0])
    absent: set[str] = set()
    for name in names:
        if name.source is not NameSource.COUNTERPART or not name.checked:
            continue
        hostname = parse_hostname(name.name)
        if hostname in on_certificate:
            continue
        if dnsitems.has_no_address(hostname, shared.session, shared.resolver):
            absent.add(name.name)
    if not absent:
        return rows
    kept = [row for row in rows if row.name not in absent]
    for host in absent:
        found = Finding("names.counterpart-absent", Level.INFO, {"host": host})
        row = check(CheckId.DNS_POINTS_HERE, dnsitems.POINTS_TITLE, found)
        kept.append(replace(row, name=host))
    return kept


def _busy(item: CheckResult, wait: int) -> CheckResult:
    return replace(
        check(item.id, item.title, Finding("check.busy", Level.UNKNOWN, {"wait": wait})),
        evidence=item.evidence, name=item.name, zone=item.zone,
    )  # fmt: skip
