"""The names the certificate served now adds to a check, and the counterparts that need none.

The typed names' counterparts (www/bare) and the served certificate's names are checked
with the typed ones; a counterpart with no address that no certificate names is fine, and
is said so in one row instead of failing items.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import replace

from webdig.engine.names import Hostname, parse_hostname
from webdig.findings.model import Finding, Level, Param
from webdig.renewal import dnsitems
from webdig.renewal.certificate import read_certificate
from webdig.renewal.checkitems import WILDCARD_ITEMS, NameItem, Shared
from webdig.renewal.checkjobs import item_jobs
from webdig.renewal.dns01 import Method
from webdig.renewal.items import CheckId, CheckResult, check
from webdig.renewal.names import (
    CheckedName,
    NameSource,
    certificate_hostnames,
    shares_record,
)


class Discovery:
    """The certificate served now for the typed names, and the checks of the names on it.

    Its :meth:`run` is one job of the check: the TLS handshake with the
    user's server, then every item of the names the certificate adds (the
    longest chain of the check: certificate, then its names' probes).
    """

    def __init__(
        self,
        shared: Shared,
        hostnames: list[Hostname],
        names: list[CheckedName],
        most: int,
        *,
        only: bool = False,
    ) -> None:
        self.shared = shared
        self.hostnames = list(hostnames)
        self.names = list(names)
        self.most = most
        self.only = only
        """Add no name: a wildcard's items run under the typed names it covers."""
        self.certificate: list[str] = []
        """The DNS names of the certificates read (empty: none could be read)."""
        self.notes: list[Finding] = []

    def run(self) -> list[CheckResult]:
        """Read the served certificates, add their names, and run those names' items."""
        shared = self.shared
        typed = [h for h in self.hostnames if self._source(h) is NameSource.TYPED]
        for names in shared.session.map(self._served_names, typed):
            self.certificate += [n for n in names if n not in self.certificate]
        added, wildcards = certificate_hostnames(self.certificate)
        if self.only:
            return self._covered(typed, wildcards)
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
        jobs = item_jobs(shared, added[:room]) if added[:room] else []
        jobs += [_wildcard_job(shared, item, name) for item in WILDCARD_ITEMS for name in wildcards]
        return [row for rows in shared.session.map(lambda job: job(), jobs) for row in rows]

    def _covered(self, typed: list[Hostname], wildcards: list[str]) -> list[CheckResult]:
        """With ``only``: each wildcard's items under the typed names it covers (``*.b.c``
        covers ``a.b.c`` and ``b.c``, whose records are at ``_acme-challenge.b.c``).

        The certificate is renewed as a whole, so the wildcard's DNS-01 record matters to
        every name on it, but only the names typed are shown.
        """
        jobs: list[Callable[[], list[CheckResult]]] = []
        for wildcard in wildcards:
            base = parse_hostname(wildcard[2:])
            covered = [h for h in typed if shares_record(base, h)]
            if covered:
                self.notes.append(Finding("names.wildcard", Level.INFO, {"name": wildcard}))
            for hostname in covered:
                if hostname == base and self.shared.method is Method.DNS01:
                    continue  # its own dns-01 row asks for this very record
                jobs += [_renamed(self.shared, item, base, hostname) for item in WILDCARD_ITEMS]
        return [row for rows in self.shared.session.map(lambda job: job(), jobs) for row in rows]

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


def _renamed(
    shared: Shared, item: NameItem, hostname: Hostname, shown: Hostname
) -> Callable[[], list[CheckResult]]:
    """``item`` for ``hostname``, its rows shown under ``shown``."""
    return lambda: [replace(row, name=shown.text) for row in item(shared, hostname)]


def absent_counterparts(
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
