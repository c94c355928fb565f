"""The checklist's items by scope, and what every item of one check gets (:class:`Shared`).

**Adding an item.**  An item is a function that returns its rows
(:class:`~webdig.renewal.items.CheckResult`), listed in one of the tuples
below by scope; the runner (:mod:`webdig.renewal.checklist`, through
:mod:`webdig.renewal.checkjobs`) stamps each row with the name it is about,
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
  over HTTP; ``dns-01``, the only way a wildcard is validated); with ``only``
  its rows are shown under the typed names it covers;
- :data:`REQUEST_ITEMS`: ``item(shared)``, once per check (``ca-status``);
  rows have no name.

Add the id to :class:`CheckId` in the manual's order, the function to the
tuple, its words to the catalog, and its DNS items to :data:`DNS_ITEMS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import cast

from webdig.engine.names import Hostname, parse_hostname
from webdig.engine.query import Server
from webdig.engine.session import QuerySession
from webdig.findings.model import Level
from webdig.lookup.context import LookupContext
from webdig.lookup.modes import HostTargets
from webdig.lookup.planning import Plan
from webdig.lookup.run import Outcome, run
from webdig.renewal import dnsitems
from webdig.renewal.caa import caa_check, find_caa
from webdig.renewal.castatus import STATUS_SECONDS, UNREAD_SECONDS, ca_status_check
from webdig.renewal.dns01 import Method, dns01_check, find_challenge, for_reference
from webdig.renewal.dnssec import ask_zone, dnssec_check
from webdig.renewal.items import CheckId, CheckResult
from webdig.renewal.registration import with_registration
from webdig.renewal.registry import registration_verdict
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

    def fetch() -> tuple[object, float]:
        found = ca_status_check(
            url, settings=shared.settings, resolve=resolve, deadline=session.deadline
        )
        return found, STATUS_SECONDS if found.level is not Level.UNKNOWN else UNREAD_SECONDS

    if not url:
        return [cast(CheckResult, fetch()[0])]
    # Let's Encrypt's status is the same for every check: one fetch a minute per worker,
    # not one per check (30 a minute from one visitor, uncounted by any budget).
    kept = shared.context.registry.get_or_make(f"ca-status {url}", fetch, deadline=session.deadline)
    return [cast(CheckResult, kept)]


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
