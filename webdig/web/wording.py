"""The pages' words for webdig's closed sets: ``ns`` modes, server roles, options, checklist items.

One table per set, keyed by its enum, so a template never spells a mode or
an id.  Strings marked ``N_`` are extracted for the catalog and translated
where the template shows them; the others await their translation.  Sentences about
findings live in :mod:`webdig.findings.catalog`, not here.
"""

from __future__ import annotations

from typing import NamedTuple

from webdig.findings.markers import N_
from webdig.lookup.modes import Role
from webdig.lookup.params import Flag, Mode
from webdig.renewal.items import CheckId


class Wording(NamedTuple):
    """A label and one line of help under it ("" for none)."""

    label: str
    help: str = ""


MODE_CHOICES: dict[Mode, Wording] = {
    Mode.RESOLVER: Wording("A public resolver"),
    Mode.SELF: Wording("The nameservers I enter"),
    Mode.AUTH: Wording(
        "Every nameserver of the domain (found automatically)",
        "webdig finds the domain's nameservers and asks each of them directly.",
    ),
    Mode.NIC: Wording(
        "The registry's servers (who the domain is delegated to)",
        "Asks the parent zone's servers (such as those of .jp) which nameservers they send "
        "everyone to.",
    ),
    Mode.ALL: Wording(
        "All public resolvers and the domain's own nameservers",
        "Asks every public resolver and the domain's own nameservers, side by side.",
    ),
}
"""The ``ns`` choices as the look-up form shows them."""

FLAG_CHOICES: dict[Flag, Wording] = {
    Flag.SHORT: Wording("Short answer only", "Like dig +short: just the data, one record a line."),
    Flag.STATS: Wording(
        "Show the full dig output", "Header, flags, every section and the statistics."
    ),
    Flag.NORECURSIVE: Wording(
        "Don't ask for recursion", "Like dig +norecurse: the server answers alone."
    ),
    Flag.TCP: Wording("Use TCP", "Like dig +tcp, instead of UDP first."),
    Flag.DNSSEC: Wording("Ask for DNSSEC records", "Like dig +dnssec: sets the DO bit."),
    Flag.NSID: Wording("Ask the server for its ID", "Like dig +nsid: which machine answered."),
    Flag.SHOWCOMMAND: Wording("Show the dig command", "The command that gives the same answer."),
    Flag.COLORIZE: Wording(
        "Colour the record columns", "Name, TTL, class, type and data in colours."
    ),
    Flag.SORT: Wording("Sort the records", "Each section's records in order, easier to compare."),
    Flag.ONLYFIRST: Wording(
        "Only the first nameserver",
        "With every or the registry's nameservers: ask only the first of each zone by name.",
    ),
    Flag.SAVE: Wording(
        "Save the result", "Not available yet: the page's address runs the look-up again."
    ),
    Flag.TRACE: Wording(
        "Trace from the root", "Like dig +trace: every referral from the root down."
    ),
    Flag.COMPARE: Wording("Compare the servers", "A table of what each server answered."),
}
"""The on-flags as the look-up form shows them."""

ROLE_NAMES: dict[Role, str] = {
    Role.RESOLVER: N_("public resolver"),
    Role.SELF: N_("you entered it"),
    Role.AUTH: N_("the domain's nameserver"),
    Role.NIC: N_("registry"),
    Role.TRACE: N_("end of the trace"),
}
"""A server's role in a few words, for the comparison table's rows (the template translates)."""

COMPANION = "companion"
"""The group of the other address family's blocks (AAAA next to A, or A next to AAAA)."""


def group_heading(role: str, *, mode: Mode, registry: str, type_text: str) -> Wording:
    """The heading and help above the blocks of one role (or of the ``companion`` group).

    ``registry`` names the zones the registry's servers speak for; ``type_text``
    is the companion blocks' record type.
    """
    if role == COMPANION:
        if type_text == "AAAA":
            return Wording(
                f"{type_text} records, checked alongside",
                "Let's Encrypt tries IPv6 first, so webdig also asked each server for the AAAA "
                "record (the IPv6 address). No record is fine; a record that is not your server "
                "is a problem.",
            )
        return Wording(
            f"{type_text} records, checked alongside",
            "webdig also asked each server for the A record (the IPv4 address): it must point "
            "at your server too.",
        )
    if role == Role.RESOLVER:
        return Wording(
            "Public resolvers" if mode == Mode.ALL else "The resolver you chose",
            "What visitors' browsers and Let's Encrypt are told. A resolver keeps each answer "
            "for its TTL (in seconds), so it can lag behind a change.",
        )
    if role == Role.SELF:
        return Wording(
            "The nameservers you entered",
            "Asked directly. What they answer counts only if the registry sends resolvers to them.",
        )
    if role == Role.AUTH:
        return Wording(
            "The domain's own nameservers (asked directly, without recursion)",
            "Every resolver copies its answer from one of these, picked at random, so they must "
            "all give the same answer.",
        )
    if role == Role.NIC:
        return Wording(
            "The registry's servers" + (f" ({registry})" if registry else ""),
            "They do not hold your records: they tell resolvers which nameservers do. This "
            "list, the delegation, is what you change at your domain registrar.",
        )
    return Wording(role)


CHECK_ABOUT: dict[CheckId, str] = {
    CheckId.DOMAIN_EXISTS: "Step 1 of your hosting manual. Your domain must be registered and "
    "paid for: once it expires, the registry removes it and no certificate can be issued.",
    CheckId.DNS_POINTS_HERE: "Step 2 of your hosting manual. Let's Encrypt finds your website "
    "through DNS, so every nameserver of your domain must answer your hosting server's address "
    "(the IPv4 “A” record and, if there is one, the IPv6 “AAAA” record).",
    CheckId.CAA: "A CAA record lists the certificate authorities that may issue certificates "
    "for your domain. Most domains have none, which allows all of them.",
    CheckId.HTTP_CHALLENGE: "Steps 3 and 4 of your hosting manual. To prove the domain is "
    "yours, Let's Encrypt downloads a test file from "
    "http://your-domain/.well-known/acme-challenge/ on port 80. Site forwarding (a redirect "
    "to another site) or an access restriction (a password or an IP block) gets in its way.",
    CheckId.CERTIFICATE: "The certificate your website shows visitors today: who issued it and "
    "until when. After a successful renewal its expiry date moves about 90 days ahead.",
    CheckId.CA_STATUS: "Step 5 of your hosting manual. When Let's Encrypt itself is in "
    "maintenance or has trouble, renewals fail for everyone until it is back.",
}
"""What each checklist item is about, for someone who has never heard of DNS records."""
