"""Which names a renewal check covers: those typed, their www/bare counterparts, and the
names on the certificate the site serves now.

Let's Encrypt validates every name of a certificate and refuses the whole
renewal when one fails, and a free certificate usually covers both
``example.com`` and ``www.example.com``.  So by default a check adds the
counterpart of each typed name and, once port 443 has answered, every DNS
name of the certificate served now.  Wildcard names are listed, never
probed (only DNS-01 can validate them).  Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import dns.name

from webdig.engine.names import Hostname, from_dns_name, parse_hostname
from webdig.errors import InputError
from webdig.renewal.registrydata import registered_domain


class NameSource(StrEnum):
    """Why a name is in the check."""

    TYPED = "typed"
    """The user asked for it."""
    COUNTERPART = "counterpart"
    """The www/bare counterpart of a typed name (``www.example.com`` ↔ ``example.com``)."""
    CERTIFICATE = "certificate"
    """A DNS name on the certificate the site serves now."""


@dataclass(frozen=True)
class CheckedName:
    """One name of a check, why it is there, and whether its items ran."""

    name: str
    """As shown (Unicode, no trailing dot); a wildcard keeps its ``*.``."""
    source: NameSource
    wildcard: bool = False
    """A ``*.`` name of the certificate: noted, never probed."""
    checked: bool = True
    """Whether its per-name items ran (not for wildcards, nor past the cap)."""


def counterpart(hostname: Hostname) -> Hostname | None:
    """``example.com`` for ``www.example.com`` and the reverse; None when there is none.

    ``www.lab`` has no bare counterpart: a top-level domain is never a website's name;
    a subdomain (``shop.example.co.jp``) gets no ``www.`` counterpart.
    """
    name = dns.name.from_text(hostname.ascii)
    labels = name.labels[:-1]  # without the root label
    if labels and labels[0].lower() == b"www":
        if len(labels) < 3:
            return None
        return from_dns_name(name.parent())
    if len(labels) < 2 or registered_domain(hostname.ascii) != hostname.ascii.rstrip(".").lower():
        # Hosting panels pair a registered domain with its www name; a subdomain's
        # www name (www.mail.example.com) is almost never on the certificate, and the
        # served certificate's own names are added anyway.
        return None
    try:
        return from_dns_name(dns.name.Name((b"www", *name.labels)))
    except dns.name.NameTooLong:
        return None


def shares_record(base: Hostname, hostname: Hostname) -> bool:
    """Whether the DNS-01 record of the wildcard ``*.<base>`` (``_acme-challenge.<base>``)
    is validated for ``hostname`` too: it is ``base``, or a name the wildcard covers (one
    label below it)."""
    name, below = dns.name.from_text(base.ascii), dns.name.from_text(hostname.ascii)
    return below == name or (len(below) == len(name) + 1 and below.is_subdomain(name))


def certificate_hostnames(names: Iterable[str]) -> tuple[list[Hostname], list[str]]:
    """The DNS names of a certificate's subjectAltName worth checking, and its wildcards.

    IP addresses and names that do not parse are left out (they are not
    names Let's Encrypt validates over DNS); wildcards are shown as ``*.`` and
    the name below it, in Unicode.
    """
    found: list[Hostname] = []
    wildcards: list[str] = []
    for text in names:
        # A certificate comes from the site's server: a name that does not parse is dropped,
        # never an error of the check.
        try:
            hostname = parse_hostname(text.removeprefix("*."))
        except InputError:
            continue
        if text.startswith("*."):
            wildcards.append(f"*.{hostname.text}")
        elif not _is_address(text):
            found.append(hostname)
    return list(dict.fromkeys(found)), list(dict.fromkeys(wildcards))


def _is_address(text: str) -> bool:
    return all(part.isdigit() for part in text.split(".")) or ":" in text
