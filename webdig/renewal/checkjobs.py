"""A check's items as jobs for the session's pool: every name's DNS items in one job, each
name's probes in a job of their own, the zones' items in one more."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from webdig.engine.names import Hostname
from webdig.lookup.modes import HostTargets
from webdig.renewal import dnsitems
from webdig.renewal.checkitems import (
    NAME_ITEMS,
    PROBE_ITEMS,
    ZONE_ITEMS,
    NameItem,
    Shared,
    Zone,
)
from webdig.renewal.items import CheckResult


def item_jobs(
    shared: Shared, hostnames: Sequence[Hostname]
) -> list[Callable[[], list[CheckResult]]]:
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
