"""IANA's bootstrap registry of RDAP services for domain names (RFC 9224), read.

The file (``https://data.iana.org/rdap/dns.json``) lists, per group of TLDs,
the base URLs of their RDAP servers; which file is read is the
``WEBDIG_RDAP_BOOTSTRAP_URL`` setting.  Pure: fetching and caching it is
:mod:`webdig.renewal.registry`'s work.
"""

from __future__ import annotations

import json
from collections.abc import Mapping


class BootstrapError(ValueError):
    """The bootstrap file is not what RFC 9224 describes."""


Services = Mapping[str, tuple[str, ...]]
"""Lower-case TLD (or longer label sequence) → base URLs, https first."""


def parse_bootstrap(body: bytes) -> Services:
    """The services of a bootstrap file; raises :class:`BootstrapError` when it is malformed."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise BootstrapError("it is not JSON") from exc
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, list):
        raise BootstrapError('it has no "services" list')
    found: dict[str, tuple[str, ...]] = {}
    for service in services:
        if not (isinstance(service, list) and len(service) == 2):
            raise BootstrapError("a service is not a pair of lists")
        entries, urls = service
        if not isinstance(entries, list) or not isinstance(urls, list):
            raise BootstrapError("a service is not a pair of lists")
        # RFC 9224 section 3: base URLs end in "/"; a client prefers https when several are given.
        bases = [u if u.endswith("/") else u + "/" for u in urls if isinstance(u, str)]
        bases.sort(key=lambda u: not u.startswith("https://"))
        for entry in entries:
            if isinstance(entry, str) and bases:
                found[entry.lower().strip(".")] = tuple(bases)
    return found


def rdap_bases(services: Services, domain: str) -> tuple[str, ...]:
    """The base URLs for ``domain``: the entry matching the most trailing labels (RFC 9224 §4)."""
    labels = domain.lower().rstrip(".").split(".")
    for start in range(len(labels)):
        bases = services.get(".".join(labels[start:]))
        if bases:
            return bases
    return ()
